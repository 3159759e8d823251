package io.hookwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult.Status;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.testsupport.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * What a store opens it closes, and only that: its own client and connection from a URI, its own connection on a given
 * client (standalone or cluster), nothing of a given connection.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisConnectionOwnershipTest {
    private static final Duration LONG = Duration.ofMinutes(10);

    private EmbeddedRedis redis;

    @BeforeEach
    void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    @Test
    void closing_a_store_built_from_a_uri_shuts_its_client_down() {
        long before = lettuceThreads();
        RedisDedupeStore store = RedisDedupeStore.builder().uri(redis.uri()).build();
        assertThat(store.claim("evt_uri", LONG).status()).isEqualTo(Status.CLAIMED);
        assertThat(lettuceThreads()).as("the store's client threads").isGreaterThan(before);

        store.close();

        assertThatThrownBy(() -> store.claim("evt_uri_2", LONG)).isInstanceOf(StoreUnavailableException.class);
        assertThat(eventually(() -> lettuceThreads() <= before))
                .as("every thread of the store's client ended")
                .isTrue();
    }

    @Test
    void a_store_that_cannot_connect_shuts_the_client_it_created_down() {
        long before = lettuceThreads();
        int closedPort = closedPort();

        assertThatThrownBy(() -> RedisDedupeStore.builder()
                        .uri("redis://127.0.0.1:" + closedPort)
                        .build())
                .isInstanceOf(StoreUnavailableException.class);

        assertThat(eventually(() -> lettuceThreads() <= before))
                .as("every thread of the client it created ended")
                .isTrue();
    }

    @Test
    void closing_a_store_on_a_given_client_closes_its_connection_and_leaves_the_client_working() {
        RedisClient client = RedisClient.create(redis.uri());
        try {
            RedisDedupeStore store = RedisDedupeStore.builder().client(client).build();
            assertThat(store.toString()).contains("(given client)");
            assertThat(store.claim("evt_client", LONG).status()).isEqualTo(Status.CLAIMED);

            store.close();

            assertThatThrownBy(() -> store.claim("evt_client_2", LONG)).isInstanceOf(StoreUnavailableException.class);
            try (StatefulRedisConnection<String, String> own = client.connect()) {
                assertThat(own.sync().exists(RedisDedupeStore.DEFAULT_KEY_PREFIX + "evt_client"))
                        .isOne();
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void a_store_on_a_given_cluster_connection_sends_its_commands_there_and_leaves_it_open() {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> real = client.connect()) {
            AtomicBoolean closed = new AtomicBoolean();
            StatefulRedisClusterConnection<String, String> cluster = clusterConnectionOver(real, closed);
            RedisDedupeStore store = RedisDedupeStore.builder()
                    .connection(cluster)
                    .keyPrefix("cluster:")
                    .build();

            Claim claim = store.claim("evt_cluster", LONG).claim().orElseThrow();
            boolean completed = store.complete("evt_cluster", claim, LONG);
            store.close();

            assertThat(completed).isTrue();
            assertThat(store.toString()).contains("(given cluster connection)");
            assertThat(real.sync().get("cluster:evt_cluster")).isEqualTo(RedisDedupeStore.DONE + claim.token());
            assertThat(closed).as("the given connection was closed").isFalse();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void closing_a_store_on_a_given_cluster_client_closes_its_connection_and_leaves_the_client_working() {
        try (EmbeddedRedis node = EmbeddedRedis.start("cluster-enabled yes", "cluster-config-file nodes.conf")) {
            makeSingleNodeCluster(node);
            RedisClusterClient client = RedisClusterClient.create("redis://127.0.0.1:" + node.port());
            try {
                RedisDedupeStore store =
                        RedisDedupeStore.builder().client(client).build();
                assertThat(store.toString()).contains("(given cluster client)");
                Claim claim = store.claim("evt_cluster_client", LONG).claim().orElseThrow();
                assertThat(store.complete("evt_cluster_client", claim, LONG)).isTrue();

                store.close();

                assertThatThrownBy(() -> store.claim("evt_cluster_client_2", LONG))
                        .isInstanceOf(StoreUnavailableException.class);
                try (StatefulRedisClusterConnection<String, String> own = client.connect()) {
                    assertThat(own.sync().get(RedisDedupeStore.DEFAULT_KEY_PREFIX + "evt_cluster_client"))
                            .isEqualTo(RedisDedupeStore.DONE + claim.token());
                }
            } finally {
                client.shutdown();
            }
        }
    }

    /** Gives one node every hash slot, and waits until it says the cluster is up. */
    private static void makeSingleNodeCluster(EmbeddedRedis node) {
        RedisClient admin = RedisClient.create("redis://127.0.0.1:" + node.port());
        try (StatefulRedisConnection<String, String> connection = admin.connect()) {
            RedisCommands<String, String> sync = connection.sync();
            sync.clusterAddSlots(IntStream.range(0, 16384).toArray());
            assertThat(eventually(() -> sync.clusterInfo().contains("cluster_state:ok")))
                    .as("the single-node cluster came up")
                    .isTrue();
        } finally {
            admin.shutdown();
        }
    }

    /**
     * A cluster connection whose commands go to a standalone connection: the store sends only single-key string and
     * script commands, which both kinds of connection declare on the same interfaces.
     */
    @SuppressWarnings("unchecked")
    private static StatefulRedisClusterConnection<String, String> clusterConnectionOver(
            StatefulRedisConnection<String, String> real, AtomicBoolean closed) {
        RedisAsyncCommands<String, String> commands = real.async();
        RedisAdvancedClusterAsyncCommands<String, String> async =
                (RedisAdvancedClusterAsyncCommands<String, String>) Proxy.newProxyInstance(
                        RedisAdvancedClusterAsyncCommands.class.getClassLoader(),
                        new Class<?>[] {RedisAdvancedClusterAsyncCommands.class},
                        (p, m, a) -> {
                            try {
                                return m.invoke(commands, a);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
        return (StatefulRedisClusterConnection<String, String>) Proxy.newProxyInstance(
                StatefulRedisClusterConnection.class.getClassLoader(),
                new Class<?>[] {StatefulRedisClusterConnection.class},
                (p, m, a) -> switch (m.getName()) {
                    case "async" -> async;
                    case "close" -> {
                        closed.set(true);
                        yield null;
                    }
                    case "isOpen" -> !closed.get();
                    default -> null;
                });
    }

    /** Lettuce's threads (event loops, executors, timers) alive now. */
    private static long lettuceThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("lettuce-"))
                .count();
    }

    /** Polls the condition for up to ten seconds; threads end shortly after their executor shut down. */
    private static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return true;
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
