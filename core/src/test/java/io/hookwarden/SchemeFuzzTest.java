package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (issue 17): every built-in scheme's header parsing and verification, and the receiver's whole pipeline
 * behind it, over any delivery ({@link FuzzDelivery}: the endpoint's label, the request line, headers, body). The
 * corpus holds a validly signed delivery per endpoint, so the fuzzer starts past the signature and reaches the payload
 * readers. The outcome is a verified webhook or a {@link WebhookVerificationException}; the receiver answers with an
 * {@link Outcome}, never an exception; and nothing the verifier refused is accepted by the receiver.
 */
class SchemeFuzzTest {
    private static final Map<String, WebhookVerifier> VERIFIERS = new LinkedHashMap<>();
    private static final Map<String, WebhookReceiver> RECEIVERS = new LinkedHashMap<>();

    static {
        FuzzMode.quietLogsWhileFuzzing();
        for (FuzzEndpoints.Endpoint endpoint : FuzzEndpoints.LIST) {
            WebhookVerifier verifier = endpoint.verifier();
            VERIFIERS.put(endpoint.label(), verifier);
            RECEIVERS.put(
                    endpoint.label(),
                    WebhookReceiver.builder()
                            .name("fuzz-" + endpoint.label())
                            .verifier(verifier)
                            .build());
        }
    }

    /** An application's event type, for binding. */
    record Event(String id, String type, Map<String, Object> data) {}

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void verifiesOrRefusesAnyDelivery(byte[] input) {
        // given
        FuzzDelivery delivery = FuzzDelivery.read(input);
        String label = delivery.endpoint().label();

        // when
        WebhookVerificationException refused = null;
        try {
            readEverything(VERIFIERS.get(label).verify(delivery.request()));
        } catch (WebhookVerificationException e) {
            refused = e;
        }
        Outcome outcome = RECEIVERS.get(label).receive(delivery.request());

        // then
        assertThat(outcome).isNotNull();
        assertThat(outcome.answer().status()).isBetween(200, 599);
        if (refused != null) {
            assertThat(outcome)
                    .as("a delivery the verifier refused")
                    .isInstanceOfAny(Outcome.Rejected.class, Outcome.Handshake.class);
        }
        if (outcome instanceof Outcome.Accepted accepted) {
            accepted.delivery().close();
        }
    }

    /** Every reader an application may call on a verified delivery: a value, or a typed refusal of the payload. */
    private static void readEverything(VerifiedWebhook webhook) {
        webhook.id();
        webhook.timestamp();
        webhook.eventType();
        webhook.version();
        webhook.bodyText();
        webhook.jsonIfPresent();
        TypedRefusal.check("json()", catchThrowable(webhook::json), InvalidPayloadException.class);
        TypedRefusal.check("form()", catchThrowable(webhook::form), InvalidPayloadException.class);
        TypedRefusal.check("events()", catchThrowable(webhook::events), InvalidPayloadException.class);
        TypedRefusal.check("as(Event)", catchThrowable(() -> webhook.as(Event.class)), InvalidPayloadException.class);
        DedupeKey.schemeDefault().of(webhook);
    }
}
