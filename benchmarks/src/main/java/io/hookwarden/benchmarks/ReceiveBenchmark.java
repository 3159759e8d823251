package io.hookwarden.benchmarks;

import io.hookwarden.Delivery;
import io.hookwarden.Headers;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Outcome;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the receiver pipeline costs over verification alone, in the same run: Standard Webhooks, a 2 KiB JSON body,
 * an {@link InMemoryDedupeStore}.
 *
 * <ul>
 *   <li>{@code verify}: {@link WebhookVerifier#verify} alone, the baseline.
 *   <li>{@code receive}: {@link WebhookReceiver#receive} (verification, the payload check, the claim) and then {@link
 *       Delivery#complete()} and {@link Delivery#close()}, as an adapter runs them around a handler.
 *   <li>{@code buildAndReceive}: the same, preceded by building the {@link WebhookRequest} from header names and values
 *       and a freshly read body array, as the servlet filter does.
 * </ul>
 *
 * <p>Read {@code receive} (and {@code buildAndReceive}) divided by {@code verify}: the closer to 1, the less the
 * pipeline adds. Run with {@code -prof gc} to see bytes allocated per operation ({@code gc.alloc.rate.norm}).
 *
 * <p>Every delivery has its own signed {@code webhook-id}, so each {@code receive} claims a key: {@value #DELIVERIES}
 * deliveries are signed in the set-up and taken in turn. The receiver keeps a processed key for one millisecond only
 * ({@code retention}), and the store runs on the system clock, so when the turn comes round again the key's record has
 * expired and the claim takes it over, as a store at its steady size does; a claim that is not accepted fails the
 * benchmark. The verifier's clock stands still at the signing time. The prebuilt requests all share one body array
 * (they differ in id and signature): 16,384 bodies of their own would be 32 MiB, read from memory rather than cache,
 * which made {@code verify} and {@code receive} slower than {@code buildAndReceive} (whose fresh copy of the body is
 * always in cache) and the ratios swing from run to run with what else the machine's caches held. One thread by default; with {@code -t N} each
 * thread takes its own slice of the deliveries, which shows what threads contending in the pipeline cost (the
 * servlet filter runs on a container's pool).
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ReceiveBenchmark -prof gc
 * java -jar benchmarks/target/benchmarks.jar ReceiveBenchmark -t 4 -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReceiveBenchmark {
    private static final Instant SIGNED_AT = Instant.parse("2026-01-15T12:00:00Z");
    private static final int BODY_SIZE = 2048;
    /** Deliveries signed in the set-up: enough that a key's one-millisecond retention is over before it comes back. */
    static final int DELIVERIES = 16_384;
    /** The most benchmark threads: each takes its turn through 2,048 deliveries of its own. */
    static final int MAX_THREADS = 8;

    private WebhookVerifier verifier;
    private WebhookReceiver receiver;
    private WebhookRequest[] requests;
    /** Per delivery: header names and values alternating, as a container hands them over. */
    private String[][] rawHeaders;

    private byte[] body;

    /**
     * One benchmark thread's turn through its own slice of the deliveries, so that with {@code -t N} (N up to {@value
     * #MAX_THREADS}) no two threads claim the same key.
     */
    @State(Scope.Thread)
    public static class Turn {
        private static final AtomicInteger SLICES = new AtomicInteger();

        private int from;
        private int next;

        @Setup(Level.Trial)
        public void setUp() {
            // a shared key would not be accepted, which stops the run: at most MAX_THREADS at once
            int slice = SLICES.getAndIncrement() % MAX_THREADS;
            from = slice * (DELIVERIES / MAX_THREADS);
            next = from;
        }

        int next() {
            int i = next;
            next = i + 1 == from + DELIVERIES / MAX_THREADS ? from : i + 1;
            return i;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(0x5EEDL);
        byte[] key = new byte[32];
        random.nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        Clock clock = Clock.fixed(SIGNED_AT, ZoneOffset.UTC);
        body = body(random);

        verifier = WebhookVerifier.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(secret)
                .clock(clock)
                .build();
        receiver = WebhookReceiver.builder()
                .verifier(verifier)
                .dedupeStore(InMemoryDedupeStore.builder()
                        .maximumSize(DELIVERIES * 2)
                        .build())
                .retention(Duration.ofMillis(1))
                .build();
        WebhookSigner signer = WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(secret)
                .clock(clock)
                .build();

        requests = new WebhookRequest[DELIVERIES];
        rawHeaders = new String[DELIVERIES][];
        for (int i = 0; i < DELIVERIES; i++) {
            Headers signed = signer.headers(WebhookMessage.body(body)
                    .id("msg_" + i)
                    .timestamp(SIGNED_AT)
                    .build());
            List<String> raw = new ArrayList<>(List.of(
                    "Host", "hooks.example.com",
                    "User-Agent", "Svix-Webhooks/1.0",
                    "Content-Type", "application/json",
                    "Content-Length", Integer.toString(BODY_SIZE)));
            signed.toMap()
                    .forEach((name, values) -> values.forEach(v -> {
                        raw.add(name);
                        raw.add(v);
                    }));
            rawHeaders[i] = raw.toArray(String[]::new);
            requests[i] = build(rawHeaders[i], body); // one body array for all: see the class comment
        }
        if (!(receiver.receive(requests[0]) instanceof Outcome.Accepted accepted)) {
            throw new IllegalStateException("the set-up's first delivery was not accepted");
        }
        accepted.delivery().close(); // released: the key is free again
    }

    private static byte[] body(Random random) {
        StringBuilder json = new StringBuilder("{\"type\":\"invoice.paid\",\"data\":{\"note\":\"");
        while (json.length() < BODY_SIZE - 3) {
            json.append((char) ('a' + random.nextInt(26)));
        }
        json.append("\"}}");
        return json.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** As the servlet filter builds a request: method, URL, address, the body read (handed over), each header value. */
    private static WebhookRequest build(String[] raw, byte[] body) {
        WebhookRequest.Builder b = WebhookRequest.builder()
                .method("POST")
                .url("https://hooks.example.com/webhooks/orders")
                .remoteAddress("203.0.113.7")
                .wrapBody(body);
        for (int i = 0; i < raw.length; i += 2) {
            b.header(raw[i], raw[i + 1]);
        }
        return b.build();
    }

    @Benchmark
    public VerifiedWebhook verify(Turn turn) {
        return verifier.verify(requests[turn.next()]);
    }

    @Benchmark
    public boolean receive(Turn turn) {
        return receiveAndComplete(requests[turn.next()]);
    }

    @Benchmark
    public boolean buildAndReceive(Turn turn) {
        int i = turn.next();
        // a container's body arrives in a fresh array each time; copying it here stands for that read
        return receiveAndComplete(build(rawHeaders[i], body.clone()));
    }

    private boolean receiveAndComplete(WebhookRequest request) {
        Outcome outcome = receiver.receive(request);
        if (!(outcome instanceof Outcome.Accepted accepted)) {
            throw new IllegalStateException("expected a claim but was " + outcome);
        }
        try (Delivery delivery = accepted.delivery()) {
            return delivery.complete();
        }
    }
}
