package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A delivery whose signature matched one of the endpoint's keys and whose timestamp (where the scheme signs one) was
 * fresh: what {@link WebhookVerifier#verify(WebhookRequest)} returns.
 *
 * <p>The id and event type come from the scheme's headers, or, for schemes that carry them only in the body (Stripe),
 * from the JSON body, parsed with hard limits the first time they are asked for. Immutable and thread-safe.
 */
public final class VerifiedWebhook {
    private final String schemeId;
    private final Scheme scheme;
    private final WebhookRequest request;
    private final String headerId;
    private final Instant timestamp;
    private final String headerEventType;
    private final String matchedKey;
    private volatile Lazy lazy;

    private record Lazy(String id, String eventType) {}

    VerifiedWebhook(
            Scheme scheme,
            WebhookRequest request,
            String headerId,
            Instant timestamp,
            String headerEventType,
            String matchedKey) {
        this.schemeId = scheme.id();
        this.scheme = scheme;
        this.request = request;
        this.headerId = headerId;
        this.timestamp = timestamp;
        this.headerEventType = headerEventType;
        this.matchedKey = matchedKey;
    }

    /** The id of the scheme that verified the delivery. */
    public String scheme() {
        return schemeId;
    }

    /** The delivery or event id, when the scheme carries one (header, or body for Stripe and Slack). */
    public Optional<String> id() {
        return headerId != null ? Optional.of(headerId) : Optional.ofNullable(lazy().id());
    }

    /** The signed timestamp, when the scheme signs one. */
    public Optional<Instant> timestamp() {
        return Optional.ofNullable(timestamp);
    }

    /** The event type, when the scheme carries one (a header, or a field of the JSON body). */
    public Optional<String> eventType() {
        return headerEventType != null ? Optional.of(headerEventType) : Optional.ofNullable(lazy().eventType());
    }

    /** The label of the key that matched, such as {@code key-2}: tells when an old key can be retired. */
    public String matchedKey() {
        return matchedKey;
    }

    /** A copy of the verified body bytes. */
    public byte[] body() {
        return request.body();
    }

    /** The verified body decoded as UTF-8. */
    public String bodyText() {
        return new String(request.bodyBytes(), StandardCharsets.UTF_8);
    }

    /** The scheme itself, for the receiver's handshakes and dedupe keys. */
    Scheme schemeObject() {
        return scheme;
    }

    /** The request as received. */
    public WebhookRequest request() {
        return request;
    }

    private Lazy lazy() {
        Lazy l = lazy;
        if (l == null) {
            String pointer = scheme.idPointer();
            List<String> typePointers = scheme.eventTypePointers();
            JsonNode root = (pointer == null || headerId != null) && (typePointers.isEmpty() || headerEventType != null)
                    ? null
                    : BodyFields.parse(request.bodyBytes());
            l = new Lazy(
                    pointer == null ? null : BodyFields.text(root, List.of(pointer)),
                    BodyFields.text(root, typePointers));
            lazy = l;
        }
        return l;
    }

    /** Scheme, id, type, timestamp and matched key: never the body. */
    @Override
    public String toString() {
        return "VerifiedWebhook[scheme=" + schemeId + ", id=" + id().orElse(null) + ", type="
                + eventType().orElse(null) + ", timestamp=" + timestamp + ", key=" + matchedKey + "]";
    }
}
