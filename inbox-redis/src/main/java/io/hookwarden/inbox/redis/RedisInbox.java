package io.hookwarden.inbox.redis;

import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.InboxStats;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * An {@link Inbox} on Redis Streams, shared by every replica and worker that talks to the same Redis.
 *
 * <pre>{@code
 * RedisInbox inbox = RedisInbox.builder()
 *         .uri(System.getenv("REDIS_URL"))          // redis://[:password@]host:6379[/db], rediss:// for TLS
 *         .maxLength(1_000_000)                      // per endpoint: past it, writes are refused (503), never trimmed
 *         .build();
 * WebhookReceiver receiver = WebhookReceiver.builder().name("stripe").verifier(verifier).inbox(inbox).build();
 * }</pre>
 *
 * <p>Each endpoint has a stream with a consumer group: a {@link #write} {@code XADD}s the delivery (its entry as one
 * binary field) with {@code MAXLEN ~} the {@link Builder#maxLength(long) length cap}, after refusing when the stream is
 * already that long, so the cap never trims an entry away; the write answers {@link Written#ADDED} only once Redis
 * ran it (durable as far as Redis's persistence is: run it with AOF). A {@link #claim} delivers each entry to the
 * group's consumer named by {@link Builder#consumer(String)} by its stream id ({@code XCLAIM ... FORCE} for a first
 * delivery), and a delivery whose lease ran out is taken over by the next claim the same way: it keeps its stream id
 * and its place, and is never added again. Settling acknowledges it ({@code XACK}); a buried delivery moves to the
 * endpoint's dead stream and back into the stream when replayed. What a stream cannot hold (the dedupe key, the
 * state, attempts, the lease's owner token and end, the due time of a retry, the per-key order and completed sequence,
 * the indexes that find, purge and replay use) lives in keys beside it; every call is one Lua script (by {@code
 * EVALSHA}, {@code EVAL} when the server lost its script cache) over one endpoint's keys, so it is atomic. Every key of
 * an endpoint carries the endpoint in a hash tag ({@code <prefix>{<endpoint>}:...}), so on Redis Cluster each
 * endpoint's keys live in one slot. See {@code docs/inbox-redis.md} for the key layout.
 *
 * <p>Leases and due times are epoch milliseconds of the builder's {@link Clock}, never Redis's: replicas' clocks should
 * agree to well within a lease. A stored delivery's id is {@code <endpoint>/<stream id>}: the stream id its entry was
 * first written at, which stays its id while it moves to the dead stream and back.
 *
 * <p>Every Redis failure (a connection refused or lost, a timeout after {@link Builder#commandTimeout(Duration)}, an
 * error reply) and a full stream are a {@link StoreUnavailableException} naming the operation and the failure, never a
 * password: the receiver answers 503. Thread-safe; Lettuce multiplexes the calls of all threads on one connection.
 */
public final class RedisInbox implements Inbox, AutoCloseable {
    /** The default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "hookwarden:inbox:";
    /** The default consumer group. */
    public static final String GROUP = "hookwarden";
    /** The default time to wait for Redis to answer one call. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** The default length cap per endpoint's stream. */
    public static final long DEFAULT_MAX_LENGTH = 1_000_000;
    /** How many of the oldest ready deliveries of an endpoint one claim looks at, at most (more when max is larger). */
    static final int CLAIM_WINDOW = 10_000;

    private static final Pattern STREAM_ID = Pattern.compile("[0-9]{1,20}-[0-9]{1,20}");
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final byte[] EMPTY = new byte[0];
    private static final String[] STATE_CODES = {"P", "F", "C", "D", "K"};

    private final RedisClusterAsyncCommands<String, byte[]> redis;
    private final AutoCloseable connection;
    private final Runnable ownedClientShutdown;
    private final String keyPrefix;
    private final String endpointsKey;
    private final Clock clock;
    private final long maxLength;
    private final String consumer;
    private final Duration commandTimeout;
    private final long timeoutNanos;
    private final String description;
    private final char[] password;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final AtomicLong claims = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisInbox(
            Builder b,
            RedisClusterAsyncCommands<String, byte[]> redis,
            AutoCloseable connection,
            Runnable ownedClientShutdown,
            String description,
            char[] password) {
        this.redis = redis;
        this.connection = connection;
        this.ownedClientShutdown = ownedClientShutdown;
        this.keyPrefix = b.keyPrefix == null ? DEFAULT_KEY_PREFIX : b.keyPrefix;
        this.endpointsKey = keyPrefix + "endpoints";
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
        this.maxLength = b.maxLength == 0 ? DEFAULT_MAX_LENGTH : b.maxLength;
        this.consumer = b.consumer == null ? "c-" + UUID.randomUUID() : b.consumer;
        this.commandTimeout = b.commandTimeout == null ? DEFAULT_COMMAND_TIMEOUT : b.commandTimeout;
        this.timeoutNanos = commandTimeout.toNanos();
        this.description = description;
        this.password = password;
    }

    /** A builder; a uri or a client is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script: a duplicate when the endpoint's dedupe index holds the key; refused as {@link
     * StoreUnavailableException} (503) when the stream holds {@link Builder#maxLength(long)} entries; else {@code XADD}
     * and the indexes. The endpoint is added once per inbox instance to the set of endpoints (for {@link #find}, {@link
     * #stats} and {@link #purgeSettled} across endpoints).
     *
     * @throws NullPointerException if entry is null
     */
    @Override
    public Written write(InboxEntry entry) {
        Objects.requireNonNull(entry, "entry cannot be null");
        String operation = "write a delivery";
        register(entry.endpoint(), operation);
        long now = clock.millis();
        boolean ordered = entry.ordering() != InboxEntry.Ordering.NONE;
        List<Object> result = script(
                operation,
                Scripts.WRITE,
                entry.endpoint(),
                bytes(entry.dedupeKey()),
                EntryCodec.encode(entry),
                bytes(now),
                bytes(entry.receivedAt().toEpochMilli()),
                entry.eventType() == null ? EMPTY : bytes("=" + entry.eventType()),
                ordered ? bytes(entry.orderingKey()) : EMPTY,
                bytes(entry.ordering().name().substring(0, 1)),
                bytes(entry.sequence()),
                bytes(maxLength),
                bytes(GROUP));
        String answer = text(result.get(0));
        switch (answer) {
            case "ok":
                return Written.ADDED;
            case "dup":
                return Written.DUPLICATE;
            default:
                throw new StoreUnavailableException("Redis inbox " + description + " refused to " + operation
                        + ": the stream of endpoint " + entry.endpoint() + " holds its maximum of " + maxLength
                        + " entries (sweep settled deliveries, process the backlog or raise maxLength)");
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script per endpoint, in the order given, until {@code max} are taken; each looks at no more than the
     * {@value #CLAIM_WINDOW} oldest ready deliveries of its endpoint (more when {@code max} is larger), reading each
     * ordering key's state once.
     *
     * @throws NullPointerException if endpoints, one of them or lease is null
     * @throws IllegalArgumentException if endpoints is empty, max or lease not positive
     */
    @Override
    public List<InboxLease> claim(Collection<String> endpoints, int max, Duration lease) {
        Objects.requireNonNull(endpoints, "endpoints cannot be null");
        Objects.requireNonNull(lease, "lease cannot be null");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints cannot be empty");
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive but was " + max);
        }
        long leaseMillis = positiveMillis(lease, "lease");
        List<InboxLease> taken = new ArrayList<>();
        for (String endpoint : new LinkedHashSet<>(endpoints)) {
            Objects.requireNonNull(endpoint, "endpoint cannot be null");
            if (taken.size() >= max) {
                break;
            }
            long now = clock.millis();
            long until = now + leaseMillis;
            String tokenPrefix = consumer + ":" + claims.incrementAndGet() + ":" + UUID.randomUUID() + ":";
            List<Object> rows = script(
                    "claim deliveries",
                    Scripts.CLAIM,
                    endpoint,
                    bytes(now),
                    bytes(until),
                    bytes(max - taken.size()),
                    bytes(consumer),
                    bytes(tokenPrefix),
                    bytes(GROUP),
                    bytes(Math.max(CLAIM_WINDOW, 4L * max)));
            for (Object row : rows) {
                List<?> r = (List<?>) row;
                StoredDelivery delivery = delivery(endpoint, r);
                taken.add(new InboxLease(delivery, text(r.get(7)), Instant.ofEpochMilli(until)));
            }
        }
        return taken;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also resets the entry's idle time in the consumer group ({@code XCLAIM ... JUSTID} to this inbox's consumer),
     * so {@code XPENDING} shows a live handler as recently seen.
     *
     * @throws NullPointerException if lease or extension is null
     * @throws IllegalArgumentException if extension is not positive
     */
    @Override
    public Optional<InboxLease> heartbeat(InboxLease lease, Duration extension) {
        Objects.requireNonNull(lease, "lease cannot be null");
        long millis = positiveMillis(extension, "extension");
        Ref ref = Ref.parse(lease.id());
        if (ref == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        long until = now + millis;
        List<Object> result = script(
                "extend a lease",
                Scripts.HEARTBEAT,
                ref.endpoint,
                bytes(ref.streamId),
                bytes(lease.token()),
                bytes(now),
                bytes(until),
                bytes(consumer),
                bytes(GROUP));
        if (!Long.valueOf(1).equals(result.get(0))) {
            return Optional.empty();
        }
        StoredDelivery d = lease.delivery();
        StoredDelivery extended = new StoredDelivery(
                d.id(), d.entry(), d.state(), d.attempts(), Instant.ofEpochMilli(until), d.lastError(), d.updatedAt());
        return Optional.of(new InboxLease(extended, lease.token(), Instant.ofEpochMilli(until)));
    }

    /** {@inheritDoc} */
    @Override
    public boolean complete(InboxLease lease) {
        return settle("complete a delivery", lease, "C", null, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script per endpoint among the leases, sent together (pipelined) and awaited together.
     */
    @Override
    public List<Boolean> completeAll(List<InboxLease> leases) {
        Objects.requireNonNull(leases, "leases cannot be null");
        for (InboxLease lease : leases) {
            Objects.requireNonNull(lease, "lease cannot be null");
        }
        Boolean[] recorded = new Boolean[leases.size()];
        Map<String, List<Integer>> byEndpoint = new LinkedHashMap<>();
        for (int i = 0; i < leases.size(); i++) {
            Ref ref = Ref.parse(leases.get(i).id());
            if (ref == null) {
                recorded[i] = false;
            } else {
                byEndpoint.computeIfAbsent(ref.endpoint, e -> new ArrayList<>()).add(i);
            }
        }
        String operation = "complete deliveries";
        long now = clock.millis();
        Map<String, byte[][]> argsByEndpoint = new LinkedHashMap<>();
        Map<String, RedisFuture<List<Object>>> sent = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> group : byEndpoint.entrySet()) {
            List<byte[]> args = new ArrayList<>();
            args.add(bytes(GROUP));
            args.add(bytes(now));
            for (int i : group.getValue()) {
                InboxLease lease = leases.get(i);
                args.add(bytes(Ref.parse(lease.id()).streamId));
                args.add(bytes(lease.token()));
                args.add(bytes("C"));
                args.add(EMPTY);
                args.add(EMPTY);
            }
            String[] keys = {streamKey(group.getKey())};
            byte[][] values = args.toArray(new byte[0][]);
            argsByEndpoint.put(group.getKey(), values);
            sent.put(
                    group.getKey(),
                    call(operation, () -> redis.evalsha(Scripts.SETTLE.sha(), ScriptOutputType.MULTI, keys, values)));
        }
        for (Map.Entry<String, List<Integer>> group : byEndpoint.entrySet()) {
            String endpoint = group.getKey();
            List<Object> result = awaitScript(
                    operation, Scripts.SETTLE, endpoint, sent.get(endpoint), () -> argsByEndpoint.get(endpoint));
            List<Integer> indexes = group.getValue();
            for (int j = 0; j < indexes.size(); j++) {
                recorded[indexes.get(j)] = Long.valueOf(1).equals(result.get(j));
            }
        }
        return List.of(recorded);
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if lease or notBefore is null
     */
    @Override
    public boolean retry(InboxLease lease, Instant notBefore, String error) {
        Objects.requireNonNull(notBefore, "notBefore cannot be null");
        return settle("retry a delivery", lease, "P", notBefore.toEpochMilli(), error);
    }

    /** {@inheritDoc} */
    @Override
    public boolean bury(InboxLease lease, String error) {
        return settle("bury a delivery", lease, "D", null, error);
    }

    /** {@inheritDoc} */
    @Override
    public boolean skip(InboxLease lease, String why) {
        return settle("skip a delivery", lease, "K", null, why);
    }

    private boolean settle(String operation, InboxLease lease, String action, Long due, String error) {
        Objects.requireNonNull(lease, "lease cannot be null");
        Ref ref = Ref.parse(lease.id());
        if (ref == null) {
            return false;
        }
        List<Object> result = script(
                operation,
                Scripts.SETTLE,
                ref.endpoint,
                bytes(GROUP),
                bytes(clock.millis()),
                bytes(ref.streamId),
                bytes(lease.token()),
                bytes(action),
                due == null ? EMPTY : bytes(due),
                error == null ? EMPTY : bytes("=" + StoredDelivery.truncate(error)));
        return Long.valueOf(1).equals(result.get(0));
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if endpoint or orderingKey is null
     */
    @Override
    public OptionalLong completedSequence(String endpoint, String orderingKey) {
        Objects.requireNonNull(endpoint, "endpoint cannot be null");
        Objects.requireNonNull(orderingKey, "orderingKey cannot be null");
        List<Object> result =
                script("read the completed sequence", Scripts.COMPLETED_SEQUENCE, endpoint, bytes(orderingKey));
        return result.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text(result.get(0))));
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if id is null
     */
    @Override
    public Optional<StoredDelivery> get(String id) {
        Objects.requireNonNull(id, "id cannot be null");
        Ref ref = Ref.parse(id);
        if (ref == null) {
            return Optional.empty();
        }
        List<Object> result = script("read a delivery", Scripts.GET, ref.endpoint, bytes(ref.streamId));
        return result.isEmpty() ? Optional.empty() : Optional.of(delivery(ref.endpoint, (List<?>) result.get(0)));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script per endpoint (the query's, or each one this Redis has seen written), merged newest first.
     *
     * @throws NullPointerException if query is null
     */
    @Override
    public List<StoredDelivery> find(InboxQuery query) {
        Objects.requireNonNull(query, "query cannot be null");
        String operation = "find deliveries";
        String states = codes(query.states());
        List<StoredDelivery> found = new ArrayList<>();
        for (String endpoint : endpoints(query, operation)) {
            List<Object> rows = script(
                    operation,
                    Scripts.FIND,
                    endpoint,
                    bytes(states),
                    type(query),
                    bytes(query.receivedBefore()
                            .map(b -> "(" + b.toEpochMilli())
                            .orElse("+inf")),
                    bytes(query.receivedFrom()
                            .map(f -> Long.toString(f.toEpochMilli()))
                            .orElse("-inf")),
                    bytes(query.limit()));
            for (Object row : rows) {
                found.add(delivery(endpoint, (List<?>) row));
            }
        }
        found.sort(Comparator.comparing((StoredDelivery d) -> d.entry().receivedAt())
                .thenComparing(d -> Ref.parse(d.id()), Ref.ORDER)
                .reversed());
        return found.size() > query.limit() ? List.copyOf(found.subList(0, query.limit())) : found;
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if query is null
     */
    @Override
    public int replay(InboxQuery query) {
        Objects.requireNonNull(query, "query cannot be null");
        String operation = "replay deliveries";
        Set<State> states = query.states().isEmpty() ? Set.of(State.DEAD, State.SKIPPED) : query.states();
        StringBuilder codes = new StringBuilder();
        for (State s : List.of(State.DEAD, State.SKIPPED, State.COMPLETED)) {
            if (states.contains(s)) {
                codes.append(STATE_CODES[s.ordinal()]);
            }
        }
        if (codes.length() == 0) {
            return 0;
        }
        int replayed = 0;
        long now = clock.millis();
        for (String endpoint : endpoints(query, operation)) {
            List<Object> result = script(
                    operation,
                    Scripts.REPLAY_MATCHING,
                    endpoint,
                    bytes(now),
                    bytes(codes.toString()),
                    type(query),
                    bytes(from(query)),
                    bytes(before(query)));
            replayed += ((Long) result.get(0)).intValue();
        }
        return replayed;
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if id is null
     */
    @Override
    public boolean replay(String id) {
        Objects.requireNonNull(id, "id cannot be null");
        Ref ref = Ref.parse(id);
        if (ref == null) {
            return false;
        }
        List<Object> result =
                script("replay a delivery", Scripts.REPLAY, ref.endpoint, bytes(ref.streamId), bytes(clock.millis()));
        return Long.valueOf(1).equals(result.get(0));
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if query is null
     */
    @Override
    public int purge(InboxQuery query) {
        Objects.requireNonNull(query, "query cannot be null");
        String operation = "purge deliveries";
        StringBuilder codes = new StringBuilder();
        for (State s : State.values()) {
            if (s != State.IN_FLIGHT
                    && (query.states().isEmpty() || query.states().contains(s))) {
                codes.append(STATE_CODES[s.ordinal()]);
            }
        }
        if (codes.length() == 0) {
            return 0;
        }
        int purged = 0;
        for (String endpoint : endpoints(query, operation)) {
            List<Object> result = script(
                    operation,
                    Scripts.PURGE,
                    endpoint,
                    bytes(codes.toString()),
                    type(query),
                    bytes(from(query)),
                    bytes(before(query)));
            purged += ((Long) result.get(0)).intValue();
        }
        return purged;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Endpoint after endpoint, each one script deleting up to what is left of the batch; a deleted entry leaves its
     * stream ({@code XDEL}), so the sweep is what keeps a stream under its length cap.
     *
     * @throws NullPointerException if before is null
     * @throws IllegalArgumentException if batch is not positive
     */
    @Override
    public int purgeSettled(Instant before, int batch) {
        Objects.requireNonNull(before, "before cannot be null");
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive but was " + batch);
        }
        String operation = "purge settled deliveries";
        int purged = 0;
        for (String endpoint : allEndpoints(operation)) {
            if (purged >= batch) {
                break;
            }
            List<Object> result = script(
                    operation,
                    Scripts.PURGE_SETTLED,
                    endpoint,
                    bytes("(" + before.toEpochMilli()),
                    bytes(batch - purged));
            purged += ((Long) result.get(0)).intValue();
        }
        return purged;
    }

    /** {@inheritDoc} */
    @Override
    public InboxStats stats(String endpoint) {
        String operation = "count deliveries";
        List<String> endpoints = endpoint == null ? allEndpoints(operation) : List.of(endpoint);
        Map<State, Long> counts = new EnumMap<>(State.class);
        Instant oldest = null;
        for (String e : endpoints) {
            List<Object> result = script(operation, Scripts.STATS, e);
            for (State s : State.values()) {
                long n = (Long) result.get(s.ordinal());
                if (n > 0) {
                    counts.merge(s, n, Long::sum);
                }
            }
            Object since = result.get(5);
            if (since != null) {
                Instant at = Instant.ofEpochMilli((long) Double.parseDouble(text(since)));
                oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
            }
        }
        return new InboxStats(counts, oldest);
    }

    /** The prefix before every key of this inbox in Redis. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** The length cap of each endpoint's stream. */
    public long maxLength() {
        return maxLength;
    }

    /** This inbox's consumer name in each endpoint's consumer group. */
    public String consumer() {
        return consumer;
    }

    /** The key of an endpoint's stream: {@code <prefix>{<endpoint>}:s}, the endpoint escaped for the hash tag. */
    public String streamKey(String endpoint) {
        return keyPrefix + "{" + escape(endpoint) + "}:s";
    }

    /** Closes the connection and shuts down the client if this inbox opened them. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            connection.close();
        } catch (Exception e) {
            // Closing a connection that already failed has nothing left to report.
        }
        if (ownedClientShutdown != null) {
            ownedClientShutdown.run();
        }
    }

    @Override
    public String toString() {
        return "RedisInbox[" + description + ", keyPrefix=" + keyPrefix + ", maxLength=" + maxLength + ", consumer="
                + consumer + "]";
    }

    // ---- reading rows

    /** A row: id, state, attempts, due, error, updated, entry bytes, token. */
    private static StoredDelivery delivery(String endpoint, List<?> r) {
        String streamId = text(r.get(0));
        InboxEntry entry = EntryCodec.decode((byte[]) r.get(6));
        return new StoredDelivery(
                escape(endpoint) + "/" + streamId,
                entry,
                state(text(r.get(1))),
                Integer.parseInt(text(r.get(2))),
                Instant.ofEpochMilli(Long.parseLong(text(r.get(3)))),
                r.get(4) == null ? null : text(r.get(4)),
                Instant.ofEpochMilli(Long.parseLong(text(r.get(5)))));
    }

    private static State state(String code) {
        for (int i = 0; i < STATE_CODES.length; i++) {
            if (STATE_CODES[i].equals(code)) {
                return State.values()[i];
            }
        }
        throw new IllegalStateException("unknown stored state " + code);
    }

    private static String codes(Set<State> states) {
        StringBuilder codes = new StringBuilder();
        for (State s : states) {
            codes.append(STATE_CODES[s.ordinal()]);
        }
        return codes.toString();
    }

    private static byte[] type(InboxQuery query) {
        return query.eventType().map(t -> bytes("=" + t)).orElse(EMPTY);
    }

    private static String from(InboxQuery query) {
        return query.receivedFrom().map(f -> Long.toString(f.toEpochMilli())).orElse("-inf");
    }

    private static String before(InboxQuery query) {
        return query.receivedBefore().map(b -> "(" + b.toEpochMilli()).orElse("+inf");
    }

    // ---- endpoints

    private void register(String endpoint, String operation) {
        if (registered.contains(endpoint)) {
            return;
        }
        await(operation, call(operation, () -> redis.sadd(endpointsKey, bytes(endpoint))));
        registered.add(endpoint);
    }

    private List<String> endpoints(InboxQuery query, String operation) {
        return query.endpoint().map(List::of).orElseGet(() -> allEndpoints(operation));
    }

    private List<String> allEndpoints(String operation) {
        Set<byte[]> members = await(operation, call(operation, () -> redis.smembers(endpointsKey)));
        List<String> endpoints = new ArrayList<>();
        for (byte[] m : members) {
            endpoints.add(new String(m, StandardCharsets.UTF_8));
        }
        endpoints.sort(null);
        return endpoints;
    }

    /** An endpoint's name as it stands in keys and ids: {@code %}, {@code /}, {@code :}, braces percent-escaped. */
    static String escape(String endpoint) {
        StringBuilder out = new StringBuilder(endpoint.length());
        for (int i = 0; i < endpoint.length(); i++) {
            char c = endpoint.charAt(i);
            switch (c) {
                case '%', '/', ':', '{', '}' -> out.append('%').append(String.format("%02X", (int) c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String unescape(String escaped) {
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '%' && i + 2 < escaped.length()) {
                out.append((char) Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A stored delivery's id taken apart: its endpoint and its stream id. */
    private record Ref(String endpoint, String streamId) {
        static final Comparator<Ref> ORDER = Comparator.comparing((Ref r) -> r.endpoint)
                .thenComparingLong(r -> Long.parseLong(r.streamId.substring(0, r.streamId.indexOf('-'))))
                .thenComparingLong(r -> Long.parseLong(r.streamId.substring(r.streamId.indexOf('-') + 1)));

        /** Null when the id is not one this inbox gave out. */
        static Ref parse(String id) {
            int slash = id.lastIndexOf('/');
            if (slash <= 0) {
                return null;
            }
            String streamId = id.substring(slash + 1);
            if (!STREAM_ID.matcher(streamId).matches()) {
                return null;
            }
            try {
                return new Ref(unescape(id.substring(0, slash)), streamId);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    // ---- calling Redis

    private List<Object> script(String operation, Scripts.Script script, String endpoint, byte[]... args) {
        String[] keys = {streamKey(endpoint)};
        RedisFuture<List<Object>> sent =
                call(operation, () -> redis.evalsha(script.sha(), ScriptOutputType.MULTI, keys, args));
        return awaitScript(operation, script, endpoint, sent, () -> args);
    }

    private List<Object> awaitScript(
            String operation,
            Scripts.Script script,
            String endpoint,
            RedisFuture<List<Object>> sent,
            Supplier<byte[][]> args) {
        try {
            return await(operation, sent);
        } catch (NoScript e) {
            // Redis restarted, failed over or flushed its script cache: EVAL runs the script and caches it again.
            String[] keys = {streamKey(endpoint)};
            byte[][] values = args.get();
            return await(
                    operation,
                    call(operation, () -> redis.eval(script.source(), ScriptOutputType.MULTI, keys, values)));
        }
    }

    private <T> RedisFuture<T> call(String operation, Supplier<RedisFuture<T>> command) {
        if (closed.get()) {
            throw new StoreUnavailableException("Redis inbox " + description + " is closed");
        }
        try {
            return command.get();
        } catch (RuntimeException e) {
            throw unavailable(operation, e);
        }
    }

    private <T> T await(String operation, RedisFuture<T> future) {
        try {
            return LettuceFutures.awaitOrCancel(future, timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RedisNoScriptException e) {
            throw new NoScript();
        } catch (RuntimeException e) {
            throw unavailable(operation, e);
        }
    }

    private StoreUnavailableException unavailable(String operation, RuntimeException e) {
        String message = e.getMessage();
        String text = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        if (password != null && password.length > 0) {
            text = text.replace(new String(password), "****");
        }
        return new StoreUnavailableException("Redis inbox " + description + " failed to " + operation + ": " + text, e);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(long n) {
        return bytes(Long.toString(n));
    }

    private static String text(Object value) {
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return String.valueOf(value);
    }

    private static long positiveMillis(Duration d, String name) {
        Objects.requireNonNull(d, name + " cannot be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive but was " + d);
        }
        return Math.max(1, d.toMillis());
    }

    /** Control flow between {@link #await} and {@link #awaitScript}, never thrown out of the inbox. */
    private static final class NoScript extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoScript() {
            super(null, null, false, false);
        }
    }

    /**
     * Configures a {@link RedisInbox}: where Redis is (one of {@link #uri(String)}, {@link #client(RedisClient)} or
     * {@link #client(RedisClusterClient)}), the key prefix, the length cap, the consumer name, the command timeout and
     * the clock. Each option may be set once. Not thread-safe.
     */
    public static final class Builder {
        private RedisURI uri;
        private RedisClient client;
        private RedisClusterClient clusterClient;
        private String keyPrefix;
        private long maxLength;
        private String consumer;
        private Duration commandTimeout;
        private Clock clock;

        private Builder() {}

        /**
         * Redis's address as a URI, {@code redis://[[user]:password@]host[:port][/database]} ({@code rediss://} for
         * TLS). The inbox creates its own client and connection, rejects commands at once while disconnected (so a
         * request fails closed without waiting), reconnects by itself, and closes both in {@link RedisInbox#close()}.
         *
         * @throws NullPointerException if uri is null
         * @throws IllegalArgumentException if uri is not a Redis URI (the message leaves the password out)
         * @throws IllegalStateException if a uri or client was already set
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri cannot be null");
            RedisURI parsed;
            try {
                parsed = RedisURI.create(uri);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("uri is not a Redis URI: " + redact(uri));
            }
            onlyOneTarget();
            this.uri = parsed;
            return this;
        }

        /**
         * A Lettuce client whose default URI is Redis's address; the inbox opens its own connection on it (binary
         * values), closes that connection in {@link RedisInbox#close()}, and leaves the client to its owner.
         *
         * @throws NullPointerException if client is null
         * @throws IllegalStateException if a uri or client was already set
         */
        public Builder client(RedisClient client) {
            onlyOneTarget();
            this.client = Objects.requireNonNull(client, "client cannot be null");
            return this;
        }

        /**
         * A Lettuce Redis Cluster client; the inbox opens its own connection on it and closes that connection in
         * {@link RedisInbox#close()}. Each script touches one endpoint's keys, which share a hash tag, so Lettuce sends
         * it to that endpoint's node.
         *
         * @throws NullPointerException if client is null
         * @throws IllegalStateException if a uri or client was already set
         */
        public Builder client(RedisClusterClient client) {
            onlyOneTarget();
            this.clusterClient = Objects.requireNonNull(client, "client cannot be null");
            return this;
        }

        /**
         * The prefix before every key in Redis; default {@value RedisInbox#DEFAULT_KEY_PREFIX}. It may not hold a brace:
         * the endpoint's hash tag follows it.
         *
         * @throws NullPointerException if prefix is null
         * @throws IllegalArgumentException if prefix holds {@code {} or {@code }}
         * @throws IllegalStateException if already set
         */
        public Builder keyPrefix(String prefix) {
            if (keyPrefix != null) {
                throw new IllegalStateException("keyPrefix was already set");
            }
            Objects.requireNonNull(prefix, "keyPrefix cannot be null");
            if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
                throw new IllegalArgumentException("keyPrefix cannot hold a brace but was " + prefix);
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * The most entries an endpoint's stream holds (pending, in flight, completed and skipped ones until the
         * retention sweep deletes them; dead ones move to the dead stream); default {@value
         * RedisInbox#DEFAULT_MAX_LENGTH}. A write to a full stream is refused with {@link StoreUnavailableException}
         * (the provider gets 503 and retries), never made room for by trimming: nothing acknowledged is dropped.
         *
         * @throws IllegalArgumentException if maxLength is not positive
         * @throws IllegalStateException if already set
         */
        public Builder maxLength(long maxLength) {
            if (this.maxLength != 0) {
                throw new IllegalStateException("maxLength was already set");
            }
            if (maxLength < 1) {
                throw new IllegalArgumentException("maxLength must be positive but was " + maxLength);
            }
            this.maxLength = maxLength;
            return this;
        }

        /**
         * This inbox's consumer name in each endpoint's consumer group, as {@code XPENDING} shows it; default {@code
         * c-} and a random UUID, one per inbox instance. Give each replica its own.
         *
         * @throws NullPointerException if consumer is null
         * @throws IllegalArgumentException if consumer is empty
         * @throws IllegalStateException if already set
         */
        public Builder consumer(String consumer) {
            if (this.consumer != null) {
                throw new IllegalStateException("consumer was already set");
            }
            Objects.requireNonNull(consumer, "consumer cannot be null");
            if (consumer.isEmpty()) {
                throw new IllegalArgumentException("consumer cannot be empty");
            }
            this.consumer = consumer;
            return this;
        }

        /**
         * How long the inbox waits for Redis to answer one call before it throws {@link StoreUnavailableException};
         * default two seconds. Keep it well below the provider's delivery timeout.
         *
         * @throws NullPointerException if timeout is null
         * @throws IllegalArgumentException if timeout is not positive
         * @throws IllegalStateException if already set
         */
        public Builder commandTimeout(Duration timeout) {
            if (commandTimeout != null) {
                throw new IllegalStateException("commandTimeout was already set");
            }
            Objects.requireNonNull(timeout, "commandTimeout cannot be null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("commandTimeout must be positive but was " + timeout);
            }
            this.commandTimeout = timeout;
            return this;
        }

        /**
         * Where due dates and leases come from; default the system clock in UTC.
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

        /**
         * The inbox, connected.
         *
         * @throws IllegalStateException if no uri or client was set
         * @throws StoreUnavailableException if the inbox could not connect to Redis
         */
        // RedisURI.getPassword(): deprecated for the credentials provider, whose answer is reactive; the URI's own
        // password is what a failure message must hide, and it is there to read at once.
        @SuppressWarnings("deprecation")
        public RedisInbox build() {
            if (uri != null) {
                String described = describe(uri);
                char[] password = uri.getPassword();
                RedisClient own = RedisClient.create(uri);
                own.setOptions(ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .build());
                try {
                    var c = open(() -> own.connect(CODEC), described, password);
                    return new RedisInbox(this, c.async(), c, own::shutdown, described, password);
                } catch (RuntimeException e) {
                    own.shutdown();
                    throw e;
                }
            }
            if (client != null) {
                var c = open(() -> client.connect(CODEC), "(given client)", null);
                return new RedisInbox(this, c.async(), c, null, "(given client)", null);
            }
            if (clusterClient != null) {
                var c = open(() -> clusterClient.connect(CODEC), "(given cluster client)", null);
                return new RedisInbox(this, c.async(), c, null, "(given cluster client)", null);
            }
            throw new IllegalStateException("one of uri or client is required");
        }

        private static <C> C open(Supplier<C> connect, String description, char[] password) {
            try {
                return connect.get();
            } catch (RuntimeException e) {
                String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                if (password != null && password.length > 0) {
                    message = message.replace(new String(password), "****");
                }
                throw new StoreUnavailableException("Redis inbox " + description + " failed to connect: " + message, e);
            }
        }

        private void onlyOneTarget() {
            if (uri != null || client != null || clusterClient != null) {
                throw new IllegalStateException("only one of uri or client may be set");
            }
        }

        /** {@code scheme://host:port[/database]} without user or password. */
        static String describe(RedisURI uri) {
            if (uri.getHost() == null) {
                return "redis://?";
            }
            return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort()
                    + (uri.getDatabase() == 0 ? "" : "/" + uri.getDatabase());
        }

        /** The URI with whatever stands between {@code ://} and the last {@code @} replaced. */
        static String redact(String uri) {
            int scheme = uri.indexOf("://");
            int at = uri.lastIndexOf('@');
            if (scheme >= 0 && at > scheme) {
                return uri.substring(0, scheme + 3) + "****" + uri.substring(at);
            }
            return uri;
        }
    }
}
