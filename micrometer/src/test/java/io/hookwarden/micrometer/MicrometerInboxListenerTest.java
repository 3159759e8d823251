package io.hookwarden.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.hookwarden.HttpAnswer;
import io.hookwarden.InMemoryInbox;
import io.hookwarden.InboxListener;
import io.hookwarden.InboxWorker;
import io.hookwarden.PoisonDeliveryException;
import io.hookwarden.RetryPolicy;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real receiver writes signed deliveries to a real in-memory inbox and a real worker drains it: the receiver's side
 * is counted as {@code queued} by {@link MicrometerDeliveryListener}, every attempt of the worker by {@link
 * MicrometerInboxListener}.
 */
class MicrometerInboxListenerTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final InMemoryInbox inbox = InMemoryInbox.create();

    private final WebhookReceiver receiver = WebhookReceiver.builder()
            .name("orders")
            .verifier(WebhookVerifier.builder()
                    .scheme(Schemes.standardWebhooks())
                    .secret(SECRET)
                    .build())
            .inbox(inbox)
            .listener(MicrometerDeliveryListener.of(meters, observations))
            .build();

    private final WebhookSigner signer = WebhookSigner.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .build();

    private InboxWorker worker;

    @AfterEach
    void stopWorker() {
        if (worker != null) {
            worker.stop(Duration.ofSeconds(5));
        }
    }

    private WebhookRequest delivery(String id, String type) {
        return signer.sign(WebhookMessage.body("{\"type\":\"" + type + "\",\"order_id\":1}")
                .id(id)
                .eventType(type)
                .build());
    }

    private double attempts(String result, String exception) {
        return meters
                .find(MicrometerInboxListener.ATTEMPTS)
                .tags("endpoint", "orders", "result", result, "exception", exception)
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    /** Starts a worker whose attempts go to the Micrometer listener, then count down {@code attempts}. */
    private void work(WebhookReceiver.Handler handler, CountDownLatch attempts) {
        InboxListener metered = MicrometerInboxListener.of(meters);
        worker = InboxWorker.builder()
                .endpoint(receiver, handler)
                .pollInterval(Duration.ofMillis(10))
                .retryPolicy(RetryPolicy.builder()
                        .base(Duration.ofMillis(1))
                        .maxAttempts(3)
                        .build())
                .listener((endpoint, delivery, result, handling, failure) -> {
                    metered.attempted(endpoint, delivery, result, handling, failure);
                    attempts.countDown();
                })
                .build()
                .start();
    }

    @Test
    void aStoredDeliveryIsCountedAsQueuedAndObservedWithTheAcceptStatus() {
        // when
        HttpAnswer answer = receiver.handle(delivery("msg_1", "order.created"), w -> {});

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(meters.find(MicrometerDeliveryListener.DELIVERIES)
                        .tags("endpoint", "orders", "outcome", "queued", "reason", "none")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.find(MicrometerDeliveryListener.VERIFICATION)
                        .tags("endpoint", "orders", "outcome", "queued")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(meters.find(MicrometerDeliveryListener.HANDLING).timers()).isEmpty();
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(MicrometerDeliveryListener.OBSERVATION, 1)
                .hasObservationWithNameEqualTo(MicrometerDeliveryListener.OBSERVATION)
                .that()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("hookwarden.outcome", "queued")
                .hasLowCardinalityKeyValue("hookwarden.reason", "none")
                .hasLowCardinalityKeyValue("hookwarden.key", "key-1")
                .hasLowCardinalityKeyValue("http.response.status_code", "200")
                .hasHighCardinalityKeyValue("hookwarden.delivery.id", "msg_1")
                .doesNotHaveError();
    }

    @Test
    void aDuplicateOfAStoredDeliveryIsADuplicateNotAnotherQueued() {
        // when
        receiver.handle(delivery("msg_1", "order.created"), w -> {});
        receiver.handle(delivery("msg_1", "order.created"), w -> {});

        // then
        assertThat(meters.find(MicrometerDeliveryListener.DELIVERIES)
                        .tags("outcome", "queued")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.find(MicrometerDeliveryListener.DELIVERIES)
                        .tags("outcome", "duplicate", "reason", "DUPLICATE")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void countsAndTimesEveryAttemptByResultAndExceptionClass() throws InterruptedException {
        // given: one that succeeds, one that fails once then succeeds, one poison
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        CountDownLatch fourAttempts = new CountDownLatch(4);
        work(
                webhook -> {
                    String type = webhook.eventType().orElseThrow();
                    int run =
                            runs.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
                    if (type.equals("order.flaky") && run == 1) {
                        throw new IllegalStateException("down, with a payload value: order 1");
                    }
                    if (type.equals("order.poison")) {
                        throw new PoisonDeliveryException("never: order 1");
                    }
                },
                fourAttempts);

        // when
        receiver.receive(delivery("msg_ok", "order.created"));
        receiver.receive(delivery("msg_flaky", "order.flaky"));
        receiver.receive(delivery("msg_poison", "order.poison"));

        // then
        assertThat(fourAttempts.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(attempts("completed", "none")).isEqualTo(2);
        assertThat(attempts("retried", "IllegalStateException")).isEqualTo(1);
        assertThat(attempts("dead", "PoisonDeliveryException")).isEqualTo(1);
        assertThat(meters.find(MicrometerInboxListener.ATTEMPTS).counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum())
                .isEqualTo(4);
        assertThat(meters.find(MicrometerInboxListener.HANDLING)
                        .tags("endpoint", "orders", "result", "completed")
                        .timer()
                        .count())
                .isEqualTo(2);
        assertThat(meters.find(MicrometerInboxListener.HANDLING)
                        .tags("result", "dead")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(meters.find(MicrometerDeliveryListener.DELIVERIES)
                        .tags("outcome", "queued")
                        .counter()
                        .count())
                .isEqualTo(3);
    }

    @Test
    void noTagValueIsADeliveryIdAPayloadValueOrAMessage() throws InterruptedException {
        // given
        CountDownLatch twoAttempts = new CountDownLatch(2);
        work(
                webhook -> {
                    throw new PoisonDeliveryException("secret " + SECRET + " and payload order_id 1");
                },
                twoAttempts);

        // when
        receiver.receive(delivery("msg_chosen-by-sender", "order.chosen-by-sender"));
        receiver.receive(delivery("msg_other", "order.anonymous"));

        // then
        assertThat(twoAttempts.await(10, TimeUnit.SECONDS)).isTrue();
        String tags = meters.getMeters().stream()
                .map(Meter::getId)
                .flatMap(id -> id.getTags().stream())
                .map(t -> t.getKey() + "=" + t.getValue())
                .collect(Collectors.joining(","));
        assertThat(tags)
                .contains("exception=PoisonDeliveryException")
                .doesNotContain("chosen-by-sender")
                .doesNotContain("msg_")
                .doesNotContain("order_id")
                .doesNotContain(SECRET);
    }

    @Test
    void anAnonymousExceptionClassIsTaggedWithItsNamedSuperclass() {
        // given
        MicrometerInboxListener listener = MicrometerInboxListener.of(meters);
        RuntimeException anonymous = new IllegalArgumentException("bad") {};

        // when
        listener.attempted("orders", null, InboxListener.Result.RETRIED, Duration.ofMillis(3), anonymous);

        // then
        assertThat(attempts("retried", "IllegalArgumentException")).isEqualTo(1);
        assertThat(meters.find(MicrometerInboxListener.HANDLING)
                        .tags("result", "retried")
                        .timer()
                        .totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(3);
    }

    @Test
    void refusesANullRegistry() {
        assertThatNullPointerException()
                .isThrownBy(() -> MicrometerInboxListener.of(null))
                .withMessage("meters cannot be null");
    }
}
