package io.hookwarden.redis;

import io.hookwarden.spi.DedupeStore;
import io.hookwarden.test.DedupeStoreContractTest;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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

    @Override
    protected DedupeStore store() {
        return store;
    }
}
