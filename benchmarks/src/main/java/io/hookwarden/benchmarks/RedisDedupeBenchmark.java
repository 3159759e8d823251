package io.hookwarden.benchmarks;

import io.hookwarden.redis.RedisDedupeStore;
import io.hookwarden.spi.ClaimResult;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import redis.embedded.RedisServer;

/**
 * A delivery's whole trip through {@link RedisDedupeStore} (claim, then complete) beside the floor: the raw Lettuce
 * client's single {@code SET key value NX PX}, on the same connection to the same embedded Redis, at the same
 * concurrency, in the same run. Read {@code claimAndComplete / rawSetNx}; the target is at least 0.45 (the store needs
 * two round trips, the floor one).
 *
 * <p>Every operation uses a fresh key, so every claim succeeds, as it does for nearly every real delivery. Keys expire
 * after five seconds so that Redis's memory stays flat. Each fork starts its own Redis on a free port (no persistence:
 * the protocol is measured, not the disk).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(8)
public class RedisDedupeBenchmark {
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Duration RETENTION = Duration.ofSeconds(5);
    private static final SetArgs NX_PX = SetArgs.Builder.nx().px(RETENTION.toMillis());

    private RedisServer server;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> raw;
    private RedisDedupeStore store;

    /** Fresh keys per benchmark thread. */
    @State(Scope.Thread)
    public static class Keys {
        private final String prefix = "bench:" + UUID.randomUUID() + ":";
        private long next;

        String next() {
            return prefix + next++;
        }
    }

    @Setup(Level.Trial)
    public void startRedis() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        server = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        server.start();
        client = RedisClient.create("redis://127.0.0.1:" + port);
        connection = client.connect();
        raw = connection.sync();
        store = RedisDedupeStore.builder().connection(connection).build();
    }

    @TearDown(Level.Trial)
    public void stopRedis() throws IOException {
        store.close();
        connection.close();
        client.shutdown();
        server.stop();
    }

    /** The floor: one {@code SET NX PX} through the raw client. */
    @Benchmark
    public String rawSetNx(Keys keys) {
        return raw.set(keys.next(), "0123456789abcdef0123456789abcdef", NX_PX);
    }

    /** A delivery through the store: claim ({@code SET NX PX}), then complete (an owner-checked script). */
    @Benchmark
    public boolean claimAndComplete(Keys keys) {
        String key = keys.next();
        ClaimResult claim = store.claim(key, LEASE);
        return store.complete(key, claim.claim().orElseThrow(), RETENTION);
    }
}
