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
 * <p>{@code outcome} is {@code processed}, {@code released}, {@code duplicate}, {@code rejected} or {@code handshake}
 * ({@code accepted} on the verification timer for what went on to the handler); {@code reason} is a {@link Reason}
 * code or {@code none}. Every tag value comes from the endpoint's configuration or a fixed set, never from the
 * request, so cardinality stays bounded and no secret or payload value becomes a tag. Thread-safe.
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
            ended("rejected", reason.name(), reason.httpStatus());
        }

        @Override
        public void handshake(Duration took) {
            verified("handshake", took);
            ended("handshake", "none", 200);
        }

        @Override
        public void duplicate(VerifiedWebhook webhook, Duration took) {
            verified("duplicate", took);
            identify(webhook);
            ended("duplicate", Reason.DUPLICATE.name(), 200);
        }

        @Override
        public void accepted(VerifiedWebhook webhook, Duration took) {
            verified("accepted", took);
            identify(webhook);
        }

        @Override
        public void completed(Duration handling, int status) {
            handled("processed", handling);
            ended("processed", "none", status == 0 ? 200 : status);
        }

        @Override
        public void released(Duration handling, int status) {
            handled("released", handling);
            ended("released", status >= 500 || status == 0 ? Reason.HANDLER_FAILED.name() : "none", status);
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

        private void ended(String outcome, String reason, int status) {
            Counter.builder(DELIVERIES)
                    .description("Webhook deliveries by endpoint, scheme, outcome and reason")
                    .tags(tags)
                    .tag("outcome", outcome)
                    .tag("reason", reason)
                    .register(meters)
                    .increment();
            if (observation != null) {
                observation
                        .lowCardinalityKeyValue("hookwarden.outcome", outcome)
                        .lowCardinalityKeyValue("hookwarden.reason", reason.toLowerCase(Locale.ROOT))
                        .lowCardinalityKeyValue("http.response.status_code", Integer.toString(status))
                        .stop();
            }
        }
    }
}
