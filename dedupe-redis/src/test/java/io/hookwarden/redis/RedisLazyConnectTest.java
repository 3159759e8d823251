package io.hookwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.ClaimResult.Status;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.testsupport.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: a Redis that is down when the application starts. With {@code connectLazily()} the store builds without
 * Redis, fails every operation closed until Redis answers, and then works without being rebuilt.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisLazyConnectTest {
    private static final Duration LONG = Duration.ofMinutes(10);
    private static final String PASSWORD = "l4zy-Pa55word";

    @Test
    @SuppressWarnings("try") // Redis runs for the try block's duration, behind the store's calls
    void a_lazy_store_builds_without_redis_fails_closed_and_connects_once_redis_is_up() throws IOException {
        // given: nothing listens on the port yet
        int port = EmbeddedRedis.freePort();
        try (RedisDedupeStore store = RedisDedupeStore.builder()
                .uri("redis://:" + PASSWORD + "@127.0.0.1:" + port)
                .connectLazily()
                .build()) {

            // when: a claim while Redis is down
            Throwable down = catchThrowable(() -> store.claim("evt_1", LONG));

            // then: it fails closed, naming the address and never the password
            assertThat(down)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("Redis dedupe store redis://127.0.0.1:" + port + " failed to connect");
            assertThat(stackTrace(down)).doesNotContain(PASSWORD);

            // and when Redis comes up on that port, the same store claims and completes
            try (EmbeddedRedis redis = EmbeddedRedis.startOn(port, "requirepass " + PASSWORD)) {
                ClaimResult claimed = store.claim("evt_1", LONG);
                assertThat(claimed.status()).isEqualTo(Status.CLAIMED);
                assertThat(store.complete("evt_1", claimed.claim().orElseThrow(), LONG))
                        .isTrue();
                assertThat(store.claim("evt_1", LONG).status()).isEqualTo(Status.DUPLICATE);
            }
        }
    }

    @Test
    @SuppressWarnings("try") // Redis runs for the try block's duration, behind the store's calls
    void a_lazy_store_on_a_given_client_connects_on_first_use() throws IOException {
        int port = EmbeddedRedis.freePort();
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (RedisDedupeStore store =
                RedisDedupeStore.builder().client(client).connectLazily().build()) {
            assertThatThrownBy(() -> store.claim("evt_2", LONG))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("Redis dedupe store (given client) failed to connect");

            try (EmbeddedRedis redis = EmbeddedRedis.startOn(port)) {
                assertThat(store.claim("evt_2", LONG).status()).isEqualTo(Status.CLAIMED);
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    @SuppressWarnings("try") // Redis runs for the try block's duration, behind the store's calls
    void a_lazy_store_closed_before_it_connected_stays_closed() throws IOException {
        int port = EmbeddedRedis.freePort();
        RedisDedupeStore store = RedisDedupeStore.builder()
                .uri("redis://127.0.0.1:" + port)
                .connectLazily()
                .build();

        store.close();

        try (EmbeddedRedis redis = EmbeddedRedis.startOn(port)) {
            assertThatThrownBy(() -> store.claim("evt_3", LONG))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessage("Redis dedupe store redis://127.0.0.1:" + port + " is closed");
        }
    }

    @Test
    @SuppressWarnings("try") // Redis runs for the try block's duration, behind the store's calls
    void a_failed_connect_in_one_thread_leaves_the_next_thread_free_to_connect() throws Exception {
        // given: a lazy store whose first connect, in another thread, failed
        int port = EmbeddedRedis.freePort();
        try (RedisDedupeStore store = RedisDedupeStore.builder()
                .uri("redis://127.0.0.1:" + port)
                .connectLazily()
                .build()) {
            assertThat(inOtherThread(() -> store.claim("evt_4", LONG)))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("failed to connect");

            // when Redis is up, a claim from this thread connects: the failed attempt let go of the connect
            try (EmbeddedRedis redis = EmbeddedRedis.startOn(port)) {
                assertThat(store.claim("evt_4", LONG).status()).isEqualTo(Status.CLAIMED);
            }
        }
    }

    @Test
    @SuppressWarnings("try") // Redis runs for the try block's duration, behind the store's calls
    void a_lazy_store_closed_in_one_thread_is_closed_to_every_other() throws Exception {
        int port = EmbeddedRedis.freePort();
        RedisDedupeStore store = RedisDedupeStore.builder()
                .uri("redis://127.0.0.1:" + port)
                .connectLazily()
                .build();

        assertThat(inOtherThread(() -> {
                    store.close();
                    return null;
                }))
                .isNull();

        try (EmbeddedRedis redis = EmbeddedRedis.startOn(port)) {
            assertThatThrownBy(() -> store.claim("evt_5", LONG))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessage("Redis dedupe store redis://127.0.0.1:" + port + " is closed");
        }
    }

    @Test
    void a_lazy_store_waits_no_longer_than_its_command_timeout_for_a_connection() throws Exception {
        // given: a port whose accept queue is full, so the kernel drops further SYNs and a connect hangs
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.List<java.net.Socket> queued = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                        queued.add(s);
                    } catch (IOException dropped) {
                        s.close(); // the queue is full: further connects hang, as wanted
                    }
                }
                try (RedisDedupeStore store = RedisDedupeStore.builder()
                        .uri("redis://127.0.0.1:" + full.getLocalPort())
                        .commandTimeout(Duration.ofMillis(500))
                        .connectLazily()
                        .build()) {

                    // when
                    long start = System.nanoTime();
                    Throwable down = catchThrowable(() -> store.claim("evt_6", LONG));
                    Duration took = Duration.ofNanos(System.nanoTime() - start);

                    // then: refused after about the command timeout, not Lettuce's 10 s connect timeout
                    assertThat(down).isInstanceOf(StoreUnavailableException.class);
                    assertThat(took).isLessThan(Duration.ofSeconds(4));
                }
            } finally {
                for (java.net.Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    /** Runs {@code call} on a thread of its own, which then ends: what it threw, or null. */
    private static Throwable inOtherThread(java.util.concurrent.Callable<?> call) throws Exception {
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            return other.submit(() -> catchThrowable(call::call)).get();
        } finally {
            other.shutdown();
        }
    }

    @Test
    void connect_lazily_needs_somewhere_to_connect_and_is_set_once() {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            RedisClient client = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                assertThatThrownBy(() -> RedisDedupeStore.builder()
                                .connection(connection)
                                .connectLazily()
                                .build())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("connectLazily needs a uri or a client, not an open connection");
            } finally {
                client.shutdown();
            }
        }
        assertThatThrownBy(() -> RedisDedupeStore.builder().connectLazily().connectLazily())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("connectLazily was already set");
    }

    private static String stackTrace(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
