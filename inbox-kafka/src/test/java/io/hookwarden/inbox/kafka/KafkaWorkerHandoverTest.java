package io.hookwarden.inbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.testsupport.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** A worker stopped, or stuck, while its handler runs: the partition moves on, and the event is handled once. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@SuppressWarnings("try") // a started worker is held only to be closed
class KafkaWorkerHandoverTest {
    private static EmbeddedKafka broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.shared();
    }

    private static KafkaInboxWorker worker(
            String topic, String name, WebhookReceiver receiver, WebhookReceiver.Handler handler, DedupeStore store) {
        return KafkaInboxWorker.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topic(topic)
                .groupId("g-" + topic)
                .name(name)
                .endpoint(receiver, handler)
                .dedupeStore(store)
                .pollTimeout(Duration.ofMillis(100))
                // a consumer stuck in a handler is put out of the group after this
                .properties(Map.of("max.poll.interval.ms", 6_000))
                .build();
    }

    @Test
    void a_worker_stopped_mid_handler_releases_the_event_and_the_worker_that_takes_its_partition_handles_it_once()
            throws Exception {
        String topic = "handover-stop";
        broker.createTopicAndDeadLetters(topic, 1);
        DedupeStore store = InMemoryDedupeStore.create();
        Queue<String> completedBy = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(1);
        try (KafkaInbox inbox = KafkaInbox.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topic(topic)
                .build()) {
            WebhookReceiver receiver = Deliveries.receiver("billing", inbox);
            WebhookReceiver.Handler handler = webhook -> {
                String me = Thread.currentThread().getName();
                if (me.endsWith("-a")) {
                    started.countDown();
                    new CountDownLatch(1).await(); // until interrupted by the stop
                }
                completedBy.add(me);
            };
            KafkaInboxWorker a = worker(topic, "a", receiver, handler, store).start();
            receiver.receive(Deliveries.delivery("evt_h", "invoice.paid"));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            try (KafkaInboxWorker b =
                    worker(topic, "b", receiver, handler, store).start()) {
                boolean ended = a.stop(Duration.ofMillis(200));

                assertThat(ended).as("a's handler was interrupted").isFalse();
                Await.until(Duration.ofSeconds(30), "b handled it", () -> !completedBy.isEmpty());
                Await.until(Duration.ofSeconds(30), "settled", () -> broker.lag("g-" + topic, topic) == 0);
            }
        }
        assertThat(completedBy).containsExactly("hookwarden-kafka-b");
    }

    @Test
    void a_worker_stuck_in_its_handler_loses_its_partition_and_the_next_owner_waits_for_its_claim_then_finds_it_done()
            throws Exception {
        String topic = "handover-stuck";
        broker.createTopicAndDeadLetters(topic, 1);
        DedupeStore store = InMemoryDedupeStore.create();
        Queue<String> completedBy = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        try (KafkaInbox inbox = KafkaInbox.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topic(topic)
                .build()) {
            WebhookReceiver receiver = Deliveries.receiver("billing", inbox);
            WebhookReceiver.Handler handler = webhook -> {
                String me = Thread.currentThread().getName();
                if (me.endsWith("-a") && webhook.id().orElseThrow().equals("evt_s")) {
                    started.countDown();
                    unblock.await(); // stuck, past max.poll.interval.ms
                }
                completedBy.add(me + ":" + webhook.id().orElseThrow());
            };
            KafkaInboxWorker a = worker(topic, "a", receiver, handler, store).start();
            receiver.receive(Deliveries.delivery("evt_s", "invoice.paid"));
            receiver.receive(Deliveries.delivery("evt_t", "invoice.paid"));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            try (KafkaInboxWorker b =
                    worker(topic, "b", receiver, handler, store).start()) {
                // a is put out of the group; b takes the partition, finds evt_s claimed by a, and waits.
                Await.until(Duration.ofSeconds(30), "b took the partition", () -> broker.members("g-" + topic)
                        .equals(List.of("b")));
                assertThat(completedBy).isEmpty();

                unblock.countDown(); // a's handler returns and completes the claim; its commit is refused

                Await.until(Duration.ofSeconds(30), "both settled", () -> broker.lag("g-" + topic, topic) == 0);
                CompletableFuture.runAsync(() -> a.stop(Duration.ofSeconds(5))).get(30, TimeUnit.SECONDS);
            }
        }
        // evt_t runs once, on a (which goes on with the records it fetched until it learns it lost them) or on b
        assertThat(completedBy).hasSize(2).contains("hookwarden-kafka-a:evt_s");
        assertThat(completedBy).filteredOn(c -> c.endsWith(":evt_t")).hasSize(1);
    }
}
