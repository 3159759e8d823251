package io.hookwarden.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.test.DedupeStoreContractTest;
import io.hookwarden.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;

class H2DedupeStoreContractTest extends DedupeStoreContractTest {
    private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private static final HikariDataSource DATABASE = TestDatabases.h2();
    private static final JdbcDedupeStore STORE =
            JdbcDedupeStore.builder().dataSource(DATABASE).clock(CLOCK).build();

    static {
        STORE.createTableIfMissing();
    }

    @AfterAll
    static void closeDatabase() {
        DATABASE.close();
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
