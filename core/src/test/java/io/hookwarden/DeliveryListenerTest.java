package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the receiver and the {@link Delivery} report what became of every delivery, so every adapter is observed
 * the same way without reporting anything itself.
 */
class DeliveryListenerTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final WebhookSigner signer = WebhookSigner.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();

    /** Records each event as text: "received orders standard-webhooks", "accepted msg_1", ... */
    private final DeliveryListener listener = (endpoint, scheme, request) -> {
        events.add("received " + endpoint + " " + scheme);
        return new DeliveryListener.Observer() {
            @Override
            public void rejected(Reason reason, Duration took) {
                events.add("rejected " + reason + nonNegative(took));
            }

            @Override
            public void handshake(Duration took) {
                events.add("handshake" + nonNegative(took));
            }

            @Override
            public void duplicate(VerifiedWebhook webhook, Duration took) {
                events.add("duplicate " + webhook.id().orElseThrow() + nonNegative(took));
            }

            @Override
            public void accepted(VerifiedWebhook webhook, Duration took) {
                events.add("accepted " + webhook.id().orElseThrow() + nonNegative(took));
            }

            @Override
            public void completed(Duration handling, int status) {
                events.add("completed " + status + nonNegative(handling));
            }

            @Override
            public void released(Duration handling, int status) {
                events.add("released " + status + nonNegative(handling));
            }
        };
    };

    private static String nonNegative(Duration d) {
        return d.isNegative() ? " NEGATIVE" : "";
    }

    private WebhookReceiver receiver(DeliveryListener listener) {
        return WebhookReceiver.builder()
                .name("orders")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(SECRET)
                        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                        .build())
                .listener(listener)
                .build();
    }

    private WebhookRequest delivery(String id) {
        return signer.sign(WebhookMessage.body("{\"order_id\":1}").id(id).build());
    }

    @Test
    void everyOutcomeIsReportedOnceWithItsDurations() {
        // given
        WebhookReceiver receiver = receiver(listener);
        WebhookRequest forged = TestRequests.withHeader(delivery("msg_9"), "webhook-signature", "v1,AAAA");

        // when: processed, replayed, failed then retried, refused, answered 404 by the application, and by method
        receiver.handle(delivery("msg_1"), w -> {});
        receiver.handle(delivery("msg_1"), w -> {});
        receiver.handle(delivery("msg_2"), w -> {
            throw new IllegalStateException("down");
        });
        receiver.handle(delivery("msg_2"), w -> {});
        receiver.receive(forged);
        ((Outcome.Accepted) receiver.receive(delivery("msg_3"))).delivery().finish(404);
        receiver.receive(delivery("msg_4").toBuilder().method("OPTIONS").build());

        // then
        assertThat(events)
                .containsExactly(
                        "received orders standard-webhooks",
                        "accepted msg_1",
                        "completed 200",
                        "received orders standard-webhooks",
                        "duplicate msg_1",
                        "received orders standard-webhooks",
                        "accepted msg_2",
                        "released 500",
                        "received orders standard-webhooks",
                        "accepted msg_2",
                        "completed 200",
                        "received orders standard-webhooks",
                        "rejected SIGNATURE_MISMATCH",
                        "received orders standard-webhooks",
                        "accepted msg_3",
                        "released 404",
                        "received orders standard-webhooks",
                        "rejected METHOD_NOT_ALLOWED");
    }

    @Test
    void aDeliveryClosedWithoutAStatusIsReleasedWithStatusZero() {
        WebhookReceiver receiver = receiver(listener);

        try (Delivery delivery = ((Outcome.Accepted) receiver.receive(delivery("msg_1"))).delivery()) {
            assertThat(delivery.key()).isEqualTo("orders:msg_1");
        }

        assertThat(events).containsExactly("received orders standard-webhooks", "accepted msg_1", "released 0");
    }

    @Test
    void aRefusalAnAdapterMadeBeforeTheReceiverIsObservedLikeAnyOther() {
        WebhookReceiver receiver = receiver(listener);

        HttpAnswer answer = receiver.refuse(
                WebhookRequest.builder().method("POST").url("https://example.com/webhooks/orders;x=1"),
                Reason.AMBIGUOUS_REQUEST,
                "ambiguous request path");

        assertThat(answer).isEqualTo(receiver.answer(Reason.AMBIGUOUS_REQUEST));
        assertThat(events).containsExactly("received orders standard-webhooks", "rejected AMBIGUOUS_REQUEST");
    }

    @Test
    void allTellsEveryListenerEvenWhenOneFails() {
        DeliveryListener failing = (endpoint, scheme, request) -> new DeliveryListener.Observer() {
            @Override
            public void accepted(VerifiedWebhook webhook, Duration took) {
                throw new IllegalStateException("audit log down");
            }
        };
        WebhookReceiver receiver = receiver(DeliveryListener.all(failing, listener));

        HttpAnswer answer = receiver.handle(delivery("msg_1"), w -> {});

        assertThat(answer.status()).isEqualTo(200);
        assertThat(events).containsExactly("received orders standard-webhooks", "accepted msg_1", "completed 200");
    }

    @Test
    void aListenerThatThrowsNeverChangesTheAnswer() {
        // given: a listener that fails on every call
        DeliveryListener broken = (endpoint, scheme, request) -> new DeliveryListener.Observer() {
            @Override
            public void accepted(VerifiedWebhook webhook, Duration took) {
                throw new IllegalStateException("metrics backend down");
            }

            @Override
            public void completed(Duration handling, int status) {
                throw new IllegalStateException("metrics backend down");
            }
        };
        DeliveryListener failsAtOnce = (endpoint, scheme, request) -> {
            throw new IllegalStateException("metrics backend down");
        };

        // when
        HttpAnswer first = receiver(broken).handle(delivery("msg_1"), w -> {});
        WebhookReceiver receiver = receiver(failsAtOnce);
        HttpAnswer second = receiver.handle(delivery("msg_1"), w -> {});
        HttpAnswer replay = receiver.handle(delivery("msg_1"), w -> {});

        // then
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(replay.reason()).contains(Reason.DUPLICATE);
    }
}
