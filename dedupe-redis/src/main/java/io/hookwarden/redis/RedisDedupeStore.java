package io.hookwarden.redis;

import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.StoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link DedupeStore} in Redis, shared by every replica that talks to the same Redis: the store to use when more than
 * one instance receives the same webhooks.
 *
 * <pre>{@code
 * RedisDedupeStore store = RedisDedupeStore.builder()
 *         .uri(System.getenv("REDIS_URL"))                 // redis://[:password@]host:6379[/db], rediss:// for TLS
 *         .commandTimeout(Duration.ofSeconds(1))
 *         .build();
 * WebhookReceiver receiver = WebhookReceiver.builder().verifier(verifier).dedupeStore(store).build();
 * }</pre>
 *
 * <p>Each dedupe key is one Redis string under the {@link Builder#keyPrefix(String) key prefix}. A claim is {@code SET
 * key token NX PX lease}; when the key exists, a {@code GET} tells a completed marker ({@code done:<token>}, a
 * duplicate) from another attempt's live lease (in progress). Complete and release are Lua scripts (run with {@code
 * EVALSHA}, falling back to {@code EVAL} when the server lost its script cache) that act only while the key still holds
 * the caller's token: complete replaces it with the completed marker and the retention as its {@code PX}; release
 * deletes it. Redis expires leases and completed markers by itself, so a crashed worker's key is free again after its
 * lease, and a stale holder, whose lease expired and was claimed again, can neither complete nor delete the new claim.
 * Every command and script touches exactly one key, so the store works on Redis Cluster ({@link
 * Builder#connection(StatefulRedisClusterConnection)}).
 *
 * <p>Fails closed: a connection failure, a timeout (after {@link Builder#commandTimeout(Duration)}) or an error reply
 * throws {@link StoreUnavailableException}, which the receiver answers with {@code STORE_UNAVAILABLE} (503); the message
 * names the store and the failure, never a password. A store that opened its own connection ({@link
 * Builder#uri(String)}, {@link Builder#client(RedisClient)}) closes it in {@link #close()}; one given a connection
 * leaves it open. With {@link Builder#connectLazily()}, {@link Builder#build()} opens nothing and the first operation
 * connects: a Redis that is down when the application starts fails deliveries closed, as an outage later does, until
 * it answers. Durability is Redis's: a Redis that restarts without persistence (AOF or RDB) forgets which deliveries
 * it processed.
 *
 * <p>Immutable and thread-safe once built; Lettuce multiplexes the calls of all threads on one connection.
 */
public final class RedisDedupeStore implements DedupeStore, AutoCloseable {
    /** The default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "hookwarden:dedupe:";
    /** The default time to wait for Redis to answer one command. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

    /** The value of a completed key: the marker followed by the token that completed it. */
    static final String DONE = "done:";

    /** Sets the completed marker with the retention, only while the key holds the caller's token. */
    static final String COMPLETE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "redis.call('SET', KEYS[1], '" + DONE + "' .. ARGV[1], 'PX', ARGV[2]) return 1 end return 0";

    /** Deletes the key, only while it holds the caller's token. */
    static final String RELEASE_SCRIPT =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    /** Redis refuses a PX that overflows its clock; a thousand years is longer than any retention. */
    private static final long MAX_MILLIS = Duration.ofDays(365L * 1000).toMillis();

    /** The open connection's commands; null until a lazy store first connects. */
    private volatile Live live;
    /** Opens the connection; null for a given connection. */
    private final Supplier<Live> connector;
    /** Held while connecting: one attempt at a time, the others fail closed at once instead of queueing. */
    private final ReentrantLock connecting = new ReentrantLock();

    private final Runnable ownedClientShutdown;
    private final String keyPrefix;
    private final long timeoutNanos;
    private final Duration commandTimeout;
    private final String description;
    private final char[] password;
    private final String completeSha;
    private final String releaseSha;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisDedupeStore(Builder b, Target target, Live live) {
        this.live = live;
        this.connector = target.connector;
        this.ownedClientShutdown = target.ownedClientShutdown;
        this.keyPrefix = b.keyPrefix == null ? DEFAULT_KEY_PREFIX : b.keyPrefix;
        this.commandTimeout = b.commandTimeout == null ? DEFAULT_COMMAND_TIMEOUT : b.commandTimeout;
        this.timeoutNanos = commandTimeout.toNanos();
        this.description = target.description;
        this.password = target.password;
        this.completeSha = sha1(COMPLETE_SCRIPT);
        this.releaseSha = sha1(RELEASE_SCRIPT);
    }

    /** The script's SHA-1 in lower-case hex, as EVALSHA names it. */
    private static String sha1(String script) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    /** A builder; exactly one of uri, client or connection is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ClaimResult claim(String key, Duration lease) {
        checkKey(key);
        SetArgs nxPx = SetArgs.Builder.nx().px(millis(lease, "lease"));
        String redisKey = keyPrefix + key;
        Claim claim = Claim.newClaim();
        RedisStringAsyncCommands<String, String> strings = live().strings();
        // Two tries: a key that expires or is released between the refused SET and the GET is free again.
        for (int attempt = 0; attempt < 2; attempt++) {
            String ok = await("claim", () -> strings.set(redisKey, claim.token(), nxPx));
            if (ok != null) {
                return ClaimResult.claimed(claim);
            }
            String current = await("claim", () -> strings.get(redisKey));
            if (current != null) {
                return current.startsWith(DONE) ? ClaimResult.duplicate() : ClaimResult.inProgress();
            }
        }
        return ClaimResult.inProgress();
    }

    @Override
    public boolean complete(String key, Claim claim, Duration retention) {
        checkKey(key);
        Objects.requireNonNull(claim, "claim cannot be null");
        String px = Long.toString(millis(retention, "retention"));
        return script("complete", completeSha, COMPLETE_SCRIPT, keyPrefix + key, claim.token(), px) == 1L;
    }

    @Override
    public boolean release(String key, Claim claim) {
        checkKey(key);
        Objects.requireNonNull(claim, "claim cannot be null");
        return script("release", releaseSha, RELEASE_SCRIPT, keyPrefix + key, claim.token()) == 1L;
    }

    /** The prefix before every dedupe key in Redis. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** How long one command may take before the store counts as unavailable. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * Closes the connection and shuts down the client if this store opened them; leaves a connection it was given
     * open. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connecting.lock();
        try {
            Live open = live;
            if (open != null) {
                open.closeOwned();
            }
        } finally {
            connecting.unlock();
        }
        if (ownedClientShutdown != null) {
            ownedClientShutdown.run();
        }
    }

    @Override
    public String toString() {
        return "RedisDedupeStore[" + description + ", keyPrefix=" + keyPrefix + ", commandTimeout=" + commandTimeout
                + "]";
    }

    private long script(String operation, String sha, String source, String redisKey, String... args) {
        String[] keys = {redisKey};
        RedisScriptingAsyncCommands<String, String> scripts = live().scripts();
        Long result;
        try {
            result = await(operation, () -> scripts.<Long>evalsha(sha, ScriptOutputType.INTEGER, keys, args));
        } catch (NoScript e) {
            // Redis restarted, failed over or flushed its script cache: EVAL runs the script and caches it again.
            result = await(operation, () -> scripts.<Long>eval(source, ScriptOutputType.INTEGER, keys, args));
        }
        return result == null ? 0L : result;
    }

    /**
     * The open connection; a lazy store connects here, one attempt at a time, and fails closed while it cannot.
     *
     * @throws StoreUnavailableException if the store cannot connect, another thread is connecting, or it is closed
     */
    private Live live() {
        Live open = live;
        if (open != null) {
            return open;
        }
        if (!connecting.tryLock()) {
            throw new StoreUnavailableException("Redis dedupe store " + description + " is connecting");
        }
        try {
            if (live == null) {
                if (closed.get()) {
                    throw new StoreUnavailableException("Redis dedupe store " + description + " is closed");
                }
                live = connector.get();
            }
            return live;
        } finally {
            connecting.unlock();
        }
    }

    private <T> T await(String operation, Supplier<RedisFuture<T>> command) {
        try {
            return LettuceFutures.awaitOrCancel(command.get(), timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RedisNoScriptException e) {
            throw new NoScript();
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(
                    "Redis dedupe store " + description + " failed to " + operation + ": " + failure(e), e);
        }
    }

    private String failure(Throwable e) {
        String message = e.getMessage();
        String text = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        if (password != null && password.length > 0) {
            text = text.replace(new String(password), "****");
        }
        return text;
    }

    private static void checkKey(String key) {
        Objects.requireNonNull(key, "key cannot be null");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key cannot be empty");
        }
    }

    /** Whole milliseconds for a PX argument: at least 1, at most {@link #MAX_MILLIS}. */
    private static long millis(Duration d, String name) {
        Objects.requireNonNull(d, name + " cannot be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive but was " + d);
        }
        return d.compareTo(Duration.ofMillis(MAX_MILLIS)) > 0 ? MAX_MILLIS : Math.max(1, d.toMillis());
    }

    /** Control flow between {@link #await} and {@link #script}, never thrown out of the store. */
    private static final class NoScript extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoScript() {
            super(null, null, false, false);
        }
    }

    /** An open connection's commands, and the connection when the store opened it (null when it was given). */
    private record Live(
            RedisStringAsyncCommands<String, String> strings,
            RedisScriptingAsyncCommands<String, String> scripts,
            AutoCloseable ownedConnection) {
        void closeOwned() {
            if (ownedConnection != null) {
                try {
                    ownedConnection.close();
                } catch (Exception e) {
                    // Closing a connection that already failed has nothing left to report.
                }
            }
        }
    }

    /**
     * Where the store connects: how to open its connection (null for a given one), the client it owns, and how it is
     * named in messages.
     */
    private record Target(
            Supplier<Live> connector, Runnable ownedClientShutdown, String description, char[] password) {}

    /**
     * Configures a {@link RedisDedupeStore}: where Redis is (one of {@link #uri(String)}, {@link #client(RedisClient)},
     * {@link #connection(StatefulRedisConnection)} and their cluster forms), the key prefix and the command timeout.
     * Each option may be set once. Not thread-safe.
     */
    public static final class Builder {
        private RedisURI uri;
        private RedisClient client;
        private RedisClusterClient clusterClient;
        private StatefulRedisConnection<String, String> connection;
        private StatefulRedisClusterConnection<String, String> clusterConnection;
        private String keyPrefix;
        private Duration commandTimeout;
        private boolean lazily;

        private Builder() {}

        /**
         * Opens no connection in {@link #build()}: the first operation connects, and while Redis cannot be reached
         * each operation tries again and throws {@link StoreUnavailableException} (at once while another thread is
         * connecting), so an application can start while Redis is down and fail its deliveries closed until Redis
         * answers. For a {@link #uri(String) uri} or a {@link #client(RedisClient) client} only. Default: {@code
         * build()} connects, and throws when it cannot.
         *
         * @throws IllegalStateException if already set
         */
        public Builder connectLazily() {
            if (lazily) {
                throw new IllegalStateException("connectLazily was already set");
            }
            this.lazily = true;
            return this;
        }

        /**
         * Redis's address as a URI, {@code redis://[[user]:password@]host[:port][/database]} ({@code rediss://} for
         * TLS, {@code redis-sentinel://} for Sentinel). The store creates its own client and connection, rejects
         * commands at once while disconnected (so a request fails closed without waiting), reconnects by itself, and
         * closes both in {@link RedisDedupeStore#close()}.
         *
         * @throws NullPointerException if uri is null
         * @throws IllegalArgumentException if uri is not a Redis URI (the message leaves the password out)
         * @throws IllegalStateException if a uri, client or connection was already set
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri cannot be null");
            RedisURI parsed;
            try {
                parsed = RedisURI.create(uri);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("uri is not a Redis URI: " + redact(uri));
            }
            return uri(parsed);
        }

        /**
         * Redis's address as a Lettuce {@link RedisURI}; see {@link #uri(String)}.
         *
         * @throws NullPointerException if uri is null
         * @throws IllegalStateException if a uri, client or connection was already set
         */
        public Builder uri(RedisURI uri) {
            onlyOneTarget();
            this.uri = Objects.requireNonNull(uri, "uri cannot be null");
            return this;
        }

        /**
         * A Lettuce client whose default URI is Redis's address; the store opens its own connection on it, closes that
         * connection in {@link RedisDedupeStore#close()}, and leaves the client (its options, reconnection and
         * resources) to its owner.
         *
         * @throws NullPointerException if client is null
         * @throws IllegalStateException if a uri, client or connection was already set
         */
        public Builder client(RedisClient client) {
            onlyOneTarget();
            this.client = Objects.requireNonNull(client, "client cannot be null");
            return this;
        }

        /**
         * A Lettuce Redis Cluster client; the store opens its own connection on it and closes that connection in
         * {@link RedisDedupeStore#close()}.
         *
         * @throws NullPointerException if client is null
         * @throws IllegalStateException if a uri, client or connection was already set
         */
        public Builder client(RedisClusterClient client) {
            onlyOneTarget();
            this.clusterClient = Objects.requireNonNull(client, "client cannot be null");
            return this;
        }

        /**
         * An open connection with string keys and values, shared with the application; the store never closes it.
         *
         * @throws NullPointerException if connection is null
         * @throws IllegalStateException if a uri, client or connection was already set
         */
        public Builder connection(StatefulRedisConnection<String, String> connection) {
            onlyOneTarget();
            this.connection = Objects.requireNonNull(connection, "connection cannot be null");
            return this;
        }

        /**
         * An open Redis Cluster connection with string keys and values; the store never closes it. Every command the
         * store sends touches one key, so Lettuce routes it to the key's node.
         *
         * @throws NullPointerException if connection is null
         * @throws IllegalStateException if a uri, client or connection was already set
         */
        public Builder connection(StatefulRedisClusterConnection<String, String> connection) {
            onlyOneTarget();
            this.clusterConnection = Objects.requireNonNull(connection, "connection cannot be null");
            return this;
        }

        /**
         * The prefix before every dedupe key in Redis; default {@value RedisDedupeStore#DEFAULT_KEY_PREFIX}. The
         * receiver adds its endpoint name after it. Put a hash tag here ({@code {hookwarden}:dedupe:}) only if you want
         * every key on one cluster node; the store does not need it.
         *
         * @throws NullPointerException if prefix is null
         * @throws IllegalStateException if already set
         */
        public Builder keyPrefix(String prefix) {
            if (keyPrefix != null) {
                throw new IllegalStateException("keyPrefix was already set");
            }
            this.keyPrefix = Objects.requireNonNull(prefix, "keyPrefix cannot be null");
            return this;
        }

        /**
         * How long the store waits for Redis to answer one command before it throws {@link
         * StoreUnavailableException}; default two seconds. Keep it well below the provider's delivery timeout.
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
         * The store, connected; with {@link #connectLazily()}, not yet.
         *
         * @throws IllegalStateException if no uri, client or connection was set, or connectLazily with a connection
         * @throws StoreUnavailableException if the store could not connect to Redis (never with connectLazily)
         */
        public RedisDedupeStore build() {
            if (lazily && (connection != null || clusterConnection != null)) {
                throw new IllegalStateException("connectLazily needs a uri or a client, not an open connection");
            }
            Target target = target();
            if (target.connector() == null) {
                return new RedisDedupeStore(this, target, given());
            }
            if (lazily) {
                return new RedisDedupeStore(this, target, null);
            }
            try {
                return new RedisDedupeStore(this, target, target.connector().get());
            } catch (RuntimeException e) {
                if (target.ownedClientShutdown() != null) {
                    target.ownedClientShutdown().run();
                }
                throw e;
            }
        }

        private Live given() {
            return connection != null
                    ? new Live(connection.async(), connection.async(), null)
                    : new Live(clusterConnection.async(), clusterConnection.async(), null);
        }

        // RedisURI.getPassword(): deprecated for the credentials provider, whose answer is reactive; the URI's own
        // password is what a failure message must hide, and it is there to read at once.
        @SuppressWarnings("deprecation")
        private Target target() {
            if (connection != null) {
                return new Target(null, null, "(given connection)", null);
            }
            if (clusterConnection != null) {
                return new Target(null, null, "(given cluster connection)", null);
            }
            if (client != null) {
                RedisClient given = client;
                return new Target(
                        () -> {
                            StatefulRedisConnection<String, String> c = open(given::connect, "(given client)", null);
                            return new Live(c.async(), c.async(), c);
                        },
                        null,
                        "(given client)",
                        null);
            }
            if (clusterClient != null) {
                RedisClusterClient given = clusterClient;
                return new Target(
                        () -> {
                            StatefulRedisClusterConnection<String, String> c =
                                    open(given::connect, "(given cluster client)", null);
                            return new Live(c.async(), c.async(), c);
                        },
                        null,
                        "(given cluster client)",
                        null);
            }
            if (uri != null) {
                String described = describe(uri);
                char[] password = uri.getPassword();
                RedisClient own = RedisClient.create(uri);
                ClientOptions.Builder options = ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
                if (lazily) {
                    // a delivery waits for a connection attempt: no longer than for a command
                    options.socketOptions(SocketOptions.builder()
                            .connectTimeout(commandTimeout == null ? DEFAULT_COMMAND_TIMEOUT : commandTimeout)
                            .build());
                }
                own.setOptions(options.build());
                return new Target(
                        () -> {
                            StatefulRedisConnection<String, String> c = open(own::connect, described, password);
                            return new Live(c.async(), c.async(), c);
                        },
                        own::shutdown,
                        described,
                        password);
            }
            throw new IllegalStateException("one of uri, client or connection is required");
        }

        private static <C> C open(Supplier<C> connect, String description, char[] password) {
            try {
                return connect.get();
            } catch (RuntimeException e) {
                String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                if (password != null && password.length > 0) {
                    message = message.replace(new String(password), "****");
                }
                throw new StoreUnavailableException(
                        "Redis dedupe store " + description + " failed to connect: " + message, e);
            }
        }

        private void onlyOneTarget() {
            if (uri != null
                    || client != null
                    || clusterClient != null
                    || connection != null
                    || clusterConnection != null) {
                throw new IllegalStateException("only one of uri, client or connection may be set");
            }
        }

        /** {@code scheme://host:port[/database]} without user or password. */
        static String describe(RedisURI uri) {
            if (uri.getSocket() != null) {
                return "redis-socket://" + uri.getSocket();
            }
            if (uri.getHost() == null) {
                return uri.getSentinels().isEmpty()
                        ? "redis://?"
                        : "redis-sentinel://" + uri.getSentinels().get(0).getHost() + "/" + uri.getSentinelMasterId();
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
