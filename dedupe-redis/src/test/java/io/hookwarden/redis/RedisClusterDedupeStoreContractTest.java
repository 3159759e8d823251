package io.hookwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.spi.DedupeStore;
import io.hookwarden.test.DedupeStoreContractTest;
import io.hookwarden.testsupport.EmbeddedRedisCluster;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole dedupe protocol, with the 64 threads x 1,000 events exactly-once run, against a real three-master Redis
 * Cluster: the random keys spread over every node, and Lettuce routes each command to its key's master.
 */
class RedisClusterDedupeStoreContractTest extends DedupeStoreContractTest {
    private static EmbeddedRedisCluster cluster;
    private static RedisClusterClient client;
    private static RedisDedupeStore store;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedRedisCluster.start(3, 0, Duration.ofSeconds(5));
        client = cluster.client();
        store = RedisDedupeStore.builder().client(client).build();
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (store != null) {
                store.close();
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

    @Test
    void every_master_holds_some_of_the_keys() {
        for (int i = 0; i < 100; i++) {
            store.claim(key(), Duration.ofMinutes(1));
        }

        assertThat(cluster.nodes()).allSatisfy(node -> assertThat(cluster.keys(node))
                .as("keys on port %d", node.port())
                .isPositive());
    }

    @Override
    protected DedupeStore store() {
        return store;
    }
}
