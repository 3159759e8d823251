package io.hookwarden.benchmarks;

import io.hookwarden.Headers;
import io.hookwarden.inbox.redis.RedisInbox;
import io.hookwarden.spi.Inbox.Written;
import io.hookwarden.spi.InboxEntry;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * The accept path of a {@code RedisInbox} beside its floor, in the same run: {@code write} is {@link RedisInbox#write}
 * of a Standard Webhooks delivery (2 KiB JSON body, its own dedupe key): encoding the entry, and one {@code EVALSHA}
 * that checks the dedupe key and the length cap, {@code XADD}s the entry and writes its state and indexes. The floor
 * {@code rawXadd} is one {@code XADD} of the same bytes (the inbox's own stream entry, read back in the set-up) into
 * another stream of the same Redis, on a connection of its own, at the same concurrency ({@value #THREADS} threads).
 * Each fork starts its own embedded Redis on a free port, without persistence (the protocol is measured, not the disk).
 *
 * <p>Read {@code write / rawXadd}; the target is at least 0.8. The group {@code sideBySide} runs both at once, half
 * the threads each, so both halves see the same machine: read {@code writeBeside / rawBeside} there. Redis is emptied
 * before each iteration; after it, each stream must hold exactly the operations that returned, or the run stops.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar RedisInboxAcceptBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Threads(RedisInboxAcceptBenchmark.THREADS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class RedisInboxAcceptBenchmark {
    static final int THREADS = 8;
    private static final String ENDPOINT = "bench";
    private static final String RAW_STREAM = "bench:raw";
    private static final Instant SIGNED_AT = Instant.parse("2026-12-03T00:00:00Z");

    private RedisServer server;
    private RedisInbox inbox;
    private RedisClient client;
    private StatefulRedisConnection<String, byte[]> rawConnection;
    private RedisCommands<String, byte[]> raw;
    private byte[] body;
    /** The inbox's own stream entry for a delivery, as the floor adds it. */
    private Map<String, byte[]> rawEntry;

    private final LongAdder written = new LongAdder();
    private final LongAdder added = new LongAdder();

    @Setup(Level.Trial)
    public void start() throws IOException {
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
        String uri = "redis://127.0.0.1:" + port;
        inbox = RedisInbox.builder().uri(uri).maxLength(1_000_000_000L).build();
        client = RedisClient.create(uri);
        rawConnection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        raw = rawConnection.sync();
        body = body(new Random(14));

        if (inbox.write(entry("setup-0")) != Written.ADDED) {
            throw new IllegalStateException("the set-up's delivery was not added");
        }
        List<StreamMessage<String, byte[]>> stored = raw.xrange(inbox.streamKey(ENDPOINT), Range.create("-", "+"));
        if (stored.size() != 1 || stored.get(0).getBody().get("e").length < body.length) {
            throw new IllegalStateException("the inbox's stream does not hold the delivery with its whole body");
        }
        rawEntry = Map.copyOf(stored.get(0).getBody());
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        inbox.close();
        rawConnection.close();
        client.shutdown();
        server.stop();
    }

    /** Keeps Redis from growing without bound: empty before each iteration. */
    @Setup(Level.Iteration)
    public void empty() {
        raw.flushall();
        written.reset();
        added.reset();
    }

    /** Every operation that returned left exactly one stream entry. */
    @TearDown(Level.Iteration)
    public void check() {
        long inboxEntries = raw.xlen(inbox.streamKey(ENDPOINT));
        long rawEntries = raw.xlen(RAW_STREAM);
        if (inboxEntries != written.sum() || rawEntries != added.sum()) {
            throw new IllegalStateException("the streams hold " + inboxEntries + " written and " + rawEntries
                    + " raw entries after " + written.sum() + " writes and " + added.sum() + " raw XADDs");
        }
    }

    private static byte[] body(Random random) {
        StringBuilder json = new StringBuilder("{\"type\":\"invoice.paid\",\"data\":\"");
        while (json.length() < 2046) {
            json.append((char) ('a' + random.nextInt(26)));
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private InboxEntry entry(String key) {
        return new InboxEntry(
                ENDPOINT,
                key,
                "standard-webhooks",
                "POST",
                "https://example.test/webhooks/standard",
                Headers.builder()
                        .add("webhook-id", key)
                        .add("webhook-timestamp", Long.toString(SIGNED_AT.getEpochSecond()))
                        .add("webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=")
                        .add("content-type", "application/json")
                        .build(),
                body,
                "203.0.113.7",
                key,
                "invoice.paid",
                SIGNED_AT,
                "primary",
                null,
                InboxEntry.Ordering.NONE,
                0,
                SIGNED_AT);
    }

    /** Each thread's next delivery, built with its own dedupe key before each call (outside the measured time). */
    @State(Scope.Thread)
    public static class Next {
        private static final AtomicInteger THREAD_IDS = new AtomicInteger();

        private final String thread = Integer.toString(THREAD_IDS.incrementAndGet());
        private long n;
        InboxEntry entry;

        @Setup(Level.Invocation)
        public void next(RedisInboxAcceptBenchmark bench) {
            entry = bench.entry("acc-" + thread + "-" + n++);
        }
    }

    @Benchmark
    public Written write(Next next) {
        Written w = inbox.write(next.entry);
        if (w != Written.ADDED) {
            throw new IllegalStateException("a new delivery was not added: " + w);
        }
        written.increment();
        return w;
    }

    /** The floor; takes the same per-invocation set-up as {@code write}, so both pay JMH's per-call timestamps. */
    @Benchmark
    public String rawXadd(Next next) {
        String id = raw.xadd(RAW_STREAM, rawEntry);
        added.increment();
        return id;
    }

    /** The inbox's half of {@code sideBySide}: half the threads, at the same moments as the floor's half. */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(THREADS / 2)
    public Written writeBeside(Next next) {
        return write(next);
    }

    /** The floor's half of {@code sideBySide}. */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(THREADS / 2)
    public String rawBeside(Next next) {
        return rawXadd(next);
    }
}
