package io.hookwarden;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sends each event of a verified delivery to the handlers registered for its type: exact types, prefix wildcards such
 * as {@code invoice.*}, and {@code *} for every event. Plug it into a receiver, which completes the claim when every
 * handler returned and releases it when one threw:
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .on("invoice.paid", event -> billing.paid(event.as(Invoice.class)))
 *     .on("invoice.*", event -> audit.record(event.type().orElseThrow()))
 *     .on("*", event -> metrics.count(event))
 *     .build();
 * HttpAnswer answer = receiver.handle(request, router);
 * }</pre>
 *
 * <p><b>Order.</b> Every handler whose pattern matches runs (fan-out), in this order: exact patterns first; then
 * wildcards by longer prefix first ({@code invoice.payment.*} before {@code invoice.*} before {@code *}); patterns of
 * equal rank, and several handlers for one pattern, in registration order. The order is deterministic, so a handler
 * that must see an event first is registered more precisely or earlier.
 *
 * <p><b>Failure.</b> The first handler that throws stops the delivery: later handlers and later events of a batch do
 * not run, the receiver releases the claim and answers 500, and the provider's retry runs the delivery again from its
 * first event. Handlers of one delivery therefore run at least once each; keep them idempotent, or give each its own
 * endpoint.
 *
 * <p><b>Unmatched events</b> (no pattern matches, or no type and no {@code *}): ignored with 200 ({@link
 * Unmatched#IGNORE}, the default), or refused ({@link Unmatched#REJECT}) by throwing {@link UnmatchedEventException},
 * which the receiver answers like a failed handler (500, claim released) so the provider retries until a handler is
 * deployed.
 *
 * <p><b>Batches</b> ({@link PayloadFormat#JSON_BATCH}) are dispatched event by event, in array order.
 *
 * <p>Immutable and thread-safe once built; handlers may be called concurrently for different deliveries.
 */
public final class Router implements WebhookReceiver.Handler {
    private final List<Route> exact;
    private final List<Route> wildcards;
    private final Unmatched unmatched;

    private Router(Builder b) {
        List<Route> e = new ArrayList<>();
        List<Route> w = new ArrayList<>();
        for (Route r : b.routes) {
            (r.prefix == null ? e : w).add(r);
        }
        // Longer prefix first; List.sort is stable, so registration order holds among equal prefixes.
        w.sort((x, y) -> Integer.compare(y.prefix.length(), x.prefix.length()));
        this.exact = List.copyOf(e);
        this.wildcards = List.copyOf(w);
        this.unmatched = b.unmatched == null ? Unmatched.IGNORE : b.unmatched;
    }

    /** A builder; at least one handler is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Dispatches every event of the delivery, in order; what a receiver calls.
     *
     * @throws InvalidPayloadException MALFORMED_PAYLOAD when the endpoint expects a batch and the body is not one
     * @throws UnmatchedEventException when an event matches no handler and unmatched events are rejected
     * @throws Exception whatever a handler threw
     */
    @Override
    public void handle(VerifiedWebhook webhook) throws Exception {
        Objects.requireNonNull(webhook, "webhook cannot be null");
        for (WebhookEvent event : webhook.events()) {
            dispatch(event);
        }
    }

    /**
     * Runs every handler that matches one event, in the documented order.
     *
     * @return the number of handlers that ran
     * @throws UnmatchedEventException when none matches and unmatched events are rejected
     * @throws Exception whatever a handler threw
     */
    public int dispatch(WebhookEvent event) throws Exception {
        Objects.requireNonNull(event, "event cannot be null");
        List<EventHandler> handlers = handlersFor(event.type().orElse(null));
        if (handlers.isEmpty() && unmatched == Unmatched.REJECT) {
            throw new UnmatchedEventException("no handler for event type "
                    + event.type().orElse("(none)") + (event.index().isPresent() ? " at " + event.pointer() : ""));
        }
        for (EventHandler handler : handlers) {
            handler.handle(event);
        }
        return handlers.size();
    }

    /** The handlers for an event type (null: an event without a type, which only {@code *} matches), in order. */
    List<EventHandler> handlersFor(String type) {
        List<EventHandler> out = new ArrayList<>(2);
        if (type != null) {
            for (Route r : exact) {
                if (r.pattern.equals(type)) {
                    out.add(r.handler);
                }
            }
        }
        for (Route r : wildcards) {
            if (r.prefix.isEmpty()
                    || (type != null && type.startsWith(r.prefix) && type.length() > r.prefix.length())) {
                out.add(r.handler);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        List<String> patterns = new ArrayList<>();
        exact.forEach(r -> patterns.add(r.pattern));
        wildcards.forEach(r -> patterns.add(r.pattern));
        return "Router" + patterns + "[unmatched=" + unmatched + "]";
    }

    /** The application's code for one event. */
    @FunctionalInterface
    public interface EventHandler {
        /** Processes the event; throwing stops the delivery and releases its claim. */
        void handle(WebhookEvent event) throws Exception;
    }

    /** What a router does with an event no pattern matches. */
    public enum Unmatched {
        /** Nothing: the delivery succeeds (200) and is recorded as processed. The default. */
        IGNORE,
        /** Throw {@link UnmatchedEventException}: 500, claim released, the provider retries. */
        REJECT
    }

    private record Route(String pattern, String prefix, EventHandler handler) {}

    /** Configures a {@link Router}. Patterns may repeat (fan-out); options may be set once. Not thread-safe. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private Unmatched unmatched;

        private Builder() {}

        /**
         * Registers a handler for a pattern: an exact type ({@code invoice.paid}), a prefix ending in {@code *}
         * ({@code invoice.*}, which matches {@code invoice.paid} and {@code invoice.payment.failed} but not {@code
         * invoice}), or {@code *} for every event.
         *
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the pattern is blank or has a {@code *} other than at its end
         */
        public Builder on(String pattern, EventHandler handler) {
            Objects.requireNonNull(pattern, "pattern cannot be null");
            Objects.requireNonNull(handler, "handler cannot be null");
            if (pattern.isBlank()) {
                throw new IllegalArgumentException("pattern cannot be blank");
            }
            int star = pattern.indexOf('*');
            if (star >= 0 && star != pattern.length() - 1) {
                throw new IllegalArgumentException("pattern may have one '*', at its end, but was " + pattern);
            }
            String prefix = star < 0 ? null : pattern.substring(0, star);
            routes.add(new Route(pattern, prefix, handler));
            return this;
        }

        /**
         * What to do with an event no pattern matches; default {@link Unmatched#IGNORE}.
         *
         * @throws NullPointerException if unmatched is null
         * @throws IllegalStateException if already set
         */
        public Builder unmatched(Unmatched unmatched) {
            if (this.unmatched != null) {
                throw new IllegalStateException("unmatched was already set");
            }
            this.unmatched = Objects.requireNonNull(unmatched, "unmatched cannot be null");
            return this;
        }

        /**
         * The router.
         *
         * @throws IllegalStateException if no handler was registered
         */
        public Router build() {
            if (routes.isEmpty()) {
                throw new IllegalStateException("at least one handler is required");
            }
            return new Router(this);
        }
    }
}
