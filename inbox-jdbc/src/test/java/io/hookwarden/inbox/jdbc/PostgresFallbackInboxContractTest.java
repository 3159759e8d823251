package io.hookwarden.inbox.jdbc;

import io.hookwarden.spi.Inbox;
import io.hookwarden.test.InboxContractTest;
import io.hookwarden.test.MutableClock;
import java.time.Duration;
import java.time.Instant;

/** Embedded PostgreSQL told it has no SKIP LOCKED: the conditional-update claim against a real concurrent database. */
class PostgresFallbackInboxContractTest extends InboxContractTest {
    private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private static final JdbcInbox INBOX = JdbcInbox.builder()
            .dataSource(TestDatabases.postgres())
            .table("contract_postgres_fallback")
            .clock(CLOCK)
            .skipLocked(false)
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
