package io.hookwarden.samples.support;

import io.hookwarden.InboxWorker;
import io.hookwarden.PayloadSchema;
import io.hookwarden.PoisonDeliveryException;
import io.hookwarden.RetryPolicy;
import io.hookwarden.SchemaRegistry;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.Inbox;
import java.time.Clock;
import java.time.Duration;
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
 * downstream), so the provider's retry shows the claim released and processed once. With an inbox ({@code
 * HOOKWARDEN_INBOX}), the endpoints answer as soon as a delivery is stored, and an {@link InboxWorker} runs the same
 * handlers; then a Standard Webhooks delivery's {@code data.work_ms} makes its handler take that long (at most 5 s: a
 * slow downstream, answered in milliseconds all the same), and {@code data.poison} makes it refuse the delivery as
 * poison (dead at once) until {@link #fixPoison()} is called, after which a replay completes it. Thread-safe; close it
 * to stop the worker.
 */
public final class SampleEndpoints implements AutoCloseable {
    /** The longest {@code data.work_ms} honoured. */
    static final long MAX_WORK_MILLIS = 5_000;
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
    private final Inbox inbox;
    private final Duration lease;
    private volatile InboxWorker worker;
    private volatile boolean poisonFixed;

    private SampleEndpoints(Map<String, WebhookReceiver> receivers, Inbox inbox, Duration lease) {
        this.receivers = receivers;
        this.inbox = inbox;
        this.lease = lease;
    }

    /** The endpoints for {@code settings}' secrets, sharing {@code store}, on the system clock. */
    public static SampleEndpoints create(SampleSettings settings, DedupeStore store) {
        return create(settings, store, Clock.systemUTC());
    }

    /** The endpoints on {@code clock} (the demo's tests fix it). */
    public static SampleEndpoints create(SampleSettings settings, DedupeStore store, Clock clock) {
        return create(settings, store, null, clock);
    }

    /**
     * The endpoints on {@code clock}, answering once a delivery is in {@code inbox} when one is given (then {@code
     * store} is not used: the inbox's write is the dedupe); {@link #start()} runs the worker.
     */
    public static SampleEndpoints create(SampleSettings settings, DedupeStore store, Inbox inbox, Clock clock) {
        Map<String, WebhookReceiver> receivers = new LinkedHashMap<>();
        Map<String, WebhookReceiver.Builder> builders = new LinkedHashMap<>();
        builders.put(
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
                        .eventType(io.hookwarden.EventAttribute.jsonPointer("/type")));
        builders.put(
                GITHUB,
                WebhookReceiver.builder()
                        .name("github")
                        .verifier(WebhookVerifier.builder()
                                .scheme(Schemes.github())
                                .secret(settings.githubSecret())
                                .clock(clock)
                                .build()));
        builders.put(
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
                                .build()));
        builders.forEach((path, builder) -> {
            deduplicated(builder, store, inbox);
            if (inbox == null && settings.lease() != null) {
                builder.lease(settings.lease());
            }
            receivers.put(path, builder.build());
        });
        return new SampleEndpoints(Map.copyOf(receivers), inbox, settings.inboxLease());
    }

    private static void deduplicated(WebhookReceiver.Builder builder, DedupeStore store, Inbox inbox) {
        if (inbox != null) {
            builder.inbox(inbox);
        } else {
            builder.dedupeStore(store);
        }
    }

    /**
     * Starts the inbox's worker, when the endpoints have an inbox: four threads on the system clock (whatever clock
     * verifies signatures), polling every 100 ms, retrying after up to 0.5 s, 1 s, 2 s... (full jitter, capped at 10 s,
     * at most 5 attempts), so the demo's retries are seen in seconds; each claimed delivery is held for the settings'
     * {@link SampleSettings#inboxLease() lease}.
     *
     * @return this
     */
    public synchronized SampleEndpoints start() {
        if (inbox != null && worker == null) {
            InboxWorker.Builder builder = InboxWorker.builder()
                    .name("sample")
                    .pollInterval(Duration.ofMillis(100))
                    .lease(lease)
                    .retryPolicy(RetryPolicy.builder()
                            .base(Duration.ofMillis(500))
                            .cap(Duration.ofSeconds(10))
                            .maxAttempts(5)
                            .build());
            receivers.forEach((path, receiver) -> builder.endpoint(receiver, webhook -> handle(path, webhook)));
            worker = builder.build().start();
        }
        return this;
    }

    /** The inbox, when the endpoints have one. */
    public java.util.Optional<Inbox> inbox() {
        return java.util.Optional.ofNullable(inbox);
    }

    /** From now on a poison delivery is handled like any other: the fix is deployed, replay what died. */
    public void fixPoison() {
        poisonFixed = true;
    }

    /** Stops the worker, giving running handlers 10 s to finish. */
    @Override
    public synchronized void close() {
        if (worker != null) {
            worker.stop(Duration.ofSeconds(10));
            worker = null;
        }
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

    /** A slow downstream: sleeps {@code millis} (a number), at most {@link #MAX_WORK_MILLIS}. */
    private static void work(Object millis) {
        if (millis instanceof Number n && n.longValue() > 0) {
            try {
                Thread.sleep(Math.min(n.longValue(), MAX_WORK_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while working", e);
            }
        }
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
                if (inbox != null && event.data() != null) {
                    work(event.data().get("work_ms"));
                    if (Boolean.TRUE.equals(event.data().get("poison")) && !poisonFixed) {
                        throw new PoisonDeliveryException("order " + id + " can never be processed by this version");
                    }
                }
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
