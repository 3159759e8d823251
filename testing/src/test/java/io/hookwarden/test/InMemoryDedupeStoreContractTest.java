package io.hookwarden.test;

import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.spi.DedupeStore;
import java.time.Duration;
import java.time.Instant;

class InMemoryDedupeStoreContractTest extends DedupeStoreContractTest {
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryDedupeStore store =
            InMemoryDedupeStore.builder().clock(clock).build();

    @Override
    protected DedupeStore store() {
        return store;
    }

    @Override
    protected void elapse(Duration duration) {
        clock.advance(duration);
    }
}
