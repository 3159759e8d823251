package io.hookwarden.inbox.redis;

import io.hookwarden.spi.Inbox;
import io.hookwarden.test.InboxContractTest;
import io.hookwarden.test.MutableClock;
import io.hookwarden.testsupport.EmbeddedRedis;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;

/** The whole inbox protocol against a real Redis, on the inbox's own clock, which the tests move. */
class RedisInboxContractTest extends InboxContractTest {
    private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private static final EmbeddedRedis REDIS = EmbeddedRedis.start();
    private static final RedisInbox INBOX =
            RedisInbox.builder().uri(REDIS.uri()).clock(CLOCK).build();

    @AfterAll
    static void stopRedis() {
        INBOX.close();
        REDIS.close();
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
