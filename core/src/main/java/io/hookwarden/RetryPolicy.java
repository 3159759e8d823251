package io.hookwarden;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When an {@link InboxWorker} tries a failed delivery again: exponential backoff with full jitter (AWS Architecture
 * Blog, "Exponential Backoff And Jitter"), so deliveries that failed together do not come back together. After attempt
 * {@code n} failed, the next waits a uniformly random time in {@code [0, min(cap, base * factor^(n-1))]}; after
 * {@link #maxAttempts()} attempts the delivery is dead.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .base(Duration.ofSeconds(1)).factor(2.0).cap(Duration.ofHours(1)).maxAttempts(20)   // the defaults
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryPolicy {
    /** The default first ceiling: one second. */
    public static final Duration DEFAULT_BASE = Duration.ofSeconds(1);
    /** The default growth of the ceiling per attempt. */
    public static final double DEFAULT_FACTOR = 2.0;
    /** The default largest ceiling: one hour. */
    public static final Duration DEFAULT_CAP = Duration.ofHours(1);
    /** The default number of attempts before a delivery is dead. */
    public static final int DEFAULT_MAX_ATTEMPTS = 20;

    private static final RetryPolicy DEFAULTS = builder().build();

    private final Duration base;
    private final double factor;
    private final Duration cap;
    private final int maxAttempts;

    private RetryPolicy(Builder b) {
        this.base = b.base == null ? DEFAULT_BASE : b.base;
        this.factor = b.factor == null ? DEFAULT_FACTOR : b.factor;
        this.cap = b.cap == null ? DEFAULT_CAP : b.cap;
        this.maxAttempts = b.maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : b.maxAttempts;
    }

    /** 1 s, x2, capped at one hour, 20 attempts. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder; every option has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The most a retry after attempt {@code attempt} waits: {@code min(cap, base * factor^(attempt-1))}.
     *
     * @throws IllegalArgumentException if attempt is below 1
     */
    public Duration ceiling(int attempt) {
        checkAttempt(attempt);
        double millis = base.toMillis() * Math.pow(factor, attempt - 1);
        long capMillis = cap.toMillis();
        return Duration.ofMillis(millis >= capMillis || Double.isNaN(millis) ? capMillis : (long) millis);
    }

    /**
     * How long to wait after attempt {@code attempt} failed: uniform in {@code [0, ceiling(attempt)]}, in whole
     * milliseconds.
     *
     * @param attempt the attempt that failed, from 1
     * @param random the source of jitter (seed one in tests)
     * @throws IllegalArgumentException if attempt is below 1
     * @throws NullPointerException if random is null
     */
    public Duration delay(int attempt, RandomGenerator random) {
        Objects.requireNonNull(random, "random cannot be null");
        long ceiling = ceiling(attempt).toMillis();
        return Duration.ofMillis(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
    }

    /**
     * When to try again after attempt {@code attempt} failed at {@code now}; empty when it was the last ({@code
     * attempt >= maxAttempts}): the delivery is dead.
     *
     * @throws IllegalArgumentException if attempt is below 1
     * @throws NullPointerException if now or random is null
     */
    public Optional<Instant> nextAttempt(int attempt, Instant now, RandomGenerator random) {
        Objects.requireNonNull(now, "now cannot be null");
        Duration delay = delay(attempt, random);
        return attempt >= maxAttempts ? Optional.empty() : Optional.of(now.plus(delay));
    }

    private static void checkAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1 but was " + attempt);
        }
    }

    /** The first ceiling. */
    public Duration base() {
        return base;
    }

    /** The growth of the ceiling per attempt. */
    public double factor() {
        return factor;
    }

    /** The largest ceiling. */
    public Duration cap() {
        return cap;
    }

    /** The attempts before a delivery is dead, the first included. */
    public int maxAttempts() {
        return maxAttempts;
    }

    @Override
    public String toString() {
        return "RetryPolicy[base=" + base + ", factor=" + factor + ", cap=" + cap + ", maxAttempts=" + maxAttempts
                + "]";
    }

    /** Configures a {@link RetryPolicy}. Each option may be set once. Not thread-safe. */
    public static final class Builder {
        private final BuilderOptions options = new BuilderOptions();
        private Duration base;
        private Double factor;
        private Duration cap;
        private Integer maxAttempts;

        private Builder() {}

        /**
         * The most the first retry waits; default one second.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder base(Duration base) {
            options.once("base");
            this.base = BuilderOptions.positive(base, "base");
            return this;
        }

        /**
         * How much the ceiling grows per attempt; default 2.0.
         *
         * @throws IllegalArgumentException if below 1 or not finite
         * @throws IllegalStateException if already set
         */
        public Builder factor(double factor) {
            options.once("factor");
            if (!(factor >= 1.0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("factor must be a finite number of at least 1 but was " + factor);
            }
            this.factor = factor;
            return this;
        }

        /**
         * The largest ceiling; default one hour.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder cap(Duration cap) {
            options.once("cap");
            this.cap = BuilderOptions.positive(cap, "cap");
            return this;
        }

        /**
         * The attempts before a delivery is dead, the first included; default 20. 1 means never retried.
         *
         * @throws IllegalArgumentException if below 1
         * @throws IllegalStateException if already set
         */
        public Builder maxAttempts(int maxAttempts) {
            options.once("maxAttempts");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1 but was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * The policy.
         *
         * @throws IllegalStateException if the cap is below the base
         */
        public RetryPolicy build() {
            Duration b = base == null ? DEFAULT_BASE : base;
            Duration c = cap == null ? DEFAULT_CAP : cap;
            if (c.compareTo(b) < 0) {
                throw new IllegalStateException("cap " + c + " is below base " + b);
            }
            return new RetryPolicy(this);
        }
    }
}
