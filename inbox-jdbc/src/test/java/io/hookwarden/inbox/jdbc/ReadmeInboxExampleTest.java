package io.hookwarden.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.HttpAnswer;
import io.hookwarden.InboxWorker;
import io.hookwarden.PoisonDeliveryException;
import io.hookwarden.RetryPolicy;
import io.hookwarden.Router;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The README's "Acknowledge fast, process later" section, as written there, on H2. */
class ReadmeInboxExampleTest {
    private static final String SECRET = "whsec_readme_inbox_example_secret";

    @Test
    @SuppressWarnings("try") // the worker runs for the try block's duration, behind the sends
    void theReadmeInboxExampleAnswersAtOnceHandlesLaterAndReplaysTheDeadLetter() throws Exception {
        try (HikariDataSource dataSource = TestDatabases.h2()) {
            Set<String> paid = ConcurrentHashMap.newKeySet();
            AtomicBoolean fixed = new AtomicBoolean();
            Router router = Router.builder()
                    .on("invoice.paid", event -> {
                        String id = event.json().path("id").asText();
                        if (id.startsWith("evt_poison") && !fixed.get()) {
                            throw new PoisonDeliveryException("cannot take " + id);
                        }
                        paid.add(id);
                    })
                    .build();
            WebhookVerifier stripeVerifier = WebhookVerifier.builder()
                    .scheme(Schemes.stripe())
                    .secret(SECRET)
                    .build();

            // README: "Acknowledge fast, process later: the inbox"
            JdbcInbox inbox = JdbcInbox.builder().dataSource(dataSource).build();
            inbox.createTableIfMissing();

            WebhookReceiver stripe = WebhookReceiver.builder()
                    .name("stripe")
                    .verifier(stripeVerifier)
                    .inbox(inbox)
                    .build();

            try (InboxWorker worker = InboxWorker.builder()
                    .endpoint(stripe, router)
                    .retryPolicy(RetryPolicy.defaults())
                    .pollInterval(Duration.ofMillis(20))
                    .build()
                    .start()) {
                WebhookSigner signer = WebhookSigner.builder()
                        .scheme(Schemes.stripe())
                        .secret(SECRET)
                        .build();
                HttpAnswer good = stripe.handle(
                        signer.sign(WebhookMessage.body("{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}")
                                .build()),
                        webhook -> {
                            throw new AssertionError("an inbox endpoint never runs the handler in the request");
                        });
                HttpAnswer poison = stripe.receive(
                                signer.sign(WebhookMessage.body("{\"id\":\"evt_poison_1\",\"type\":\"invoice.paid\"}")
                                        .build()))
                        .answer();
                assertThat(good.status()).isEqualTo(200);
                assertThat(poison.status()).isEqualTo(200);

                InboxQuery dead = InboxQuery.builder()
                        .endpoint("stripe")
                        .state(State.DEAD)
                        .build();
                List<StoredDelivery> deadLetters = await(() -> inbox.find(dead), list -> list.size() == 1);
                assertThat(deadLetters.get(0).lastError()).contains("PoisonDeliveryException", "evt_poison_1");
                assertThat(await(() -> List.copyOf(paid), list -> list.contains("evt_1")))
                        .containsExactly("evt_1");

                fixed.set(true);
                assertThat(inbox.replay(dead)).isEqualTo(1);

                assertThat(await(() -> List.copyOf(paid), list -> list.size() == 2))
                        .containsExactlyInAnyOrder("evt_1", "evt_poison_1");
                assertThat(inbox.find(dead)).isEmpty();
            }
        }
    }

    private static <T> T await(java.util.function.Supplier<T> read, java.util.function.Predicate<T> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T value = read.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = read.get();
        }
        return value;
    }
}
