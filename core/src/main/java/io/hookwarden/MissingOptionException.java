package io.hookwarden;

import java.util.Objects;

/**
 * A builder was asked to build without an option it requires, such as a verifier's {@code scheme} or {@code keys}.
 * Carries the option's name as data, so a framework can name the configuration property without reading the message.
 */
public final class MissingOptionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String option;

    MissingOptionException(String option, String message) {
        super(message);
        this.option = Objects.requireNonNull(option);
    }

    /** The builder method that was not called, such as {@code scheme}, {@code keys} or {@code verifier}. */
    public String option() {
        return option;
    }
}
