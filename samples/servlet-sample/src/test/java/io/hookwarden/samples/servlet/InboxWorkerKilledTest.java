package io.hookwarden.samples.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.InboxWorker;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.samples.support.SampleInbox;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica killed with SIGKILL in the middle of a handler (issue 14, "Proven against real servers"): the servlet
 * sample runs as a separate JVM with {@code HOOKWARDEN_INBOX} on an embedded PostgreSQL and a 2 s {@code
 * HOOKWARDEN_INBOX_LEASE}; a slow delivery ({@code data.work_ms}) reaches its worker, which is killed while the handler
 * sleeps and its heartbeat extends the lease. Another worker, in this JVM, takes the delivery only once the lease has run
 * out, and completes it once.
 */
class InboxWorkerKilledTest {
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final String ID = "msg_killed_mid_handler";

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try") // close() may be interrupted while the server or inbox stops its threads
    void aDeliveryWhoseWorkerWasKilledMidHandlerIsCompletedOnceByAnotherWorkerAfterItsLease() throws Exception {
        try (TestPostgres postgres = TestPostgres.start(dir.resolve("pg"));
                HikariDataSource pool = postgres.pool("killed-test", 4, Duration.ofSeconds(30))) {
            // given: a replica in its own process, whose worker is in the middle of a 3 s handler
            Process replica = replica(postgres.jdbcUrl()).start();
            Row killed;
            try {
                URI uri = awaitListening(replica);
                WebhookRequest slow = WebhookFixtures.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(SampleSettings.DEMO_STANDARD_SECRET)
                        .build()
                        .delivery("{\"type\":\"order.created\",\"data\":{\"order_id\":\"ord_killed\",\"total\":1,"
                                + "\"work_ms\":3000}}")
                        .id(ID)
                        .signed();
                HttpResponse<String> answer = HttpClient.newHttpClient()
                        .send(
                                WebhookRequests.toHttpRequest(slow, uri.resolve(SampleEndpoints.STANDARD)),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                Row claimed = awaitRow(pool, row -> row.state().equals("IN_FLIGHT"));
                awaitRow(pool, row -> row.leaseEnd() > claimed.leaseEnd()); // its heartbeat: the handler runs

                // when
                replica.destroyForcibly();
                assertThat(replica.waitFor(30, TimeUnit.SECONDS)).isTrue();
                killed = row(pool).orElseThrow();
            } finally {
                replica.destroyForcibly();
            }

            // then: the process died of SIGKILL (128 + 9), leaving the delivery in flight under its lease
            assertThat(replica.exitValue()).isEqualTo(137);
            assertThat(killed.state()).isEqualTo("IN_FLIGHT");
            assertThat(killed.attempts()).isEqualTo(1);

            // when: another worker runs on the same inbox
            SampleSettings settings = SampleSettings.from(Map.of("HOOKWARDEN_INBOX", postgres.jdbcUrl(), "PORT", "0"));
            List<Instant> started = Collections.synchronizedList(new ArrayList<>());
            Row completed;
            try (SampleInbox inbox = SampleInbox.open(postgres.jdbcUrl())) {
                SampleEndpoints endpoints = SampleEndpoints.create(
                        settings, InMemoryDedupeStore.create(), inbox.inbox(), Clock.systemUTC());
                InboxWorker other = InboxWorker.builder()
                        .name("other")
                        .endpoint(endpoints.receiver(SampleEndpoints.STANDARD), webhook -> {
                            started.add(Instant.now());
                            endpoints.handle(SampleEndpoints.STANDARD, webhook);
                        })
                        .pollInterval(Duration.ofMillis(100))
                        .lease(LEASE)
                        .build()
                        .start();
                try {
                    completed = awaitRow(pool, row -> row.state().equals("COMPLETED"));
                } finally {
                    other.stop(Duration.ofSeconds(10));
                }

                // then: it ran the handler once, after the killed worker's lease ran out, and completed the delivery
                assertThat(started).hasSize(1);
                assertThat(started.get(0).toEpochMilli()).isGreaterThanOrEqualTo(killed.leaseEnd());
                assertThat(endpoints.log().toJson()).containsOnlyOnce("\"id\":\"" + ID + "\"");
                assertThat(completed.attempts()).isEqualTo(2);
            }
        }
    }

    /** The servlet sample as a process on this test's class path, with only the inbox and lease configured. */
    private ProcessBuilder replica(String inbox) throws IOException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), ServletSample.class.getName())
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("HOOKWARDEN_") || key.equals("PORT"));
        env.put("PORT", Integer.toString(freePort()));
        env.put("HOOKWARDEN_INBOX", inbox);
        env.put("HOOKWARDEN_INBOX_LEASE", LEASE.toMillis() + "ms");
        return builder;
    }

    /** The URL the process printed once listening. */
    private URI awaitListening(Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Path out = dir.resolve("out.txt");
        while (System.nanoTime() < deadline && process.isAlive()) {
            String printed = Files.readString(out, StandardCharsets.UTF_8);
            int at = printed.indexOf("listening on ");
            if (at >= 0 && printed.indexOf('\n', at) > 0) {
                String url = printed.substring(at + "listening on ".length()).split(" ")[0];
                return URI.create(url);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the replica did not start: " + Files.readString(dir.resolve("err.txt")));
    }

    private record Row(String state, int attempts, long leaseEnd) {}

    private static Row awaitRow(HikariDataSource pool, Predicate<Row> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Optional<Row> row = row(pool);
        while (!(row.isPresent() && condition.test(row.get())) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            row = row(pool);
        }
        assertThat(row).as("the delivery's row after 30 s").hasValueSatisfying(r -> assertThat(condition)
                .accepts(r));
        return row.orElseThrow();
    }

    private static Optional<Row> row(HikariDataSource pool) throws Exception {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT state, attempts, next_attempt_at FROM hookwarden_inbox WHERE event_id = ?")) {
            s.setString(1, ID);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next()
                        ? Optional.of(new Row(rows.getString(1), rows.getInt(2), rows.getLong(3)))
                        : Optional.empty();
            }
        } catch (java.sql.SQLException e) {
            return Optional.empty(); // the table is created by the replica at start-up
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
