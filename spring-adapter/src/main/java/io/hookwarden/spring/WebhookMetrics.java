package io.hookwarden.spring;

import java.util.Locale;

/**
 * Where the adapter reports what happened to deliveries. The Micrometer implementation is wired when Micrometer is
 * present; otherwise nothing is recorded. Implementations are thread-safe.
 */
interface WebhookMetrics {
    /** Records nothing. */
    WebhookMetrics NONE = new WebhookMetrics() {
        @Override
        public void verification(String endpoint, long nanos) {}

        @Override
        public void delivery(String endpoint, Result result, String reason) {}
    };

    /** What became of a delivery, as the {@code outcome} tag. */
    enum Result {
        /** Verified, claimed, handled with a 2xx answer and completed. */
        PROCESSED,
        /** Verified and claimed, but the handler failed or answered non-2xx: the claim was released. */
        RELEASED,
        /** Processed before. */
        DUPLICATE,
        /** Refused with a reason. */
        REJECTED,
        /** A provider's handshake, answered by the scheme. */
        HANDSHAKE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The time the receiver took to verify and claim a delivery. */
    void verification(String endpoint, long nanos);

    /**
     * One delivery's end.
     *
     * @param reason a {@link io.hookwarden.Reason} code, or {@code none}
     */
    void delivery(String endpoint, Result result, String reason);
}
