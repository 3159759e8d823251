package io.hookwarden.spi;

import java.util.Objects;
import java.util.Optional;

/** What {@link DedupeStore#claim} found: the key is now ours, was processed before, or is held by another attempt. */
public final class ClaimResult {
    /** The three answers to a claim. */
    public enum Status {
        /** The key is ours: run the handler, then complete or release. */
        CLAIMED,
        /** The key was completed within its retention: the delivery was processed before. */
        DUPLICATE,
        /** Another attempt holds a live lease on the key. */
        IN_PROGRESS
    }

    private static final ClaimResult DUPLICATE = new ClaimResult(Status.DUPLICATE, null);
    private static final ClaimResult IN_PROGRESS = new ClaimResult(Status.IN_PROGRESS, null);

    private final Status status;
    private final Claim claim;

    private ClaimResult(Status status, Claim claim) {
        this.status = status;
        this.claim = claim;
    }

    /**
     * The key was claimed by {@code claim}.
     *
     * @throws NullPointerException if claim is null
     */
    public static ClaimResult claimed(Claim claim) {
        return new ClaimResult(Status.CLAIMED, Objects.requireNonNull(claim, "claim cannot be null"));
    }

    /** The key was completed before. */
    public static ClaimResult duplicate() {
        return DUPLICATE;
    }

    /** Another attempt holds the key. */
    public static ClaimResult inProgress() {
        return IN_PROGRESS;
    }

    /** Which of the three answers this is. */
    public Status status() {
        return status;
    }

    /** The owner's claim, present only when {@link #status()} is {@code CLAIMED}. */
    public Optional<Claim> claim() {
        return Optional.ofNullable(claim);
    }

    @Override
    public String toString() {
        return claim == null ? "ClaimResult[" + status + "]" : "ClaimResult[" + status + ", " + claim + "]";
    }
}
