package io.hookwarden.samples.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.InboxWorker;
import io.hookwarden.PoisonDeliveryException;
import io.hookwarden.RetryPolicy;
import io.hookwarden.Schemes;
import io.hookwarden.TransactionalHandler;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.inbox.jdbc.JdbcInbox;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.InboxStats;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import io.hookwarden.test.WebhookFixtures;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox under load, end to end (issue 14, "Proven against real servers"): two HTTP servers, each with its own
 * {@link WebhookReceiver} writing to one {@link JdbcInbox} on one embedded PostgreSQL, and four {@link InboxWorker}s
 * per receiver (two handler threads each) draining it. Every event is sent 1 to 4 times, in random order, concurrently,
 * to either server; a fifth of the handler's attempts fail after writing (so their writes must roll back) and one event
 * in a hundred is poison.
 *
 * <p>The handler is {@link JdbcInbox#transactional}: it inserts the event's id into {@code soak_done}, whose primary
 * key refuses a second insert, in the transaction that completes the delivery. So the table's rows are the events
 * that completed, each at most once, and their count shows none missing.
 *
 * <p>By default it sends 1,000 events (about 2,500 requests); the full soak of 10,000:
 *
 * <pre>{@code
 * ./mvnw -B -ntp -q -pl samples/servlet-sample -am verify -Djacoco.skip=true -Dtest=InboxSoakTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dhookwarden.soak.deliveries=10000
 * }</pre>
 *
 * <p>{@code -Dhookwarden.soak.seed=N} repeats a run's poison events, copies and sending order (its seed is in every
 * failure's message); which attempts fail is drawn afresh. The full run takes about a minute on two cores.
 */
class InboxSoakTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final int EVENTS = Integer.getInteger("hookwarden.soak.deliveries", 1_000);
    private static final long SEED = Long.getLong("hookwarden.soak.seed", System.nanoTime());
    private static final int WORKERS_PER_RECEIVER = 4;
    private static final int SENDERS = 16;

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try") // close() may be interrupted while the server or inbox stops its threads
    void everyEventCompletesExactlyOnceThePoisonDiesAndReplayCompletesItAfterTheFix() throws Exception {
        // given
        String run = "seed " + SEED + ", " + EVENTS + " events";
        Random random = new Random(SEED);
        Set<String> all = new HashSet<>();
        Set<String> poison = new HashSet<>();
        Set<Integer> poisonEvents = new HashSet<>();
        List<Integer> shuffled = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            shuffled.add(i);
        }
        Collections.shuffle(shuffled, random);
        for (int i = 0; i < EVENTS; i++) {
            String id = "msg_soak_" + i;
            all.add(id);
            if (shuffled.get(i) < Math.max(1, EVENTS / 100)) {
                poison.add(id);
                poisonEvents.add(i);
            }
        }
        List<Send> sends = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            int copies = 1 + random.nextInt(4);
            for (int c = 0; c < copies; c++) {
                sends.add(new Send(i, random.nextInt(2)));
            }
        }
        Collections.shuffle(sends, random);
        Logger workerLog = Logger.getLogger(InboxWorker.class.getName());
        Level level = workerLog.getLevel();
        workerLog.setLevel(Level.SEVERE); // a fifth of the attempts fail on purpose: each would log a warning

        try (TestPostgres postgres = TestPostgres.start(dir.resolve("pg"));
                HikariDataSource pool = postgres.pool("soak", 48, Duration.ofSeconds(30))) {
            JdbcInbox inbox = JdbcInbox.builder().dataSource(pool).build();
            inbox.createTableIfMissing();
            execute(pool, "CREATE TABLE soak_done (event_id VARCHAR(64) PRIMARY KEY, worker VARCHAR(64) NOT NULL)");
            AtomicInteger attempts = new AtomicInteger();
            AtomicInteger transientFailures = new AtomicInteger();
            AtomicInteger poisonRefusals = new AtomicInteger();
            AtomicBoolean fixed = new AtomicBoolean();
            TransactionalHandler handler = inbox.transactional((webhook, connection) -> {
                attempts.incrementAndGet();
                String id = webhook.id().orElseThrow();
                if (webhook.json().path("data").path("poison").asBoolean() && !fixed.get()) {
                    poisonRefusals.incrementAndGet();
                    throw new PoisonDeliveryException("event " + id + " can never be processed by this version");
                }
                try (PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO soak_done (event_id, worker) VALUES (?, ?)")) {
                    insert.setString(1, id);
                    insert.setString(2, Thread.currentThread().getName());
                    insert.executeUpdate();
                }
                if (ThreadLocalRandom.current().nextInt(100) < 20) { // after the insert: it must roll back
                    transientFailures.incrementAndGet();
                    throw new IllegalStateException("simulated transient failure of " + id);
                }
            });
            WebhookReceiver[] receivers = {receiver(inbox), receiver(inbox)};
            List<InboxWorker> workers = new ArrayList<>();
            try (FilterServer one = FilterServer.start(Map.of("soak", receivers[0]));
                    FilterServer two = FilterServer.start(Map.of("soak", receivers[1]))) {
                FilterServer[] servers = {one, two};
                for (int r = 0; r < receivers.length; r++) {
                    for (int w = 0; w < WORKERS_PER_RECEIVER; w++) {
                        workers.add(InboxWorker.builder()
                                .name("soak-" + r + "-" + w)
                                .endpoint(receivers[r], handler)
                                .concurrency(2)
                                .pollInterval(Duration.ofMillis(50))
                                .lease(Duration.ofSeconds(30))
                                .retryPolicy(RetryPolicy.builder()
                                        .base(Duration.ofMillis(10))
                                        .cap(Duration.ofMillis(200))
                                        .maxAttempts(40) // 0.2^40: no healthy event dies of bad luck
                                        .build())
                                .build()
                                .start());
                    }
                }

                // when: every copy sent, concurrently and in random order, to either server
                List<HttpResponse<String>> answers = sendAll(sends, poisonEvents, servers);
                awaitStats(
                        inbox,
                        Duration.ofSeconds(60 + EVENTS / 20),
                        stats -> stats.count(State.COMPLETED) == EVENTS - poison.size()
                                && stats.count(State.DEAD) == poison.size(),
                        run);

                // then: each event stored once, the healthy ones completed once, the poison dead
                assertThat(answers).as(run).allSatisfy(answer -> assertThat(answer.statusCode())
                        .isEqualTo(200));
                assertThat(answers.stream().filter(answer -> !answer.body().contains("DUPLICATE")))
                        .as("answers that stored a delivery, " + run)
                        .hasSize(EVENTS);
                assertThat(doneIds(pool))
                        .as(run)
                        .hasSize(EVENTS - poison.size())
                        .isEqualTo(difference(all, poison));
                List<StoredDelivery> dead = inbox.find(InboxQuery.builder()
                        .endpoint("soak")
                        .state(State.DEAD)
                        .limit(InboxQuery.MAX_LIMIT)
                        .build());
                assertThat(dead.stream().map(d -> d.entry().eventId()))
                        .as(run)
                        .containsExactlyInAnyOrderElementsOf(poison);
                assertThat(dead).allSatisfy(d -> assertThat(d.lastError()).contains("PoisonDeliveryException"));
                assertThat(transientFailures.get()).as(run).isPositive();
                assertThat(poisonRefusals.get()).as(run).isEqualTo(poison.size());
                assertThat(attempts.get()).as(run).isEqualTo(EVENTS + transientFailures.get());

                // when: the fix is deployed and the dead are replayed
                fixed.set(true);
                int replayed = inbox.replay(InboxQuery.builder()
                        .endpoint("soak")
                        .state(State.DEAD)
                        .limit(InboxQuery.MAX_LIMIT)
                        .build());
                InboxStats stats = awaitStats(
                        inbox,
                        Duration.ofSeconds(60),
                        s -> s.count(State.COMPLETED) == EVENTS && s.count(State.DEAD) == 0,
                        run);

                // then: every event completed, each once, none lost
                assertThat(replayed).as(run).isEqualTo(poison.size());
                assertThat(doneIds(pool)).as(run).hasSize(EVENTS).isEqualTo(all);
                assertThat(stats.count(State.COMPLETED)).as(run).isEqualTo(all.size());
                assertThat(stats.count(State.PENDING) + stats.count(State.IN_FLIGHT) + stats.count(State.SKIPPED))
                        .as(run)
                        .isZero();
            } finally {
                for (InboxWorker worker : workers) {
                    worker.stop(Duration.ofSeconds(10));
                }
            }
        } finally {
            workerLog.setLevel(level);
        }
    }

    private record Send(int event, int server) {}

    private static WebhookReceiver receiver(JdbcInbox inbox) {
        return WebhookReceiver.builder()
                .name("soak")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(SECRET)
                        .build())
                .inbox(inbox)
                .build();
    }

    /** Signs each copy when it is sent, as a provider's retry signs again, and sends them all at once. */
    private static List<HttpResponse<String>> sendAll(List<Send> sends, Set<Integer> poison, FilterServer[] servers)
            throws Exception {
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .build();
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (Send send : sends) {
                sent.add(senders.submit(() -> {
                    WebhookRequest request = fixtures.delivery("{\"type\":\"order.created\",\"data\":{\"order\":"
                                    + send.event() + ",\"poison\":" + poison.contains(send.event()) + "}}")
                            .id("msg_soak_" + send.event())
                            .signed();
                    return servers[send.server()].send(client, "soak", request);
                }));
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

    private static InboxStats awaitStats(JdbcInbox inbox, Duration timeout, Predicate<InboxStats> done, String run)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        InboxStats stats = inbox.stats("soak");
        while (!done.test(stats) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            stats = inbox.stats("soak");
        }
        assertThat(done.test(stats))
                .as("inbox after " + timeout + ": " + stats + ", " + run)
                .isTrue();
        return stats;
    }

    private static Set<String> doneIds(HikariDataSource pool) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT event_id FROM soak_done")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static Set<String> difference(Set<String> all, Set<String> minus) {
        return all.stream().filter(id -> !minus.contains(id)).collect(Collectors.toSet());
    }

    private static void execute(HikariDataSource pool, String sql) throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
