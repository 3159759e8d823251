package io.hookwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The builder refuses what cannot work before anything connects. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisDedupeStoreBuilderTest {
    @Test
    void a_store_needs_somewhere_to_connect() {
        assertThatThrownBy(() -> RedisDedupeStore.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("one of uri, client or connection is required");
    }

    @Test
    void only_one_place_to_connect_may_be_given() {
        RedisDedupeStore.Builder builder = RedisDedupeStore.builder().uri("redis://127.0.0.1:6379");

        assertThatThrownBy(() -> builder.uri("redis://127.0.0.1:6380"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("only one of uri, client or connection may be set");
    }

    @Test
    void each_option_may_be_set_once() {
        RedisDedupeStore.Builder builder =
                RedisDedupeStore.builder().keyPrefix("a:").commandTimeout(Duration.ofSeconds(1));

        assertThatThrownBy(() -> builder.keyPrefix("b:"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("keyPrefix was already set");
        assertThatThrownBy(() -> builder.commandTimeout(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("commandTimeout was already set");
    }

    @Test
    void a_timeout_that_is_not_positive_is_refused_with_its_value() {
        assertThatThrownBy(() -> RedisDedupeStore.builder().commandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commandTimeout must be positive but was PT0S");
        assertThatThrownBy(() -> RedisDedupeStore.builder().commandTimeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commandTimeout must be positive but was PT-0.005S");
    }

    @Test
    void missing_values_are_named() {
        assertThatThrownBy(() -> RedisDedupeStore.builder().uri((String) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("uri cannot be null");
        assertThatThrownBy(() -> RedisDedupeStore.builder().keyPrefix(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("keyPrefix cannot be null");
        assertThatThrownBy(() -> RedisDedupeStore.builder().commandTimeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("commandTimeout cannot be null");
    }

    @Test
    void no_client_or_connection_may_follow_a_uri() {
        RedisClient client = RedisClient.create();
        RedisClusterClient clusterClient = RedisClusterClient.create("redis://127.0.0.1:7000");
        try {
            RedisDedupeStore.Builder builder = RedisDedupeStore.builder().uri("redis://127.0.0.1:6379");

            assertThatThrownBy(() -> builder.client(client))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("only one of uri, client or connection may be set");
            assertThatThrownBy(() -> builder.client(clusterClient))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("only one of uri, client or connection may be set");
            assertThatThrownBy(() -> builder.connection(connectionStub()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("only one of uri, client or connection may be set");
            assertThatThrownBy(() -> builder.connection(clusterConnectionStub()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("only one of uri, client or connection may be set");
        } finally {
            clusterClient.shutdown();
            client.shutdown();
        }
    }

    @Test
    void a_uri_that_is_not_redis_is_refused_with_the_password_left_out() {
        assertThatThrownBy(() -> RedisDedupeStore.builder().uri("not a uri"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uri is not a Redis URI: not a uri");
        assertThatThrownBy(() -> RedisDedupeStore.builder().uri("://:hunter2@127.0.0.1:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uri is not a Redis URI: ://****@127.0.0.1:6379");
    }

    @Test
    void a_store_is_described_by_where_it_connects_without_credentials() {
        assertThat(RedisDedupeStore.Builder.describe(RedisURI.create("redis://:pw@cache.example.com:6379")))
                .isEqualTo("redis://cache.example.com:6379");
        assertThat(RedisDedupeStore.Builder.describe(RedisURI.create("rediss://user:pw@cache.example.com:6380/3")))
                .isEqualTo("rediss://cache.example.com:6380/3");
        assertThat(RedisDedupeStore.Builder.describe(RedisURI.create("redis-socket:///var/run/redis.sock")))
                .isEqualTo("redis-socket:///var/run/redis.sock");
        assertThat(RedisDedupeStore.Builder.describe(
                        RedisURI.create("redis-sentinel://:pw@sentinel-1:26379,sentinel-2:26379/0#orders")))
                .isEqualTo("redis-sentinel://sentinel-1/orders");
        assertThat(RedisDedupeStore.Builder.describe(new RedisURI())).isEqualTo("redis://?");
    }

    @Test
    void the_command_timeout_is_the_one_given_or_two_seconds() {
        StatefulRedisConnection<String, String> connection = connectionStub();

        try (RedisDedupeStore given = RedisDedupeStore.builder()
                        .connection(connection)
                        .commandTimeout(Duration.ofMillis(750))
                        .build();
                RedisDedupeStore defaulted =
                        RedisDedupeStore.builder().connection(connection).build()) {
            assertThat(given.commandTimeout()).isEqualTo(Duration.ofMillis(750));
            assertThat(defaulted.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(defaulted.keyPrefix()).isEqualTo("hookwarden:dedupe:");
            assertThat(given.toString())
                    .isEqualTo(
                            "RedisDedupeStore[(given connection), keyPrefix=hookwarden:dedupe:, commandTimeout=PT0.75S]");
        }
    }

    /** A connection whose commands are never sent: enough to build a store and read its settings. */
    @SuppressWarnings("unchecked")
    private static StatefulRedisConnection<String, String> connectionStub() {
        RedisAsyncCommands<String, String> commands = (RedisAsyncCommands<String, String>) Proxy.newProxyInstance(
                RedisAsyncCommands.class.getClassLoader(),
                new Class<?>[] {RedisAsyncCommands.class},
                (p, m, a) -> m.getName().equals("digest") ? "sha-of-" + a[0].hashCode() : null);
        return (StatefulRedisConnection<String, String>) Proxy.newProxyInstance(
                StatefulRedisConnection.class.getClassLoader(),
                new Class<?>[] {StatefulRedisConnection.class},
                (p, m, a) -> m.getName().equals("async") ? commands : null);
    }

    @SuppressWarnings("unchecked")
    private static StatefulRedisClusterConnection<String, String> clusterConnectionStub() {
        return (StatefulRedisClusterConnection<String, String>) Proxy.newProxyInstance(
                StatefulRedisClusterConnection.class.getClassLoader(),
                new Class<?>[] {StatefulRedisClusterConnection.class},
                (p, m, a) -> null);
    }
}
