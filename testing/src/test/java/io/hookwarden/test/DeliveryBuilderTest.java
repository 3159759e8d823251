package io.hookwarden.test;

import static io.hookwarden.test.HookwardenAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.Delivery;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryBuilderTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
    private final WebhookFixtures fixtures = WebhookFixtures.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .clock(clock)
            .build();
    private final WebhookVerifier verifier = WebhookVerifier.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .tolerance(TOLERANCE)
            .clock(clock)
            .build();

    /** A payload class of the kind an application reads its events into. */
    public record InvoicePaid(String id, String type, long amount) {}

    @Test
    void signsTheIdTimestampAndTypeItIsGiven() {
        Instant at = clock.instant().minusSeconds(30);

        VerifiedWebhook webhook = verifier.verify(fixtures.delivery()
                .body("{\"type\":\"invoice.paid\"}")
                .id("msg_42")
                .timestamp(at)
                .eventType("invoice.paid")
                .signed());

        assertThat(webhook.id()).contains("msg_42");
        assertThat(webhook.timestamp()).contains(at);
        assertThat(webhook.eventType()).contains("invoice.paid");
    }

    @Test
    void sendsTheExactBytesItIsGiven() {
        byte[] latin1 = "{\"name\":\"Zoë\"}".getBytes(StandardCharsets.ISO_8859_1);

        VerifiedWebhook webhook =
                verifier.verify(fixtures.delivery().body(latin1).signed());

        assertThat(webhook.body()).isEqualTo(latin1);
    }

    @Test
    void writesAnObjectAsJsonWithJackson() {
        WebhookRequest request = fixtures.delivery()
                .json(new InvoicePaid("evt_1", "invoice.paid", 4200))
                .signed();

        VerifiedWebhook webhook = verifier.verify(request);

        assertThat(webhook.bodyText()).isEqualTo("{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"amount\":4200}");
        assertThat(webhook.as(InvoicePaid.class)).isEqualTo(new InvoicePaid("evt_1", "invoice.paid", 4200));
    }

    @Test
    void writesJsonWithTheMapperItIsGiven() {
        WebhookFixtures sorted = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .clock(clock)
                .objectMapper(new com.fasterxml.jackson.databind.ObjectMapper()
                        .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true))
                .build();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("z", 1);
        event.put("a", 2);

        assertThat(verifier.verify(sorted.delivery().json(event).signed()).bodyText())
                .isEqualTo("{\"a\":2,\"z\":1}");
    }

    @Test
    void readsTheBodyFromAClassPathResource() {
        VerifiedWebhook webhook = verifier.verify(
                fixtures.delivery().resource("webhooks/invoice-paid.json").signed());

        assertThat(webhook.bodyText())
                .isEqualTo("{\"id\":\"evt_resource\",\"type\":\"invoice.paid\",\"amount\":4200}\n");
        assertThat(fixtures.delivery()
                        .resource("/webhooks/invoice-paid.json")
                        .signed()
                        .body())
                .isEqualTo(webhook.body());
    }

    @Test
    void refusesAMissingResourceNamingIt() {
        assertThatThrownBy(() -> fixtures.delivery().resource("webhooks/nope.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no class path resource webhooks/nope.json");
    }

    @Test
    void aDeliveryOfATextBodyIsTheBuilderWithThatBodySet() {
        VerifiedWebhook webhook = verifier.verify(
                fixtures.delivery("{\"type\":\"invoice.paid\"}").id("msg_7").signed());

        assertThat(webhook.bodyText()).isEqualTo("{\"type\":\"invoice.paid\"}");
        assertThat(webhook.id()).contains("msg_7");
        assertThatThrownBy(() -> fixtures.delivery("{}").body("{}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the body is already set");
        assertThatThrownBy(() -> fixtures.delivery(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("body cannot be null");
    }

    @Test
    void refusesABodyOrFieldSetTwice() {
        assertThatThrownBy(() -> fixtures.delivery().body("{}").json(Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the body is already set");
        assertThatThrownBy(() -> fixtures.delivery().id("a").id("b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("id is already set to a");
        assertThatThrownBy(() -> fixtures.delivery().timestamp(clock.instant()).aged(Duration.ofMinutes(6)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("timestamp is already set");
    }

    @Test
    void breaksADeliveryBuiltFromAnObjectInEveryWay() {
        WebhookFixtures.DeliveryBuilder delivery = fixtures.delivery()
                .json(new InvoicePaid("evt_1", "invoice.paid", 1))
                .id("msg_1");

        assertThat(refusal(delivery.tampered())).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(delivery.forged())).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(delivery.aged(TOLERANCE.plusSeconds(1)))).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        assertThat(refusal(delivery.fromTheFuture(TOLERANCE.plusSeconds(1)))).isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        assertThat(refusal(delivery.withoutHeader("webhook-signature"))).isEqualTo(Reason.MISSING_HEADER);
        assertThat(refusal(delivery.malformedHeader())).isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(delivery.malformedHeader().headers().first("webhook-signature"))
                .contains(WebhookFixtures.JUNK);
        assertThat(verifier.verify(delivery.withHeader("X-Tenant", "7")).id()).contains("msg_1");
    }

    @Test
    void aReplayWithinTheToleranceIsADuplicateAndALateOneIsTooOld() {
        WebhookReceiver receiver = WebhookReceiver.builder().verifier(verifier).build();
        WebhookRequest first = fixtures.delivery().body("{}").id("msg_1").signed();
        Outcome outcome = receiver.receive(first);
        assertThat(outcome).isAccepted();
        try (Delivery delivery = ((Outcome.Accepted) outcome).delivery()) {
            delivery.complete();
        }

        assertThat(receiver.receive(fixtures.replayOf(first))).isDuplicate();

        clock.advance(TOLERANCE.plusSeconds(1));
        assertThat(receiver.receive(fixtures.replayOf(first))).isRejectedWith(Reason.TIMESTAMP_TOO_OLD);
    }

    private Reason refusal(WebhookRequest request) {
        try {
            verifier.verify(request);
        } catch (WebhookVerificationException e) {
            return e.reason();
        }
        throw new AssertionError("expected " + request + " to be refused");
    }
}
