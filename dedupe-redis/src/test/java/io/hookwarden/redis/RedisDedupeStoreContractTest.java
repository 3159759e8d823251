package io.hookwarden.redis;

import io.hookwarden.spi.DedupeStore;
import io.hookwarden.test.DedupeStoreContractTest;
import io.hookwarden.testsupport.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole dedupe protocol against a real Redis; leases and retention are expired by Redis in real time. */
class RedisDedupeStoreContractTest extends DedupeStoreContractTest {
    private static EmbeddedRedis redis;
    private static RedisDedupeStore store;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
        store = RedisDedupeStore.builder().uri(redis.uri()).build();
    }

    @AfterAll
    static void stopRedis() {
        if (store != null) {
            store.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected DedupeStore store() {
        return store;
    }
}
