package io.hookwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Delivery;
import io.hookwarden.HttpAnswer;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.testsupport.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The Redis store behind a {@link WebhookReceiver}: signed deliveries in, claims in a real Redis. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisReceiverTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static EmbeddedRedis redis;
    private static RedisDedupeStore store;
    private static RedisClient rawClient;
    private static StatefulRedisConnection<String, String> raw;

    private final MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
    private final WebhookFixtures fixtures = WebhookFixtures.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .clock(clock)
            .build();
    private final WebhookVerifier verifier = WebhookVerifier.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .clock(clock)
            .build();

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
        store = RedisDedupeStore.builder()
                .uri(redis.uri())
                .commandTimeout(Duration.ofMillis(500))
                .build();
        rawClient = RedisClient.create(redis.uri());
        raw = rawClient.connect();
    }

    @AfterAll
    static void stopRedis() {
        raw.close();
        rawClient.shutdown();
        store.close();
        redis.close();
    }

    private WebhookReceiver receiver(Duration lease) {
        return WebhookReceiver.builder()
                .verifier(verifier)
                .dedupeStore(store)
                .name("orders")
                .lease(lease)
                .build();
    }

    private WebhookRequest delivery() {
        return fixtures.delivery("{\"type\":\"order.paid\"}")
                .id("msg_" + UUID.randomUUID())
                .signed();
    }

    @Test
    void a_handler_that_fails_releases_its_claim_and_a_later_attempt_processes_the_event() {
        WebhookReceiver receiver = receiver(Duration.ofMinutes(1));
        WebhookRequest request = delivery();
        AtomicInteger processed = new AtomicInteger();

        HttpAnswer failed = receiver.handle(request, webhook -> {
            throw new IllegalStateException("database down");
        });
        HttpAnswer retried = receiver.handle(request, webhook -> processed.incrementAndGet());
        HttpAnswer replayed = receiver.handle(request, webhook -> processed.incrementAndGet());

        assertThat(failed.status()).isEqualTo(500);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(processed).hasValue(1);
        assertThat(receiver.receive(request)).isInstanceOf(Outcome.Duplicate.class);
    }

    @Test
    void a_lease_that_expires_is_claimed_again_and_the_stale_owner_cannot_complete() throws InterruptedException {
        // the crashed worker's lease is short; the retry's is long, so a busy machine cannot expire it mid-test
        WebhookReceiver receiver = receiver(Duration.ofSeconds(1));
        WebhookReceiver retrying = receiver(Duration.ofMinutes(1));
        WebhookRequest request = delivery();
        Delivery crashed = ((Outcome.Accepted) receiver.receive(request)).delivery();
        String redisKey = store.keyPrefix() + crashed.key();

        Outcome whileHeld = retrying.receive(request);
        awaitExpiry(redisKey);
        Outcome afterExpiry = retrying.receive(request);

        assertThat(whileHeld).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.IN_PROGRESS);
            assertThat(r.answer().status()).isEqualTo(409);
        });
        assertThat(afterExpiry).isInstanceOf(Outcome.Accepted.class);
        try (Delivery retry = ((Outcome.Accepted) afterExpiry).delivery()) {
            assertThat(crashed.complete()).as("the stale owner completes").isFalse();
            assertThat(raw.sync().get(redisKey)).doesNotStartWith(RedisDedupeStore.DONE);
            assertThat(retry.complete()).as("the new owner completes").isTrue();
        }
        crashed.close();
        assertThat(raw.sync().get(redisKey)).startsWith(RedisDedupeStore.DONE);
        assertThat(receiver.receive(request)).isInstanceOf(Outcome.Duplicate.class);
    }

    @Test
    void a_completed_delivery_is_kept_for_the_receivers_retention() {
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(verifier)
                .dedupeStore(store)
                .name("orders")
                .retention(Duration.ofDays(7))
                .build();
        WebhookRequest request = delivery();

        Delivery delivery = ((Outcome.Accepted) receiver.receive(request)).delivery();
        delivery.complete();

        long ttl = raw.sync().pttl(store.keyPrefix() + delivery.key());
        assertThat(ttl)
                .isBetween(
                        Duration.ofDays(7).minusMinutes(1).toMillis(),
                        Duration.ofDays(7).toMillis());
    }

    /** Waits for Redis, not for a guessed time, to expire the key. */
    private static void awaitExpiry(String redisKey) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (raw.sync().exists(redisKey) == 1) {
            assertThat(System.nanoTime()).as("Redis expired " + redisKey).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
