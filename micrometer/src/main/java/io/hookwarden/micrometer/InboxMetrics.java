package io.hookwarden.micrometer;

import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxStats;
import io.hookwarden.spi.StoredDelivery;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gauges of what an {@link Inbox} holds, per endpoint, read from {@link Inbox#stats}: bind it to a registry ({@code
 * metrics.bindTo(registry)}, or declare it as a bean in Spring Boot).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #DELIVERIES}</td><td>gauge</td><td>endpoint, state</td></tr>
 *   <tr><td>{@value #OLDEST_PENDING_AGE}</td><td>gauge (seconds)</td><td>endpoint</td></tr>
 * </table>
 *
 * <p>{@code state} is {@code pending}, {@code in_flight}, {@code completed}, {@code dead} or {@code skipped}. The age is
 * from the oldest pending delivery's receipt to now, by the {@link Builder#clock clock} (give it the inbox's), and 0
 * when none is pending.
 *
 * <p>A scrape does not query the inbox: each endpoint's stats are read at most once per {@link Builder#refresh refresh}
 * interval (10 s by default), on the first scrape after it ran out, and every gauge of that endpoint answers from
 * them until the next. A stats call that fails is never thrown into the registry: the endpoint's gauges answer NaN
 * (no value, rather than a stale one that looks healthy) until a later read succeeds, tried again once per interval;
 * the failure is logged once when it starts (the exception's class, not its message, which may name a host or a user) and
 * once when the inbox answers again, however many endpoints fail. Thread-safe.
 */
public final class InboxMetrics implements MeterBinder {
    /** Deliveries an inbox holds, by endpoint and state. */
    public static final String DELIVERIES = "hookwarden.inbox.deliveries";
    /** Seconds since the oldest pending delivery of an endpoint was received; 0 when none is pending. */
    public static final String OLDEST_PENDING_AGE = "hookwarden.inbox.oldest.pending.age";
    /** How long read stats are used before the inbox is asked again, unless {@link Builder#refresh} says otherwise. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger(InboxMetrics.class.getName());

    private final Inbox inbox;
    private final List<EndpointStats> endpoints;
    private final Duration refresh;
    private final Clock clock;
    /** Whether the last read failed, of any endpoint (they share one store): an outage is logged once. */
    private final AtomicBoolean failing = new AtomicBoolean();

    private InboxMetrics(Builder b) {
        this.inbox = b.inbox;
        this.refresh = b.refresh == null ? DEFAULT_REFRESH : b.refresh;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
        List<EndpointStats> list = new ArrayList<>();
        for (String endpoint : b.endpoints) {
            list.add(new EndpointStats(endpoint));
        }
        this.endpoints = List.copyOf(list);
    }

    /** A builder: an inbox and at least one endpoint are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry cannot be null");
        for (EndpointStats stats : endpoints) {
            for (StoredDelivery.State state : StoredDelivery.State.values()) {
                Gauge.builder(DELIVERIES, stats, s -> s.count(state))
                        .description("Webhook deliveries an inbox holds, by endpoint and state")
                        .tag("endpoint", stats.endpoint)
                        .tag("state", state.name().toLowerCase(Locale.ROOT))
                        .strongReference(true)
                        .register(registry);
            }
            Gauge.builder(OLDEST_PENDING_AGE, stats, EndpointStats::oldestPendingAge)
                    .description("Seconds since the oldest pending webhook delivery of an endpoint was received")
                    .tag("endpoint", stats.endpoint)
                    .baseUnit("seconds")
                    .strongReference(true)
                    .register(registry);
        }
    }

    @Override
    public String toString() {
        return "InboxMetrics[endpoints="
                + endpoints.stream().map(e -> e.endpoint).toList()
                + ", refresh="
                + refresh
                + "]";
    }

    /** One endpoint's last stats, read again once they are older than the refresh interval. */
    private final class EndpointStats {
        final String endpoint;
        /** The last stats read; null before the first read and after one failed. Guarded by this. */
        private InboxStats stats;
        /** When the inbox was last asked, successfully or not; null before the first. Guarded by this. */
        private Instant readAt;

        EndpointStats(String endpoint) {
            this.endpoint = endpoint;
        }

        double count(StoredDelivery.State state) {
            InboxStats current = current();
            return current == null ? Double.NaN : current.count(state);
        }

        double oldestPendingAge() {
            InboxStats current = current();
            if (current == null) {
                return Double.NaN;
            }
            return current.oldestPendingSince()
                    .map(since ->
                            Math.max(0, Duration.between(since, clock.instant()).toMillis()) / 1000.0)
                    .orElse(0.0);
        }

        private synchronized InboxStats current() {
            Instant now = clock.instant();
            if (readAt != null && now.isBefore(readAt.plus(refresh))) {
                return stats;
            }
            readAt = now;
            try {
                stats = Objects.requireNonNull(inbox.stats(endpoint), "stats cannot be null");
                if (failing.compareAndSet(true, false)) {
                    LOG.log(Level.INFO, "inbox stats are read again (endpoint " + endpoint + ")");
                }
            } catch (RuntimeException e) {
                stats = null;
                if (failing.compareAndSet(false, true)) {
                    LOG.log(
                            Level.WARNING,
                            "inbox stats failed (endpoint " + endpoint + "); gauges are NaN until a read succeeds: "
                                    + e.getClass().getName());
                }
            }
            return stats;
        }
    }

    /** Builds an {@link InboxMetrics}. Not thread-safe; each option can be set once. */
    public static final class Builder {
        private Inbox inbox;
        private final Set<String> endpoints = new LinkedHashSet<>();
        private Duration refresh;
        private Clock clock;

        private Builder() {}

        /**
         * The inbox whose stats are read.
         *
         * @throws NullPointerException if inbox is null
         * @throws IllegalStateException if already set
         */
        public Builder inbox(Inbox inbox) {
            if (this.inbox != null) {
                throw new IllegalStateException("inbox is already set");
            }
            this.inbox = Objects.requireNonNull(inbox, "inbox cannot be null");
            return this;
        }

        /**
         * Endpoints to report, by the receivers' names; may be called more than once.
         *
         * @throws NullPointerException if the array or one of its names is null
         * @throws IllegalArgumentException if a name is blank or was given before
         */
        public Builder endpoints(String... names) {
            Objects.requireNonNull(names, "endpoints cannot be null");
            for (String name : names) {
                Objects.requireNonNull(name, "endpoint cannot be null");
                if (name.isBlank()) {
                    throw new IllegalArgumentException("endpoint cannot be blank but was '" + name + "'");
                }
                if (!endpoints.add(name)) {
                    throw new IllegalArgumentException("endpoint " + name + " is given twice");
                }
            }
            return this;
        }

        /**
         * How long read stats are used before the inbox is asked again; default {@link
         * InboxMetrics#DEFAULT_REFRESH} (10 s); zero reads them on every scrape. Keep it at or above the scrape
         * interval, so that a scrape rarely reaches the database.
         *
         * @throws NullPointerException if interval is null
         * @throws IllegalArgumentException if negative
         * @throws IllegalStateException if already set
         */
        public Builder refresh(Duration interval) {
            if (this.refresh != null) {
                throw new IllegalStateException("refresh is already set");
            }
            Objects.requireNonNull(interval, "refresh cannot be null");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("refresh cannot be negative but was " + interval);
            }
            this.refresh = interval;
            return this;
        }

        /**
         * The time for the refresh interval and the oldest pending delivery's age; default the system's UTC clock.
         * Give it the inbox's clock.
         *
         * @throws NullPointerException if clock is null
         * @throws IllegalStateException if already set
         */
        public Builder clock(Clock clock) {
            if (this.clock != null) {
                throw new IllegalStateException("clock is already set");
            }
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /**
         * The metrics, ready to {@link InboxMetrics#bindTo bind}.
         *
         * @throws IllegalStateException if no inbox or no endpoint was given
         */
        public InboxMetrics build() {
            if (inbox == null) {
                throw new IllegalStateException("inbox is required");
            }
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("at least one endpoint is required");
            }
            return new InboxMetrics(this);
        }
    }
}
