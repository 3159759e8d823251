package io.hookwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hookwarden.HttpAnswer;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult.Status;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.testsupport.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Redis down, slow, restarted or misconfigured: the store fails closed and never leaks a password. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisFailureTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Duration LONG = Duration.ofMinutes(10);

    private EmbeddedRedis redis;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterEach
    void stopRedis() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        redis.close();
    }

    private RedisDedupeStore store(Duration commandTimeout) {
        RedisDedupeStore store = RedisDedupeStore.builder()
                .uri(redis.uri())
                .commandTimeout(commandTimeout)
                .build();
        toClose.add(store);
        return store;
    }

    private StatefulRedisConnection<String, String> raw() {
        RedisClient client = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> connection = client.connect();
        toClose.add(client::shutdown);
        toClose.add(connection);
        return connection;
    }

    @Test
    void redis_stopped_mid_run_answers_503_and_after_a_restart_nothing_is_processed_twice() {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .clock(clock)
                .build();
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(SECRET)
                        .clock(clock)
                        .build())
                .dedupeStore(store(Duration.ofMillis(500)))
                .build();
        List<WebhookRequest> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(fixtures.delivery("{\"n\":" + i + "}").id("msg_" + i).signed());
        }
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        WebhookReceiver.Handler handler = webhook -> processed
                .computeIfAbsent(webhook.id().orElseThrow(), id -> new AtomicInteger())
                .incrementAndGet();
        for (WebhookRequest event : events.subList(0, 5)) {
            assertThat(receiver.handle(event, handler).status()).isEqualTo(200);
        }

        redis.stop();
        Outcome newEvent = receiver.receive(events.get(5));
        HttpAnswer replay = receiver.handle(events.get(0), handler);

        assertThat(newEvent).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
            assertThat(r.answer().status()).isEqualTo(503);
            assertThat(r.answer().headers()).containsKey("Retry-After");
            assertThat(r.detail()).contains("Redis dedupe store " + redis.uri());
        });
        assertThat(replay.status()).isEqualTo(503);

        redis.restart();
        HttpAnswer resumed = untilNot503(() -> receiver.handle(events.get(5), handler));
        assertThat(resumed.status()).isEqualTo(200);
        for (WebhookRequest event : events) {
            assertThat(receiver.receive(event)).isInstanceOf(Outcome.Duplicate.class);
            assertThat(receiver.handle(event, handler).status()).isEqualTo(200);
        }
        assertThat(processed).hasSize(6);
        assertThat(processed.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    }

    /** Lettuce reconnects on its own schedule; the deadline is generous, the loop ends as soon as it is back. */
    private static HttpAnswer untilNot503(java.util.function.Supplier<HttpAnswer> attempt) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpAnswer answer = attempt.get();
            if (answer.status() != 503) {
                return answer;
            }
            assertThat(System.nanoTime()).as("the store reconnected to Redis").isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void a_command_that_outlasts_the_timeout_is_store_unavailable() {
        RedisDedupeStore store = store(Duration.ofMillis(200));
        raw().sync().clientPause(2_000);

        assertThatThrownBy(() -> store.claim("paused", LONG))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("Redis dedupe store " + redis.uri() + " failed to claim")
                .hasMessageContaining("RedisCommandTimeoutException");
    }

    @Test
    void a_store_that_cannot_reach_redis_fails_closed_without_the_password() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String password = "s3cr3t-Pa55word";

        Throwable failure = catchThrowable(() -> RedisDedupeStore.builder()
                .uri("redis://:" + password + "@127.0.0.1:" + closedPort + "?timeout=2s")
                .build());

        assertThat(failure)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("Redis dedupe store redis://127.0.0.1:" + closedPort + " failed to connect");
        assertThat(stackTrace(failure)).doesNotContain(password);
    }

    private static String stackTrace(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    @Test
    void a_wrong_password_fails_closed_without_the_password_and_the_right_one_works() {
        String right = "r1ght-Pa55word";
        String wrong = "wr0ng-Pa55word";
        try (EmbeddedRedis secured = EmbeddedRedis.start("requirepass " + right)) {
            String address = "@127.0.0.1:" + secured.port();

            Throwable failure = catchThrowable(() ->
                    RedisDedupeStore.builder().uri("redis://" + wrong + address).build());
            try (RedisDedupeStore store =
                    RedisDedupeStore.builder().uri("redis://" + right + address).build()) {

                assertThat(failure)
                        .isInstanceOf(StoreUnavailableException.class)
                        .hasMessageStartingWith("Redis dedupe store " + secured.uri() + " failed to connect");
                assertThat(stackTrace(failure)).doesNotContain(wrong);
                assertThat(store.claim("secured", LONG).status()).isEqualTo(Status.CLAIMED);
                assertThat(store.toString()).contains(secured.uri()).doesNotContain(right);
            }
        }
    }

    @Test
    void a_malformed_uri_is_refused_without_the_password() {
        assertThatThrownBy(() -> RedisDedupeStore.builder().uri("http://:hunter2-pw@127.0.0.1:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uri is not a Redis URI: http://****@127.0.0.1:6379")
                .hasNoCause();
    }

    @Test
    void a_closed_store_fails_closed() {
        RedisDedupeStore store = store(Duration.ofMillis(500));
        store.close();

        assertThatThrownBy(() -> store.claim("after-close", LONG)).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void completing_works_after_redis_forgot_its_scripts() {
        RedisDedupeStore store = store(Duration.ofMillis(500));
        Claim first = store.claim("flushed-1", LONG).claim().orElseThrow();
        Claim second = store.claim("flushed-2", LONG).claim().orElseThrow();
        assertThat(store.release("flushed-1", first)).isTrue();

        raw().sync().scriptFlush();

        assertThat(store.complete("flushed-2", second, LONG)).isTrue();
        assertThat(store.claim("flushed-2", LONG).status()).isEqualTo(Status.DUPLICATE);
    }

    @Test
    void a_store_given_a_connection_uses_its_prefix_and_leaves_the_connection_open() {
        StatefulRedisConnection<String, String> connection = raw();
        RedisDedupeStore store = RedisDedupeStore.builder()
                .connection(connection)
                .keyPrefix("shop:webhooks:")
                .build();

        store.claim("evt_1", LONG);
        store.close();

        assertThat(connection.isOpen()).isTrue();
        assertThat(connection.sync().exists("shop:webhooks:evt_1")).isOne();
        assertThat(connection.sync().exists(RedisDedupeStore.DEFAULT_KEY_PREFIX + "evt_1"))
                .isZero();
    }

    @Test
    void a_store_from_a_uri_fails_at_once_while_redis_is_down_rather_than_waiting_for_the_timeout() {
        RedisDedupeStore store = store(Duration.ofSeconds(3));
        assertThat(store.claim("before-the-stop", LONG).status()).isEqualTo(Status.CLAIMED);
        redis.stop();
        // The first command may race Lettuce noticing the closed socket; from then on it knows it is disconnected.
        assertThatThrownBy(() -> store.claim("noticed", LONG)).isInstanceOf(StoreUnavailableException.class);

        long start = System.nanoTime();
        Throwable failure = catchThrowable(() -> store.claim("while-down", LONG));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(failure).isInstanceOf(StoreUnavailableException.class);
        assertThat(took)
                .as("rejected while disconnected, not queued until the timeout")
                .isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void a_failed_command_names_host_and_port_and_what_failed_and_hides_the_password_wherever_it_appears() {
        // The password is a word of Lettuce's own timeout message: it must still not be shown.
        String password = "millisecond";
        try (EmbeddedRedis secured = EmbeddedRedis.start("requirepass " + password)) {
            String uri = "redis://" + password + "@127.0.0.1:" + secured.port();
            try (RedisDedupeStore store = RedisDedupeStore.builder()
                    .uri(uri)
                    .commandTimeout(Duration.ofMillis(200))
                    .build()) {
                RedisClient client = RedisClient.create(uri);
                toClose.add(client::shutdown);
                StatefulRedisConnection<String, String> admin = client.connect();
                toClose.add(admin);
                admin.sync().clientPause(2_000);

                Throwable failure = catchThrowable(() -> store.claim("paused", LONG));

                assertThat(failure)
                        .isInstanceOf(StoreUnavailableException.class)
                        .hasMessage(
                                "Redis dedupe store " + secured.uri()
                                        + " failed to claim: RedisCommandTimeoutException: Command timed out after 200 ****(s)");
            }
        }
    }

    @Test
    void a_failed_command_on_a_given_connection_names_the_connection() {
        RedisDedupeStore store = RedisDedupeStore.builder()
                .connection(raw())
                .commandTimeout(Duration.ofMillis(200))
                .build();
        raw().sync().clientPause(2_000);

        assertThatThrownBy(() -> store.claim("paused", LONG))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith(
                        "Redis dedupe store (given connection) failed to claim: RedisCommandTimeoutException: Command timed out");
    }

    @Test
    void a_failed_connection_hides_the_password_wherever_it_appears_and_keeps_lettuces_reason() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        // The password is a word of Lettuce's own message: it must still not be shown.
        String password = "Unable";

        Throwable failure = catchThrowable(() -> RedisDedupeStore.builder()
                .uri("redis://" + password + "@127.0.0.1:" + closedPort)
                .build());

        assertThat(failure)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("Redis dedupe store redis://127.0.0.1:" + closedPort
                        + " failed to connect: RedisConnectionException: **** to connect to 127.0.0.1")
                .hasMessageEndingWith(":" + closedPort)
                .message()
                .doesNotContain(password);
    }

    @Test
    void an_empty_password_leaves_the_failure_as_it_is() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RedisURI uri = RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(closedPort)
                .withPassword(new char[0])
                .build();

        Throwable failure =
                catchThrowable(() -> RedisDedupeStore.builder().uri(uri).build());

        assertThat(failure)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("Redis dedupe store redis://127.0.0.1:" + closedPort
                        + " failed to connect: RedisConnectionException: Unable to connect to 127.0.0.1")
                .message()
                .doesNotContain("****");
    }

    @Test
    void a_given_client_that_cannot_connect_fails_closed_naming_it() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + closedPort);
        toClose.add(client::shutdown);

        assertThatThrownBy(() -> RedisDedupeStore.builder().client(client).build())
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith(
                        "Redis dedupe store (given client) failed to connect: RedisConnectionException: "
                                + "Unable to connect to 127.0.0.1");
    }

    @Test
    void a_failed_command_on_a_uri_with_an_empty_password_is_reported_as_it_is() {
        RedisURI uri = RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(redis.port())
                .withPassword(new char[0])
                .build();
        RedisDedupeStore store = RedisDedupeStore.builder()
                .uri(uri)
                .commandTimeout(Duration.ofMillis(200))
                .build();
        toClose.add(store);
        raw().sync().clientPause(2_000);

        assertThatThrownBy(() -> store.claim("paused", LONG))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("Redis dedupe store " + redis.uri()
                        + " failed to claim: RedisCommandTimeoutException: Command timed out after 200 millisecond(s)");
    }
}
