package io.hookwarden.inbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Outcome;
import io.hookwarden.PoisonDeliveryException;
import io.hookwarden.RetryPolicy;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.redis.RedisDedupeStore;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.testsupport.EmbeddedKafka;
import io.hookwarden.testsupport.EmbeddedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's mixed run: distinct events sent one to four times each through two receivers (two producers), consumed
 * by three workers of one group, 20 % of attempts failing transiently and 1 % of events poison. Every non-poison event
 * is handled exactly once, the poison ones reach the dead letters, and their replay after the fix handles each once.
 * {@code -Dhookwarden.kafka.events=10000} runs the full size (the default keeps the module's run short).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaInboxLoadTest {
    private static final int EVENTS = Integer.getInteger("hookwarden.kafka.events", 2_000);
    private static EmbeddedKafka broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.shared();
    }

    @Test
    void every_event_sent_up_to_four_times_with_transient_failures_and_poison_is_handled_exactly_once()
            throws Exception {
        run(InMemoryDedupeStore.create(), "mem", EVENTS);
    }

    @Test
    void the_same_with_the_redis_dedupe_store_on_a_real_redis() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start("appendonly no");
                RedisDedupeStore store =
                        RedisDedupeStore.builder().uri(redis.uri()).build()) {
            run(store, "redis", Math.max(100, EVENTS / 2));
        }
    }

    static void run(DedupeStore store, String label, int events) throws Exception {
        String topic = "load-" + label;
        broker.createTopicAndDeadLetters(topic, 6);
        Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        AtomicBoolean fixed = new AtomicBoolean();
        AtomicInteger transientFailures = new AtomicInteger();
        Set<String> poison = new HashSet<>();
        for (int i = 0; i < events; i += 100) {
            poison.add(id(i));
        }
        WebhookReceiver.Handler handler = webhook -> {
            String id = webhook.id().orElseThrow();
            if (poison.contains(id) && !fixed.get()) {
                throw new PoisonDeliveryException("event " + id + " refused");
            }
            if (ThreadLocalRandom.current().nextInt(5) == 0) {
                transientFailures.incrementAndGet();
                throw new IllegalStateException("the ledger timed out");
            }
            handled.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        };

        List<KafkaInboxWorker> workers = new ArrayList<>();
        try (KafkaInbox first = inbox(topic);
                KafkaInbox second = inbox(topic)) {
            WebhookReceiver one = Deliveries.receiver("billing", first);
            WebhookReceiver two = Deliveries.receiver("billing", second);
            for (int w = 0; w < 3; w++) {
                workers.add(KafkaInboxWorker.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .topic(topic)
                        .groupId("load-" + label)
                        .name("load-" + label + "-" + w)
                        .endpoint(one, handler)
                        .dedupeStore(store)
                        .pollTimeout(Duration.ofMillis(100))
                        .retryPolicy(RetryPolicy.builder()
                                .base(Duration.ofMillis(5))
                                .cap(Duration.ofMillis(20))
                                .maxAttempts(8)
                                .build())
                        .build()
                        .start());
            }

            Random random = new Random(15);
            List<WebhookRequest> sends = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                WebhookRequest request = Deliveries.delivery(id(i), "invoice.paid");
                for (int copies = 1 + random.nextInt(4); copies > 0; copies--) {
                    sends.add(request);
                }
            }
            java.util.Collections.shuffle(sends, random);
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < sends.size(); i++) {
                WebhookReceiver through = i % 2 == 0 ? one : two;
                WebhookRequest request = sends.get(i);
                answers.add(senders.submit(() -> {
                    Outcome outcome = through.receive(request);
                    return outcome.answer().status();
                }));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
            senders.shutdown();

            Await.until(Duration.ofSeconds(120), "every record settled", () -> broker.lag("load-" + label, topic) == 0);

            for (int i = 0; i < events; i++) {
                String id = id(i);
                if (poison.contains(id)) {
                    assertThat(handled).doesNotContainKey(id);
                } else {
                    assertThat(handled.get(id)).as(id).hasValue(1);
                }
            }
            Set<String> dead = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : broker.read(topic + ".DLT")) {
                dead.add(RecordFormat.text(r.headers(), RecordFormat.EVENT_ID));
            }
            assertThat(dead).containsAll(poison);
            assertThat(transientFailures.get()).isGreaterThan(events / 10); // a fifth of the handler runs

            fixed.set(true);
            try (KafkaDeadLetters letters = KafkaDeadLetters.builder()
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .build()) {
                assertThat(letters.replay()).isGreaterThanOrEqualTo(poison.size());
            }
            Await.until(Duration.ofSeconds(60), "the replay settled", () -> broker.lag("load-" + label, topic) == 0);
            Await.until(Duration.ofSeconds(60), "the replayed poison handled", () -> handled.keySet()
                    .containsAll(poison));
        } finally {
            for (KafkaInboxWorker worker : workers) {
                worker.stop(Duration.ofSeconds(10));
            }
        }
        assertThat(handled).hasSize(events);
        assertThat(handled.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    }

    private static KafkaInbox inbox(String topic) {
        return KafkaInbox.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topic(topic)
                .build();
    }

    private static String id(int i) {
        return "evt_" + i;
    }
}
