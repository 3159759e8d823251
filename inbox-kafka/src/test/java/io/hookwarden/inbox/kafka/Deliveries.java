package io.hookwarden.inbox.kafka;

import io.hookwarden.EventAttribute;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;

/** Standard Webhooks deliveries signed for the tests, and receivers that write them to an inbox. */
final class Deliveries {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final WebhookSigner SIGNER = WebhookSigner.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .build();

    private Deliveries() {}

    static WebhookReceiver receiver(String name, Inbox inbox) {
        return WebhookReceiver.builder()
                .name(name)
                .verifier(verifier())
                .inbox(inbox)
                .build();
    }

    /** A receiver whose deliveries are keyed (and so partitioned) by the JSON's {@code /key}. */
    static WebhookReceiver ordered(String name, Inbox inbox) {
        return WebhookReceiver.builder()
                .name(name)
                .verifier(verifier())
                .inbox(inbox)
                .ordering(InboxEntry.Ordering.STRICT, EventAttribute.jsonPointer("/key"))
                .sequence(EventAttribute.jsonPointer("/seq"))
                .build();
    }

    private static WebhookVerifier verifier() {
        return WebhookVerifier.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .ignoreTimestamp()
                .build();
    }

    static WebhookRequest delivery(String id, String type) {
        return SIGNER.sign(WebhookMessage.body("{\"id\":\"" + id + "\",\"type\":\"" + type + "\"}")
                .id(id)
                .build());
    }

    static WebhookRequest keyed(String id, String key, long seq) {
        return SIGNER.sign(WebhookMessage.body(
                        "{\"id\":\"" + id + "\",\"type\":\"changed\",\"key\":\"" + key + "\",\"seq\":" + seq + "}")
                .id(id)
                .build());
    }

    /** An entry as a receiver writes it, without a request. */
    static InboxEntry entry(String dedupeKey) {
        return new InboxEntry(
                "billing",
                dedupeKey,
                "standard-webhooks",
                "POST",
                null,
                io.hookwarden.Headers.empty(),
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                null,
                dedupeKey,
                "invoice.paid",
                null,
                "primary",
                null,
                InboxEntry.Ordering.NONE,
                0,
                java.time.Instant.parse("2026-01-01T00:00:00Z"));
    }
}
