package io.hookwarden;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Meta (Facebook, Instagram, WhatsApp, Messenger): {@code X-Hub-Signature-256: sha256=<hex>}, HMAC-SHA256 of the body
 * with the app secret (UTF-8). Meta's subscription check, {@code GET ?hub.mode=subscribe&hub.verify_token=V
 * &hub.challenge=C}, is answered with C when V is the verify token given to {@link #verifyToken(String)} (a separate
 * value you choose in the app dashboard, not the app secret); a wrong token, or none configured, is refused as a
 * {@link Reason#SIGNATURE_MISMATCH}, never echoed. Meta sends no delivery id (the signature is the dedupe key); the
 * type is the body's {@code /object}. Immutable and thread-safe.
 */
public final class MetaScheme extends Scheme {
    private static final HmacScheme SIGNATURE = HmacScheme.builder()
            .id("meta")
            .signatureHeader("X-Hub-Signature-256")
            .prefix("sha256=")
            .eventTypePointers("/object")
            .build();

    private final byte[] verifyToken;

    MetaScheme(byte[] verifyToken) {
        this.verifyToken = verifyToken;
    }

    @Override
    public String id() {
        return "meta";
    }

    /**
     * This scheme answering Meta's subscription check for {@code token}.
     *
     * @param token the verify token entered in Meta's dashboard
     * @return a new scheme; this one is unchanged
     * @throws NullPointerException if token is null
     * @throws IllegalArgumentException if token is empty or has surrounding blanks
     * @throws IllegalStateException if this scheme already has a verify token
     */
    public MetaScheme verifyToken(String token) {
        Objects.requireNonNull(token, "verifyToken cannot be null");
        if (verifyToken != null) {
            throw new IllegalStateException("verifyToken was already set");
        }
        if (token.isEmpty() || !token.strip().equals(token)) {
            throw new IllegalArgumentException("verifyToken cannot be empty or have leading or trailing whitespace");
        }
        return new MetaScheme(Codec.utf8(token));
    }

    @Override
    String idPointer() {
        return SIGNATURE.idPointer();
    }

    @Override
    List<String> eventTypePointers() {
        return SIGNATURE.eventTypePointers();
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return SIGNATURE.verificationKey(label, secret);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return SIGNATURE.signingKey(label, secret);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        return SIGNATURE.parse(request);
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        SIGNATURE.writeSignedContent(parsed, request, sink);
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        return SIGNATURE.matches(key, parsed, request);
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        return SIGNATURE.sign(key, message, timestamp);
    }

    @Override
    HttpAnswer answerBeforeVerify(WebhookRequest request, List<KeyMaterial> keys) {
        return Handshakes.metaSubscribe(request, verifyToken);
    }
}
