package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Zoom: {@code x-zm-signature: v0=<hex>}, HMAC-SHA256 over {@code v0:<x-zm-request-timestamp>:body} with the app's
 * secret token as UTF-8. The timestamp is in seconds (Zoom's documentation); 13-digit millisecond values, which some
 * libraries send, are read as milliseconds. The window is two-sided. A verified {@code endpoint.url_validation} event
 * is answered with {@code {"plainToken", "encryptedToken"}} (hex HMAC-SHA256 of the plain token with the key that
 * matched). The event type is the body's {@code /event}; Zoom sends no delivery id.
 */
final class ZoomScheme extends Scheme {
    private static final String SIGNATURE = "x-zm-signature";
    private static final String TIMESTAMP = "x-zm-request-timestamp";
    private static final String PREFIX = "v0=";
    private static final ContentTemplate CONTENT = ContentTemplate.parse("v0:{timestamp}:{body}");

    private final int minSecretBytes;

    ZoomScheme() {
        this(8);
    }

    /** With another floor for the secret's length: for tests that replay vectors published with toy secrets. */
    ZoomScheme(int minSecretBytes) {
        this.minSecretBytes = minSecretBytes;
    }

    @Override
    public String id() {
        return "zoom";
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/event");
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return utf8HmacKey(label, secret, minSecretBytes, HmacAlgorithm.SHA256);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        String value = HeaderValues.required(request.headers(), SIGNATURE, SIGNATURE);
        if (!value.startsWith(PREFIX) || value.length() == PREFIX.length()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + SIGNATURE + " is not v0=<hex signature>");
        }
        String timestampText = HeaderValues.required(request.headers(), TIMESTAMP, TIMESTAMP);
        Instant timestamp = HeaderValues.timestampSecondsOrMillis(timestampText, TIMESTAMP);
        return new Parsed(
                SIGNATURE,
                null,
                timestampText,
                timestamp,
                null,
                List.of(new OfferedSignature("v0", value, PREFIX.length(), value.length())));
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        CONTENT.write(sink, parsed.id, parsed.timestampText, request.bodyBytes(), null);
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        return matchesHexSha256(key, CONTENT, parsed, request);
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String ts = Long.toString(timestamp.getEpochSecond());
        byte[] mac = ((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA256, CONTENT, null, ts, message.bodyBytes(), null);
        return Headers.builder()
                .add(TIMESTAMP, ts)
                .add(SIGNATURE, PREFIX + new String(Codec.hex(mac), StandardCharsets.US_ASCII))
                .build();
    }

    @Override
    HttpAnswer answerAfterVerify(VerifiedWebhook webhook, KeyMaterial matched) {
        return Handshakes.zoom(webhook, matched);
    }
}
