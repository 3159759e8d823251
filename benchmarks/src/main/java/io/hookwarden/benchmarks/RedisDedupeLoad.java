package io.hookwarden.benchmarks;

import io.hookwarden.redis.RedisDedupeStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import redis.embedded.RedisServer;

/**
 * The same comparison as {@link RedisDedupeBenchmark}, as a load loop that alternates short rounds of the floor (raw
 * {@code SET NX PX}) and the store (claim + complete), so that both see the same background load on a shared machine.
 * Prints the rate of every round and the ratio of the medians.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hookwarden.benchmarks.RedisDedupeLoad [threads] [rounds] [roundMillis]
 * </pre>
 *
 * Defaults: 8 threads, 15 measured rounds of each after 3 warm-up rounds of each, 1,000 ms per round.
 */
public final class RedisDedupeLoad {
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Duration RETENTION = Duration.ofSeconds(5);
    private static final SetArgs NX_PX = SetArgs.Builder.nx().px(RETENTION.toMillis());
    private static final int WARMUP_ROUNDS = 3;

    private RedisDedupeLoad() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        long roundMillis = args.length > 2 ? Long.parseLong(args[2]) : 1_000;

        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        RedisServer server = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        server.start();
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> connection = client.connect();
                RedisDedupeStore store =
                        RedisDedupeStore.builder().connection(connection).build()) {
            RedisCommands<String, String> raw = connection.sync();
            Consumer<String> floor = key -> raw.set(key, "0123456789abcdef0123456789abcdef", NX_PX);
            Consumer<String> dedupe =
                    key -> store.complete(key, store.claim(key, LEASE).claim().orElseThrow(), RETENTION);

            double[] floorRates = new double[rounds];
            double[] storeRates = new double[rounds];
            for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
                double f = round(floor, threads, roundMillis);
                double s = round(dedupe, threads, roundMillis);
                String label = r < 0 ? "warm-up" : "round " + (r + 1);
                System.out.printf(
                        Locale.ROOT,
                        "%-9s rawSetNx %8.1f ops/ms   claimAndComplete %8.1f ops/ms   %.3f%n",
                        label,
                        f,
                        s,
                        s / f);
                if (r >= 0) {
                    floorRates[r] = f;
                    storeRates[r] = s;
                }
            }
            double f = median(floorRates);
            double s = median(storeRates);
            System.out.printf(
                    Locale.ROOT,
                    "median    rawSetNx %8.1f ops/ms   claimAndComplete %8.1f ops/ms   ratio %.3f (%d threads)%n",
                    f,
                    s,
                    s / f,
                    threads);
        } finally {
            client.shutdown();
            server.stop();
        }
    }

    /** Runs {@code op} on fresh keys from every thread for {@code millis}; returns operations per millisecond. */
    private static double round(Consumer<String> op, int threads, long millis) throws Exception {
        AtomicLong done = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>();
        long[] window = new long[1];
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                String prefix = "load:" + UUID.randomUUID() + ":";
                long n = 0;
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                long end = window[0];
                while (System.nanoTime() < end) {
                    op.accept(prefix + n++);
                }
                done.addAndGet(n);
            });
            worker.start();
            workers.add(worker);
        }
        long begin = System.nanoTime();
        window[0] = begin + millis * 1_000_000;
        start.await();
        for (Thread worker : workers) {
            worker.join();
        }
        long elapsed = System.nanoTime() - begin;
        return done.get() / (elapsed / 1_000_000.0);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
