package io.hookwarden.spi;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Proof of ownership of a claimed dedupe key: an unguessable token, stored beside the key, that {@link
 * DedupeStore#complete} and {@link DedupeStore#release} compare before they act. Immutable and thread-safe.
 */
public final class Claim {
    private static final HexFormat HEX = HexFormat.of();
    private static final int TOKEN_BYTES = 16;

    private final String token;

    private Claim(String token) {
        this.token = token;
    }

    /**
     * A claim with a fresh random token (128 bits, 32 hex digits).
     *
     * <p>The token must be unpredictable to every other attempt that could claim the same key, so that only the owner
     * can complete or release it. The bits come from a cryptographically strong generator ({@code DRBG}, NIST SP
     * 800-90A, seeded by the JDK from the operating system's entropy source), but not from one shared {@code
     * SecureRandom}, which serialised every claim in the JVM on one lock and paid its per-call overhead for 16 bytes.
     * Instead a fixed set of about twice as many generators as processors, each seeded on its own, is drawn in blocks
     * of 512 bytes (32 tokens); a thread takes its next token from the generator its thread id points to. Knowing some
     * tokens, even the others of the same block, reveals nothing about the rest: a DRBG's output cannot be told from
     * random without its internal state, which never leaves it. No byte is handed out twice.
     *
     * <p>Thread-safe: threads that share a generator take turns on its lock, for a 16-byte slice of the block (and,
     * once every 32 tokens, refilling it).
     */
    public static Claim newClaim() {
        return new Claim(Tokens.next());
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

    /** Striped, buffered, independently seeded strong generators for {@link #newClaim()}. */
    static final class Tokens {
        static final int BLOCK_BYTES = 512;
        private static final Tokens[] STRIPES = stripes();

        private final SecureRandom random;
        private final byte[] block = new byte[BLOCK_BYTES];
        private int position = BLOCK_BYTES;

        private Tokens(SecureRandom random) {
            this.random = random;
        }

        private static Tokens[] stripes() {
            int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
            Tokens[] stripes = new Tokens[n];
            for (int i = 0; i < n; i++) {
                stripes[i] = new Tokens(strong());
            }
            return stripes;
        }

        /** A DRBG of its own, seeded on first use; the platform default should a JDK lack DRBG. */
        private static SecureRandom strong() {
            try {
                return SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
                return new SecureRandom();
            }
        }

        static String next() {
            Tokens stripe = STRIPES[(int) Thread.currentThread().getId() & (STRIPES.length - 1)];
            synchronized (stripe) {
                if (stripe.position == BLOCK_BYTES) {
                    stripe.random.nextBytes(stripe.block);
                    stripe.position = 0;
                }
                int from = stripe.position;
                stripe.position = from + TOKEN_BYTES;
                return HEX.formatHex(stripe.block, from, from + TOKEN_BYTES);
            }
        }
    }
}
