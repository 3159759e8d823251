package io.hookwarden.micrometer;

import io.hookwarden.DeliveryListener;
import io.hookwarden.Reason;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Counts and times every delivery of every endpoint it is given to ({@link
 * io.hookwarden.WebhookReceiver.Builder#listener}), and with an {@link ObservationRegistry} opens one {@link
 * Observation} per delivery, which Micrometer Tracing turns into a span.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #DELIVERIES}</td><td>counter</td><td>endpoint, scheme, outcome, reason</td></tr>
 *   <tr><td>{@value #VERIFICATION}</td><td>timer</td><td>endpoint, scheme, outcome</td></tr>
 *   <tr><td>{@value #HANDLING}</td><td>timer</td><td>endpoint, scheme, outcome</td></tr>
 * </table>
 *
 * <p>{@code outcome} is {@code processed}, {@code released}, {@code queued} (written to the endpoint's inbox, answered
 * 2xx; the handler runs later in an {@link io.hookwarden.InboxWorker}, metered by {@link MicrometerInboxListener}),
 * {@code duplicate}, {@code rejected} or {@code handshake} ({@code accepted} on the verification timer for what went on
 * to the handler); {@code reason} is a {@link Reason}
 * code or {@code none}. Every tag value comes from the endpoint's configuration or a fixed set, never from the
 * request, so cardinality stays bounded and no secret or payload value becomes a tag. Thread-safe.
 *
 * <p>The observation {@value #OBSERVATION} carries OpenTelemetry's HTTP server attributes that a listener knows
 * ({@code http.request.method}, {@code http.response.status_code}, and {@code error.type} with the status of a 5xx
 * answer) and the hookwarden ones; its low-cardinality keys are the same for every delivery, as a metrics backend that
 * turns observations into timers (Prometheus) requires. A delivery answered with a 5xx (the handler failed, the
 * dedupe store was down) is an observation with an error, so its span has the status {@code ERROR}; a refusal with a
 * 4xx is the sender's fault, not the server's, and is not. Nothing from the request other than its method becomes a
 * key value: no path, header, signature, body or secret.
 */
public final class MicrometerDeliveryListener implements DeliveryListener {
    /** Deliveries by endpoint, scheme, outcome and reason. */
    public static final String DELIVERIES = "hookwarden.deliveries";
    /** From arrival to the receiver's decision: verification, payload checks and the claim. */
    public static final String VERIFICATION = "hookwarden.verification";
    /** From the claim to completion or release: the application's handler. */
    public static final String HANDLING = "hookwarden.handling";
    /** The observation (span) of one delivery. */
    public static final String OBSERVATION = "hookwarden.delivery";

    /** The key values' value for what a delivery does not have (no key matched, no reason). */
    private static final String ABSENT = "none";

    private final MeterRegistry meters;
    private final ObservationRegistry observations;

    private MicrometerDeliveryListener(MeterRegistry meters, ObservationRegistry observations) {
        this.meters = meters;
        this.observations = observations;
    }

    /**
     * Meters only.
     *
     * @throws NullPointerException if meters is null
     */
    public static MicrometerDeliveryListener of(MeterRegistry meters) {
        return new MicrometerDeliveryListener(Objects.requireNonNull(meters, "meters cannot be null"), null);
    }

    /**
     * Meters, and one observation per delivery.
     *
     * @throws NullPointerException if either registry is null
     */
    public static MicrometerDeliveryListener of(MeterRegistry meters, ObservationRegistry observations) {
        return new MicrometerDeliveryListener(
                Objects.requireNonNull(meters, "meters cannot be null"),
                Objects.requireNonNull(observations, "observations cannot be null"));
    }

    @Override
    public Observer received(String endpoint, String scheme, WebhookRequest request) {
        Observation observation = null;
        if (observations != null && !observations.isNoop()) {
            observation = Observation.createNotStarted(OBSERVATION, observations)
                    .contextualName("webhook " + endpoint)
                    .lowCardinalityKeyValue("hookwarden.endpoint", endpoint)
                    .lowCardinalityKeyValue("hookwarden.scheme", scheme)
                    .lowCardinalityKeyValue("http.request.method", method(request.method()))
                    .lowCardinalityKeyValue("hookwarden.key", ABSENT)
                    .start();
        }
        return new DeliveryObserver(Tags.of("endpoint", endpoint, "scheme", scheme), observation);
    }

    /** The method as a tag: one of the standard ones, else {@code _OTHER} (OpenTelemetry's convention). */
    private static String method(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH" -> method;
            default -> "_OTHER";
        };
    }

    /** One delivery: the tags of its endpoint and its observation, if any. */
    private final class DeliveryObserver implements Observer {
        private final Tags tags;
        private final Observation observation;

        DeliveryObserver(Tags tags, Observation observation) {
            this.tags = tags;
            this.observation = observation;
        }

        @Override
        public void rejected(Reason reason, Duration took) {
            verified("rejected", took);
            ended("rejected", reason, reason.httpStatus());
        }

        @Override
        public void handshake(Duration took) {
            verified("handshake", took);
            ended("handshake", null, 200);
        }

        @Override
        public void duplicate(VerifiedWebhook webhook, Duration took) {
            verified("duplicate", took);
            identify(webhook);
            ended("duplicate", Reason.DUPLICATE, 200);
        }

        @Override
        public void queued(VerifiedWebhook webhook, Duration took, int status) {
            verified("queued", took);
            identify(webhook);
            ended("queued", null, status);
        }

        @Override
        public void accepted(VerifiedWebhook webhook, Duration took) {
            verified("accepted", took);
            identify(webhook);
        }

        @Override
        public void completed(Duration handling, int status) {
            handled("processed", handling);
            // Completed without a status (Delivery.complete()): the 200 an adapter answers for a success.
            ended("processed", null, status == 0 ? 200 : status);
        }

        @Override
        public void released(Duration handling, int status) {
            handled("released", handling);
            // Released without a status (Delivery.release(), close() after an Error): the handler failed.
            if (status == 0 || status >= 500) {
                ended("released", Reason.HANDLER_FAILED, status == 0 ? Reason.HANDLER_FAILED.httpStatus() : status);
            } else {
                ended("released", null, status);
            }
        }

        private void verified(String outcome, Duration took) {
            Timer.builder(VERIFICATION)
                    .description("From a webhook delivery's arrival to the receiver's decision")
                    .tags(tags)
                    .tag("outcome", outcome)
                    .register(meters)
                    .record(took);
        }

        private void handled(String outcome, Duration handling) {
            Timer.builder(HANDLING)
                    .description("From a webhook delivery's claim to its completion or release")
                    .tags(tags)
                    .tag("outcome", outcome)
                    .register(meters)
                    .record(handling);
        }

        private void identify(VerifiedWebhook webhook) {
            if (observation != null) {
                webhook.id().ifPresent(id -> observation.highCardinalityKeyValue("hookwarden.delivery.id", id));
                webhook.eventType()
                        .ifPresent(type -> observation.highCardinalityKeyValue("hookwarden.event.type", type));
                observation.lowCardinalityKeyValue("hookwarden.key", webhook.matchedKey());
            }
        }

        private void ended(String outcome, Reason reason, int status) {
            String code = reason == null ? ABSENT : reason.name();
            Counter.builder(DELIVERIES)
                    .description("Webhook deliveries by endpoint, scheme, outcome and reason")
                    .tags(tags)
                    .tag("outcome", outcome)
                    .tag("reason", code)
                    .register(meters)
                    .increment();
            if (observation != null) {
                observation
                        .lowCardinalityKeyValue("hookwarden.outcome", outcome)
                        .lowCardinalityKeyValue("hookwarden.reason", code.toLowerCase(Locale.ROOT))
                        .lowCardinalityKeyValue("http.response.status_code", Integer.toString(status));
                // OpenTelemetry's HTTP server spans: only a 5xx is an error, and error.type is its status code.
                // A span attribute only (high cardinality), so the low-cardinality keys stay the same for every
                // delivery.
                if (status >= 500) {
                    observation
                            .highCardinalityKeyValue("error.type", Integer.toString(status))
                            .error(new DeliveryFailed(
                                    (reason == null ? "Server error" : reason.title()) + ": answered " + status));
                }
                observation.stop();
            }
        }
    }

    /**
     * The error of an observation whose delivery was answered with a 5xx: its message is a reason's title and the
     * status, never the application's exception (whose message may quote the payload), and it has no stack trace.
     */
    private static final class DeliveryFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeliveryFailed(String message) {
            super(message, null, false, false);
        }
    }
}
