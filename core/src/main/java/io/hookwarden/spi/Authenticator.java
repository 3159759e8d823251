package io.hookwarden.spi;

import io.hookwarden.Headers;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * A way of authenticating deliveries that lives in a module of its own, such as bearer JWTs ({@code hookwarden-jwt}),
 * so the core keeps its two dependencies. {@link io.hookwarden.Schemes#authenticatedBy(Authenticator)} turns one into
 * a {@link io.hookwarden.Scheme} that the verifier, the receiver, the signer and the test kit use like any other.
 *
 * <p>The protocol: when a verifier is built, each of its keys is decoded once by {@link #verificationKey}; each
 * delivery then goes to {@link #authenticate} with those keys and the verifier's clock, after the body limit was
 * checked. What the delivery's credential does not vouch for, the authenticator does not claim: nothing here says the
 * body was signed, so a receiver's default dedupe key is the delivery id, else the SHA-256 of the body. A signer
 * decodes its private key with {@link #signingKey} and writes the credential with {@link #sign}.
 *
 * <p>Implementations are immutable and thread-safe (key caches inside them included): one serves every request.
 *
 * @param <K> a decoded key
 */
public interface Authenticator<K> {
    /**
     * The scheme's stable id, for logs, metrics and {@code toString}.
     *
     * @return a short name such as {@code jwt}
     */
    String id();

    /**
     * Whether the authenticator gets its keys itself (from a JWKS URL, say): then a verifier is built without keys,
     * and refuses to be given some.
     *
     * @return true when the endpoint's key set is not used
     */
    default boolean fetchesKeys() {
        return false;
    }

    /**
     * Decodes one of the endpoint's keys for verifying, when the verifier is built.
     *
     * @param label the key's label in its {@link io.hookwarden.Keys}
     * @param text the key as the user gave it
     * @return the decoded key
     * @throws IllegalArgumentException if the text is not a usable key; the message names the label, never the key
     */
    K verificationKey(String label, String text);

    /**
     * Decodes a private key for signing, when a {@link io.hookwarden.WebhookSigner} is built.
     *
     * @param label the key's label
     * @param text the key as the user gave it
     * @return the decoded key
     * @throws IllegalArgumentException if the text is not a usable signing key; the message never contains it
     */
    K signingKey(String label, String text);

    /**
     * Authenticates one delivery.
     *
     * @param request the delivery, its body within the limit
     * @param keys the endpoint's keys as {@link #verificationKey} decoded them; empty when {@link #fetchesKeys()}
     * @param clock the verifier's clock
     * @return what the credential vouched for
     * @throws io.hookwarden.WebhookVerificationException with the reason the delivery is refused; the message never
     *     contains the credential. No other exception may escape for any input.
     */
    Authentication authenticate(WebhookRequest request, List<K> keys, Clock clock);

    /**
     * The headers that authenticate {@code message}, as the provider would send them.
     *
     * @param key from {@link #signingKey}
     * @param message what to sign
     * @param timestamp when it is signed
     * @return the headers
     */
    Headers sign(K key, WebhookMessage message, Instant timestamp);

    /**
     * A JSON pointer to the delivery id in the body, or null for none.
     *
     * @return for example {@code /message/messageId}
     */
    default String idPointer() {
        return null;
    }

    /**
     * JSON pointers to the event type in the body, tried in order.
     *
     * @return the pointers, possibly empty
     */
    default List<String> eventTypePointers() {
        return List.of();
    }

    /**
     * What a delivery's credential vouched for.
     *
     * @param matchedKey names the key that verified it, as {@link io.hookwarden.VerifiedWebhook#matchedKey()} shows it
     * @param id the delivery id where the credential or a header carries it; null to read it from {@link #idPointer()}
     * @param eventType the event type where a header carries it; null to read it from {@link #eventTypePointers()}
     */
    record Authentication(String matchedKey, String id, String eventType) {
        /**
         * @throws NullPointerException if matchedKey is null
         */
        public Authentication {
            java.util.Objects.requireNonNull(matchedKey, "matchedKey cannot be null");
        }
    }
}
