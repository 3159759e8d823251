package io.hookwarden.samples.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.InboxWorker;
import io.hookwarden.RetryPolicy;
import io.hookwarden.Schemes;
import io.hookwarden.TransactionalHandler;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.inbox.jdbc.JdbcInbox;
import io.hookwarden.spi.InboxStats;
import io.hookwarden.spi.StoredDelivery.State;
import io.hookwarden.test.WebhookFixtures;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox's database stopped in the middle of a run and started again (issue 14, "Proven against real servers"): an
 * embedded PostgreSQL is stopped while two workers drain a backlog that arrived over HTTP. While it is down the
 * receiver answers 503 with {@code Retry-After} (never a 2xx for a delivery it could not store), and the workers back
 * off (a claim at doubling intervals, one warning each) without dying; once it is started again on the same data
 * directory and port, every pending delivery completes, and each event's row in a primary-keyed table written in the
 * handler's transaction shows it completed once.
 */
class InboxDatabaseStoppedTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final int BACKLOG = 200;
    private static final int REFUSED = 20;
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final String[] WORKERS = {"outage-1", "outage-2"};

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try") // close() may be interrupted while the server or inbox stops its threads
    void whileTheDatabaseIsDownReceiversAnswer503AndWorkersBackOffThenEverythingPendingCompletesOnce()
            throws Exception {
        Logger workerLog = Logger.getLogger(InboxWorker.class.getName());
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        workerLog.addHandler(capture);
        Map<String, List<Long>> claims = new ConcurrentHashMap<>();
        try (TestPostgres postgres = TestPostgres.start(dir.resolve("pg"));
                HikariDataSource pool = postgres.pool("outage", 12, Duration.ofMillis(250))) {
            DataSource counted = new PollerConnections(pool, claims);
            JdbcInbox inbox = JdbcInbox.builder().dataSource(counted).build();
            inbox.createTableIfMissing();
            execute(pool, "CREATE TABLE outage_done (event_id VARCHAR(64) PRIMARY KEY)");
            TransactionalHandler handler = inbox.transactional((webhook, connection) -> {
                try (var insert = connection.prepareStatement("INSERT INTO outage_done (event_id) VALUES (?)")) {
                    insert.setString(1, webhook.id().orElseThrow());
                    insert.executeUpdate();
                }
                Thread.sleep(50); // a handler that takes a while: a backlog is left when the database stops
            });
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .name("outage")
                    .verifier(WebhookVerifier.builder()
                            .scheme(Schemes.standardWebhooks())
                            .secret(SECRET)
                            .build())
                    .inbox(inbox)
                    .build();
            List<InboxWorker> workers = new ArrayList<>();
            WebhookFixtures fixtures = WebhookFixtures.builder()
                    .scheme(Schemes.standardWebhooks())
                    .secret(SECRET)
                    .build();
            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (FilterServer server = FilterServer.start(Map.of("outage", receiver))) {
                // given: a backlog accepted over HTTP, then workers draining it
                List<HttpResponse<String>> accepted = sendAll(client, server, fixtures, "msg_backlog_", BACKLOG);
                assertThat(accepted)
                        .allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
                for (String name : WORKERS) {
                    workers.add(InboxWorker.builder()
                            .name(name)
                            .endpoint(receiver, handler)
                            .concurrency(2)
                            .pollInterval(Duration.ofMillis(50))
                            .lease(Duration.ofSeconds(2))
                            .retryPolicy(RetryPolicy.builder()
                                    .base(Duration.ofMillis(50))
                                    .cap(Duration.ofMillis(500))
                                    .maxAttempts(40)
                                    .build())
                            .build()
                            .start());
                }
                await(Duration.ofSeconds(30), () -> doneCountOrZero(pool) >= BACKLOG / 10, () -> "a tenth done");

                // when: the database stops mid-run
                int doneBeforeStop = doneCount(pool);
                postgres.stop();
                long stoppedAt = System.nanoTime();
                claims.clear();
                List<HttpResponse<String>> refused = sendAll(client, server, fixtures, "msg_refused_", REFUSED);
                await(
                        Duration.ofSeconds(30),
                        () -> outageWarnings(logged) >= WORKERS.length,
                        () -> "each worker warned of the outage: " + messages(logged));
                long remaining = OUTAGE.toNanos() - (System.nanoTime() - stoppedAt);
                if (remaining > 0) {
                    TimeUnit.NANOSECONDS.sleep(remaining); // an outage long enough to see the backoff's rhythm
                }
                Map<String, List<Long>> claimsWhileDown = Map.copyOf(claims);
                boolean workersAlive = workers.stream().allMatch(InboxWorker::isRunning);
                postgres.restart();

                // then: refused while down, the workers backed off and kept going
                assertThat(doneBeforeStop)
                        .as("completed when the database stopped")
                        .isLessThan(BACKLOG);
                assertThat(refused).allSatisfy(answer -> {
                    assertThat(answer.statusCode()).isEqualTo(503);
                    assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                    assertThat(answer.body()).contains("STORE_UNAVAILABLE");
                });
                assertThat(outageWarnings(logged)).isEqualTo(WORKERS.length);
                assertThat(workersAlive).isTrue();
                for (String name : WORKERS) {
                    List<Long> times = claimsWhileDown.getOrDefault(name, List.of());
                    // waits of 0.1, 0.2, 0.4, 0.8, 1.6 s... (+-25 %), each plus the pool's 250 ms: about 6 claims in
                    // 5 s; a worker claiming at its poll interval would make some 16, a busy loop many more
                    assertThat(times)
                            .as("claims of worker " + name + " while down")
                            .hasSizeBetween(2, 9);
                    assertThat(times.get(times.size() - 1) - times.get(times.size() - 2))
                            .as("the last gap between claims of " + name + " against the first")
                            .isGreaterThan(2 * (times.get(1) - times.get(0)));
                }

                // when: the database is back, and the provider retries what was refused
                await(
                        Duration.ofSeconds(60),
                        () -> doneCountOrZero(pool) == BACKLOG,
                        () -> "the backlog completed after the restart: " + doneCountOrZero(pool));
                List<HttpResponse<String>> retried = sendAll(client, server, fixtures, "msg_refused_", REFUSED);
                await(
                        Duration.ofSeconds(60),
                        () -> inbox.stats("outage").count(State.COMPLETED) == BACKLOG + REFUSED,
                        () -> "everything completed: " + inbox.stats("outage"));

                // then: everything completed, each event once
                assertThat(retried)
                        .allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
                InboxStats stats = inbox.stats("outage");
                assertThat(stats.count(State.PENDING) + stats.count(State.IN_FLIGHT) + stats.count(State.DEAD))
                        .isZero();
                assertThat(doneCount(pool)).isEqualTo(BACKLOG + REFUSED);
                assertThat(messages(logged)).anySatisfy(m -> assertThat(m).contains("answers again"));
            } finally {
                for (InboxWorker worker : workers) {
                    worker.stop(Duration.ofSeconds(10));
                }
            }
        } finally {
            workerLog.removeHandler(capture);
        }
    }

    private static List<HttpResponse<String>> sendAll(
            HttpClient client, FilterServer server, WebhookFixtures fixtures, String prefix, int count)
            throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                WebhookRequest request = fixtures.delivery(
                                "{\"type\":\"order.created\",\"data\":{\"order\":" + i + "}}")
                        .id(prefix + i)
                        .signed();
                sent.add(senders.submit(() -> server.send(client, "outage", request)));
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

    private static long outageWarnings(List<LogRecord> logged) {
        return logged.stream()
                .filter(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("failed to claim"))
                .count();
    }

    private static List<String> messages(List<LogRecord> logged) {
        return logged.stream().map(LogRecord::getMessage).toList();
    }

    private static void await(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what.get());
            }
            Thread.sleep(50);
        }
    }

    private static int doneCount(DataSource pool) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM outage_done")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static int doneCountOrZero(DataSource pool) {
        try {
            return doneCount(pool);
        } catch (SQLException e) {
            return 0; // the pool reconnecting after the restart
        }
    }

    private static void execute(DataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * The pool, noting when each worker's poller asks it for a connection: a poller does nothing else with the inbox
     * than claim (and now and then purge), so these are its claims.
     */
    private record PollerConnections(DataSource pool, Map<String, List<Long>> claims) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            String thread = Thread.currentThread().getName();
            for (String name : WORKERS) {
                if (thread.equals("hookwarden-inbox-" + name + "-poller")) {
                    claims.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
                            .add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
                }
            }
            return pool.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("the inbox asks for a connection without credentials");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return pool.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return pool.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return pool.isWrapperFor(iface);
        }
    }
}
