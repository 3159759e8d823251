package io.hookwarden.inbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.testsupport.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The broker stopped and started again under a receiver and a worker. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@SuppressWarnings("try") // a started worker is held only to be closed
class KafkaBrokerOutageTest {
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);

    @Test
    void while_the_broker_is_down_writes_fail_within_the_write_timeout_and_nothing_acknowledged_is_lost()
            throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start()) {
            broker.createTopicAndDeadLetters("outage", 2);
            Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
            List<String> acknowledged = new ArrayList<>();
            try (KafkaInbox inbox = KafkaInbox.builder()
                    .bootstrapServers(broker.bootstrapServers())
                    .topic("outage")
                    .writeTimeout(WRITE_TIMEOUT)
                    .build()) {
                WebhookReceiver receiver = Deliveries.receiver("billing", inbox);
                for (int i = 0; i < 20; i++) {
                    Outcome outcome = receiver.receive(Deliveries.delivery("before_" + i, "invoice.paid"));
                    assertThat(outcome.answer().status()).isEqualTo(200);
                    acknowledged.add("before_" + i);
                }

                broker.stopBroker();

                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    Outcome outcome = receiver.receive(Deliveries.delivery("down_" + i, "invoice.paid"));
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
                    assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
                    assertThat(outcome.answer().status()).isEqualTo(503);
                    assertThat(took).isLessThan(WRITE_TIMEOUT.plusMillis(1_500));
                }

                broker.startBroker();

                int after = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (after < 20 && System.nanoTime() < deadline) {
                    Outcome outcome = receiver.receive(Deliveries.delivery("after_" + after, "invoice.paid"));
                    if (outcome.answer().status() == 200) {
                        acknowledged.add("after_" + after);
                        after++;
                    }
                }
                assertThat(after).isEqualTo(20);

                try (KafkaInboxWorker worker = KafkaInboxWorker.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .topic("outage")
                        .groupId("outage")
                        .endpoint(receiver, webhook -> handled.computeIfAbsent(
                                        webhook.id().orElseThrow(), k -> new AtomicInteger())
                                .incrementAndGet())
                        .dedupeStore(InMemoryDedupeStore.create())
                        .pollTimeout(Duration.ofMillis(100))
                        .build()
                        .start()) {
                    Await.until(
                            Duration.ofSeconds(60), "every record settled", () -> broker.lag("outage", "outage") == 0);
                    assertThat(worker.isRunning()).isTrue();
                }
            }
            assertThat(handled.keySet()).containsAll(acknowledged);
            for (String id : acknowledged) {
                assertThat(handled.get(id)).as(id).hasValue(1);
            }
        }
    }

    @Test
    void a_write_to_a_broker_that_never_answers_throws_store_unavailable_within_the_write_timeout() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort(); // nothing listens there once closed
        }
        try (KafkaInbox inbox = KafkaInbox.builder()
                .bootstrapServers("127.0.0.1:" + port)
                .topic("nowhere")
                .writeTimeout(Duration.ofMillis(800))
                .build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> inbox.write(Deliveries.entry("nowhere-1")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("topic nowhere")
                    .hasMessageContaining("nowhere-1");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
        }
    }
}
