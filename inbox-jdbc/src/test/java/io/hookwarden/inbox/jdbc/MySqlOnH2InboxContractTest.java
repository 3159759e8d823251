package io.hookwarden.inbox.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.spi.Inbox;
import io.hookwarden.test.InboxContractTest;
import io.hookwarden.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;

/**
 * The MySQL dialect's SQL (DDL, plain INSERT with the duplicate-key error as the answer, the claim transaction with
 * SELECT ... FOR UPDATE SKIP LOCKED, DELETE ... LIMIT) on H2 in MySQL mode: no MySQL or MariaDB server runs here, so
 * this proves the statements' shape and the protocol, not InnoDB's locking.
 */
class MySqlOnH2InboxContractTest extends InboxContractTest {
    private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private static final HikariDataSource DATABASE = TestDatabases.h2MySql();
    private static final JdbcInbox INBOX = JdbcInbox.builder()
            .dataSource(DATABASE)
            .dialect(Dialect.MYSQL)
            .clock(CLOCK)
            .build();

    static {
        INBOX.createTableIfMissing();
    }

    @AfterAll
    static void closeDatabase() {
        DATABASE.close();
    }

    @Override
    protected Inbox inbox() {
        return INBOX;
    }

    @Override
    protected void elapse(Duration duration) {
        CLOCK.advance(duration);
    }
}
