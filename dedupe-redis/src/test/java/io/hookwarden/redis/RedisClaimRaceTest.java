package io.hookwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.ClaimResult.Status;
import io.hookwarden.testsupport.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A claim whose key changes between the refused {@code SET NX} and the {@code GET} that reads what holds it: a second
 * client interleaves its commands exactly there, through a connection that runs a step before each command it sends.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisClaimRaceTest {
    private static final Duration LONG = Duration.ofMinutes(10);
    private static final String PREFIX = "race:";

    private EmbeddedRedis redis;
    private RedisClient client;
    private StatefulRedisConnection<String, String> storeConnection;
    private StatefulRedisConnection<String, String> otherConnection;
    private RedisCommands<String, String> other;

    @BeforeEach
    void startRedis() {
        redis = EmbeddedRedis.start();
        client = RedisClient.create(redis.uri());
        storeConnection = client.connect();
        otherConnection = client.connect();
        other = otherConnection.sync();
    }

    @AfterEach
    void stopRedis() {
        otherConnection.close();
        storeConnection.close();
        client.shutdown();
        redis.close();
    }

    @Test
    void a_key_released_between_the_refused_set_and_the_get_is_claimed_on_the_second_try() {
        // given: another attempt holds the key, and releases it just before the store reads who holds it
        other.set(PREFIX + "evt_1", "another-attempts-token");
        AtomicInteger sets = new AtomicInteger();
        RedisDedupeStore store = store(command -> {
            if (command.equals("set")) {
                sets.incrementAndGet();
            } else if (command.equals("get")) {
                other.del(PREFIX + "evt_1");
            }
        });

        // when
        ClaimResult result = store.claim("evt_1", LONG);

        // then: the second SET won the free key, and the claim is this store's to complete
        assertThat(result.status()).isEqualTo(Status.CLAIMED);
        assertThat(sets).hasValue(2);
        Claim claim = result.claim().orElseThrow();
        assertThat(other.get(PREFIX + "evt_1")).isEqualTo(claim.token());
        assertThat(store.complete("evt_1", claim, LONG)).isTrue();
        assertThat(other.get(PREFIX + "evt_1")).isEqualTo(RedisDedupeStore.DONE + claim.token());
    }

    @Test
    void a_key_that_keeps_changing_hands_is_in_progress_after_two_tries() {
        // given: before every SET another attempt takes the key, and before every GET it lets it go
        AtomicInteger sets = new AtomicInteger();
        RedisDedupeStore store = store(command -> {
            if (command.equals("set")) {
                sets.incrementAndGet();
                other.set(PREFIX + "evt_2", "another-attempts-token");
            } else if (command.equals("get")) {
                other.del(PREFIX + "evt_2");
            }
        });

        // when
        ClaimResult result = store.claim("evt_2", LONG);

        // then: the store gives up, bounded, without claiming: the provider retries later
        assertThat(result).isNotNull();
        assertThat(result.status()).isEqualTo(Status.IN_PROGRESS);
        assertThat(result.claim()).isEmpty();
        assertThat(sets).as("SETs sent").hasValue(2);
    }

    /** A store on a connection that runs {@code before} with a command's name just before sending it. */
    @SuppressWarnings("unchecked")
    private RedisDedupeStore store(Consumer<String> before) {
        RedisAsyncCommands<String, String> real = storeConnection.async();
        RedisAsyncCommands<String, String> async = (RedisAsyncCommands<String, String>) Proxy.newProxyInstance(
                RedisAsyncCommands.class.getClassLoader(), new Class<?>[] {RedisAsyncCommands.class}, (p, m, a) -> {
                    before.accept(m.getName());
                    try {
                        return m.invoke(real, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        StatefulRedisConnection<String, String> connection =
                (StatefulRedisConnection<String, String>) Proxy.newProxyInstance(
                        StatefulRedisConnection.class.getClassLoader(),
                        new Class<?>[] {StatefulRedisConnection.class},
                        (p, m, a) -> {
                            if (m.getName().equals("async")) {
                                return async;
                            }
                            try {
                                return m.invoke(storeConnection, a);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
        return RedisDedupeStore.builder()
                .connection(connection)
                .keyPrefix(PREFIX)
                .build();
    }
}
