package io.hookwarden.samples.support;

import io.hookwarden.PayloadSchema;
import io.hookwarden.SchemaRegistry;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.DedupeStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The three endpoints every sample serves (DESIGN.md "Samples") and the handlers behind them. Each sample only
 * adapts: its framework calls {@link #handle(String, VerifiedWebhook)} for a verified, claimed delivery.
 *
 * <ul>
 *   <li>{@code POST /webhooks/standard}: Standard Webhooks; {@code order.created} checked against a schema.
 *   <li>{@code POST /webhooks/github}: GitHub; {@code push} bound to {@link Payloads.GithubPush}.
 *   <li>{@code POST /webhooks/stripe}: Stripe; {@code invoice.paid} checked against a schema.
 * </ul>
 *
 * <p>A delivery whose {@code data.fail_first_attempt} is true makes its handler fail the first time (a flaky
 * downstream), so the provider's retry shows the claim released and processed once. Thread-safe.
 */
public final class SampleEndpoints {
    /** The Standard Webhooks endpoint's path. */
    public static final String STANDARD = "/webhooks/standard";
    /** The GitHub endpoint's path. */
    public static final String GITHUB = "/webhooks/github";
    /** The Stripe endpoint's path. */
    public static final String STRIPE = "/webhooks/stripe";
    /** The event log's path. */
    public static final String EVENTS = "/events";

    private final Map<String, WebhookReceiver> receivers;
    private final EventLog log = new EventLog();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    private SampleEndpoints(Map<String, WebhookReceiver> receivers) {
        this.receivers = receivers;
    }

    /** The endpoints for {@code settings}' secrets, sharing {@code store}, on the system clock. */
    public static SampleEndpoints create(SampleSettings settings, DedupeStore store) {
        return create(settings, store, Clock.systemUTC());
    }

    /** The endpoints on {@code clock} (the demo's tests fix it). */
    public static SampleEndpoints create(SampleSettings settings, DedupeStore store, Clock clock) {
        Map<String, WebhookReceiver> receivers = new LinkedHashMap<>();
        receivers.put(
                STANDARD,
                WebhookReceiver.builder()
                        .name("standard")
                        .verifier(WebhookVerifier.builder()
                                .scheme(Schemes.standardWebhooks())
                                .secret(settings.standardSecret())
                                .clock(clock)
                                .build())
                        .schemas(SchemaRegistry.builder()
                                .schema("order.created", schema("standard-order.created.json"))
                                .unknownTypes(SchemaRegistry.UnknownTypes.ACCEPT)
                                .build())
                        .eventType(io.hookwarden.EventAttribute.jsonPointer("/type"))
                        .dedupeStore(store)
                        .build());
        receivers.put(
                GITHUB,
                WebhookReceiver.builder()
                        .name("github")
                        .verifier(WebhookVerifier.builder()
                                .scheme(Schemes.github())
                                .secret(settings.githubSecret())
                                .clock(clock)
                                .build())
                        .dedupeStore(store)
                        .build());
        receivers.put(
                STRIPE,
                WebhookReceiver.builder()
                        .name("stripe")
                        .verifier(WebhookVerifier.builder()
                                .scheme(Schemes.stripe())
                                .secret(settings.stripeSecret())
                                .clock(clock)
                                .build())
                        .schemas(SchemaRegistry.builder()
                                .schema("invoice.paid", schema("stripe-invoice.paid.json"))
                                .unknownTypes(SchemaRegistry.UnknownTypes.ACCEPT)
                                .build())
                        .dedupeStore(store)
                        .build());
        return new SampleEndpoints(Map.copyOf(receivers));
    }

    private static PayloadSchema schema(String name) {
        return PayloadSchema.classpath("io/hookwarden/samples/schemas/" + name);
    }

    /** Path to receiver, for the adapter's registration. */
    public Map<String, WebhookReceiver> receivers() {
        return receivers;
    }

    /** The receiver at {@code path}. */
    public WebhookReceiver receiver(String path) {
        WebhookReceiver receiver = receivers.get(path);
        if (receiver == null) {
            throw new IllegalArgumentException("no endpoint at " + path);
        }
        return receiver;
    }

    /** What the handlers processed, for {@code GET /events}. */
    public EventLog log() {
        return log;
    }

    /**
     * The application's handler for a verified, claimed delivery at {@code path}: binds the typed payload and records
     * it. Throws (so the claim is released and the provider retries) the first time a delivery asks for it.
     *
     * @throws IllegalStateException on the first attempt of a delivery with {@code data.fail_first_attempt}
     */
    public void handle(String path, VerifiedWebhook webhook) {
        String id = webhook.id().orElse("-");
        String type;
        switch (path) {
            case STANDARD -> {
                Payloads.StandardEvent event = webhook.as(Payloads.StandardEvent.class);
                type = event.type();
                if (event.data() != null
                        && Boolean.TRUE.equals(event.data().get("fail_first_attempt"))
                        && failedOnce.add(path + id)) {
                    throw new IllegalStateException("simulated downstream failure for " + id);
                }
            }
            case GITHUB -> {
                type = webhook.eventType().orElse("unknown");
                if (type.equals("push")) {
                    webhook.as(Payloads.GithubPush.class);
                }
                id = webhook.request().headers().first("X-GitHub-Delivery").orElse(id);
            }
            case STRIPE -> type = webhook.as(Payloads.StripeEvent.class).type();
            default -> throw new IllegalArgumentException("no endpoint at " + path);
        }
        log.record(path.substring(path.lastIndexOf('/') + 1), id, type);
    }
}
