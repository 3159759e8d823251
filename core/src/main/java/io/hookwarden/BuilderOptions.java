package io.hookwarden;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The one idiom every builder here uses for its options: each may be set once ({@link #once}, an {@code
 * IllegalStateException} naming the option the second time), and the shared checks of a value's shape. A builder
 * holds one instance; not thread-safe, like the builders.
 */
final class BuilderOptions {
    private final Set<String> set = new HashSet<>();

    /**
     * Records that {@code option} is being set.
     *
     * @throws IllegalStateException if it was set before
     */
    void once(String option) {
        if (!set.add(option)) {
            throw new IllegalStateException(option + " was already set");
        }
    }

    /**
     * A duration that must be positive.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if zero or negative, echoing it
     */
    static Duration positive(Duration d, String option) {
        Objects.requireNonNull(d, option + " cannot be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be positive but was " + d);
        }
        return d;
    }

    /**
     * A string that must have some text.
     *
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if blank
     */
    static String nonBlank(String value, String option) {
        Objects.requireNonNull(value, option + " cannot be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " cannot be blank");
        }
        return value;
    }
}
