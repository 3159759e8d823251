package io.hookwarden.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.spi.InboxEntry.Ordering;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import io.hookwarden.test.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link PostgresOrderingRaceTest}'s race on H2 and MySQL-mode H2, which have no advisory locks: the claim locks the
 * key's live rows instead, so it waits for the other worker's uncommitted claim, checks again, and takes nothing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class H2OrderingRaceTest {
    private final MutableClock clock = MutableClock.at(Entries.T0);

    @ParameterizedTest
    @EnumSource(
            value = Dialect.class,
            names = {"H2", "MYSQL"})
    void a_claim_racing_an_uncommitted_claim_of_the_same_strict_key_takes_nothing(Dialect dialect) throws Exception {
        DataSource db = dialect == Dialect.H2 ? TestDatabases.h2() : TestDatabases.h2MySql();
        JdbcInbox inbox = JdbcInbox.builder()
                .dataSource(db)
                .dialect(dialect)
                .clock(clock)
                .skipLocked(true)
                .build();
        inbox.createTableIfMissing();
        inbox.write(Entries.ordered("ep", "later", "cus_1", Ordering.STRICT, 2));
        ExecutorService worker1 = Executors.newSingleThreadExecutor();
        try (Connection worker2 = db.getConnection()) {
            worker2.setAutoCommit(false);
            try (PreparedStatement claim = worker2.prepareStatement("UPDATE " + inbox.table()
                    + " SET state = 'IN_FLIGHT', attempts = 1, owner_token = 'worker-2', next_attempt_at = ?"
                    + " WHERE dedupe_key = 'later'")) {
                claim.setLong(1, clock.millis() + Duration.ofHours(1).toMillis());
                assertThat(claim.executeUpdate()).isOne();
            }
            inbox.write(Entries.ordered("ep", "earlier", "cus_1", Ordering.STRICT, 1));

            Future<List<InboxLease>> claimed =
                    worker1.submit(() -> inbox.claim(List.of("ep"), 10, Duration.ofMinutes(1)));
            awaitBlockedSession(db);
            worker2.commit();

            assertThat(claimed.get(1, TimeUnit.MINUTES)).isEmpty();
        } finally {
            worker1.shutdownNow();
        }
        StoredDelivery earlier = inbox.find(
                        InboxQuery.builder().endpoint("ep").state(State.PENDING).build())
                .get(0);
        assertThat(earlier.entry().dedupeKey()).isEqualTo("earlier");
        assertThat(earlier.attempts()).isZero();
    }

    /** Polls until a session waits for another's lock: worker 1 has claimed and is locking its key's rows. */
    private static void awaitBlockedSession(DataSource db) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = s.executeQuery(
                        "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL")) {
                    rows.next();
                    if (rows.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("worker 1 never waited for the key's rows");
    }
}
