package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Paddle Billing: {@code Paddle-Signature: ts=<seconds>;h1=<hex>[;h1=<hex>...]}, HMAC-SHA256 over {@code ts:body}
 * with the notification secret ({@code pdl_ntfset_...}) used as its UTF-8 bytes. Every {@code h1} is tried (Paddle
 * sends several while a secret rotates); other entries ({@code h2=...}) are ignored. The event id and type are in the
 * body ({@code /event_id}, {@code /event_type}). The window is two-sided; Paddle's SDKs allow 5 seconds, this library
 * defaults to the verifier's 5 minutes.
 */
final class PaddleScheme extends Scheme {
    private static final String HEADER = "Paddle-Signature";
    private static final KeyValueSignatureHeader SIGNATURE_HEADER =
            new KeyValueSignatureHeader(HEADER, ';', "ts", "h1");
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{timestamp}:{body}");

    @Override
    public String id() {
        return "paddle";
    }

    @Override
    String idPointer() {
        return "/event_id";
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/event_type");
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return utf8HmacKey(label, secret, 8, HmacAlgorithm.SHA256);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        return SIGNATURE_HEADER.parse(request);
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
                .add(HEADER, "ts=" + ts + ";h1=" + new String(Codec.hex(mac), StandardCharsets.US_ASCII))
                .build();
    }
}
