package io.hookwarden.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Outcome;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every delivery an endpoint receives is counted, timed and observed through the core's listener, whatever the adapter:
 * these tests drive the receiver directly, as every adapter does.
 */
class MicrometerDeliveryListenerTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestObservationRegistry observations = TestObservationRegistry.create();

    private final WebhookReceiver receiver = WebhookReceiver.builder()
            .name("orders")
            .verifier(WebhookVerifier.builder()
                    .scheme(Schemes.standardWebhooks())
                    .secret(SECRET)
                    .build())
            .listener(MicrometerDeliveryListener.of(meters, observations))
            .build();

    private final WebhookSigner signer = WebhookSigner.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .build();

    private WebhookRequest delivery(String id) {
        return signer.sign(WebhookMessage.body("{\"type\":\"order.created\",\"order_id\":1}")
                .id(id)
                .eventType("order.created")
                .build());
    }

    private double deliveries(String outcome, String reason) {
        return meters
                .find(MicrometerDeliveryListener.DELIVERIES)
                .tags("endpoint", "orders", "scheme", "standard-webhooks", "outcome", outcome, "reason", reason)
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Test
    void countsEveryOutcomeWithItsReasonAndTimesVerificationAndHandling() {
        // when: processed, replayed, failed then processed, forged, and answered 404 by the application
        receiver.handle(delivery("msg_1"), w -> {});
        receiver.handle(delivery("msg_1"), w -> {});
        receiver.handle(delivery("msg_2"), w -> {
            throw new IllegalStateException("down");
        });
        receiver.handle(delivery("msg_2"), w -> {});
        receiver.receive(WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")
                .build()
                .sign(WebhookMessage.body("{}").id("msg_3").build()));
        ((Outcome.Accepted) receiver.receive(delivery("msg_4"))).delivery().finish(404);

        // then
        assertThat(deliveries("processed", "none")).isEqualTo(2);
        assertThat(deliveries("duplicate", "DUPLICATE")).isEqualTo(1);
        assertThat(deliveries("released", "HANDLER_FAILED")).isEqualTo(1);
        assertThat(deliveries("released", "none")).isEqualTo(1);
        assertThat(deliveries("rejected", "SIGNATURE_MISMATCH")).isEqualTo(1);
        assertThat(meters.find(MicrometerDeliveryListener.VERIFICATION)
                        .tags("endpoint", "orders", "outcome", "accepted")
                        .timer()
                        .count())
                .isEqualTo(4);
        assertThat(meters.find(MicrometerDeliveryListener.HANDLING)
                        .tags("outcome", "released")
                        .timer()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void noTagValueComesFromTheRequest() {
        // given: a forged delivery whose headers and body carry text an attacker chose
        WebhookRequest forged = WebhookRequest.builder()
                .method("POST")
                .url("https://example.com/hooks?token=attacker-chosen")
                .header("webhook-id", "attacker-chosen-id")
                .header("webhook-timestamp", "1")
                .header("webhook-signature", "v1,attacker-chosen")
                .body("{\"attacker\":\"chosen\"}")
                .build();

        // when
        receiver.receive(forged);

        // then
        String tags = meters.getMeters().stream()
                .map(Meter::getId)
                .flatMap(id -> id.getTags().stream())
                .map(t -> t.getKey() + "=" + t.getValue())
                .collect(Collectors.joining(","));
        assertThat(tags).contains("reason=").doesNotContain("attacker").doesNotContain(SECRET);
    }

    @Test
    void oneObservationPerDeliveryWithHttpAttributesStoppedWhenItIsSettled() {
        // when
        receiver.handle(delivery("msg_1"), w -> {});

        // then
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(MicrometerDeliveryListener.OBSERVATION, 1)
                .hasObservationWithNameEqualTo(MicrometerDeliveryListener.OBSERVATION)
                .that()
                .hasBeenStarted()
                .hasBeenStopped()
                .hasContextualNameEqualTo("webhook orders")
                .hasLowCardinalityKeyValue("hookwarden.endpoint", "orders")
                .hasLowCardinalityKeyValue("hookwarden.outcome", "processed")
                .hasLowCardinalityKeyValue("http.request.method", "POST")
                .hasLowCardinalityKeyValue("http.response.status_code", "200")
                .hasHighCardinalityKeyValue("hookwarden.delivery.id", "msg_1")
                .hasHighCardinalityKeyValue("hookwarden.event.type", "order.created");
    }

    @Test
    void aRefusedDeliveryIsObservedAndStoppedAtOnceWithItsStatus() {
        receiver.receive(delivery("msg_1").toBuilder().method("OPTIONS").build());

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo(MicrometerDeliveryListener.OBSERVATION)
                .that()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("hookwarden.outcome", "rejected")
                .hasLowCardinalityKeyValue("hookwarden.reason", "method_not_allowed")
                .hasLowCardinalityKeyValue("http.request.method", "OPTIONS")
                .hasLowCardinalityKeyValue("http.response.status_code", "405");
    }
}
