package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Stripe: {@code Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>...][,v0=...]}, HMAC-SHA256 over {@code t.body} with
 * the {@code whsec_...} secret's UTF-8 bytes as they are (Stripe does not decode it). Every {@code v1} entry is tried;
 * {@code v0} and unknown entries are ignored. Stripe's libraries check only the age of {@code t}; this scheme also
 * refuses a {@code t} further ahead than the tolerance, as every timestamped scheme here does. The event id and type are in the body ({@code /id}, {@code /type}).
 */
final class StripeScheme extends Scheme {
    private static final String HEADER = "Stripe-Signature";
    private static final KeyValueSignatureHeader SIGNATURE_HEADER = new KeyValueSignatureHeader(HEADER, ',', "t", "v1");
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{timestamp}.{body}");

    @Override
    public String id() {
        return "stripe";
    }

    /** Stripe sends JSON events only. */
    @Override
    PayloadFormat defaultFormat() {
        return PayloadFormat.JSON;
    }

    @Override
    String idPointer() {
        return "/id";
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/type");
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
        String t = Long.toString(timestamp.getEpochSecond());
        byte[] mac = ((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA256, CONTENT, null, t, message.bodyBytes(), null);
        return Headers.builder()
                .add(HEADER, "t=" + t + ",v1=" + new String(Codec.hex(mac), StandardCharsets.US_ASCII))
                .build();
    }
}
