package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What InMemoryInbox does beyond the contract kit's checks: forgetting a purged key's completed sequence. */
class InMemoryInboxTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final TestClock clock = new TestClock(NOW);
    private final InMemoryInbox inbox = InMemoryInbox.builder().clock(clock).build();

    private static InboxEntry latest(String id, String key, long sequence) {
        return latest(id, key, sequence, NOW);
    }

    private static InboxEntry latest(String id, String key, long sequence, Instant receivedAt) {
        return new InboxEntry(
                "orders",
                id,
                "standard-webhooks",
                "POST",
                null,
                Headers.empty(),
                new byte[0],
                null,
                id,
                "invoice.paid",
                null,
                "key-1",
                key,
                InboxEntry.Ordering.LATEST,
                sequence,
                receivedAt);
    }

    private void completeAll() {
        List<InboxLease> leases = inbox.claim(List.of("orders"), 10, Duration.ofMinutes(1));
        leases.forEach(inbox::complete);
    }

    @Test
    void theRetentionSweepForgetsTheCompletedSequenceOfAKeyWhoseDeliveriesWereAllPurged() {
        // given
        inbox.write(latest("msg_1", "cus_1", 200));
        completeAll();
        assertThat(inbox.completedSequence("orders", "cus_1")).hasValue(200);
        clock.advance(Duration.ofDays(8));

        // when
        int purged = inbox.purgeSettled(clock.instant().minus(Duration.ofDays(7)), 100);

        // then
        assertThat(purged).isEqualTo(1);
        assertThat(inbox.completedSequence("orders", "cus_1")).isEmpty();
    }

    @Test
    void purgingOneOfAKeysCompletedDeliveriesKeepsTheHighestOfTheRest() {
        // given: two completed deliveries of one key, the newer received a second later
        inbox.write(latest("msg_1", "cus_1", 100, NOW));
        completeAll();
        inbox.write(latest("msg_2", "cus_1", 300, NOW.plusSeconds(1)));
        completeAll();
        assertThat(inbox.completedSequence("orders", "cus_1")).hasValue(300);

        // when: an operator purges the newer one
        int purged = inbox.purge(
                InboxQuery.builder().receivedFrom(NOW.plusSeconds(1)).build());

        // then
        assertThat(purged).isEqualTo(1);
        assertThat(inbox.completedSequence("orders", "cus_1")).hasValue(100);
    }
}
