package io.hookwarden.inbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.RetryPolicy;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.testsupport.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Events of one ordering key are one partition's records: retries pause the partition, so they keep their order. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaOrderingTest {
    private static final int KEYS = 12;
    private static final int PER_KEY = 25;

    @Test
    void events_of_one_key_are_handled_in_the_order_sent_while_a_third_of_the_attempts_fail() throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.shared();
        broker.createTopicAndDeadLetters("ordered", 4);
        Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        WebhookReceiver.Handler handler = webhook -> {
            if (ThreadLocalRandom.current().nextInt(3) == 0) {
                failures.incrementAndGet();
                throw new IllegalStateException("try again");
            }
            String body = webhook.bodyText();
            String key = body.replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
            long seq = Long.parseLong(body.replaceAll(".*\"seq\":(\\d+).*", "$1"));
            seen.computeIfAbsent(key, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(seq);
        };
        DedupeStore store = InMemoryDedupeStore.create();
        List<KafkaInboxWorker> workers = new ArrayList<>();
        try (KafkaInbox inbox = KafkaInbox.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topic("ordered")
                .build()) {
            WebhookReceiver receiver = Deliveries.ordered("orders", inbox);
            for (int w = 0; w < 2; w++) {
                workers.add(KafkaInboxWorker.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .groupId("ordered")
                        .name("ordered-" + w)
                        .endpoint(receiver, handler)
                        .dedupeStore(store)
                        .pollTimeout(Duration.ofMillis(100))
                        .retryPolicy(RetryPolicy.builder()
                                .base(Duration.ofMillis(5))
                                .cap(Duration.ofMillis(30))
                                .maxAttempts(30)
                                .build())
                        .build()
                        .start());
            }
            for (int seq = 0; seq < PER_KEY; seq++) {
                for (int k = 0; k < KEYS; k++) {
                    String id = "evt_" + k + "_" + seq;
                    assertThat(receiver.receive(Deliveries.keyed(id, "order-" + k, seq))
                                    .answer()
                                    .status())
                            .isEqualTo(200);
                }
            }
            Await.until(Duration.ofSeconds(60), "every record settled", () -> broker.lag("ordered", "ordered") == 0);
        } finally {
            for (KafkaInboxWorker worker : workers) {
                worker.stop(Duration.ofSeconds(10));
            }
        }
        List<Long> inOrder = LongStream.range(0, PER_KEY).boxed().toList();
        assertThat(seen).hasSize(KEYS);
        seen.forEach((key, seqs) -> assertThat(seqs).as(key).containsExactlyElementsOf(inOrder));
        assertThat(failures.get()).isGreaterThan(KEYS * PER_KEY / 5);
    }
}
