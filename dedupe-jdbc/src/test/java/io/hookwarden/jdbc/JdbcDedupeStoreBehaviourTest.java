package io.hookwarden.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.Delivery;
import io.hookwarden.HttpAnswer;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.ClaimResult.Status;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store's own behaviour beyond the contract kit, against a real database per subclass: through a {@link
 * WebhookReceiver}, the purge, dialect detection, the table name, auto-commit and connection handling.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class JdbcDedupeStoreBehaviourTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Duration LONG = Duration.ofDays(1);

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final WebhookFixtures fixtures = WebhookFixtures.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .clock(clock)
            .build();
    private String table;
    private JdbcDedupeStore store;

    /** The database under test. */
    abstract DataSource dataSource();

    /** The dialect the store speaks to it. */
    abstract Dialect dialect();

    /** The dialect detected from its connection metadata. */
    abstract Dialect detectedDialect();

    @BeforeEach
    void createTable() {
        table = "dedupe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        store = builder(table).build();
        store.createTableIfMissing();
    }

    @AfterEach
    void dropTable() throws SQLException {
        execute("DROP TABLE " + table);
    }

    private JdbcDedupeStore.Builder builder(String table) {
        return JdbcDedupeStore.builder()
                .dataSource(dataSource())
                .dialect(dialect())
                .table(table)
                .clock(clock);
    }

    private WebhookReceiver receiver(JdbcDedupeStore store) {
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .clock(clock)
                .build();
        return WebhookReceiver.builder()
                .verifier(verifier)
                .dedupeStore(store)
                .lease(LEASE)
                .build();
    }

    private WebhookRequest delivery(String id) {
        return fixtures.delivery("{\"type\":\"invoice.paid\"}").id(id).signed();
    }

    @Test
    void a_handler_that_fails_releases_its_claim_and_a_later_attempt_processes_the_event() {
        WebhookReceiver receiver = receiver(store);
        List<String> processed = new ArrayList<>();

        HttpAnswer failed = receiver.handle(delivery("msg_1"), webhook -> {
            throw new IllegalStateException("handler down");
        });
        HttpAnswer retried = receiver.handle(
                delivery("msg_1"), webhook -> processed.add(webhook.id().orElseThrow()));
        Outcome replay = receiver.receive(delivery("msg_1"));

        assertThat(failed.status()).isEqualTo(500);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(processed).containsExactly("msg_1");
        assertThat(replay).isInstanceOf(Outcome.Duplicate.class);
        assertThat(replay.answer().status()).isEqualTo(200);
    }

    @Test
    void a_lease_that_expires_is_claimed_again_and_the_stale_owners_complete_is_refused() {
        WebhookReceiver receiver = receiver(store);
        Delivery stale = ((Outcome.Accepted) receiver.receive(delivery("msg_2"))).delivery();
        Outcome whileHeld = receiver.receive(delivery("msg_2"));

        clock.advance(LEASE);
        Delivery fresh = ((Outcome.Accepted) receiver.receive(delivery("msg_2"))).delivery();

        assertThat(whileHeld).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(Reason.IN_PROGRESS));
        assertThat(stale.complete()).isFalse();
        assertThat(receiver.receive(delivery("msg_2"))).isInstanceOf(Outcome.Rejected.class);
        assertThat(fresh.complete()).isTrue();
        assertThat(receiver.receive(delivery("msg_2"))).isInstanceOf(Outcome.Duplicate.class);
    }

    @Test
    void a_lease_too_long_for_the_clock_never_ends() {
        // given
        store.claim("forever", java.time.temporal.ChronoUnit.FOREVER.getDuration());
        clock.advance(Duration.ofDays(365L * 1000));

        // when
        Status again = store.claim("forever", LEASE).status();

        // then
        assertThat(again).isEqualTo(Status.IN_PROGRESS);
    }

    @Test
    void a_failing_data_source_answers_store_unavailable_without_its_secrets() {
        DataSource failing = new FailingDataSource(
                new SQLException("FATAL: password authentication failed, password=hunter2", "08001"));
        JdbcDedupeStore down =
                JdbcDedupeStore.builder().dataSource(failing).dialect(dialect()).build();

        Outcome outcome = receiver(down).receive(delivery("msg_3"));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
            assertThat(r.answer().status()).isEqualTo(503);
            assertThat(r.answer().headers()).containsKey("Retry-After");
            assertThat(r.answer().bodyText()).doesNotContain("hunter2");
        });
        assertThatThrownBy(() -> down.claim("k", LEASE))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("claim")
                .hasMessageContaining("SQLState 08001")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> down.complete("k", Claim.newClaim(), LEASE))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("complete");
        assertThatThrownBy(() -> down.release("k", Claim.newClaim()))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("release");
        assertThatThrownBy(down::purgeExpired)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("purge");
    }

    @Test
    void a_database_error_is_store_unavailable_naming_the_operation_and_the_sqlstate() {
        JdbcDedupeStore noTable = builder("no_such_table").build();

        assertThatThrownBy(() -> noTable.claim("k", LEASE))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("claim")
                .hasMessageContaining("no_such_table")
                .hasMessageMatching(".*SQLState 42[0-9A-Z]{3}.*");
    }

    @Test
    void purge_removes_only_expired_rows() throws SQLException {
        JdbcDedupeStore small = builder(table).purgeBatch(2).purgeEvery(0).build();
        for (int i = 0; i < 5; i++) {
            small.claim("expired-lease-" + i, Duration.ofSeconds(10));
        }
        Claim done = small.claim("expired-retention", LONG).claim().orElseThrow();
        small.complete("expired-retention", done, Duration.ofSeconds(10));
        small.claim("live-lease", LONG);
        Claim kept = small.claim("live-retention", LONG).claim().orElseThrow();
        small.complete("live-retention", kept, LONG);
        clock.advance(Duration.ofSeconds(10));

        long purged = small.purgeExpired();

        assertThat(purged).isEqualTo(6);
        assertThat(keys()).containsExactlyInAnyOrder("live-lease", "live-retention");
        assertThat(small.claim("live-lease", LONG).status()).isEqualTo(Status.IN_PROGRESS);
        assertThat(small.claim("live-retention", LONG).status()).isEqualTo(Status.DUPLICATE);
    }

    @Test
    void every_nth_claim_purges_one_batch_of_expired_rows() throws SQLException {
        JdbcDedupeStore purging = builder(table).purgeEvery(3).purgeBatch(2).build();
        purging.claim("old-1", Duration.ofSeconds(1));
        purging.claim("old-2", Duration.ofSeconds(1));
        purging.claim("old-3", Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));

        purging.claim("new-1", LONG);
        purging.claim("new-2", LONG);
        assertThat(keys()).hasSize(5);
        purging.claim("new-3", LONG);

        assertThat(keys()).hasSize(4).contains("new-1", "new-2", "new-3");
    }

    @Test
    void an_expired_key_claimed_by_64_threads_at_once_has_exactly_one_owner() throws Exception {
        store.claim("crashed", Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ClaimResult>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store.claim("crashed", LONG);
                }));
            }
            start.countDown();
            int claimed = 0;
            for (Future<ClaimResult> f : results) {
                Status status = f.get(60, TimeUnit.SECONDS).status();
                assertThat(status).isIn(Status.CLAIMED, Status.IN_PROGRESS);
                claimed += status == Status.CLAIMED ? 1 : 0;
            }
            assertThat(claimed).isOne();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keys_longer_than_the_column_stay_distinct() {
        String prefix = "x".repeat(600);
        String a = prefix + "a";
        String b = prefix + "b";
        Claim claim = store.claim(a, LONG).claim().orElseThrow();
        store.complete(a, claim, LONG);

        assertThat(store.claim(b, LONG).status()).isEqualTo(Status.CLAIMED);
        assertThat(store.claim(a, LONG).status()).isEqualTo(Status.DUPLICATE);
        assertThat(store.claim("nul\u0000key", LONG).status()).isEqualTo(Status.CLAIMED);
        assertThat(store.claim("nul\u0000key", LONG).status()).isEqualTo(Status.IN_PROGRESS);
    }

    @Test
    void keys_differing_only_in_case_are_different_keys() {
        store.claim("evt_ABC", LONG);

        assertThat(store.claim("evt_abc", LONG).status()).isEqualTo(Status.CLAIMED);
        assertThat(store.claim("evt_ABC", LONG).status()).isEqualTo(Status.IN_PROGRESS);
    }

    @Test
    void the_dialect_is_detected_from_the_connection() {
        JdbcDedupeStore detected =
                JdbcDedupeStore.builder().dataSource(dataSource()).table(table).build();

        assertThat(detected.dialect()).isEqualTo(detectedDialect());
    }

    @Test
    void creating_the_table_twice_is_harmless_and_a_schema_qualified_name_works() throws SQLException {
        store.createTableIfMissing();
        String schema = "hw_" + table;
        execute("CREATE SCHEMA " + schema);
        try {
            JdbcDedupeStore qualified = builder(schema + ".dedupe").build();
            qualified.createTableIfMissing();
            qualified.createTableIfMissing();

            assertThat(qualified.claim("k", LONG).status()).isEqualTo(Status.CLAIMED);
            assertThat(qualified.claim("k", LONG).status()).isEqualTo(Status.IN_PROGRESS);
            assertThat(store.claim("k", LONG).status()).isEqualTo(Status.CLAIMED);
        } finally {
            execute("DROP TABLE " + schema + ".dedupe");
            execute("DROP SCHEMA " + schema);
        }
    }

    @Test
    void statements_commit_even_on_a_connection_handed_out_without_auto_commit() throws SQLException {
        DataSource manual = new ConnectionTrackingDataSource(dataSource(), false);
        JdbcDedupeStore onManual = JdbcDedupeStore.builder()
                .dataSource(manual)
                .dialect(dialect())
                .table(table)
                .clock(clock)
                .build();

        Claim claim = onManual.claim("committed", LONG).claim().orElseThrow();
        onManual.complete("committed", claim, LONG);

        assertThat(store.claim("committed", LONG).status()).isEqualTo(Status.DUPLICATE);
    }

    @Test
    void every_connection_is_closed_after_success_and_failure() {
        ConnectionTrackingDataSource tracking = new ConnectionTrackingDataSource(dataSource(), true);
        JdbcDedupeStore tracked = JdbcDedupeStore.builder()
                .dataSource(tracking)
                .dialect(dialect())
                .table(table)
                .clock(clock)
                .purgeEvery(2)
                .build();
        JdbcDedupeStore broken = JdbcDedupeStore.builder()
                .dataSource(tracking)
                .dialect(dialect())
                .table("no_such_table")
                .build();

        Claim claim = tracked.claim("k", LONG).claim().orElseThrow();
        tracked.claim("k", LONG);
        tracked.complete("k", claim, LONG);
        tracked.release("k", claim);
        tracked.purgeExpired();
        assertThatThrownBy(() -> broken.claim("k", LONG)).isInstanceOf(StoreUnavailableException.class);

        assertThat(tracking.opened.get()).isGreaterThanOrEqualTo(6);
        assertThat(tracking.closed.get()).isEqualTo(tracking.opened.get());
    }

    private Set<String> keys() throws SQLException {
        Set<String> keys = new HashSet<>();
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT dedupe_key FROM " + table)) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        return keys;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Hands out the real database's connections, counting opens and closes, optionally with auto-commit off. */
    static final class ConnectionTrackingDataSource extends DelegatingDataSource {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        private final boolean autoCommit;

        ConnectionTrackingDataSource(DataSource delegate, boolean autoCommit) {
            super(delegate);
            this.autoCommit = autoCommit;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = delegate.getConnection();
            real.setAutoCommit(autoCommit);
            opened.incrementAndGet();
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            closed.incrementAndGet();
                            if (!real.getAutoCommit()) {
                                real.rollback();
                                real.setAutoCommit(true);
                            }
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
