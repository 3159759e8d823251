package io.hookwarden.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.InMemoryInbox;
import io.hookwarden.InboxWorker;
import io.hookwarden.RetryPolicy;
import io.hookwarden.Schemes;
import io.hookwarden.TransactionalHandler;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import io.hookwarden.test.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A transactional handler: its writes to the inbox's database and the delivery's completion commit together, or
 * neither does, whatever fails (the handler, the lease, the commit).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JdbcInboxTransactionalTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @SuppressWarnings("try") // the worker runs for the try block's duration; the block only waits
    void every_delivery_writes_its_effect_once_although_each_first_attempt_fails_after_writing(String database)
            throws Exception {
        try (Fixture f = new Fixture(database, Clock.systemUTC(), false)) {
            Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
            TransactionalHandler handler = f.inbox.transactional((webhook, connection) -> {
                f.insertEffect(connection, webhook.id().orElseThrow());
                if (attempts.computeIfAbsent(webhook.id().orElseThrow(), k -> new AtomicInteger())
                                .incrementAndGet()
                        == 1) {
                    throw new IllegalStateException("transient failure after the write");
                }
            });
            int deliveries = 30;
            for (int i = 0; i < deliveries; i++) {
                assertThat(f.send("evt_" + i)).isEqualTo(200);
            }

            try (InboxWorker worker = InboxWorker.builder()
                    .endpoint(f.receiver, handler)
                    .concurrency(4)
                    .pollInterval(Duration.ofMillis(10))
                    .retryPolicy(RetryPolicy.builder()
                            .base(Duration.ofMillis(1))
                            .cap(Duration.ofMillis(5))
                            .build())
                    .build()
                    .start()) {
                await(() -> f.count(State.COMPLETED) == deliveries);
            }

            assertThat(f.effects()).hasSize(deliveries).doesNotHaveDuplicates();
            assertThat(f.count(State.DEAD)).isZero();
            assertThat(attempts.values()).allSatisfy(a -> assertThat(a.get()).isEqualTo(2));
        }
    }

    @Test
    void a_handler_that_throws_goes_up_as_thrown_and_its_writes_are_rolled_back() throws Exception {
        try (Fixture f = new Fixture("h2", MutableClock.at(Instant.now()), false)) {
            f.send("evt_1");
            InboxLease lease = f.claimOne();
            IllegalStateException failure = new IllegalStateException("handler failed");

            assertThatThrownBy(() -> f.inbox.completeWith(lease, () -> {
                        f.insertEffect(JdbcInboxTransactionalTest.bound(f), "evt_1");
                        throw failure;
                    }))
                    .isSameAs(failure);
            assertThat(f.effects()).isEmpty();
            assertThat(f.state(lease)).isEqualTo(State.IN_FLIGHT); // the worker settles a failure, not completeWith
        }
    }

    @Test
    void a_lease_that_ran_out_rolls_back_the_handlers_writes_and_completes_nothing() throws Exception {
        MutableClock clock = MutableClock.at(Instant.now());
        try (Fixture f = new Fixture("h2", clock, false)) {
            f.send("evt_1");
            InboxLease lease = f.claimOne();
            TransactionalHandler handler = f.inbox.transactional((webhook, connection) -> {
                f.insertEffect(connection, "evt_1");
                clock.advance(Duration.ofMinutes(2)); // the one-minute lease runs out while the handler works
            });

            boolean completed = f.inbox.completeWith(lease, () -> handler.handle(null));

            assertThat(completed).isFalse();
            assertThat(f.effects()).isEmpty();
            assertThat(f.state(lease)).isEqualTo(State.IN_FLIGHT);
            assertThat(f.inbox.claim(List.of("tx"), 1, Duration.ofMinutes(1))).hasSize(1); // taken again
        }
    }

    @Test
    void a_commit_that_fails_is_store_unavailable_and_keeps_neither_the_writes_nor_the_completion() throws Exception {
        try (Fixture f = new Fixture("h2", MutableClock.at(Instant.now()), true)) {
            f.send("evt_1");
            InboxLease lease = f.claimOne();
            TransactionalHandler handler =
                    f.inbox.transactional((webhook, connection) -> f.insertEffect(connection, "evt_1"));

            f.failCommits = true;
            assertThatThrownBy(() -> f.inbox.completeWith(lease, () -> handler.handle(null)))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("complete a delivery with its handler's transaction")
                    .hasMessageContaining("SQLState 08006")
                    .hasMessageNotContaining("connection lost"); // the driver's text stays out
            f.failCommits = false;

            assertThat(f.effects()).isEmpty();
            assertThat(f.state(lease)).isEqualTo(State.IN_FLIGHT);
        }
    }

    @Test
    void the_handler_cannot_commit_roll_back_or_leave_the_transaction_and_closing_its_connection_is_harmless()
            throws Exception {
        try (Fixture f = new Fixture("h2", MutableClock.at(Instant.now()), false)) {
            f.send("evt_1");
            InboxLease lease = f.claimOne();
            TransactionalHandler handler = f.inbox.transactional((webhook, connection) -> {
                f.insertEffect(connection, "evt_1");
                assertThatThrownBy(connection::commit)
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("commit");
                assertThatThrownBy(connection::rollback).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> connection.setAutoCommit(true)).isInstanceOf(SQLException.class);
                connection.close();
                assertThat(connection.isClosed()).isFalse();
                assertThat(connection.getAutoCommit()).isFalse();
            });

            boolean completed = f.inbox.completeWith(lease, () -> handler.handle(null));

            assertThat(completed).isTrue();
            assertThat(f.effects()).containsExactly("evt_1");
            assertThat(f.state(lease)).isEqualTo(State.COMPLETED);
        }
    }

    @Test
    void a_transactional_handler_run_anywhere_but_in_its_inbox_transaction_is_refused() throws Exception {
        try (Fixture f = new Fixture("h2", MutableClock.at(Instant.now()), false);
                Fixture other = new Fixture("h2", MutableClock.at(Instant.now()), false)) {
            TransactionalHandler handler = f.inbox.transactional((webhook, connection) -> {});

            assertThatThrownBy(() -> handler.handle(null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("only in an InboxWorker");
            other.send("evt_1");
            InboxLease lease = other.claimOne();
            assertThatThrownBy(() -> other.inbox.completeWith(lease, () -> handler.handle(null)))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> InboxWorker.builder().endpoint(other.receiver, handler))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another inbox");
            assertThat(other.effects()).isEmpty();
        }
    }

    @Test
    void an_inbox_without_transactions_refuses_to_complete_with_a_handler() {
        InMemoryInbox inbox = InMemoryInbox.create();
        InboxLease lease = Entries.lease("1");

        assertThatThrownBy(() -> inbox.completeWith(lease, () -> {}))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("no transactions");
    }

    /** The connection of the transaction the calling thread is in, as a transactional handler would receive it. */
    private static Connection bound(Fixture f) throws Exception {
        Connection[] seen = new Connection[1];
        f.inbox.transactional((webhook, connection) -> seen[0] = connection).handle(null);
        return seen[0];
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done within 30 s");
            }
            Thread.sleep(20);
        }
    }

    /** A table of effects beside an inbox on one database, a receiver writing to it, and a signer. */
    private static final class Fixture implements AutoCloseable {
        final HikariDataSource pool;
        final JdbcInbox inbox;
        final WebhookReceiver receiver;
        final String effects =
                "effects_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        final WebhookSigner signer = WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .build();
        volatile boolean failCommits;

        Fixture(String database, Clock clock, boolean commitsMayFail) throws SQLException {
            pool = database.equals("postgresql") ? TestDatabases.postgresPool() : TestDatabases.h2();
            DataSource source = commitsMayFail ? failingCommits(pool) : pool;
            inbox = JdbcInbox.builder()
                    .dataSource(source)
                    .table("inbox_"
                            + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
                    .clock(clock)
                    .build();
            inbox.createTableIfMissing();
            try (Connection c = pool.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + effects + " (event_id VARCHAR(64) PRIMARY KEY)");
            }
            receiver = WebhookReceiver.builder()
                    .name("tx")
                    .verifier(WebhookVerifier.builder()
                            .scheme(Schemes.standardWebhooks())
                            .secret(SECRET)
                            .ignoreTimestamp()
                            .build())
                    .inbox(inbox)
                    .build();
        }

        int send(String id) {
            return receiver.receive(signer.sign(WebhookMessage.body("{\"id\":\"" + id + "\",\"type\":\"paid\"}")
                            .id(id)
                            .build()))
                    .answer()
                    .status();
        }

        InboxLease claimOne() {
            List<InboxLease> leases = inbox.claim(List.of("tx"), 1, Duration.ofMinutes(1));
            assertThat(leases).hasSize(1);
            return leases.get(0);
        }

        void insertEffect(Connection connection, String id) throws SQLException {
            try (PreparedStatement s = connection.prepareStatement("INSERT INTO " + effects + " VALUES (?)")) {
                s.setString(1, id);
                s.executeUpdate();
            }
        }

        List<String> effects() throws SQLException {
            try (Connection c = pool.getConnection();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT event_id FROM " + effects)) {
                List<String> ids = new java.util.ArrayList<>();
                while (r.next()) {
                    ids.add(r.getString(1));
                }
                return ids;
            }
        }

        State state(InboxLease lease) {
            return inbox.get(lease.id()).map(StoredDelivery::state).orElseThrow();
        }

        long count(State state) {
            return inbox.stats("tx").count(state);
        }

        /** The pool, whose connections' commit throws a connection failure while {@link #failCommits} is set. */
        private DataSource failingCommits(DataSource target) {
            return DelegatingDataSource.intercepting(target, (real, m, args) -> {
                if (m.getName().equals("commit") && failCommits) {
                    throw new SQLException("connection lost", "08006");
                }
                return DelegatingDataSource.invoke(real, m, args);
            });
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
