package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * HubSpot's v1 and v2 request signatures, which HubSpot still sends in {@code X-HubSpot-Signature} with {@code
 * X-HubSpot-Signature-Version} (workflow actions, CRM cards and older apps): the hex SHA-256 (not an HMAC) of the app's
 * client secret followed by the request body (v1), or by the method, the URI and the body (v2). Each request names its
 * version and is checked by it; the comparison is constant-time. Neither version carries a timestamp, so a captured
 * request can be replayed as long as the secret is valid: prefer {@link Schemes#hubspot()} (v3) wherever HubSpot
 * offers it. There is no delivery id: the dedupe key is the hash of what is signed, so a retry of the same request is
 * recognised. The event type is the first event's {@code subscriptionType}. A receiver takes POSTs only: a v2-signed
 * GET (a CRM card's data fetch) is a query to answer every time, not a delivery to process once, so check it with
 * {@link WebhookVerifier#verify} in the controller that answers it.
 *
 * @see <a href="https://legacydocs.hubspot.com/docs/faq/v1-request-validation">HubSpot: v1 request validation</a>
 * @see <a href="https://legacydocs.hubspot.com/docs/faq/v2-request-validation">HubSpot: v2 request validation</a>
 */
public final class HubSpotLegacyScheme extends Scheme {
    private static final String SIGNATURE = "X-HubSpot-Signature";
    private static final String SIGNATURE_KEY = HeaderValues.lookup(SIGNATURE);
    private static final String VERSION = "X-HubSpot-Signature-Version";
    private static final String VERSION_KEY = HeaderValues.lookup(VERSION);
    private static final String V1 = "v1";
    private static final String V2 = "v2";

    private final String webhookUrl;

    HubSpotLegacyScheme(String webhookUrl) {
        this.webhookUrl = webhookUrl;
    }

    @Override
    public String id() {
        return "hubspot-legacy";
    }

    /**
     * This scheme with the URL configured at HubSpot, used for v2 instead of the request's URL (behind a proxy that
     * terminates TLS, the request's URL says {@code http}, and v2 signs the URL exactly as HubSpot called it).
     *
     * @param url the URL exactly as configured at HubSpot
     * @return a new scheme; this one is unchanged
     * @throws NullPointerException if url is null
     * @throws IllegalArgumentException if url is not an absolute http or https URL (the message echoes it)
     * @throws IllegalStateException if a webhook URL is already set
     */
    public HubSpotLegacyScheme webhookUrl(String url) {
        Objects.requireNonNull(url, "url cannot be null");
        if (webhookUrl != null) {
            throw new IllegalStateException("webhookUrl is already set");
        }
        if (!(url.startsWith("https://") || url.startsWith("http://"))
                || url.strip().length() != url.length()) {
            throw new IllegalArgumentException("webhookUrl must be an absolute http(s) URL but was " + url);
        }
        return new HubSpotLegacyScheme(url);
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/0/subscriptionType");
    }

    @Override
    boolean signsUrl() {
        return webhookUrl == null;
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return new KeyMaterial.Token(label, secretBytes(label, secret, SecretEncoding.UTF8, 8));
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        Headers headers = request.headers();
        String value = HeaderValues.required(headers, SIGNATURE_KEY, SIGNATURE);
        String version = HeaderValues.required(headers, VERSION_KEY, VERSION);
        String known;
        if (V1.equals(version)) {
            known = V1;
        } else if (V2.equals(version)) {
            known = V2;
            if (url(request) == null) {
                throw new WebhookVerificationException(
                        Reason.MALFORMED_HEADER,
                        "scheme hubspot-legacy signs the request URI in v2: configure it, or give the request its URL");
            }
        } else {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, VERSION + " must be v1 or v2 (v3 signs in X-HubSpot-Signature-v3)");
        }
        return new Parsed(
                SIGNATURE, null, null, null, null, List.of(new OfferedSignature(known, value, 0, value.length())));
    }

    private String url(WebhookRequest request) {
        return webhookUrl != null ? webhookUrl : request.url().orElse(null);
    }

    /** What is hashed after the secret: the body (v1), or the method, URI and body (v2). */
    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        if (V2.equals(parsed.candidates.get(0).version())) {
            sink.update(request.method().getBytes(StandardCharsets.UTF_8));
            sink.update(url(request).getBytes(StandardCharsets.UTF_8));
        }
        sink.update(request.bodyBytes());
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        MessageDigest digest = ((KeyMaterial.Token) key).digestAfterToken();
        writeSignedContent(parsed, request, digest::update);
        return anyMatches(parsed.candidates, Codec.hex(digest.digest()), true);
    }

    /** Signs v2 when the URL is known (the message's or the configured one), else v1. */
    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String url = webhookUrl != null ? webhookUrl : message.url().orElse(null);
        MessageDigest digest = ((KeyMaterial.Token) key).digestAfterToken();
        if (url != null) {
            digest.update("POST".getBytes(StandardCharsets.UTF_8));
            digest.update(url.getBytes(StandardCharsets.UTF_8));
        }
        digest.update(message.bodyBytes());
        return Headers.builder()
                .add(SIGNATURE, new String(Codec.hex(digest.digest()), StandardCharsets.US_ASCII))
                .add(VERSION, url != null ? V2 : V1)
                .build();
    }
}
