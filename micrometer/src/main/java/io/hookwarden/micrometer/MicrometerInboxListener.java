package io.hookwarden.micrometer;

import io.hookwarden.InboxListener;
import io.hookwarden.spi.StoredDelivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Counts and times every attempt an {@link io.hookwarden.InboxWorker} makes on a stored delivery ({@link
 * io.hookwarden.InboxWorker.Builder#listener}): the worker's side of a delivery that {@link
 * MicrometerDeliveryListener} counted as {@code queued}.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>counter</td><td>endpoint, result, exception</td></tr>
 *   <tr><td>{@value #HANDLING}</td><td>timer</td><td>endpoint, result</td></tr>
 * </table>
 *
 * <p>{@code result} is {@code completed}, {@code retried}, {@code dead}, {@code skipped} or {@code unsettled}; {@code
 * exception} is the simple name of the class the handler threw ({@code IllegalStateException}), or {@code none}. The
 * delivery's id, its event type, the exception's message and every payload value stay out of the tags, so cardinality
 * is bounded by the endpoints, the five results and the exception classes the handlers throw. Thread-safe.
 */
public final class MicrometerInboxListener implements InboxListener {
    /** Attempts by endpoint, result and exception class. */
    public static final String ATTEMPTS = "hookwarden.inbox.attempts";
    /** How long the handler ran per attempt, by endpoint and result (zero when it did not run). */
    public static final String HANDLING = "hookwarden.inbox.handling";

    private final MeterRegistry meters;

    private MicrometerInboxListener(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * A listener that registers its meters in {@code meters}.
     *
     * @throws NullPointerException if meters is null
     */
    public static MicrometerInboxListener of(MeterRegistry meters) {
        return new MicrometerInboxListener(Objects.requireNonNull(meters, "meters cannot be null"));
    }

    @Override
    public void attempted(
            String endpoint, StoredDelivery delivery, Result result, Duration handling, Throwable failure) {
        String outcome = result.name().toLowerCase(Locale.ROOT);
        Counter.builder(ATTEMPTS)
                .description("Inbox workers' attempts on stored webhook deliveries, by endpoint, result and exception")
                .tag("endpoint", endpoint)
                .tag("result", outcome)
                .tag("exception", failure == null ? "none" : exception(failure.getClass()))
                .register(meters)
                .increment();
        Timer.builder(HANDLING)
                .description("How long an inbox worker's handler ran on a stored webhook delivery")
                .tag("endpoint", endpoint)
                .tag("result", outcome)
                .register(meters)
                .record(handling);
    }

    /** The class's simple name; an anonymous or hidden class has none, so its named superclass's. */
    private static String exception(Class<?> type) {
        Class<?> named = type;
        while (named.getSimpleName().isEmpty() && named.getSuperclass() != null) {
            named = named.getSuperclass();
        }
        return named.getSimpleName();
    }
}
