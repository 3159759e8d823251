package io.hookwarden.spi;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Proof of ownership of a claimed dedupe key: an unguessable token, stored beside the key, that {@link
 * DedupeStore#complete} and {@link DedupeStore#release} compare before they act. Immutable and thread-safe.
 */
public final class Claim {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;

    private Claim(String token) {
        this.token = token;
    }

    /** A claim with a fresh random token (128 bits, 32 hex digits). */
    public static Claim newClaim() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new Claim(HexFormat.of().formatHex(bytes));
    }

    /**
     * A claim with a token a store read back.
     *
     * @throws NullPointerException if token is null
     * @throws IllegalArgumentException if token is empty
     */
    public static Claim of(String token) {
        Objects.requireNonNull(token, "token cannot be null");
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token cannot be empty");
        }
        return new Claim(token);
    }

    /** The owner token. */
    public String token() {
        return token;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Claim that && token.equals(that.token);
    }

    @Override
    public int hashCode() {
        return token.hashCode();
    }

    @Override
    public String toString() {
        return "Claim[" + token + "]";
    }
}
