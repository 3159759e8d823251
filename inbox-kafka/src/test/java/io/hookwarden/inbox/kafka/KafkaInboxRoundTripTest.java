package io.hookwarden.inbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Outcome;
import io.hookwarden.PoisonDeliveryException;
import io.hookwarden.RetryPolicy;
import io.hookwarden.Router;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.testsupport.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** One delivery at a time through a real broker: what the record holds, what the worker makes of it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@SuppressWarnings("try") // a started worker is held only to be closed
class KafkaInboxRoundTripTest {
    private static EmbeddedKafka broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.shared();
    }

    private static String topic() {
        String topic = "webhooks-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopicAndDeadLetters(topic, 2);
        return topic;
    }

    private static KafkaInbox inbox(String topic) {
        return KafkaInbox.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topic(topic)
                .build();
    }

    private static KafkaInboxWorker.Builder worker(String topic, DedupeStore store) {
        return KafkaInboxWorker.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topic(topic)
                .groupId("g-" + topic)
                .dedupeStore(store)
                .pollTimeout(Duration.ofMillis(100))
                .retryPolicy(RetryPolicy.builder()
                        .base(Duration.ofMillis(20))
                        .cap(Duration.ofMillis(50))
                        .maxAttempts(3)
                        .build());
    }

    @Test
    void a_delivery_is_answered_once_acknowledged_and_handled_by_the_worker_as_it_was_received() {
        String topic = topic();
        Queue<VerifiedWebhook> handled = new ConcurrentLinkedQueue<>();
        try (KafkaInbox inbox = inbox(topic)) {
            WebhookReceiver receiver = Deliveries.receiver("billing", inbox);
            Outcome outcome = receiver.receive(Deliveries.delivery("evt_1", "invoice.paid"));

            assertThat(outcome).isInstanceOf(Outcome.Queued.class);
            assertThat(outcome.answer().status()).isEqualTo(200);
            Router router = Router.builder()
                    .on("invoice.*", event -> handled.add(event.webhook()))
                    .build();
            try (KafkaInboxWorker worker = worker(topic, InMemoryDedupeStore.create())
                    .endpoint(receiver, router)
                    .build()
                    .start()) {
                Await.until(Duration.ofSeconds(30), "the delivery handled", () -> !handled.isEmpty());
            }
        }
        VerifiedWebhook webhook = handled.peek();
        assertThat(webhook.id()).contains("evt_1");
        assertThat(webhook.eventType()).contains("invoice.paid");
        assertThat(webhook.bodyText()).isEqualTo("{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}");
        assertThat(webhook.schemeId()).isEqualTo("standard-webhooks");
        assertThat(handled).hasSize(1);
    }

    @Test
    void the_record_holds_the_raw_body_as_its_value_the_dedupe_key_as_its_key_and_the_metadata_as_headers() {
        String topic = topic();
        try (KafkaInbox inbox = inbox(topic)) {
            Deliveries.receiver("billing", inbox).receive(Deliveries.delivery("evt_2", "invoice.paid"));
        }

        List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic);

        assertThat(records).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = records.get(0);
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"evt_2\",\"type\":\"invoice.paid\"}");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("evt_2");
        var h = record.headers();
        assertThat(RecordFormat.text(h, "hookwarden.version")).isEqualTo("1");
        assertThat(RecordFormat.text(h, "hookwarden.endpoint")).isEqualTo("billing");
        assertThat(RecordFormat.text(h, "hookwarden.dedupe-key")).isEqualTo("evt_2");
        assertThat(RecordFormat.text(h, "hookwarden.scheme")).isEqualTo("standard-webhooks");
        assertThat(RecordFormat.text(h, "hookwarden.method")).isEqualTo("POST");
        assertThat(RecordFormat.text(h, "hookwarden.event-id")).isEqualTo("evt_2");
        assertThat(RecordFormat.text(h, "hookwarden.event-type")).isEqualTo("invoice.paid");
        assertThat(RecordFormat.text(h, "hookwarden.event-timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(RecordFormat.text(h, "hookwarden.matched-key")).isNotBlank();
        assertThat(RecordFormat.text(h, "hookwarden.ordering")).isEqualTo("NONE");
        assertThat(RecordFormat.text(h, "hookwarden.ordering-key")).isNull();
        assertThat(RecordFormat.text(h, "hookwarden.sequence")).isEqualTo("0");
        assertThat(RecordFormat.text(h, "hookwarden.received-at")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(RecordFormat.text(h, "hookwarden.header.webhook-id")).isEqualTo("evt_2");
        assertThat(RecordFormat.text(h, "hookwarden.header.webhook-signature")).startsWith("v1,");
    }

    @Test
    void an_ordered_endpoint_keys_its_records_by_the_ordering_key_so_one_key_is_one_partition() {
        String topic = topic();
        try (KafkaInbox inbox = inbox(topic)) {
            WebhookReceiver receiver = Deliveries.ordered("orders", inbox);
            for (int i = 0; i < 6; i++) {
                receiver.receive(Deliveries.keyed("evt_o" + i, "order-" + (i % 2), i));
            }
        }

        List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic);

        assertThat(records).hasSize(6);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(key).isEqualTo(RecordFormat.text(r.headers(), "hookwarden.ordering-key"));
            assertThat(RecordFormat.text(r.headers(), "hookwarden.ordering")).isEqualTo("STRICT");
        }
        assertThat(records.stream()
                        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("order-0"))
                        .map(ConsumerRecord::partition)
                        .distinct())
                .hasSize(1);
        assertThat(records.stream().map(r -> RecordFormat.text(r.headers(), "hookwarden.sequence")))
                .containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5");
    }

    @Test
    void a_delivery_the_provider_sent_three_times_is_published_three_times_and_handled_once() {
        String topic = topic();
        AtomicInteger handled = new AtomicInteger();
        try (KafkaInbox inbox = inbox(topic)) {
            WebhookReceiver receiver = Deliveries.receiver("billing", inbox);
            var request = Deliveries.delivery("evt_3", "invoice.paid");
            for (int i = 0; i < 3; i++) {
                assertThat(receiver.receive(request)).isInstanceOf(Outcome.Queued.class);
            }
            try (KafkaInboxWorker worker = worker(topic, InMemoryDedupeStore.create())
                    .endpoint(receiver, webhook -> handled.incrementAndGet())
                    .build()
                    .start()) {
                Await.until(
                        Duration.ofSeconds(30),
                        "all three records settled",
                        () -> broker.lag("g-" + topic, topic) == 0);
            }
        }
        assertThat(broker.read(topic)).hasSize(3);
        assertThat(handled).hasValue(1);
    }

    @Test
    void a_poison_delivery_is_dead_lettered_with_its_error_and_attempts_and_a_replay_after_the_fix_runs_it_once() {
        String topic = topic();
        AtomicBoolean fixed = new AtomicBoolean();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        try (KafkaInbox inbox = inbox(topic)) {
            WebhookReceiver receiver = Deliveries.receiver("billing", inbox);
            receiver.receive(Deliveries.delivery("evt_p", "invoice.paid"));
            receiver.receive(Deliveries.delivery("evt_ok", "invoice.paid"));
            try (KafkaInboxWorker worker = worker(topic, InMemoryDedupeStore.create())
                    .endpoint(receiver, webhook -> {
                        if (webhook.id().orElseThrow().equals("evt_p") && !fixed.get()) {
                            attempts.incrementAndGet();
                            throw new PoisonDeliveryException("refused: no such customer");
                        }
                        handled.incrementAndGet();
                    })
                    .build()
                    .start()) {
                Await.until(Duration.ofSeconds(30), "both settled", () -> broker.lag("g-" + topic, topic) == 0);
                assertThat(attempts).hasValue(1);
                assertThat(handled).hasValue(1);

                List<ConsumerRecord<byte[], byte[]>> dead = broker.read(topic + ".DLT");
                assertThat(dead).hasSize(1);
                var h = dead.get(0).headers();
                assertThat(RecordFormat.text(h, "hookwarden.error"))
                        .isEqualTo("io.hookwarden.PoisonDeliveryException: refused: no such customer");
                assertThat(RecordFormat.text(h, "hookwarden.attempts")).isEqualTo("1");
                assertThat(RecordFormat.text(h, "hookwarden.source")).startsWith(topic + "-");
                assertThat(RecordFormat.text(h, "hookwarden.event-id")).isEqualTo("evt_p");
                assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8))
                        .contains("evt_p");

                try (KafkaDeadLetters letters = KafkaDeadLetters.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .topic(topic)
                        .build()) {
                    List<KafkaDeadLetters.DeadLetter> listed = letters.list(10);
                    assertThat(listed).hasSize(1);
                    assertThat(listed.get(0).eventId()).isEqualTo("evt_p");
                    assertThat(listed.get(0).endpoint()).isEqualTo("billing");
                    assertThat(listed.get(0).attempts()).isEqualTo(1);
                    assertThat(listed.get(0).error()).contains("no such customer");

                    fixed.set(true);
                    assertThat(letters.replay()).isEqualTo(1);
                    assertThat(letters.list(10)).isEmpty();
                    assertThat(letters.replay()).isZero();
                }
                Await.until(Duration.ofSeconds(30), "the replayed delivery handled", () -> handled.get() == 2);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> all = broker.read(topic);
        assertThat(all).hasSize(3);
        ConsumerRecord<byte[], byte[]> replayed = all.stream()
                .filter(r -> r.headers().lastHeader("hookwarden.error") == null)
                .filter(r -> "evt_p".equals(RecordFormat.text(r.headers(), "hookwarden.event-id")))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(replayed.headers().lastHeader("hookwarden.attempts")).isNull();
        assertThat(handled).hasValue(2);
    }

    @Test
    void a_handler_that_keeps_failing_is_tried_as_often_as_the_policy_says_then_dead_lettered() {
        String topic = topic();
        AtomicInteger attempts = new AtomicInteger();
        try (KafkaInbox inbox = inbox(topic)) {
            WebhookReceiver receiver = Deliveries.receiver("billing", inbox);
            receiver.receive(Deliveries.delivery("evt_f", "invoice.paid"));
            try (KafkaInboxWorker worker = worker(topic, InMemoryDedupeStore.create())
                    .endpoint(receiver, webhook -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("ledger down");
                    })
                    .build()
                    .start()) {
                Await.until(Duration.ofSeconds(30), "settled", () -> broker.lag("g-" + topic, topic) == 0);
            }
        }
        assertThat(attempts).hasValue(3);
        List<ConsumerRecord<byte[], byte[]>> dead = broker.read(topic + ".DLT");
        assertThat(dead).hasSize(1);
        assertThat(RecordFormat.text(dead.get(0).headers(), "hookwarden.attempts"))
                .isEqualTo("3");
        assertThat(RecordFormat.text(dead.get(0).headers(), "hookwarden.error"))
                .isEqualTo("java.lang.IllegalStateException: ledger down");
    }

    @Test
    void a_record_that_is_not_an_inbox_entry_is_dead_lettered_without_running_a_handler() throws Exception {
        String topic = topic();
        Map<String, Object> config = Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "key.serializer", ByteArraySerializer.class,
                "value.serializer", ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2}))
                    .get();
        }
        AtomicInteger handled = new AtomicInteger();
        try (KafkaInbox inbox = inbox(topic);
                KafkaInboxWorker worker = worker(topic, InMemoryDedupeStore.create())
                        .endpoint(Deliveries.receiver("billing", inbox), webhook -> handled.incrementAndGet())
                        .build()
                        .start()) {
            Await.until(Duration.ofSeconds(30), "settled", () -> broker.lag("g-" + topic, topic) == 0);
        }
        assertThat(handled).hasValue(0);
        List<ConsumerRecord<byte[], byte[]>> dead = broker.read(topic + ".DLT");
        assertThat(dead).hasSize(1);
        assertThat(RecordFormat.text(dead.get(0).headers(), "hookwarden.error"))
                .contains("record format version null is not 1");
        assertThat(dead.get(0).value()).containsExactly(1, 2);
    }

    @Test
    void a_dedupe_store_that_fails_holds_the_record_back_and_a_success_whose_completion_failed_is_not_run_again() {
        String topic = topic();
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger claimFailures = new AtomicInteger(2);
        AtomicInteger completeFailures = new AtomicInteger(2);
        DedupeStore memory = InMemoryDedupeStore.create();
        DedupeStore flaky = new DedupeStore() {
            @Override
            public io.hookwarden.spi.ClaimResult claim(String key, Duration lease) {
                if (claimFailures.getAndDecrement() > 0) {
                    throw new io.hookwarden.spi.StoreUnavailableException("store down (claim)");
                }
                return memory.claim(key, lease);
            }

            @Override
            public boolean complete(String key, io.hookwarden.spi.Claim claim, Duration retention) {
                if (completeFailures.getAndDecrement() > 0) {
                    throw new io.hookwarden.spi.StoreUnavailableException("store down (complete)");
                }
                return memory.complete(key, claim, retention);
            }

            @Override
            public boolean release(String key, io.hookwarden.spi.Claim claim) {
                return memory.release(key, claim);
            }
        };
        try (KafkaInbox inbox = inbox(topic)) {
            WebhookReceiver receiver = Deliveries.receiver("billing", inbox);
            receiver.receive(Deliveries.delivery("evt_d", "invoice.paid"));
            receiver.receive(Deliveries.delivery("evt_d", "invoice.paid"));
            try (KafkaInboxWorker worker = worker(topic, flaky)
                    .endpoint(receiver, webhook -> handled.incrementAndGet())
                    .build()
                    .start()) {
                Await.until(Duration.ofSeconds(30), "settled", () -> broker.lag("g-" + topic, topic) == 0);
            }
        }
        assertThat(claimFailures.get()).isNegative(); // both failures were met, then the claims went through
        assertThat(completeFailures.get()).isNegative();
        assertThat(handled).hasValue(1);
        assertThat(broker.read(topic + ".DLT")).isEmpty();
    }

    @Test
    void the_inbox_only_writes_and_says_where_the_rest_is() {
        try (KafkaInbox inbox = inbox("never-written")) {
            assertThatThrownBy(() -> inbox.claim(List.of("billing"), 1, Duration.ofMinutes(1)))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("KafkaInboxWorker")
                    .hasMessageContaining("never-written.DLT");
            assertThatThrownBy(() -> inbox.stats("billing")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> inbox.replay("x"))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("KafkaDeadLetters");
        }
    }

    @Test
    void a_builder_refuses_settings_that_would_weaken_what_a_2xx_promises() {
        assertThatThrownBy(() -> KafkaInbox.builder().properties(Map.of("acks", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acks must be all")
                .hasMessageContaining("was 1");
        assertThatThrownBy(() -> KafkaInbox.builder().properties(Map.of("enable.idempotence", "false")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("enable.idempotence");
        assertThatThrownBy(() -> KafkaInbox.builder().properties(Map.of("max.block.ms", 60_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writeTimeout");
        assertThatThrownBy(() -> KafkaInbox.builder().writeTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> KafkaInbox.builder().bootstrapServers("x:1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topic");
        assertThatThrownBy(() -> KafkaInboxWorker.builder().properties(Map.of("enable.auto.commit", true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("enable.auto.commit");
        assertThatThrownBy(() -> KafkaInboxWorker.builder()
                        .bootstrapServers("x:1")
                        .topic("t")
                        .groupId("g")
                        .endpoint(Deliveries.receiver("billing", io.hookwarden.InMemoryInbox.create()), w -> {})
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dedupeStore is required");
    }
}
