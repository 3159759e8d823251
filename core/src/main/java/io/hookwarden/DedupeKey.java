package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * How a receiver names a delivery in its dedupe store, from signed material, so that neither a forger nor a replay
 * can pick a new key. The default ({@link #schemeDefault()}) is the scheme's signed delivery or event id ({@code
 * webhook-id}, the Stripe event's {@code id}), or else the signature.
 *
 * <p>Implementations return null when the delivery has no such value; they must be thread-safe.
 */
@FunctionalInterface
public interface DedupeKey {
    /** The key for a verified delivery, or null when this strategy finds none. */
    String of(VerifiedWebhook webhook);

    /** This strategy, or {@code next} when it finds nothing. */
    default DedupeKey orElse(DedupeKey next) {
        Objects.requireNonNull(next, "next cannot be null");
        return webhook -> {
            String key = of(webhook);
            return key != null ? key : next.of(webhook);
        };
    }

    /**
     * The receiver's default: the scheme's delivery or event id where the scheme signs it ({@code webhook-id}, the
     * Stripe or Slack event id in the body), else the signature (GitHub's {@code X-GitHub-Delivery} is not signed: a
     * replay with a new delivery header must not pass as a new delivery).
     */
    static DedupeKey schemeDefault() {
        return webhook -> webhook.schemeObject().defaultDedupeKey().of(webhook);
    }

    /** The scheme's delivery or event id ({@link VerifiedWebhook#id()}). */
    static DedupeKey deliveryId() {
        return webhook -> webhook.id().orElse(null);
    }

    /**
     * A header's value. Use only a header the scheme signs, or one the provider sets per event.
     *
     * @throws NullPointerException if name is null
     * @throws IllegalArgumentException if name is blank
     */
    static DedupeKey header(String name) {
        Objects.requireNonNull(name, "name cannot be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("header name cannot be blank");
        }
        return webhook -> webhook.request()
                .headers()
                .first(name)
                .filter(v -> !v.isBlank())
                .orElse(null);
    }

    /**
     * A string or number field of the JSON body, such as {@code /event_id}; the body is signed, so the field is too.
     *
     * @throws NullPointerException if pointer is null
     * @throws IllegalArgumentException if pointer does not start with '/'
     */
    static DedupeKey jsonPointer(String pointer) {
        Objects.requireNonNull(pointer, "pointer cannot be null");
        if (!pointer.startsWith("/")) {
            throw new IllegalArgumentException("JSON pointer must start with '/' but was " + pointer);
        }
        List<String> pointers = List.of(pointer);
        return webhook -> {
            JsonNode root = webhook.jsonIfPresent().orElse(null);
            String value = BoundedJson.text(root, pointers);
            return value == null || value.isEmpty() ? null : value;
        };
    }

    /**
     * The SHA-256 of what the delivery's signature covers (the body, and the timestamp, id or URL where the scheme signs
     * them), for schemes with no signed id: a provider's retry that re-sends the same signed request is a duplicate,
     * and so is a captured delivery replayed with its signature re-spelt (hex in another case, entries reordered,
     * repeated or dropped, the other of two accepted signature headers); one re-signed at a new timestamp is not.
     */
    static DedupeKey signature() {
        return webhook -> "sig-" + HexFormat.of().formatHex(webhook.signedContentDigest());
    }
}
