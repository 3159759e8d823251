package io.hookwarden.inbox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.EventAttribute;
import io.hookwarden.InboxWorker;
import io.hookwarden.RetryPolicy;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.testsupport.EmbeddedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Strict per-key order on a real Redis, through two workers whose handlers fail often: each key's events are handled
 * one at a time, in sequence order, whatever order they arrived in and however often they were retried; and endpoint
 * names that need escaping in the keys round-trip through ids.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisInboxOrderingTest {
    private static final String SECRET = "whsec_redis_inbox_ordering_test_secret";

    @Test
    @SuppressWarnings("try") // the workers run for the try block's duration
    void strict_keys_are_handled_one_at_a_time_in_sequence_order_under_retries() throws Exception {
        int keys = 8;
        int perKey = 12;
        Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
        Map<String, AtomicBoolean> busy = new ConcurrentHashMap<>();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Random failures = new Random(14);
        WebhookReceiver.Handler handler = webhook -> {
            String key = webhook.json().path("key").asText();
            int seq = webhook.json().path("seq").asInt();
            AtomicBoolean flag = busy.computeIfAbsent(key, k -> new AtomicBoolean());
            if (!flag.compareAndSet(false, true)) {
                overlaps.add(key + "/" + seq);
            }
            try {
                Thread.sleep(1);
                boolean fail;
                synchronized (failures) {
                    fail = failures.nextInt(100) < 30;
                }
                calls.incrementAndGet();
                if (fail) {
                    throw new IllegalStateException("transient failure of " + key + "/" + seq);
                }
                handled.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(seq);
            } finally {
                flag.set(false);
            }
        };
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                RedisInbox writer = RedisInbox.builder().uri(redis.uri()).build();
                RedisInbox inboxA = RedisInbox.builder().uri(redis.uri()).build();
                RedisInbox inboxB = RedisInbox.builder().uri(redis.uri()).build()) {
            List<String[]> events = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                for (int s = 0; s < perKey; s++) {
                    events.add(new String[] {"key-" + k, Integer.toString(s)});
                }
            }
            Collections.shuffle(events, new Random(14));
            WebhookSigner signer = WebhookSigner.builder()
                    .scheme(Schemes.stripe())
                    .secret(SECRET)
                    .build();
            WebhookReceiver receiver = receiver(writer);
            for (String[] e : events) {
                String body = "{\"id\":\"evt_" + e[0] + "_" + e[1] + "\",\"type\":\"order.updated\",\"key\":\"" + e[0]
                        + "\",\"seq\":" + e[1] + "}";
                assertThat(receiver.receive(
                                        signer.sign(WebhookMessage.body(body).build()))
                                .answer()
                                .status())
                        .isEqualTo(200);
            }
            try (InboxWorker a = worker(inboxA, "a", handler);
                    InboxWorker b = worker(inboxB, "b", handler)) {
                await(() -> handled.values().stream().mapToInt(List::size).sum() == keys * perKey);
            }
            assertThat(overlaps).as("handled while another of their key was").isEmpty();
            List<Integer> inOrder = new ArrayList<>();
            for (int s = 0; s < perKey; s++) {
                inOrder.add(s);
            }
            assertThat(handled).hasSize(keys);
            handled.forEach((key, seqs) -> assertThat(seqs).as(key).containsExactlyElementsOf(inOrder));
            assertThat(calls.get()).as("some attempts failed and were retried").isGreaterThan(keys * perKey);
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
                .ordering(InboxEntry.Ordering.STRICT, EventAttribute.jsonPointer("/key"))
                .sequence(EventAttribute.jsonPointer("/seq"))
                .build();
    }

    private static InboxWorker worker(RedisInbox inbox, String name, WebhookReceiver.Handler handler) {
        return InboxWorker.builder()
                .endpoint(receiver(inbox), handler)
                .name(name)
                .concurrency(4)
                .pollInterval(Duration.ofMillis(5))
                .lease(Duration.ofSeconds(30))
                .retryPolicy(RetryPolicy.builder()
                        .base(Duration.ofMillis(5))
                        .cap(Duration.ofMillis(20))
                        .maxAttempts(50)
                        .build())
                .build()
                .start();
    }

    @Test
    void an_endpoint_whose_name_needs_escaping_round_trips_through_ids_and_queries() {
        String endpoint = "tenant{7}/orders:eu%";
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                RedisInbox inbox = RedisInbox.builder().uri(redis.uri()).build()) {
            InboxEntry entry = new InboxEntry(
                    endpoint,
                    "k1",
                    "stripe",
                    "POST",
                    null,
                    io.hookwarden.Headers.empty(),
                    new byte[] {1, 2, 3},
                    null,
                    null,
                    null,
                    null,
                    "primary",
                    null,
                    InboxEntry.Ordering.NONE,
                    0,
                    java.time.Instant.parse("2026-01-01T00:00:00Z"));
            inbox.write(entry);

            List<InboxLease> leases = inbox.claim(List.of(endpoint), 5, Duration.ofMinutes(1));
            assertThat(leases)
                    .singleElement()
                    .satisfies(l -> assertThat(l.delivery().entry()).isEqualTo(entry));
            String id = leases.get(0).id();
            assertThat(id).startsWith("tenant%7B7%7D%2Forders%3Aeu%25/");
            assertThat(inbox.complete(leases.get(0))).isTrue();
            assertThat(inbox.get(id))
                    .hasValueSatisfying(d -> assertThat(d.entry().endpoint()).isEqualTo(endpoint));
            assertThat(inbox.find(InboxQuery.all()))
                    .extracting(StoredDelivery::id)
                    .containsExactly(id);
            assertThat(inbox.stats(null).count(StoredDelivery.State.COMPLETED)).isOne();
        }
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done within 90 s");
            }
            Thread.sleep(20);
        }
    }
}
