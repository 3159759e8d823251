package io.hookwarden;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The secrets (or public keys) of one endpoint, exactly as the provider hands them out. Several keys may be active at
 * once while a secret is rotated: a delivery signed with any of them is accepted, and {@link
 * VerifiedWebhook#matchedKey()} names the one that matched so an operator can tell when the old one can be retired.
 *
 * <p>Each key has a label: the one given to {@link Builder#add(String, String)}, or {@code key-1}, {@code key-2}, ...
 * in order for {@link #of(String...)}. The scheme turns each secret into key material when a verifier or signer is
 * built, and refuses an empty, too short or badly encoded one there.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows labels only.
 */
public final class Keys {
    private final List<String> labels;
    private final List<String> secrets;
    private final boolean weakSecretsAllowed;

    private Keys(List<String> labels, List<String> secrets, boolean weakSecretsAllowed) {
        this.labels = List.copyOf(labels);
        this.secrets = List.copyOf(secrets);
        this.weakSecretsAllowed = weakSecretsAllowed;
    }

    /**
     * Keys labelled {@code key-1}, {@code key-2}, ... in the order given.
     *
     * @param secrets one or more secrets, exactly as the provider shows them
     * @return the key set
     * @throws NullPointerException if the array or a secret is null
     * @throws IllegalArgumentException if no secret is given
     */
    public static Keys of(String... secrets) {
        Objects.requireNonNull(secrets, "secrets cannot be null");
        Builder builder = builder();
        for (int i = 0; i < secrets.length; i++) {
            builder.add("key-" + (i + 1), secrets[i]);
        }
        return builder.build();
    }

    /**
     * Keys labelled {@code key-1}, {@code key-2}, ... in the order given.
     *
     * @param secrets one or more secrets
     * @return the key set
     * @throws NullPointerException if the list or a secret is null
     * @throws IllegalArgumentException if the list is empty
     */
    public static Keys of(List<String> secrets) {
        Objects.requireNonNull(secrets, "secrets cannot be null");
        return of(secrets.toArray(String[]::new));
    }

    /** A builder for labelled keys. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of keys. */
    public int size() {
        return secrets.size();
    }

    /** The labels, in order. */
    public List<String> labels() {
        return labels;
    }

    /** Whether secrets shorter than the scheme's minimum are accepted ({@link Builder#allowWeakSecrets()}). */
    public boolean weakSecretsAllowed() {
        return weakSecretsAllowed;
    }

    String label(int index) {
        return labels.get(index);
    }

    String secret(int index) {
        return secrets.get(index);
    }

    /** Labels only; never a secret. */
    @Override
    public String toString() {
        return "Keys" + labels;
    }

    /** Collects labelled keys. Not thread-safe. */
    public static final class Builder {
        private final List<String> labels = new ArrayList<>();
        private final List<String> secrets = new ArrayList<>();
        private final Set<String> seen = new LinkedHashSet<>();
        private boolean weakSecretsAllowed;

        private Builder() {}

        /**
         * Accepts a secret shorter than the scheme's minimum (8 bytes for most HMAC schemes, 16 for Standard
         * Webhooks), for a legacy endpoint whose provider let someone type a short secret (GitHub and GitLab do). Such
         * a secret can be guessed far more easily: replace it as soon as you can. When the verifier is built, a
         * WARNING on {@code io.hookwarden.Keys} names each short key by its label (never the secret). An empty secret,
         * a placeholder, or a key that is not a valid public key is still refused.
         *
         * @return this builder
         */
        public Builder allowWeakSecrets() {
            this.weakSecretsAllowed = true;
            return this;
        }

        /**
         * Adds a key.
         *
         * @param label a name for logs and metrics, such as {@code current} or {@code 2026-q3}
         * @param secret the secret or public key, exactly as the provider shows it
         * @return this builder
         * @throws NullPointerException if the label or secret is null
         * @throws IllegalArgumentException if the label is blank or already used
         */
        public Builder add(String label, String secret) {
            Objects.requireNonNull(label, "label cannot be null");
            Objects.requireNonNull(secret, "secret " + label + " cannot be null");
            if (label.isBlank()) {
                throw new IllegalArgumentException("label cannot be blank");
            }
            if (!seen.add(label)) {
                throw new IllegalArgumentException("label " + label + " is used twice");
            }
            labels.add(label);
            secrets.add(secret);
            return this;
        }

        /**
         * The key set.
         *
         * @return the keys
         * @throws IllegalArgumentException if no key was added: an empty key set would accept nothing, or worse
         */
        public Keys build() {
            if (secrets.isEmpty()) {
                throw new IllegalArgumentException("keys cannot be empty: give at least one secret");
            }
            return new Keys(labels, secrets, weakSecretsAllowed);
        }
    }
}
