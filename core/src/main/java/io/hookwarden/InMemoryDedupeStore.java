package io.hookwarden;

import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link DedupeStore} in this JVM's memory: the default, right for one instance. Replicas need a shared store
 * ({@code hookwarden-dedupe-redis}, {@code hookwarden-dedupe-jdbc}).
 *
 * <p>Bounded: when it holds {@link Builder#maximumSize(int)} keys it first drops expired ones, then the completed
 * keys closest to the end of their retention. It never drops a live lease: when every key is a live lease it refuses
 * new claims with {@link StoreUnavailableException} (fail closed) rather than forget one. Time comes from the
 * builder's {@link Clock}. Thread-safe.
 */
public final class InMemoryDedupeStore implements DedupeStore {
    /** The default bound on the number of keys held. */
    public static final int DEFAULT_MAXIMUM_SIZE = 100_000;

    private enum State {
        CLAIMED,
        COMPLETED
    }

    private record Entry(State state, String token, long expiresAtMillis) {
        boolean expired(long now) {
            return now >= expiresAtMillis;
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int maximumSize;
    private final Clock clock;
    private final Object evictionLock = new Object();

    private InMemoryDedupeStore(Builder b) {
        this.maximumSize = b.maximumSize == null ? DEFAULT_MAXIMUM_SIZE : b.maximumSize;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    }

    /** A store with the default bound and the system clock. */
    public static InMemoryDedupeStore create() {
        return builder().build();
    }

    /** A builder, for a bound or a clock. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ClaimResult claim(String key, Duration lease) {
        checkKey(key);
        checkPositive(lease, "lease");
        if (size.get() >= maximumSize && !entries.containsKey(key)) {
            makeRoom();
        }
        long now = clock.millis();
        Claim claim = Claim.newClaim();
        Entry fresh = new Entry(State.CLAIMED, claim.token(), plus(now, lease));
        Entry held = entries.compute(key, (k, current) -> {
            if (current == null) {
                size.incrementAndGet();
                return fresh;
            }
            return current.expired(now) ? fresh : current;
        });
        if (held == fresh) {
            return ClaimResult.claimed(claim);
        }
        return held.state == State.COMPLETED ? ClaimResult.duplicate() : ClaimResult.inProgress();
    }

    @Override
    public boolean complete(String key, Claim claim, Duration retention) {
        checkKey(key);
        Objects.requireNonNull(claim, "claim cannot be null");
        checkPositive(retention, "retention");
        long now = clock.millis();
        Entry completed = new Entry(State.COMPLETED, claim.token(), plus(now, retention));
        return entries.computeIfPresent(key, (k, current) -> owns(current, claim, now) ? completed : current)
                == completed;
    }

    @Override
    public boolean release(String key, Claim claim) {
        checkKey(key);
        Objects.requireNonNull(claim, "claim cannot be null");
        long now = clock.millis();
        boolean[] done = new boolean[1];
        entries.computeIfPresent(key, (k, current) -> {
            if (owns(current, claim, now)) {
                done[0] = true;
                size.decrementAndGet();
                return null;
            }
            return current;
        });
        return done[0];
    }

    /** The number of keys held, expired ones included until they are purged. */
    public int size() {
        return size.get();
    }

    /** Drops every expired key; returns how many. Runs by itself when the store is full. */
    public int purgeExpired() {
        long now = clock.millis();
        int removed = 0;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue().expired(now) && entries.remove(e.getKey(), e.getValue())) {
                size.decrementAndGet();
                removed++;
            }
        }
        return removed;
    }

    private static boolean owns(Entry current, Claim claim, long now) {
        return current.state == State.CLAIMED && current.token.equals(claim.token()) && !current.expired(now);
    }

    /** Expired keys first; then completed keys nearest the end of their retention, down to 90% of the bound. */
    private void makeRoom() {
        synchronized (evictionLock) {
            if (size.get() < maximumSize) {
                return;
            }
            purgeExpired();
            int target = maximumSize - Math.max(1, maximumSize / 10);
            if (size.get() <= target) {
                return;
            }
            List<Map.Entry<String, Entry>> completed = new ArrayList<>();
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                if (e.getValue().state == State.COMPLETED) {
                    completed.add(Map.entry(e.getKey(), e.getValue()));
                }
            }
            completed.sort(Comparator.comparingLong(e -> e.getValue().expiresAtMillis));
            for (Map.Entry<String, Entry> e : completed) {
                if (size.get() <= target) {
                    break;
                }
                if (entries.remove(e.getKey(), e.getValue())) {
                    size.decrementAndGet();
                }
            }
            if (size.get() >= maximumSize) {
                throw new StoreUnavailableException("in-memory dedupe store is full: all " + size.get()
                        + " keys are live leases (maximumSize " + maximumSize + ")");
            }
        }
    }

    private static long plus(long now, Duration d) {
        try {
            return Math.addExact(now, d.toMillis());
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static void checkKey(String key) {
        Objects.requireNonNull(key, "key cannot be null");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key cannot be empty");
        }
    }

    private static void checkPositive(Duration d, String name) {
        Objects.requireNonNull(d, name + " cannot be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive but was " + d);
        }
    }

    @Override
    public String toString() {
        return "InMemoryDedupeStore[size=" + size.get() + ", maximumSize=" + maximumSize + "]";
    }

    /** Configures an {@link InMemoryDedupeStore}. Each option may be set once. Not thread-safe. */
    public static final class Builder {
        private Integer maximumSize;
        private Clock clock;

        private Builder() {}

        /**
         * The most keys held at once; default {@value InMemoryDedupeStore#DEFAULT_MAXIMUM_SIZE}.
         *
         * @throws IllegalArgumentException if size is below 1
         * @throws IllegalStateException if already set
         */
        public Builder maximumSize(int size) {
            if (maximumSize != null) {
                throw new IllegalStateException("maximumSize was already set");
            }
            if (size < 1) {
                throw new IllegalArgumentException("maximumSize must be at least 1 but was " + size);
            }
            this.maximumSize = size;
            return this;
        }

        /**
         * The clock for leases and retention; default the system clock.
         *
         * @throws NullPointerException if clock is null
         * @throws IllegalStateException if already set
         */
        public Builder clock(Clock clock) {
            if (this.clock != null) {
                throw new IllegalStateException("clock was already set");
            }
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /** The store. */
        public InMemoryDedupeStore build() {
            return new InMemoryDedupeStore(this);
        }
    }
}
