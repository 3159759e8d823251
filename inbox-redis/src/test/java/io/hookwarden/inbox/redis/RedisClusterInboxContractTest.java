package io.hookwarden.inbox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Headers;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.StoredDelivery.State;
import io.hookwarden.test.InboxContractTest;
import io.hookwarden.test.MutableClock;
import io.hookwarden.testsupport.EmbeddedRedisCluster;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole inbox protocol against a real three-master Redis Cluster: each endpoint's keys share its hash tag, so each
 * script runs on the master of the endpoint's slot, and the endpoints spread over every master.
 */
class RedisClusterInboxContractTest extends InboxContractTest {
    private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private static EmbeddedRedisCluster cluster;
    private static RedisClusterClient client;
    private static RedisInbox inbox;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedRedisCluster.start(3, 0, Duration.ofSeconds(5));
        client = cluster.client();
        inbox = RedisInbox.builder().client(client).clock(CLOCK).build();
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (inbox != null) {
                inbox.close();
            }
            if (client != null) {
                client.shutdown();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Override
    protected Inbox inbox() {
        return inbox;
    }

    @Override
    protected void elapse(Duration duration) {
        CLOCK.advance(duration);
    }

    @Test
    void each_endpoints_keys_share_one_slot_and_the_endpoints_spread_over_every_master() {
        for (int i = 0; i < 30; i++) {
            String endpoint = "spread-" + i;
            inbox.write(new InboxEntry(
                    endpoint,
                    "k",
                    "stripe",
                    "POST",
                    null,
                    Headers.empty(),
                    new byte[] {1},
                    null,
                    null,
                    "t",
                    null,
                    "primary",
                    "o",
                    InboxEntry.Ordering.STRICT,
                    1,
                    Instant.parse("2026-01-01T00:00:00Z")));
            List<InboxLease> leases = inbox.claim(List.of(endpoint), 1, Duration.ofMinutes(1));
            assertThat(inbox.complete(leases.get(0))).isTrue();
        }

        Map<String, Set<Integer>> slotsByEndpoint = new HashMap<>();
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            for (String key : c.sync().keys("hookwarden:inbox:{spread-*")) {
                String tag = key.substring(key.indexOf('{') + 1, key.indexOf('}'));
                slotsByEndpoint.computeIfAbsent(tag, t -> new HashSet<>()).add(SlotHash.getSlot(key));
            }
        }
        assertThat(slotsByEndpoint).hasSize(30);
        assertThat(slotsByEndpoint.values())
                .allSatisfy(slots -> assertThat(slots).hasSize(1));
        assertThat(cluster.nodes()).allSatisfy(node -> assertThat(cluster.keys(node))
                .as("keys on port %d", node.port())
                .isPositive());
        assertThat(inbox.stats(null).count(State.COMPLETED)).isGreaterThanOrEqualTo(30);
        assertThat(inbox.find(InboxQuery.builder().endpoint("spread-7").build()))
                .singleElement()
                .satisfies(d -> assertThat(d.state()).isEqualTo(State.COMPLETED));
    }
}
