package io.hookwarden;

import io.hookwarden.spi.Authenticator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A scheme whose credential an {@link Authenticator} from another module checks (bearer JWTs). The verifier hands it
 * the whole request ({@link #verify}) instead of the per-key loop of signature schemes, because such an authenticator
 * chooses its key itself (by a JWT's {@code kid}) and may fetch it.
 *
 * <p>Nothing here is taken to sign the body or the id: like {@link TokenScheme}, the default dedupe key is the delivery
 * id, else the SHA-256 of the body, never the credential (a JWT is reused across deliveries). Immutable and
 * thread-safe.
 *
 * @param <K> the authenticator's decoded key
 */
final class AuthenticatorScheme<K> extends Scheme {
    private final Authenticator<K> authenticator;
    private final String id;

    AuthenticatorScheme(Authenticator<K> authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator cannot be null");
        this.id = BuilderOptions.nonBlank(authenticator.id(), "the authenticator's id");
    }

    @Override
    public String id() {
        return id;
    }

    /** Whether the authenticator gets its keys itself, so the verifier takes none. */
    boolean fetchesKeys() {
        return authenticator.fetchesKeys();
    }

    /**
     * Authenticates the request with the verifier's keys and clock.
     *
     * @throws WebhookVerificationException the authenticator's refusal
     */
    VerifiedWebhook verify(WebhookRequest request, List<KeyMaterial> keys, Clock clock) {
        List<K> decoded = new ArrayList<>(keys.size());
        for (KeyMaterial key : keys) {
            decoded.add(decoded(key));
        }
        Authenticator.Authentication result = authenticator.authenticate(request, decoded, clock);
        if (result == null) {
            throw new IllegalStateException("authenticator " + id + " returned no result");
        }
        Parsed parsed = new Parsed(id, result.id(), null, null, result.eventType(), List.of());
        return new VerifiedWebhook(this, request, result.id(), null, result.eventType(), result.matchedKey(), parsed);
    }

    @SuppressWarnings("unchecked") // every Plugged key of this scheme was made by this authenticator
    private K decoded(KeyMaterial key) {
        return (K) ((KeyMaterial.Plugged) key).key;
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return new KeyMaterial.Plugged(label, authenticator.verificationKey(label, secret));
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return new KeyMaterial.Plugged(label, authenticator.signingKey(label, secret));
    }

    /** Not used: {@link WebhookVerifier} hands the whole request to {@link #verify}. */
    @Override
    Parsed parse(WebhookRequest request) {
        throw new UnsupportedOperationException("scheme " + id + " is verified through its authenticator");
    }

    /** Not used: {@link WebhookVerifier} hands the whole request to {@link #verify}. */
    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        throw new UnsupportedOperationException("scheme " + id + " is verified through its authenticator");
    }

    /** The credential does not sign the body: the body stands in, as for {@link TokenScheme}. */
    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        sink.update(request.bodyBytes());
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        return authenticator.sign(decoded(key), message, timestamp);
    }

    /** The credential says who sent the delivery, not which delivery it is. */
    @Override
    boolean signsId() {
        return false;
    }

    @Override
    DedupeKey defaultDedupeKey() {
        return DedupeKey.deliveryId().orElse(DedupeKey.signature());
    }

    @Override
    String idPointer() {
        return authenticator.idPointer();
    }

    @Override
    List<String> eventTypePointers() {
        return authenticator.eventTypePointers();
    }

    @Override
    String mismatchDetail(Parsed parsed, int keys) {
        return "scheme " + id + " refused the delivery";
    }
}
