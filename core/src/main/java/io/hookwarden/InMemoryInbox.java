package io.hookwarden;

import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.InboxStats;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * An {@link Inbox} in this JVM's memory: for tests, for the demo, and for one instance that accepts losing what is
 * pending when the process ends. Acknowledging a delivery from memory promises less than a database does: use {@code
 * hookwarden-inbox-jdbc} (or another durable engine) when a 2xx must mean the delivery survives a crash.
 *
 * <p>Bounded: it holds at most {@link Builder#maximumSize(int)} deliveries, and refuses a new write with {@link
 * StoreUnavailableException} (503 to the sender, who retries later) rather than drop one it holds. Completed and
 * skipped deliveries leave through {@link #purgeSettled}. Time comes from the builder's {@link Clock}. Thread-safe:
 * every operation holds one lock, which is fine for the rates one JVM receives.
 */
public final class InMemoryInbox implements Inbox {
    /** The default bound on the number of deliveries held. */
    public static final int DEFAULT_MAXIMUM_SIZE = 100_000;

    /** One stored delivery; changed only under the lock. */
    private static final class Row {
        final long id;
        final InboxEntry entry;
        State state = State.PENDING;
        int attempts;
        long dueAt;
        String token;
        String lastError;
        long updatedAt;

        Row(long id, InboxEntry entry, long now) {
            this.id = id;
            this.entry = entry;
            this.dueAt = now;
            this.updatedAt = now;
        }

        StoredDelivery view() {
            return new StoredDelivery(
                    Long.toString(id),
                    entry,
                    state,
                    attempts,
                    Instant.ofEpochMilli(dueAt),
                    lastError,
                    Instant.ofEpochMilli(updatedAt));
        }

        String orderKey() {
            return pair(entry.endpoint(), entry.orderingKey());
        }
    }

    /** Oldest first: by sequence for ordered rows of one key, otherwise by the order written. */
    private static final Comparator<Row> KEY_ORDER =
            Comparator.<Row>comparingLong(r -> r.entry.sequence()).thenComparingLong(r -> r.id);

    private final Object lock = new Object();
    /** By id, in the order written. */
    private final LinkedHashMap<Long, Row> rows = new LinkedHashMap<>();
    /** endpoint NUL dedupe key -> row. */
    private final Map<String, Row> byKey = new HashMap<>();
    /** endpoint NUL ordering key -> the highest sequence completed. */
    private final Map<String, Long> completedSequences = new HashMap<>();

    private final int maximumSize;
    private final Clock clock;
    private long nextId = 1;

    private InMemoryInbox(Builder b) {
        this.maximumSize = b.maximumSize == null ? DEFAULT_MAXIMUM_SIZE : b.maximumSize;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    }

    /** An inbox with the default bound and the system clock. */
    public static InMemoryInbox create() {
        return builder().build();
    }

    /** A builder, for a bound or a clock. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Written write(InboxEntry entry) {
        Objects.requireNonNull(entry, "entry cannot be null");
        String key = pair(entry.endpoint(), entry.dedupeKey());
        synchronized (lock) {
            if (byKey.containsKey(key)) {
                return Written.DUPLICATE;
            }
            if (rows.size() >= maximumSize) {
                throw new StoreUnavailableException("in-memory inbox is full (maximumSize " + maximumSize + ")");
            }
            Row row = new Row(nextId++, entry, clock.millis());
            rows.put(row.id, row);
            byKey.put(key, row);
            return Written.ADDED;
        }
    }

    @Override
    public List<InboxLease> claim(Collection<String> endpoints, int max, Duration lease) {
        Objects.requireNonNull(endpoints, "endpoints cannot be null");
        BuilderOptions.positive(lease, "lease");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints cannot be empty");
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive but was " + max);
        }
        Set<String> wanted = Set.copyOf(endpoints);
        synchronized (lock) {
            long now = clock.millis();
            Map<String, Row> heads = heads(now);
            List<InboxLease> taken = new ArrayList<>();
            for (Row row : rows.values()) {
                if (taken.size() == max) {
                    break;
                }
                if (!wanted.contains(row.entry.endpoint()) || !due(row, now)) {
                    continue;
                }
                if (row.entry.ordering() != InboxEntry.Ordering.NONE && heads.get(row.orderKey()) != row) {
                    continue;
                }
                row.state = State.IN_FLIGHT;
                row.attempts++;
                row.token = UUID.randomUUID().toString();
                row.dueAt = now + lease.toMillis();
                row.updatedAt = now;
                heads.remove(row.orderKey()); // one per key per claim
                taken.add(new InboxLease(row.view(), row.token, Instant.ofEpochMilli(row.dueAt)));
            }
            return taken;
        }
    }

    /** Pending and due, or in flight with its lease run out. */
    private static boolean due(Row row, long now) {
        return (row.state == State.PENDING || row.state == State.IN_FLIGHT) && row.dueAt <= now;
    }

    /**
     * For each ordering key, the one row that may be claimed: none while a row of the key holds a live lease;
     * otherwise the lowest (sequence, id) among the key's pending, in-flight and (for STRICT) dead rows, if that row
     * is due.
     */
    private Map<String, Row> heads(long now) {
        Map<String, Row> first = new HashMap<>();
        Set<String> busy = new HashSet<>();
        for (Row row : rows.values()) {
            InboxEntry.Ordering ordering = row.entry.ordering();
            if (ordering == InboxEntry.Ordering.NONE) {
                continue;
            }
            String key = row.orderKey();
            if (row.state == State.IN_FLIGHT && row.dueAt > now) {
                busy.add(key);
            }
            boolean blocks = row.state == State.PENDING
                    || row.state == State.IN_FLIGHT
                    || (row.state == State.DEAD && ordering == InboxEntry.Ordering.STRICT);
            if (blocks) {
                first.merge(key, row, (a, b) -> KEY_ORDER.compare(a, b) <= 0 ? a : b);
            }
        }
        Map<String, Row> heads = new HashMap<>();
        first.forEach((key, row) -> {
            if (!busy.contains(key) && row.state != State.DEAD && due(row, now)) {
                heads.put(key, row);
            }
        });
        return heads;
    }

    @Override
    public Optional<InboxLease> heartbeat(InboxLease lease, Duration extension) {
        BuilderOptions.positive(extension, "extension");
        synchronized (lock) {
            Row row = owned(lease);
            if (row == null) {
                return Optional.empty();
            }
            row.dueAt = clock.millis() + extension.toMillis();
            return Optional.of(new InboxLease(row.view(), row.token, Instant.ofEpochMilli(row.dueAt)));
        }
    }

    @Override
    public boolean complete(InboxLease lease) {
        synchronized (lock) {
            Row row = owned(lease);
            if (row == null) {
                return false;
            }
            settle(row, State.COMPLETED, row.lastError);
            if (row.entry.ordering() != InboxEntry.Ordering.NONE) {
                completedSequences.merge(row.orderKey(), row.entry.sequence(), Math::max);
            }
            return true;
        }
    }

    @Override
    public boolean retry(InboxLease lease, Instant notBefore, String error) {
        Objects.requireNonNull(notBefore, "notBefore cannot be null");
        synchronized (lock) {
            Row row = owned(lease);
            if (row == null) {
                return false;
            }
            settle(row, State.PENDING, StoredDelivery.truncate(error));
            row.dueAt = notBefore.toEpochMilli();
            return true;
        }
    }

    @Override
    public boolean bury(InboxLease lease, String error) {
        synchronized (lock) {
            Row row = owned(lease);
            if (row == null) {
                return false;
            }
            settle(row, State.DEAD, StoredDelivery.truncate(error));
            return true;
        }
    }

    @Override
    public boolean skip(InboxLease lease, String why) {
        synchronized (lock) {
            Row row = owned(lease);
            if (row == null) {
                return false;
            }
            settle(row, State.SKIPPED, StoredDelivery.truncate(why));
            return true;
        }
    }

    /** The row {@code lease} still owns (in flight, same token, lease not run out), or null. */
    private Row owned(InboxLease lease) {
        Objects.requireNonNull(lease, "lease cannot be null");
        Row row = rows.get(parseId(lease.id()));
        if (row == null
                || row.state != State.IN_FLIGHT
                || !lease.token().equals(row.token)
                || row.dueAt <= clock.millis()) {
            return null;
        }
        return row;
    }

    private void settle(Row row, State state, String error) {
        long now = clock.millis();
        row.state = state;
        row.token = null;
        row.lastError = error;
        row.dueAt = now;
        row.updatedAt = now;
    }

    @Override
    public OptionalLong completedSequence(String endpoint, String orderingKey) {
        synchronized (lock) {
            Long sequence = completedSequences.get(pair(endpoint, orderingKey));
            return sequence == null ? OptionalLong.empty() : OptionalLong.of(sequence);
        }
    }

    @Override
    public Optional<StoredDelivery> get(String id) {
        synchronized (lock) {
            Row row = rows.get(parseId(id));
            return row == null ? Optional.empty() : Optional.of(row.view());
        }
    }

    @Override
    public List<StoredDelivery> find(InboxQuery query) {
        Objects.requireNonNull(query, "query cannot be null");
        synchronized (lock) {
            List<StoredDelivery> found = new ArrayList<>();
            for (Row row : rows.values()) {
                StoredDelivery view = row.view();
                if (query.matches(view)) {
                    found.add(view);
                }
            }
            found.sort(Comparator.comparing((StoredDelivery d) -> d.entry().receivedAt())
                    .thenComparingLong(d -> Long.parseLong(d.id()))
                    .reversed());
            return List.copyOf(found.subList(0, Math.min(found.size(), query.limit())));
        }
    }

    @Override
    public int replay(InboxQuery query) {
        Objects.requireNonNull(query, "query cannot be null");
        synchronized (lock) {
            int replayed = 0;
            for (Row row : rows.values()) {
                boolean replayable = row.state == State.DEAD
                        || row.state == State.SKIPPED
                        || (row.state == State.COMPLETED && query.states().contains(State.COMPLETED));
                if (replayable && query.matches(row.view())) {
                    replay(row);
                    replayed++;
                }
            }
            return replayed;
        }
    }

    @Override
    public boolean replay(String id) {
        synchronized (lock) {
            Row row = rows.get(parseId(id));
            if (row == null || row.state == State.PENDING || row.state == State.IN_FLIGHT) {
                return false;
            }
            replay(row);
            return true;
        }
    }

    private void replay(Row row) {
        long now = clock.millis();
        row.state = State.PENDING;
        row.attempts = 0;
        row.dueAt = now;
        row.updatedAt = now;
    }

    @Override
    public int purge(InboxQuery query) {
        Objects.requireNonNull(query, "query cannot be null");
        synchronized (lock) {
            int purged = 0;
            Set<String> orderKeys = new HashSet<>();
            for (Iterator<Row> it = rows.values().iterator(); it.hasNext(); ) {
                Row row = it.next();
                if (row.state != State.IN_FLIGHT && query.matches(row.view())) {
                    it.remove();
                    forget(row, orderKeys);
                    purged++;
                }
            }
            recomputeCompletedSequences(orderKeys);
            return purged;
        }
    }

    @Override
    public int purgeSettled(Instant before, int batch) {
        Objects.requireNonNull(before, "before cannot be null");
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive but was " + batch);
        }
        long limit = before.toEpochMilli();
        synchronized (lock) {
            int purged = 0;
            Set<String> orderKeys = new HashSet<>();
            for (Iterator<Row> it = rows.values().iterator(); it.hasNext() && purged < batch; ) {
                Row row = it.next();
                if ((row.state == State.COMPLETED || row.state == State.SKIPPED) && row.updatedAt < limit) {
                    it.remove();
                    forget(row, orderKeys);
                    purged++;
                }
            }
            recomputeCompletedSequences(orderKeys);
            return purged;
        }
    }

    /** Frees a deleted row's dedupe key; notes its ordering key when it was a completed one. */
    private void forget(Row row, Set<String> orderKeys) {
        byKey.remove(pair(row.entry.endpoint(), row.entry.dedupeKey()));
        if (row.state == State.COMPLETED && row.entry.ordering() != InboxEntry.Ordering.NONE) {
            orderKeys.add(row.orderKey());
        }
    }

    /**
     * The completed sequence of each key whose completed rows were deleted, from those that remain: empty once all are
     * purged, as {@link Inbox#completedSequence} says (and the map does not grow with every key ever completed).
     */
    private void recomputeCompletedSequences(Set<String> orderKeys) {
        if (orderKeys.isEmpty()) {
            return;
        }
        orderKeys.forEach(completedSequences::remove);
        for (Row row : rows.values()) {
            if (row.state == State.COMPLETED && orderKeys.contains(row.orderKey())) {
                completedSequences.merge(row.orderKey(), row.entry.sequence(), Math::max);
            }
        }
    }

    @Override
    public InboxStats stats(String endpoint) {
        synchronized (lock) {
            Map<State, Long> counts = new EnumMap<>(State.class);
            Instant oldest = null;
            for (Row row : rows.values()) {
                if (endpoint != null && !endpoint.equals(row.entry.endpoint())) {
                    continue;
                }
                counts.merge(row.state, 1L, Long::sum);
                if (row.state == State.PENDING
                        && (oldest == null || row.entry.receivedAt().isBefore(oldest))) {
                    oldest = row.entry.receivedAt();
                }
            }
            return new InboxStats(counts, oldest);
        }
    }

    /** The number of deliveries held, in every state. */
    public int size() {
        synchronized (lock) {
            return rows.size();
        }
    }

    /** One map key for an endpoint and a key of its (dedupe or ordering): NUL cannot occur in an endpoint's name. */
    private static String pair(String endpoint, String key) {
        return endpoint + '\u0000' + key;
    }

    private static long parseId(String id) {
        Objects.requireNonNull(id, "id cannot be null");
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return "InMemoryInbox[size=" + size() + ", maximumSize=" + maximumSize + "]";
    }

    /** Configures an {@link InMemoryInbox}. Each option may be set once. Not thread-safe. */
    public static final class Builder {
        private final BuilderOptions options = new BuilderOptions();
        private Integer maximumSize;
        private Clock clock;

        private Builder() {}

        /**
         * The most deliveries held at once, in every state; default {@value InMemoryInbox#DEFAULT_MAXIMUM_SIZE}.
         *
         * @throws IllegalArgumentException if size is below 1
         * @throws IllegalStateException if already set
         */
        public Builder maximumSize(int size) {
            options.once("maximumSize");
            if (size < 1) {
                throw new IllegalArgumentException("maximumSize must be at least 1 but was " + size);
            }
            this.maximumSize = size;
            return this;
        }

        /**
         * The clock for due dates and leases; default the system clock.
         *
         * @throws NullPointerException if clock is null
         * @throws IllegalStateException if already set
         */
        public Builder clock(Clock clock) {
            options.once("clock");
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /** The inbox. */
        public InMemoryInbox build() {
            return new InMemoryInbox(this);
        }
    }
}
