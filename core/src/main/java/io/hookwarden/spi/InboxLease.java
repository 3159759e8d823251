package io.hookwarden.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A worker's hold on a stored delivery, from {@link Inbox#claim}: until {@link #until()}, no other worker takes it.
 * Settling it ({@link Inbox#complete}, {@link Inbox#retry}, {@link Inbox#bury}, {@link Inbox#skip}) and extending it
 * ({@link Inbox#heartbeat}) act only while this lease holds: once {@link #until()} has passed (by the inbox's clock),
 * the holder can change nothing, and the delivery is claimable again.
 *
 * @param delivery the delivery, as claimed (its state {@code IN_FLIGHT}, its attempts counting this one)
 * @param token the owner token, unique per claim; never shown to senders
 * @param until when the lease runs out unless extended
 */
public record InboxLease(StoredDelivery delivery, String token, Instant until) {
    /**
     * Checks.
     *
     * @throws NullPointerException if a component is null
     */
    public InboxLease {
        Objects.requireNonNull(delivery, "delivery cannot be null");
        Objects.requireNonNull(token, "token cannot be null");
        Objects.requireNonNull(until, "until cannot be null");
    }

    /** The stored delivery's id. */
    public String id() {
        return delivery.id();
    }

    /** The delivery without the token: a lease's token lets its holder settle the delivery. */
    @Override
    public String toString() {
        return "InboxLease[" + delivery.id() + " " + delivery.entry() + ", attempt " + delivery.attempts() + ", until "
                + until + "]";
    }
}
