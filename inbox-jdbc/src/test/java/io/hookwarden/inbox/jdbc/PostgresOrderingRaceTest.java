package io.hookwarden.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.spi.InboxEntry.Ordering;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import io.hookwarden.test.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The write skew a claim's snapshot allows, staged step by step on PostgreSQL: worker 2 has claimed the later event of a
 * strict key and not yet committed; the earlier event arrives late; worker 1's claim sees the later one still pending,
 * so the earlier one looks like the head. The advisory lock per ordering key makes worker 1 wait for worker 2's commit
 * and check again, so it takes nothing instead of a second delivery of the key.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresOrderingRaceTest {
    private final MutableClock clock = MutableClock.at(Entries.T0);

    @Test
    void a_claim_racing_an_uncommitted_claim_of_the_same_strict_key_takes_nothing() throws Exception {
        DataSource db = TestDatabases.postgres();
        String table = "race_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JdbcInbox inbox =
                JdbcInbox.builder().dataSource(db).table(table).clock(clock).build();
        inbox.createTableIfMissing();
        inbox.write(Entries.ordered("ep", "later", "cus_1", Ordering.STRICT, 2));
        ExecutorService worker1 = Executors.newSingleThreadExecutor();
        try (Connection worker2 = db.getConnection()) {
            worker2.setAutoCommit(false);
            try (PreparedStatement claim = worker2.prepareStatement("UPDATE " + table
                    + " SET state = 'IN_FLIGHT', attempts = 1, owner_token = 'worker-2', next_attempt_at = ?"
                    + " WHERE dedupe_key = 'later'")) {
                claim.setLong(1, clock.millis() + Duration.ofHours(1).toMillis());
                assertThat(claim.executeUpdate()).isOne();
            }
            try (PreparedStatement lock = worker2.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, JdbcInbox.lockKey("ep", "cus_1"));
                lock.executeQuery().close();
            }
            inbox.write(Entries.ordered("ep", "earlier", "cus_1", Ordering.STRICT, 1));

            Future<List<InboxLease>> claimed =
                    worker1.submit(() -> inbox.claim(List.of("ep"), 10, Duration.ofMinutes(1)));
            awaitAdvisoryLockWaiter(db);
            worker2.commit();

            assertThat(claimed.get(1, TimeUnit.MINUTES)).isEmpty();
        } finally {
            worker1.shutdownNow();
        }
        StoredDelivery earlier = inbox.find(io.hookwarden.spi.InboxQuery.builder()
                        .endpoint("ep")
                        .state(State.PENDING)
                        .build())
                .get(0);
        assertThat(earlier.entry().dedupeKey()).isEqualTo("earlier");
        assertThat(earlier.attempts()).isZero();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + table);
        }
    }

    /** Polls until a session waits for an advisory lock: worker 1 has claimed and is checking its key. */
    private static void awaitAdvisoryLockWaiter(DataSource db) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rows =
                        s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
                    rows.next();
                    if (rows.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("worker 1 never waited for the ordering key's lock");
    }
}
