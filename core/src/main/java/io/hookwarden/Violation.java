package io.hookwarden;

import java.util.Objects;

/**
 * One place where an event failed its schema: the JSON pointer of the failing value and the schema keyword it broke.
 * Never the value itself: a violation may be sent back to the sender and written to logs.
 *
 * @param pointer the RFC 6901 JSON pointer of the failing value in the delivery's body ({@code ""} for the whole
 *     document); for a missing required member, the pointer where it should be
 * @param keyword the JSON Schema keyword that failed, such as {@code required}, {@code type} or {@code enum}; {@code
 *     unknownType} when no schema is registered for the event's type and version and unknown types are rejected
 */
public record Violation(String pointer, String keyword) implements Comparable<Violation> {
    /**
     * A violation.
     *
     * @throws NullPointerException if pointer or keyword is null
     */
    public Violation {
        Objects.requireNonNull(pointer, "pointer cannot be null");
        Objects.requireNonNull(keyword, "keyword cannot be null");
    }

    /** This violation for an event found at {@code prefix} inside the body, such as {@code /3} in a batch. */
    Violation under(String prefix) {
        return prefix.isEmpty() ? this : new Violation(prefix + pointer, keyword);
    }

    /** By pointer, then keyword. */
    @Override
    public int compareTo(Violation other) {
        int c = pointer.compareTo(other.pointer);
        return c != 0 ? c : keyword.compareTo(other.keyword);
    }

    /** {@code pointer (keyword)}. */
    @Override
    public String toString() {
        return (pointer.isEmpty() ? "(root)" : pointer) + " (" + keyword + ")";
    }
}
