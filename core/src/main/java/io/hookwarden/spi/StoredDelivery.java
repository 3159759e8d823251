package io.hookwarden.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A delivery held by an {@link Inbox}: the {@link InboxEntry} as written, and where its processing stands.
 *
 * @param id the inbox's own id for it (a row id, a stream entry id, a topic-partition-offset), stable for its life
 * @param entry the delivery as the receiver wrote it
 * @param state where it stands
 * @param attempts how many times a handler was started on it
 * @param nextAttemptAt when a worker may take it next (pending), or when its lease runs out (in flight)
 * @param lastError the last attempt's error, truncated and free of secrets; null when none failed
 * @param updatedAt when its state last changed
 */
public record StoredDelivery(
        String id,
        InboxEntry entry,
        State state,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        Instant updatedAt) {
    /** The longest {@link #lastError()} an inbox keeps; longer ones are cut. */
    public static final int MAX_ERROR_LENGTH = 2000;

    /** Where a stored delivery stands. */
    public enum State {
        /** Waiting for a worker: new, or failed and due again at {@link #nextAttemptAt()}. */
        PENDING,
        /** A worker holds it, until its lease runs out at {@link #nextAttemptAt()}. */
        IN_FLIGHT,
        /** Its handler succeeded; kept as a duplicate until the retention window ends. */
        COMPLETED,
        /** Out of attempts, or refused by its handler as poison: kept until replayed or purged. */
        DEAD,
        /** Older than an event of its ordering key already completed ({@link InboxEntry.Ordering#LATEST}). */
        SKIPPED
    }

    /**
     * Checks.
     *
     * @throws NullPointerException if id, entry, state or updatedAt is null
     * @throws IllegalArgumentException if attempts is negative
     */
    public StoredDelivery {
        Objects.requireNonNull(id, "id cannot be null");
        Objects.requireNonNull(entry, "entry cannot be null");
        Objects.requireNonNull(state, "state cannot be null");
        Objects.requireNonNull(updatedAt, "updatedAt cannot be null");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts cannot be negative but was " + attempts);
        }
    }

    /** {@code error} cut to {@link #MAX_ERROR_LENGTH} characters (not splitting a surrogate pair); null stays null. */
    public static String truncate(String error) {
        if (error == null || error.length() <= MAX_ERROR_LENGTH) {
            return error;
        }
        int end = MAX_ERROR_LENGTH - 1;
        if (Character.isHighSurrogate(error.charAt(end - 1))) {
            end--;
        }
        return error.substring(0, end) + "\u2026";
    }
}
