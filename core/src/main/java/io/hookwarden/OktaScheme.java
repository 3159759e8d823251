package io.hookwarden;

import java.time.Instant;
import java.util.List;

/**
 * Okta event hooks: no signature; the hook's authentication secret comes back as the whole value of {@code
 * Authorization} on every request, compared in constant time. The key is that value exactly as entered in Okta's
 * "Authentication secret" field: Okta's guide recommends {@code Basic } and the base64 of {@code user:password}, but
 * any text is sent as it is. Okta's one-time verification request, a {@code GET} with {@code
 * X-Okta-Verification-Challenge}, carries the same header; it is answered with {@code {"verification": <challenge>}}
 * only when that header matches a key, and refused as {@link Reason#SIGNATURE_MISMATCH} otherwise, so nobody but Okta
 * can verify an endpoint. The dedupe key is the body's {@code eventId}, else the SHA-256 of the body; never the secret.
 *
 * <p>Sources: https://developer.okta.com/docs/concepts/event-hooks/ (the delivery and its one-time verification
 * request), https://developer.okta.com/docs/guides/secure-hooks/main/ (the Authorization header and Basic
 * credentials). Immutable and thread-safe.
 */
final class OktaScheme extends Scheme {
    private static final String AUTHORIZATION = "Authorization";
    private static final String AUTHORIZATION_KEY = HeaderValues.lookup(AUTHORIZATION);
    private static final String CHALLENGE = "X-Okta-Verification-Challenge";
    private static final String CHALLENGE_KEY = HeaderValues.lookup(CHALLENGE);

    @Override
    public String id() {
        return "okta";
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
        String value = HeaderValues.required(request.headers(), AUTHORIZATION_KEY, AUTHORIZATION);
        return new Parsed(
                AUTHORIZATION, null, null, null, null, List.of(new OfferedSignature(null, value, 0, value.length())));
    }

    @Override
    String idPointer() {
        return "/eventId";
    }

    /** The secret is the same on every delivery, so nothing vouches for the id. */
    @Override
    boolean signsId() {
        return false;
    }

    @Override
    DedupeKey defaultDedupeKey() {
        return DedupeKey.deliveryId().orElse(DedupeKey.signature());
    }

    /** Nothing is signed, so the body stands in for {@link DedupeKey#signature()}. */
    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        sink.update(request.bodyBytes());
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        return ((KeyMaterial.Token) key).matches(parsed.candidates.get(0));
    }

    @Override
    String mismatchDetail(Parsed parsed, int keys) {
        return "header Authorization matches none of the " + keys + " active secret(s) of scheme okta";
    }

    /**
     * Okta's one-time verification: {@code GET} with {@code X-Okta-Verification-Challenge: C} is answered {@code
     * {"verification": "C"}} when its {@code Authorization} is a key's; anything else goes on to verification (where a
     * GET is refused with 405).
     */
    @Override
    HttpAnswer answerBeforeVerify(WebhookRequest request, List<KeyMaterial> keys) {
        if (!"GET".equals(request.method())) {
            return null;
        }
        String challenge = HeaderValues.optional(request.headers(), CHALLENGE_KEY, CHALLENGE);
        if (challenge == null) {
            return null;
        }
        Parsed parsed = parse(request);
        boolean matched = false;
        for (KeyMaterial key : keys) {
            matched |= matches(key, parsed, request); // every key, so the time says nothing about which one
        }
        if (!matched) {
            throw new WebhookVerificationException(
                    Reason.SIGNATURE_MISMATCH, "Okta verification request: " + mismatchDetail(parsed, keys.size()));
        }
        if (!Handshakes.safeToken(challenge)) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "Okta verification request carries no usable " + CHALLENGE);
        }
        return Handshakes.json(Handshakes.MAPPER.createObjectNode().put("verification", challenge));
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        return Headers.builder()
                .add(AUTHORIZATION, ((KeyMaterial.Token) key).headerValue())
                .build();
    }
}
