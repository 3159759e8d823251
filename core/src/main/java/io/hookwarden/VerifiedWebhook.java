package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A delivery whose signature matched one of the endpoint's keys and whose timestamp (where the scheme signs one) was
 * fresh: what {@link WebhookVerifier#verify(WebhookRequest)} returns, and what a {@link WebhookReceiver} hands its
 * handler.
 *
 * <p>The id and event type come from the scheme's headers, or, for schemes that carry them only in the body (Stripe),
 * from the JSON body. The body is parsed at most once, lazily, the first time anything needs it ({@link #json()},
 * {@link #as(Class)}, {@link #form()}, a body field), and never before the signature was verified: a {@code
 * VerifiedWebhook} exists only after. JSON is read within hard limits (nesting depth 64, numbers of 64 digits, strings
 * of 1 MiB, member names of 1024 characters, duplicate member names refused).
 *
 * <p>Through a {@link WebhookReceiver}, the event type and version are the ones the endpoint resolves ({@link
 * WebhookReceiver.Builder#eventType(EventAttribute)}, {@link WebhookReceiver.Builder#version(EventAttribute)}), and a
 * batch delivery holds several {@link #events()}. Immutable and thread-safe.
 */
public final class VerifiedWebhook {
    private final String schemeId;
    private final Scheme scheme;
    private final WebhookRequest request;
    private final String headerId;
    private final Instant timestamp;
    private final String headerEventType;
    private final String matchedKey;
    private final Scheme.Parsed parsed;
    private final Body body;
    private final PayloadOptions options;
    private volatile Lazy lazy;
    private volatile List<WebhookEvent> events;

    private record Lazy(String id, String eventType) {}

    VerifiedWebhook(
            Scheme scheme,
            WebhookRequest request,
            String headerId,
            Instant timestamp,
            String headerEventType,
            String matchedKey,
            Scheme.Parsed parsed) {
        this(
                scheme,
                request,
                headerId,
                timestamp,
                headerEventType,
                matchedKey,
                parsed,
                new Body(request.bodyBytes()),
                PayloadOptions.DEFAULT);
    }

    private VerifiedWebhook(
            Scheme scheme,
            WebhookRequest request,
            String headerId,
            Instant timestamp,
            String headerEventType,
            String matchedKey,
            Scheme.Parsed parsed,
            Body body,
            PayloadOptions options) {
        this.schemeId = scheme.id();
        this.scheme = scheme;
        this.request = request;
        this.headerId = headerId;
        this.timestamp = timestamp;
        this.headerEventType = headerEventType;
        this.matchedKey = matchedKey;
        this.parsed = parsed;
        this.body = body;
        this.options = options;
    }

    /**
     * A delivery verified before it was written to an inbox, as a worker hands it to the handler: the stored request,
     * and the id, type, timestamp and matched key the receiver read when it verified it. Not verified again (its
     * signature was checked before the write, and freshness would refuse it by now); the scheme's parsed headers are
     * not kept, so it has no signature dedupe key.
     *
     * @param eventType the scheme's event type as the receiver resolved it; stands in for the scheme's header
     */
    static VerifiedWebhook restored(
            Scheme scheme,
            WebhookRequest request,
            String id,
            Instant timestamp,
            String eventType,
            String matchedKey,
            PayloadOptions options) {
        return new VerifiedWebhook(
                scheme, request, id, timestamp, eventType, matchedKey, null, new Body(request.bodyBytes()), options);
    }

    /** This delivery as an endpoint with these options sees it; shares the parsed body. */
    VerifiedWebhook with(PayloadOptions options) {
        return options == this.options
                ? this
                : new VerifiedWebhook(
                        scheme, request, headerId, timestamp, headerEventType, matchedKey, parsed, body, options);
    }

    /** The id of the scheme that verified the delivery. */
    public String schemeId() {
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

    /**
     * The event type: where the scheme carries it (a header, or a field of the JSON body), or where the receiver's
     * {@link WebhookReceiver.Builder#eventType(EventAttribute)} says. For a batch, what the delivery as a whole says
     * (a header); each of the {@link #events()} has its own.
     */
    public Optional<String> eventType() {
        return Optional.ofNullable(options.eventType().of(this, null));
    }

    /** The event type where the scheme carries it: {@link EventAttribute#schemeEventType()}. */
    Optional<String> schemeEventType() {
        return headerEventType != null ? Optional.of(headerEventType) : Optional.ofNullable(lazy().eventType());
    }

    /** The event type the scheme gives one event of a batch: its header, else its pointers into the event. */
    String schemeEventTypeOf(JsonNode event) {
        return headerEventType != null ? headerEventType : BoundedJson.text(event, scheme.eventTypePointers());
    }

    /**
     * The event's version, where the receiver's {@link WebhookReceiver.Builder#version(EventAttribute)} reads one (a
     * header, a JSON pointer, the URL path); empty otherwise.
     */
    public Optional<String> version() {
        return Optional.ofNullable(options.version().of(this, null));
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

    /**
     * The body as JSON, parsed within the limits on first use. The tree is shared: read it, do not change it.
     *
     * @throws InvalidPayloadException MALFORMED_PAYLOAD when the body is not JSON or exceeds a parsing limit; the
     *     message names the limit or the location, never the content
     */
    public JsonNode json() {
        return body.json().orThrow();
    }

    /** The body as JSON when it is JSON within the limits; empty otherwise. Never throws. */
    public Optional<JsonNode> jsonIfPresent() {
        return Optional.ofNullable(body.json().node());
    }

    /**
     * The body bound to an application type with Jackson (records, beans, {@code Map}); members the type does not
     * name are ignored, as providers add fields over time.
     *
     * @throws InvalidPayloadException MALFORMED_PAYLOAD when the body is not JSON or does not fit the type; the message
     *     names the type and the failing pointer, never a value
     * @throws NullPointerException if type is null
     */
    public <T> T as(Class<T> type) {
        java.util.Objects.requireNonNull(type, "type cannot be null");
        return BoundedJson.bind(json(), type);
    }

    /**
     * The body's {@code application/x-www-form-urlencoded} parameters (Slack commands, Twilio), in the order sent; a
     * name sent twice has both values. Decoded once, on first use.
     *
     * @return name to values; read-only
     * @throws InvalidPayloadException MALFORMED_PAYLOAD when a percent escape is broken or there are more than 10,000
     *     parameters
     */
    public Map<String, List<String>> form() {
        return body.form();
    }

    /**
     * The events of this delivery: one for an ordinary delivery; one per array element when the receiver's format is
     * {@link PayloadFormat#JSON_BATCH}. Each has its type and version resolved as the receiver says.
     *
     * @throws InvalidPayloadException MALFORMED_PAYLOAD when the receiver expects a batch and the body is not a JSON
     *     array
     */
    public List<WebhookEvent> events() {
        List<WebhookEvent> e = events;
        if (e == null) {
            synchronized (this) {
                e = events;
                if (e == null) {
                    e = resolveEvents();
                    events = e;
                }
            }
        }
        return e;
    }

    private List<WebhookEvent> resolveEvents() {
        if (options.format() != PayloadFormat.JSON_BATCH) {
            return List.of(new WebhookEvent(
                    this, -1, null, eventType().orElse(null), version().orElse(null)));
        }
        JsonNode root = json();
        if (!root.isArray()) {
            throw new InvalidPayloadException(
                    Reason.MALFORMED_PAYLOAD, "body is not a JSON array of events, as this endpoint requires");
        }
        List<WebhookEvent> list = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode element = root.get(i);
            list.add(new WebhookEvent(
                    this,
                    i,
                    element,
                    options.eventType().of(this, element),
                    options.version().of(this, element)));
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * The SHA-256 of the content the delivery's signature covers ({@link Scheme#writeSignedContent}), for the
     * signature dedupe key: the same for every spelling of the signature header that verifies.
     */
    byte[] signedContentDigest() {
        if (parsed == null) {
            throw new IllegalStateException("a delivery restored from an inbox keeps no signature to digest");
        }
        MessageDigest sha = Codec.sha256();
        scheme.writeSignedContent(parsed, request, sha::update);
        return sha.digest();
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
                    : body.json().node();
            l = new Lazy(
                    pointer == null ? null : BoundedJson.text(root, List.of(pointer)),
                    BoundedJson.text(root, typePointers));
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

    /**
     * How a receiver reads its deliveries' payloads.
     *
     * @param format what the body must be
     * @param eventType where the event type is read
     * @param version where the version is read
     */
    record PayloadOptions(PayloadFormat format, EventAttribute eventType, EventAttribute version) {
        static final PayloadOptions DEFAULT =
                new PayloadOptions(PayloadFormat.ANY, EventAttribute.schemeEventType(), EventAttribute.none());
    }

    /** The verified bytes, parsed at most once as JSON and at most once as a form, each on first use. */
    static final class Body {
        private final byte[] bytes;
        private BoundedJson.Json json;
        private Map<String, List<String>> form;
        private InvalidPayloadException formError;

        Body(byte[] bytes) {
            this.bytes = bytes;
        }

        synchronized BoundedJson.Json json() {
            if (json == null) {
                json = BoundedJson.read(bytes);
            }
            return json;
        }

        synchronized Map<String, List<String>> form() {
            if (form == null && formError == null) {
                try {
                    form = FormBody.strict(bytes);
                } catch (InvalidPayloadException e) {
                    formError = e;
                }
            }
            if (formError != null) {
                throw new InvalidPayloadException(formError.reason(), formError.getMessage());
            }
            return form;
        }
    }
}
