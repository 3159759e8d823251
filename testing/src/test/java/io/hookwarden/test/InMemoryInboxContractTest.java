package io.hookwarden.test;

import io.hookwarden.InMemoryInbox;
import io.hookwarden.spi.Inbox;
import java.time.Duration;
import java.time.Instant;

/** The reference inbox passes the same contract as every engine. */
class InMemoryInboxContractTest extends InboxContractTest {
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryInbox inbox = InMemoryInbox.builder().clock(clock).build();

    @Override
    protected Inbox inbox() {
        return inbox;
    }

    @Override
    protected void elapse(Duration duration) {
        clock.advance(duration);
    }
}
