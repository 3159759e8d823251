package io.hookwarden.inbox.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.spi.Inbox;
import io.hookwarden.test.InboxContractTest;
import io.hookwarden.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;

/** H2 in its native mode, claiming with FOR UPDATE SKIP LOCKED (detected). */
class H2InboxContractTest extends InboxContractTest {
    private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private static final HikariDataSource DATABASE = TestDatabases.h2();
    private static final JdbcInbox INBOX =
            JdbcInbox.builder().dataSource(DATABASE).clock(CLOCK).build();

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
