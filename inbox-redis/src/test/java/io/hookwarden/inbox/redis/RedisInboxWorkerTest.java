package io.hookwarden.inbox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.HttpAnswer;
import io.hookwarden.InboxWorker;
import io.hookwarden.PoisonDeliveryException;
import io.hookwarden.RetryPolicy;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import io.hookwarden.testsupport.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * {@link InboxWorker}s on a real Redis, each with its own {@link RedisInbox} (its own Lettuce connection and consumer
 * name): many deliveries sent several times through two receivers, transient failures retried, poison buried and
 * replayed, every handler completing exactly once; and a worker that dies mid-handler, whose delivery another takes
 * over where it stands in the stream.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisInboxWorkerTest {
    private static final String SECRET = "whsec_redis_inbox_worker_test_secret";
    private static final String ENDPOINT = "orders";

    private EmbeddedRedis redis;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final WebhookSigner signer =
            WebhookSigner.builder().scheme(Schemes.stripe()).secret(SECRET).build();

    @BeforeEach
    void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        redis.close();
    }

    private RedisInbox inbox(String consumer) {
        RedisInbox inbox =
                RedisInbox.builder().uri(redis.uri()).consumer(consumer).build();
        open.add(inbox);
        return inbox;
    }

    private WebhookReceiver receiver(RedisInbox inbox) {
        return WebhookReceiver.builder()
                .name(ENDPOINT)
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.stripe())
                        .secret(SECRET)
                        .build())
                .inbox(inbox)
                .build();
    }

    private HttpAnswer send(WebhookReceiver receiver, String id) {
        return receiver.receive(signer.sign(WebhookMessage.body("{\"id\":\"" + id + "\",\"type\":\"invoice.paid\"}")
                        .build()))
                .answer();
    }

    private InboxWorker worker(RedisInbox inbox, String name, Duration lease, WebhookReceiver.Handler handler) {
        InboxWorker worker = InboxWorker.builder()
                .endpoint(receiver(inbox), handler)
                .name(name)
                .concurrency(4)
                .pollInterval(Duration.ofMillis(10))
                .lease(lease)
                .retryPolicy(RetryPolicy.builder()
                        .base(Duration.ofMillis(10))
                        .cap(Duration.ofMillis(50))
                        .maxAttempts(4)
                        .build())
                .build();
        open.add(() -> worker.stop(Duration.ZERO));
        return worker.start();
    }

    @Test
    void three_workers_handle_every_delivery_once_retry_the_transient_failures_and_bury_then_replay_the_poison()
            throws Exception {
        int n = 1_000;
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
        AtomicBoolean fixed = new AtomicBoolean();
        Set<String> poison = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (i % 100 == 7) {
                poison.add("evt_" + i);
            }
        }
        WebhookReceiver.Handler handler = webhook -> {
            String id = webhook.json().path("id").asText();
            int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (poison.contains(id) && !fixed.get()) {
                throw new PoisonDeliveryException("cannot take " + id);
            }
            int i = Integer.parseInt(id.substring(4));
            if (i % 5 == 1 && attempt == 1) {
                throw new IllegalStateException("the ledger answered 503 for " + id);
            }
            completions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        };
        for (int w = 0; w < 3; w++) {
            worker(inbox("worker-" + w), "w" + w, Duration.ofSeconds(30), handler);
        }
        WebhookReceiver[] receivers = {receiver(inbox("receiver-1")), receiver(inbox("receiver-2"))};
        RedisInbox reader = inbox("reader");

        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int copy = 0; copy <= i % 3; copy++) {
                int status = send(receivers[(i + copy) % 2], "evt_" + i).status();
                if (status != 200) {
                    refused.add(status);
                }
            }
        }
        assertThat(refused).as("answers other than 200").isEmpty();

        InboxQuery dead =
                InboxQuery.builder().endpoint(ENDPOINT).state(State.DEAD).build();
        await(() -> completions.size() == n - poison.size() && reader.find(dead).size() == poison.size());
        Set<String> deadIds = new HashSet<>();
        for (StoredDelivery d : reader.find(dead)) {
            deadIds.add(d.entry().dedupeKey());
            assertThat(d.lastError()).contains("PoisonDeliveryException");
        }
        assertThat(deadIds).isEqualTo(poison);

        fixed.set(true);
        assertThat(reader.replay(dead)).isEqualTo(poison.size());
        await(() -> completions.size() == n);

        List<String> notOnce = new ArrayList<>();
        completions.forEach((id, count) -> {
            if (count.get() != 1) {
                notOnce.add(id + " x" + count.get());
            }
        });
        assertThat(notOnce).as("handlers completed other than once").isEmpty();
        assertThat(completions).hasSize(n);
        await(() -> reader.stats(ENDPOINT).count(State.COMPLETED) == n);
        assertThat(reader.stats(ENDPOINT).count(State.COMPLETED)).isEqualTo(n);
        assertThat(attempts.get("evt_1").get())
                .as("a transient failure, then success")
                .isEqualTo(2);
        try (RedisClient client = client();
                StatefulRedisConnection<String, String> raw = client.connect()) {
            String stream = reader.streamKey(ENDPOINT);
            assertThat(raw.sync().xlen(stream))
                    .as("one stream entry per delivery")
                    .isEqualTo(n);
            assertThat(raw.sync().xpending(stream, RedisInbox.GROUP).getCount())
                    .as("every entry acknowledged")
                    .isZero();
        }
    }

    @Test
    void a_worker_that_dies_mid_handler_has_its_delivery_taken_over_in_place_and_handled_once() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger completedByA = new AtomicInteger();
        RedisInbox inboxA = inbox("worker-a");
        worker(inboxA, "a", Duration.ofSeconds(1), webhook -> {
            started.countDown();
            never.await(); // the process dies here: nothing after this line runs
            completedByA.incrementAndGet();
        });
        RedisInbox reader = inbox("reader");
        assertThat(send(receiver(reader), "evt_stuck").status()).isEqualTo(200);
        assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        StoredDelivery held =
                reader.find(InboxQuery.builder().endpoint(ENDPOINT).build()).get(0);
        assertThat(held.state()).isEqualTo(State.IN_FLIGHT);
        String streamId = held.id().substring(held.id().indexOf('/') + 1);

        inboxA.close(); // its connection is gone: no heartbeat, no settling; the lease runs out

        AtomicInteger completedByB = new AtomicInteger();
        Map<String, Long> pendingWhileB = new ConcurrentHashMap<>();
        try (RedisClient client = client();
                StatefulRedisConnection<String, String> raw = client.connect()) {
            String stream = reader.streamKey(ENDPOINT);
            assertThat(raw.sync().xpending(stream, RedisInbox.GROUP).getConsumerMessageCount())
                    .containsEntry("worker-a", 1L);
            worker(inbox("worker-b"), "b", Duration.ofSeconds(30), webhook -> {
                pendingWhileB.putAll(
                        raw.sync().xpending(stream, RedisInbox.GROUP).getConsumerMessageCount());
                completedByB.incrementAndGet();
            });

            await(() -> completedByB.get() == 1
                    && reader.get(held.id())
                            .map(d -> d.state() == State.COMPLETED)
                            .orElse(false));

            assertThat(pendingWhileB)
                    .as("taken over by B in the consumer group")
                    .containsOnlyKeys("worker-b");
            assertThat(raw.sync().xlen(stream))
                    .as("taken over where it stands, not added again")
                    .isOne();
            assertThat(raw.sync().xrange(stream, io.lettuce.core.Range.create("-", "+")))
                    .singleElement()
                    .satisfies(m -> assertThat(m.getId()).isEqualTo(streamId));
            assertThat(raw.sync().xpending(stream, RedisInbox.GROUP).getCount()).isZero();
        }
        StoredDelivery done = reader.get(held.id()).orElseThrow();
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(completedByB.get()).isOne();
        assertThat(completedByA.get()).isZero();
    }

    private RedisClient client() {
        return RedisClient.create(redis.uri());
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done within 60 s");
            }
            Thread.sleep(20);
        }
    }
}
