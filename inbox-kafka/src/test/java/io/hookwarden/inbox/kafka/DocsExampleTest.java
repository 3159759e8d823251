package io.hookwarden.inbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.EventAttribute;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Keys;
import io.hookwarden.PoisonDeliveryException;
import io.hookwarden.RetryPolicy;
import io.hookwarden.Router;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.testsupport.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The code of docs/inbox-kafka.md, as written there (the secret a constant, the dedupe store in memory). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DocsExampleTest {
    private static final String STRIPE_WEBHOOK_SECRET = "whsec_test_kafka_docs_example_0123456789";

    @Test
    void the_documented_receiver_worker_and_dead_letter_code_answers_handles_and_replays() throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.shared();
        broker.createTopicAndDeadLetters("webhooks", 3);
        String servers = broker.bootstrapServers();
        Set<String> paid = ConcurrentHashMap.newKeySet();
        AtomicBoolean fixed = new AtomicBoolean();

        // docs/inbox-kafka.md: "The receiver side"
        KafkaInbox inbox = KafkaInbox.builder()
                .bootstrapServers(servers)
                .topic("webhooks")
                .writeTimeout(Duration.ofSeconds(5))
                .build();

        WebhookReceiver stripe = WebhookReceiver.builder()
                .name("stripe")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.stripe())
                        .keys(Keys.of(STRIPE_WEBHOOK_SECRET))
                        .build())
                .inbox(inbox)
                .ordering(InboxEntry.Ordering.STRICT, EventAttribute.jsonPointer("/data/object/id"))
                .build();

        // docs/inbox-kafka.md: "The consumer side"
        DedupeStore store = InMemoryDedupeStore.create();
        Router router = Router.builder()
                .on("invoice.paid", event -> {
                    String id = event.json().path("id").asText();
                    if (id.startsWith("evt_poison") && !fixed.get()) {
                        throw new PoisonDeliveryException("cannot take " + id);
                    }
                    paid.add(id);
                })
                .build();
        KafkaInboxWorker worker = KafkaInboxWorker.builder()
                .bootstrapServers(servers)
                .topic("webhooks")
                .groupId("billing")
                .endpoint(stripe, router)
                .dedupeStore(store)
                .retryPolicy(RetryPolicy.builder()
                        .base(Duration.ofSeconds(1))
                        .cap(Duration.ofSeconds(30))
                        .maxAttempts(6)
                        .build())
                .build()
                .start();

        WebhookSigner signer = WebhookSigner.builder()
                .scheme(Schemes.stripe())
                .secret(STRIPE_WEBHOOK_SECRET)
                .build();
        for (String id : List.of("evt_1", "evt_poison_1")) {
            int status = stripe.receive(signer.sign(WebhookMessage.body("{\"id\":\"" + id
                                    + "\",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"id\":\"in_1\"}}}")
                            .build()))
                    .answer()
                    .status();
            assertThat(status).isEqualTo(200);
        }
        Await.until(Duration.ofSeconds(30), "both settled", () -> broker.lag("billing", "webhooks") == 0);
        assertThat(paid).containsExactly("evt_1");

        // docs/inbox-kafka.md: "Dead letters and replay"
        fixed.set(true);
        try (KafkaDeadLetters dead = KafkaDeadLetters.builder()
                .bootstrapServers(servers)
                .topic("webhooks")
                .build()) {
            List<KafkaDeadLetters.DeadLetter> letters = dead.list(100);
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).endpoint()).isEqualTo("stripe");
            assertThat(letters.get(0).error()).contains("PoisonDeliveryException", "evt_poison_1");
            int replayed = dead.replay();
            assertThat(replayed).isEqualTo(1);
        }
        Await.until(Duration.ofSeconds(30), "the replay handled", () -> paid.size() == 2);

        // when the application stops:
        assertThat(worker.stop(Duration.ofSeconds(30))).isTrue();
        inbox.close();
        assertThat(paid).containsExactlyInAnyOrder("evt_1", "evt_poison_1");
    }
}
