package io.hookwarden.inbox.jdbc;

import io.hookwarden.spi.Inbox;
import io.hookwarden.test.InboxContractTest;
import io.hookwarden.test.MutableClock;
import java.time.Duration;
import java.time.Instant;

/** Embedded PostgreSQL: the one-statement claim with FOR UPDATE SKIP LOCKED and the advisory lock per ordering key. */
class PostgresInboxContractTest extends InboxContractTest {
    private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private static final JdbcInbox INBOX = JdbcInbox.builder()
            .dataSource(TestDatabases.postgres())
            .table("contract_postgres")
            .clock(CLOCK)
            .build();

    static {
        INBOX.createTableIfMissing();
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
