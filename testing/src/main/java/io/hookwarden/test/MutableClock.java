package io.hookwarden.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it: give it to a verifier, then {@link #advance(Duration)} past the
 * tolerance instead of sleeping. Thread-safe.
 */
public final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * A clock in UTC at {@code instant}.
     *
     * @param instant the starting time
     * @return the clock
     * @throws NullPointerException if instant is null
     */
    public static MutableClock at(Instant instant) {
        return new MutableClock(
                new AtomicReference<>(Objects.requireNonNull(instant, "instant cannot be null")), ZoneOffset.UTC);
    }

    /**
     * A clock in UTC at {@code epochSeconds}.
     *
     * @param epochSeconds seconds since the epoch
     * @return the clock
     */
    public static MutableClock atEpochSecond(long epochSeconds) {
        return at(Instant.ofEpochSecond(epochSeconds));
    }

    /**
     * Moves the clock; a negative duration moves it back.
     *
     * @param duration how far
     * @return this clock
     */
    public MutableClock advance(Duration duration) {
        Objects.requireNonNull(duration, "duration cannot be null");
        now.updateAndGet(t -> t.plus(duration));
        return this;
    }

    /**
     * Sets the clock.
     *
     * @param instant the new time
     * @return this clock
     */
    public MutableClock set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant cannot be null"));
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in another zone that shares this clock's time: moving either moves both. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new MutableClock(now, Objects.requireNonNull(zone, "zone cannot be null"));
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + "]";
    }
}
