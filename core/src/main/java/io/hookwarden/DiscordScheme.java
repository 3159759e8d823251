package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Discord interactions: {@code X-Signature-Ed25519}, the hex Ed25519 signature over {@code X-Signature-Timestamp}
 * (seconds) followed by the body, checked with the application's public key as Discord shows it (64 hex digits). For
 * signing (tests, the CLI) the private key is the hex 32-byte seed, or the seed followed by the public key (128 hex
 * digits). The window is two-sided. A verified {@code PING} ({@code "type": 1}) is answered with {@code {"type":1}}.
 * The interaction id and type are in the body ({@code /id}, {@code /type}).
 */
final class DiscordScheme extends Scheme {
    private static final String SIGNATURE = "X-Signature-Ed25519";
    private static final String SIGNATURE_KEY = HeaderValues.lookup(SIGNATURE);
    private static final String TIMESTAMP = "X-Signature-Timestamp";
    private static final String TIMESTAMP_KEY = HeaderValues.lookup(TIMESTAMP);
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{timestamp}{body}");

    @Override
    public String id() {
        return "discord";
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
        byte[] raw = secretBytes(label, secret, SecretEncoding.HEX, 32);
        if (raw.length != 32) {
            throw new IllegalArgumentException("secret " + label + " for scheme discord is not an Ed25519 public key"
                    + " (64 hex digits), " + raw.length + " bytes");
        }
        try {
            return new KeyMaterial.Ed25519Public(label, raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret " + label + " for scheme discord " + e.getMessage());
        }
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        byte[] raw = secretBytes(label, secret, SecretEncoding.HEX, 32);
        try {
            return new KeyMaterial.Ed25519Private(label, raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret " + label + " for scheme discord " + e.getMessage());
        }
    }

    @Override
    Parsed parse(WebhookRequest request) {
        return signatureWithTimestamp(request, SIGNATURE_KEY, SIGNATURE, TIMESTAMP_KEY, TIMESTAMP);
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        CONTENT.write(sink, parsed.id, parsed.timestampText, request.bodyBytes(), null);
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        byte[] signature = Codec.decodeHex(parsed.candidates.get(0).value());
        return signature != null
                && signature.length == 64
                && ((KeyMaterial.Ed25519Public) key)
                        .verify(CONTENT, null, parsed.timestampText, request.bodyBytes(), null, signature);
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String ts = Long.toString(timestamp.getEpochSecond());
        byte[] signature = ((KeyMaterial.Ed25519Private) key).sign(CONTENT, null, ts, message.bodyBytes(), null);
        return Headers.builder()
                .add(SIGNATURE, new String(Codec.hex(signature), StandardCharsets.US_ASCII))
                .add(TIMESTAMP, ts)
                .build();
    }

    @Override
    HttpAnswer answerAfterVerify(VerifiedWebhook webhook, KeyMaterial matched) {
        return Handshakes.discord(webhook, matched);
    }
}
