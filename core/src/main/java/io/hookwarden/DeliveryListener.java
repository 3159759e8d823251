package io.hookwarden;

import java.time.Duration;

/**
 * Observes what becomes of every delivery an endpoint receives, whichever adapter it came through: the receiver and
 * the {@link Delivery} report, adapters do not. {@code hookwarden-micrometer} implements it with counters, timers and
 * one observation (a span, with tracing) per delivery; implement it yourself for other metrics or audit logs.
 *
 * <p>{@link #received} is called once per request and returns the {@link Observer} of that one delivery, which then
 * hears exactly one of {@link Observer#rejected}, {@link Observer#handshake}, {@link Observer#duplicate}, {@link
 * Observer#queued} (written to the endpoint's inbox, answered 2xx; the handler runs later in an {@link InboxWorker},
 * which reports to an {@link InboxListener}) or {@link Observer#accepted}, and after {@code accepted} exactly one of {@link Observer#completed} or {@link
 * Observer#released}. Methods run on the request's thread (or the thread that settles the delivery) and must be quick
 * and thread-safe; an exception they throw is logged and ignored, never changes the answer.
 *
 * <p>Nothing here carries a secret: an observer sees the endpoint, the scheme, reasons, durations and the verified
 * delivery, never the keys.
 */
@FunctionalInterface
public interface DeliveryListener {
    /**
     * A request reached the endpoint.
     *
     * @param endpoint the receiver's name
     * @param scheme the scheme's id
     * @param request the request as received, except that a token the scheme reads from the query is masked as {@code
     *     ***} in its URL
     * @return the observer of this delivery; {@link Observer#NONE} to ignore it
     */
    Observer received(String endpoint, String scheme, WebhookRequest request);

    /**
     * Every one of {@code listeners}, in order: metrics and an audit log on the same endpoint. One listener's failure
     * does not keep the others from hearing.
     *
     * @throws NullPointerException if the array or one of its listeners is null
     */
    static DeliveryListener all(DeliveryListener... listeners) {
        java.util.List<DeliveryListener> list = java.util.List.of(listeners);
        if (list.size() == 1) {
            return list.get(0);
        }
        return (endpoint, scheme, request) -> {
            java.util.List<Observer> observers = new java.util.ArrayList<>(list.size());
            for (DeliveryListener listener : list) {
                try {
                    Observer observer = listener.received(endpoint, scheme, request);
                    observers.add(observer == null ? Observer.NONE : observer);
                } catch (RuntimeException e) {
                    System.getLogger(DeliveryListener.class.getName())
                            .log(
                                    System.Logger.Level.WARNING,
                                    "delivery listener of endpoint " + endpoint + " failed: " + e);
                }
            }
            return new Observers(observers);
        };
    }

    /** What became of one delivery. Every method does nothing by default. */
    interface Observer {
        /** An observer that ignores everything. */
        Observer NONE = new Observer() {};

        /**
         * Refused: answered with the reason's status, never claimed.
         *
         * @param reason why
         * @param took from {@link DeliveryListener#received} to the refusal (verification included)
         */
        default void rejected(Reason reason, Duration took) {}

        /** A provider's handshake, answered by the scheme. */
        default void handshake(Duration took) {}

        /** Verified, but processed before: answered 200, the handler does not run. */
        default void duplicate(VerifiedWebhook webhook, Duration took) {}

        /**
         * Verified, valid and written to the endpoint's inbox: answered 2xx, the handler runs later in a worker.
         *
         * @param took verification, payload checks and the durable write
         * @param status the 2xx status answered (the endpoint's {@link WebhookReceiver.Builder#acceptStatus(int)})
         */
        default void queued(VerifiedWebhook webhook, Duration took, int status) {}

        /**
         * Verified, valid and claimed: the handler runs next.
         *
         * @param took verification, payload checks and the claim
         */
        default void accepted(VerifiedWebhook webhook, Duration took) {}

        /**
         * The handler succeeded and the delivery is recorded as processed.
         *
         * @param handling from {@link #accepted} to completion
         * @param status the 2xx status the application answered with ({@link Delivery#finish(int)}), or 0 when the
         *     delivery was completed without one ({@link Delivery#complete()})
         */
        default void completed(Duration handling, int status) {}

        /**
         * The claim was given back for the provider's retry: the handler failed, or the application answered with a
         * status that is not 2xx.
         *
         * @param handling from {@link #accepted} to the release
         * @param status the status the application answered with ({@link Delivery#finish(int)}), or 0 when the
         *     delivery was released without one ({@link Delivery#release()}, {@link Delivery#close()})
         */
        default void released(Duration handling, int status) {}
    }

    /** Tells each observer in turn; one observer's failure is logged and does not keep the others from hearing. */
    final class Observers implements Observer {
        private final java.util.List<Observer> observers;

        private Observers(java.util.List<Observer> observers) {
            this.observers = observers;
        }

        private void each(java.util.function.Consumer<Observer> call) {
            for (Observer observer : observers) {
                try {
                    call.accept(observer);
                } catch (RuntimeException e) {
                    System.getLogger(DeliveryListener.class.getName())
                            .log(System.Logger.Level.WARNING, "delivery observer failed: " + e);
                }
            }
        }

        @Override
        public void rejected(Reason reason, Duration took) {
            each(o -> o.rejected(reason, took));
        }

        @Override
        public void handshake(Duration took) {
            each(o -> o.handshake(took));
        }

        @Override
        public void duplicate(VerifiedWebhook webhook, Duration took) {
            each(o -> o.duplicate(webhook, took));
        }

        @Override
        public void queued(VerifiedWebhook webhook, Duration took, int status) {
            each(o -> o.queued(webhook, took, status));
        }

        @Override
        public void accepted(VerifiedWebhook webhook, Duration took) {
            each(o -> o.accepted(webhook, took));
        }

        @Override
        public void completed(Duration handling, int status) {
            each(o -> o.completed(handling, status));
        }

        @Override
        public void released(Duration handling, int status) {
            each(o -> o.released(handling, status));
        }
    }
}
