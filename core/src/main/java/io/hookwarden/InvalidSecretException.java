package io.hookwarden;

import java.util.Objects;

/**
 * A secret (or public or private key) that a scheme refuses when a verifier or signer is built: empty, surrounded by
 * blanks, an unresolved placeholder, badly encoded, too short, or not a key of the scheme's kind. Carries the key's
 * label and the scheme's id as data, so a framework can name the configuration property without reading the message;
 * the message names the label and the problem, never the secret.
 */
public final class InvalidSecretException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String label;
    private final String scheme;

    InvalidSecretException(String label, String scheme, String message, Throwable cause) {
        super(message, cause);
        this.label = Objects.requireNonNull(label);
        this.scheme = Objects.requireNonNull(scheme);
    }

    /** The label of the refused key: the one given to {@link Keys.Builder#add}, or {@code key-1}, {@code key-2}... */
    public String label() {
        return label;
    }

    /** The id of the scheme that refused it. */
    public String scheme() {
        return scheme;
    }
}
