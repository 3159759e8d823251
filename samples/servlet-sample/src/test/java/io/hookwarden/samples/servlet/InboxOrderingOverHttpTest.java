package io.hookwarden.samples.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.EventAttribute;
import io.hookwarden.InboxWorker;
import io.hookwarden.RetryPolicy;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.inbox.jdbc.JdbcInbox;
import io.hookwarden.spi.InboxEntry.Ordering;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.InboxStats;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import io.hookwarden.test.WebhookFixtures;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordering per key through real HTTP and PostgreSQL (issue 14, "Proven against real servers"): deliveries reach the
 * filter on embedded Jetty, are stored in a {@link JdbcInbox} on an embedded PostgreSQL with their ordering key ({@code
 * /data/key}) and sequence ({@code /data/seq}), and two {@link InboxWorker}s of four threads each run them. {@code
 * STRICT}: each key's events run one at a time in sequence order although they arrived shuffled and a third of the
 * attempts fail. {@code LATEST}: an event older than one already applied to its key is skipped, its handler never run.
 */
class InboxOrderingOverHttpTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final long SEED = Long.getLong("hookwarden.soak.seed", System.nanoTime());

    @TempDir
    static Path dir;

    private static TestPostgres postgres;
    private static HikariDataSource pool;
    private static JdbcInbox inbox;

    private final WebhookFixtures fixtures = WebhookFixtures.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .build();
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startPostgres() {
        postgres = TestPostgres.start(dir.resolve("pg"));
        pool = postgres.pool("ordering", 24, Duration.ofSeconds(30));
        inbox = JdbcInbox.builder().dataSource(pool).build();
        inbox.createTableIfMissing();
    }

    @AfterAll
    static void stopPostgres() {
        pool.close();
        postgres.close();
    }

    @Test
    @SuppressWarnings("try") // close() may be interrupted while the server or inbox stops its threads
    void strictKeysRunOneAtATimeInSequenceOrderThoughTheyArrivedShuffledAndAttemptsFail() throws Exception {
        // given: 20 keys of 8 events, every event sent once or twice, all in one shuffled stream
        int keys = 20;
        int perKey = 8;
        Random random = new Random(SEED);
        List<int[]> sends = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            for (int seq = 1; seq <= perKey; seq++) {
                for (int copy = 0, copies = 1 + random.nextInt(2); copy < copies; copy++) {
                    sends.add(new int[] {k, seq});
                }
            }
        }
        Collections.shuffle(sends, random);
        WebhookReceiver receiver = receiver("strict", Ordering.STRICT);
        Map<String, List<Integer>> attempted = new ConcurrentHashMap<>();
        Map<String, List<Integer>> completed = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        WebhookReceiver.Handler handler = webhook -> {
            JsonNode data = webhook.json().path("data");
            String key = data.path("key").asText();
            int seq = data.path("seq").asInt();
            int atOnce = running.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            mostAtOnce.accumulateAndGet(atOnce, Math::max);
            try {
                attempted
                        .computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
                        .add(seq);
                Thread.sleep(2); // long enough for another worker to claim the key's next event, were it allowed to
                if (ThreadLocalRandom.current().nextInt(3) == 0) {
                    failures.incrementAndGet();
                    throw new IllegalStateException("simulated transient failure of " + key + "/" + seq);
                }
                completed
                        .computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
                        .add(seq);
            } finally {
                running.get(key).decrementAndGet();
            }
        };

        try (FilterServer server = FilterServer.start(Map.of("strict", receiver));
                Quiet quiet = new Quiet()) {
            List<HttpResponse<String>> answers = sendAll(server, "strict", sends);
            assertThat(answers)
                    .allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));

            // when: the workers start on what is stored
            List<InboxWorker> workers = workers(receiver, handler);
            try {
                awaitStats("strict", stats -> stats.count(State.COMPLETED) == keys * perKey);
            } finally {
                workers.forEach(worker -> worker.stop(Duration.ofSeconds(10)));
            }
        }

        // then: per key, attempts never went back in sequence, and each event completed once, in order
        List<Integer> inOrder = IntStream.rangeClosed(1, perKey).boxed().toList();
        assertThat(completed).as("seed " + SEED).hasSize(keys);
        completed.forEach(
                (key, seqs) -> assertThat(seqs).as(key + ", seed " + SEED).isEqualTo(inOrder));
        attempted.forEach(
                (key, seqs) -> assertThat(seqs).as(key + ", seed " + SEED).isSorted());
        assertThat(mostAtOnce.get()).as("most handlers of one key at once").isOne();
        assertThat(failures.get()).as("failed attempts, retried").isPositive();
    }

    @Test
    @SuppressWarnings("try") // close() may be interrupted while the server or inbox stops its threads
    void latestSkipsTheOlderOfTwoEventsThatArriveOutOfOrder() throws Exception {
        // given: workers running, and the newer event of each key already applied
        int keys = 10;
        WebhookReceiver receiver = receiver("latest", Ordering.LATEST);
        Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
        WebhookReceiver.Handler handler = webhook -> {
            JsonNode data = webhook.json().path("data");
            handled.computeIfAbsent(data.path("key").asText(), k -> new CopyOnWriteArrayList<>())
                    .add(data.path("seq").asInt());
        };
        List<int[]> newer = new ArrayList<>();
        List<int[]> older = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            newer.add(new int[] {k, 2});
            older.add(new int[] {k, 1});
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (FilterServer server = FilterServer.start(Map.of("latest", receiver))) {
            List<InboxWorker> workers = workers(receiver, handler);
            try {
                answers.addAll(sendAll(server, "latest", newer));
                awaitStats("latest", stats -> stats.count(State.COMPLETED) == keys);

                // when: the older event of each key arrives late
                answers.addAll(sendAll(server, "latest", older));
                awaitStats("latest", stats -> stats.count(State.SKIPPED) == keys);
            } finally {
                workers.forEach(worker -> worker.stop(Duration.ofSeconds(10)));
            }
        }

        // then: both stored, only the newer ran, the older is skipped with the reason
        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
        assertThat(handled).hasSize(keys).allSatisfy((key, seqs) -> assertThat(seqs)
                .containsExactly(2));
        List<StoredDelivery> skipped = inbox.find(
                InboxQuery.builder().endpoint("latest").state(State.SKIPPED).build());
        assertThat(skipped).hasSize(keys).allSatisfy(delivery -> {
            assertThat(delivery.entry().sequence()).isEqualTo(1);
            assertThat(delivery.lastError()).contains("sequence 2");
        });
        assertThat(inbox.stats("latest").count(State.COMPLETED)).isEqualTo(keys);
    }

    private static WebhookReceiver receiver(String name, Ordering ordering) {
        return WebhookReceiver.builder()
                .name(name)
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(SECRET)
                        .build())
                .inbox(inbox)
                .ordering(ordering, EventAttribute.jsonPointer("/data/key"))
                .sequence(EventAttribute.jsonPointer("/data/seq"))
                .build();
    }

    private static List<InboxWorker> workers(WebhookReceiver receiver, WebhookReceiver.Handler handler) {
        List<InboxWorker> workers = new ArrayList<>();
        for (int w = 1; w <= 2; w++) {
            workers.add(InboxWorker.builder()
                    .name(receiver.name() + "-" + w)
                    .endpoint(receiver, handler)
                    .concurrency(4)
                    .pollInterval(Duration.ofMillis(50))
                    .lease(Duration.ofSeconds(30))
                    .retryPolicy(RetryPolicy.builder()
                            .base(Duration.ofMillis(10))
                            .cap(Duration.ofMillis(100))
                            .maxAttempts(40)
                            .build())
                    .build()
                    .start());
        }
        return workers;
    }

    /** Sends event {@code [key, seq]} of each entry, concurrently, each with its own id. */
    private List<HttpResponse<String>> sendAll(FilterServer server, String endpoint, List<int[]> events)
            throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int[] event : events) {
                WebhookRequest request = fixtures.delivery("{\"type\":\"object.updated\",\"data\":{\"key\":\"obj_"
                                + event[0] + "\",\"seq\":" + event[1] + "}}")
                        .id("msg_" + endpoint + "_" + event[0] + "_" + event[1])
                        .signed();
                sent.add(senders.submit(() -> server.send(client, endpoint, request)));
            }
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : sent) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            senders.shutdown();
        }
    }

    private static void awaitStats(String endpoint, Predicate<InboxStats> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        InboxStats stats = inbox.stats(endpoint);
        while (!done.test(stats) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            stats = inbox.stats(endpoint);
        }
        assertThat(done.test(stats)).as(endpoint + " after 60 s: " + stats).isTrue();
    }

    /** Keeps the worker's warning per failed attempt (a third of them, on purpose) out of the test's output. */
    private static final class Quiet implements AutoCloseable {
        private final Logger log = Logger.getLogger(InboxWorker.class.getName());
        private final Level level = log.getLevel();

        Quiet() {
            log.setLevel(Level.SEVERE);
        }

        @Override
        public void close() {
            log.setLevel(level);
        }
    }
}
