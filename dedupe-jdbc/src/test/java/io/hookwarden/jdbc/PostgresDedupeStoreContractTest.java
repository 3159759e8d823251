package io.hookwarden.jdbc;

import io.hookwarden.spi.DedupeStore;
import io.hookwarden.test.DedupeStoreContractTest;
import io.hookwarden.test.MutableClock;
import java.time.Duration;
import java.time.Instant;

class PostgresDedupeStoreContractTest extends DedupeStoreContractTest {
    private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private static final JdbcDedupeStore STORE = JdbcDedupeStore.builder()
            .dataSource(TestDatabases.postgres())
            .table("contract_postgres")
            .clock(CLOCK)
            .build();

    static {
        STORE.createTableIfMissing();
    }

    @Override
    protected DedupeStore store() {
        return STORE;
    }

    @Override
    protected void elapse(Duration duration) {
        CLOCK.advance(duration);
    }
}
