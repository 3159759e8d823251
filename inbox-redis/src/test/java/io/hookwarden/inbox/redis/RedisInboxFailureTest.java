package io.hookwarden.inbox.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.Headers;
import io.hookwarden.HttpAnswer;
import io.hookwarden.InboxWorker;
import io.hookwarden.Reason;
import io.hookwarden.RetryPolicy;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.Inbox.Written;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import io.hookwarden.testsupport.EmbeddedRedis;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Redis failing: every method is a {@link StoreUnavailableException} without the password, the receiver answers 503
 * while Redis is down, and nothing it acknowledged is lost when Redis comes back; and the length cap, which refuses
 * writes rather than trimming anything away.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisInboxFailureTest {
    private static final String SECRET = "whsec_redis_inbox_failure_test_secret";
    private static final Duration LEASE = Duration.ofMinutes(1);

    private static InboxEntry entry(String endpoint, String key) {
        return new InboxEntry(
                endpoint,
                key,
                "stripe",
                "POST",
                null,
                Headers.empty(),
                ("{\"id\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8),
                null,
                key,
                "invoice.paid",
                null,
                "primary",
                null,
                InboxEntry.Ordering.NONE,
                0,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static InboxLease lease(String id) {
        StoredDelivery d =
                new StoredDelivery(id, entry("e", "k"), State.IN_FLIGHT, 1, Instant.EPOCH, null, Instant.EPOCH);
        return new InboxLease(d, "token", Instant.EPOCH);
    }

    private static Map<String, ThrowingCallable> everyMethod(Inbox inbox) {
        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put("write a delivery", () -> inbox.write(entry("e", "k")));
        calls.put("claim deliveries", () -> inbox.claim(List.of("e"), 10, LEASE));
        calls.put("extend a lease", () -> inbox.heartbeat(lease("e/1-0"), LEASE));
        calls.put("complete a delivery", () -> inbox.complete(lease("e/1-0")));
        calls.put("complete deliveries", () -> inbox.completeAll(List.of(lease("e/1-0"), lease("e/2-0"))));
        calls.put("retry a delivery", () -> inbox.retry(lease("e/1-0"), Instant.EPOCH, "x"));
        calls.put("bury a delivery", () -> inbox.bury(lease("e/1-0"), "x"));
        calls.put("skip a delivery", () -> inbox.skip(lease("e/1-0"), "x"));
        calls.put("read the completed sequence", () -> inbox.completedSequence("e", "k"));
        calls.put("read a delivery", () -> inbox.get("e/1-0"));
        calls.put("find deliveries", () -> inbox.find(InboxQuery.all()));
        calls.put("replay deliveries", () -> inbox.replay(InboxQuery.all()));
        calls.put("replay a delivery", () -> inbox.replay("e/1-0"));
        calls.put("purge deliveries", () -> inbox.purge(InboxQuery.all()));
        calls.put("purge settled deliveries", () -> inbox.purgeSettled(Instant.EPOCH, 10));
        calls.put("count deliveries", () -> inbox.stats(null));
        return calls;
    }

    @Test
    void every_method_of_a_redis_that_went_away_is_store_unavailable_without_the_password() {
        try (EmbeddedRedis redis = EmbeddedRedis.start("requirepass hunter2-secret")) {
            RedisInbox inbox = RedisInbox.builder()
                    .uri("redis://:hunter2-secret@127.0.0.1:" + redis.port())
                    .commandTimeout(Duration.ofMillis(500))
                    .build();
            try (inbox) {
                assertThat(inbox.write(entry("e", "first"))).isEqualTo(Written.ADDED);
                redis.stop();

                everyMethod(inbox).forEach((operation, call) -> assertThatThrownBy(call)
                        .as(operation)
                        .isInstanceOf(StoreUnavailableException.class)
                        .hasMessageContaining(operation)
                        .hasMessageContaining("redis://127.0.0.1:" + redis.port())
                        .hasMessageNotContaining("hunter2"));
                redis.restart();
            }
        }
    }

    @Test
    void a_redis_that_cannot_be_reached_at_build_is_store_unavailable_without_the_password() throws Exception {
        int port = EmbeddedRedis.freePort();

        assertThatThrownBy(() -> RedisInbox.builder()
                        .uri("redis://:hunter2-secret@127.0.0.1:" + port)
                        .build())
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("failed to connect")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    @SuppressWarnings("try") // the worker runs for the try block's duration, behind the sends
    void while_redis_is_down_the_receiver_answers_503_and_nothing_it_acknowledged_is_lost_after_it_returns()
            throws Exception {
        WebhookSigner signer =
                WebhookSigner.builder().scheme(Schemes.stripe()).secret(SECRET).build();
        Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                RedisInbox receiverInbox = RedisInbox.builder()
                        .uri(redis.uri())
                        .commandTimeout(Duration.ofMillis(500))
                        .build();
                RedisInbox workerInbox = RedisInbox.builder()
                        .uri(redis.uri())
                        .commandTimeout(Duration.ofMillis(500))
                        .build()) {
            WebhookReceiver receiver = receiver(receiverInbox);
            try (InboxWorker worker = InboxWorker.builder()
                    .endpoint(receiver(workerInbox), webhook -> handled.computeIfAbsent(
                                    webhook.json().path("id").asText(), k -> new AtomicInteger())
                            .incrementAndGet())
                    .pollInterval(Duration.ofMillis(10))
                    .lease(Duration.ofSeconds(3))
                    .retryPolicy(RetryPolicy.builder()
                            .base(Duration.ofMillis(10))
                            .cap(Duration.ofMillis(50))
                            .build())
                    .build()
                    .start()) {
                List<String> acknowledged = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String id = "evt_before_" + i;
                    assertThat(send(signer, receiver, id).status()).isEqualTo(200);
                    acknowledged.add(id);
                }

                redis.stop();
                List<String> refused = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String id = "evt_during_" + i;
                    HttpAnswer answer = send(signer, receiver, id);
                    assertThat(answer.status()).as(id).isEqualTo(503);
                    assertThat(answer.reason()).hasValue(Reason.STORE_UNAVAILABLE);
                    refused.add(id);
                }
                redis.restart();

                // the provider retries what was refused; Lettuce reconnects by itself
                for (String id : refused) {
                    await(() -> send(signer, receiver, id).status() == 200);
                    acknowledged.add(id);
                }
                for (int i = 0; i < 50; i++) {
                    String id = "evt_after_" + i;
                    assertThat(send(signer, receiver, id).status()).isEqualTo(200);
                    acknowledged.add(id);
                }

                await(() -> acknowledged.stream().allMatch(handled::containsKey)
                        && receiverInbox.stats("orders").count(State.COMPLETED) == acknowledged.size());
                assertThat(handled.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
                assertThat(receiverInbox.stats("orders").count(State.COMPLETED)).isEqualTo(acknowledged.size());
                for (String id : acknowledged) {
                    assertThat(send(signer, receiver, id).status())
                            .as("a provider's retry of " + id + " after the outage is a duplicate")
                            .isEqualTo(200);
                }
                assertThat(receiverInbox.stats("orders").count(State.PENDING)).isZero();
            }
        }
    }

    private static WebhookReceiver receiver(RedisInbox inbox) {
        return WebhookReceiver.builder()
                .name("orders")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.stripe())
                        .secret(SECRET)
                        .build())
                .inbox(inbox)
                .build();
    }

    private static HttpAnswer send(WebhookSigner signer, WebhookReceiver receiver, String id) {
        return receiver.receive(signer.sign(WebhookMessage.body("{\"id\":\"" + id + "\",\"type\":\"invoice.paid\"}")
                        .build()))
                .answer();
    }

    @Test
    void a_full_stream_refuses_writes_with_store_unavailable_and_keeps_every_entry_it_holds() {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                RedisInbox inbox =
                        RedisInbox.builder().uri(redis.uri()).maxLength(5).build();
                RedisClient client = RedisClient.create(redis.uri());
                StatefulRedisConnection<String, String> raw = client.connect()) {
            String stream = inbox.streamKey("capped");
            for (int i = 0; i < 5; i++) {
                assertThat(inbox.write(entry("capped", "k" + i))).isEqualTo(Written.ADDED);
            }
            String firstId =
                    raw.sync().xrange(stream, Range.create("-", "+")).get(0).getId();

            assertThatThrownBy(() -> inbox.write(entry("capped", "k5")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("maximum of 5 entries");
            assertThat(inbox.write(entry("capped", "k0")))
                    .as("a duplicate is still answered")
                    .isEqualTo(Written.DUPLICATE);
            assertThat(raw.sync().xlen(stream)).isEqualTo(5);
            assertThat(raw.sync().xrange(stream, Range.create("-", "+")).get(0).getId())
                    .as("nothing trimmed")
                    .isEqualTo(firstId);
            assertThat(inbox.stats("capped").count(State.PENDING)).isEqualTo(5);

            List<InboxLease> leases = inbox.claim(List.of("capped"), 5, LEASE);
            assertThat(leases).hasSize(5);
            assertThatThrownBy(() -> inbox.write(entry("capped", "k5")))
                    .as("in flight, they still count")
                    .isInstanceOf(StoreUnavailableException.class);

            assertThat(inbox.complete(leases.get(0))).isTrue();
            assertThat(inbox.complete(leases.get(1))).isTrue();
            assertThat(inbox.bury(leases.get(2), "poison")).isTrue();
            assertThat(raw.sync().xlen(stream))
                    .as("the dead one moved to the dead stream")
                    .isEqualTo(4);
            assertThat(inbox.write(entry("capped", "k5"))).isEqualTo(Written.ADDED);
            assertThatThrownBy(() -> inbox.write(entry("capped", "k6")))
                    .as("completed ones count until the retention sweep")
                    .isInstanceOf(StoreUnavailableException.class);
            WebhookSigner signer = WebhookSigner.builder()
                    .scheme(Schemes.stripe())
                    .secret(SECRET)
                    .build();
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .name("capped")
                    .verifier(WebhookVerifier.builder()
                            .scheme(Schemes.stripe())
                            .secret(SECRET)
                            .build())
                    .inbox(inbox)
                    .build();
            HttpAnswer full = send(signer, receiver, "evt_full");
            assertThat(full.status()).isEqualTo(503);
            assertThat(full.reason()).hasValue(Reason.STORE_UNAVAILABLE);

            assertThat(inbox.purgeSettled(Instant.parse("9999-01-01T00:00:00Z"), 100))
                    .isEqualTo(2);
            assertThat(raw.sync().xlen(stream)).isEqualTo(3);
            assertThat(inbox.write(entry("capped", "k6"))).isEqualTo(Written.ADDED);
            assertThat(send(signer, receiver, "evt_full").status()).isEqualTo(200);
            assertThat(inbox.stats("capped").count(State.DEAD)).isOne();
            assertThat(inbox.find(InboxQuery.builder().endpoint("capped").build()))
                    .extracting(d -> d.entry().dedupeKey())
                    .containsExactlyInAnyOrder("k2", "k3", "k4", "k5", "k6", "evt_full");
        }
    }

    @Test
    void a_stream_the_sweep_emptied_keeps_its_group_and_takes_writes_and_claims_again() {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                RedisInbox inbox = RedisInbox.builder().uri(redis.uri()).build();
                RedisClient client = RedisClient.create(redis.uri());
                StatefulRedisConnection<String, String> raw = client.connect()) {
            inbox.write(entry("swept", "k1"));
            assertThat(inbox.complete(inbox.claim(List.of("swept"), 1, LEASE).get(0)))
                    .isTrue();
            assertThat(inbox.purgeSettled(Instant.parse("9999-01-01T00:00:00Z"), 10))
                    .isOne();
            assertThat(raw.sync().xlen(inbox.streamKey("swept"))).isZero();

            assertThat(inbox.write(entry("swept", "k1"))).isEqualTo(Written.ADDED);
            List<InboxLease> again = inbox.claim(List.of("swept"), 1, LEASE);
            assertThat(again).hasSize(1);
            assertThat(raw.sync()
                            .xpending(inbox.streamKey("swept"), RedisInbox.GROUP)
                            .getCount())
                    .isOne();
            assertThat(inbox.complete(again.get(0))).isTrue();
        }
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done within 60 s");
            }
            Thread.sleep(50);
        }
    }
}
