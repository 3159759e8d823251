package io.hookwarden;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link WebhookReceiver#receive(WebhookRequest)} made of a delivery. Every outcome knows its {@link
 * HttpAnswer}; an adapter writes it out verbatim, except for {@link Accepted}, where the application's handler runs
 * first and its result decides.
 *
 * <ul>
 *   <li>{@link Accepted}: verified, valid and claimed; run the handler through its {@link Delivery}.
 *   <li>{@link Queued}: verified, valid and written to the endpoint's inbox; answered 2xx now, processed later by
 *       an {@link InboxWorker}. The application's handler does not run in the request.
 *   <li>{@link Duplicate}: verified, but processed before; answered 200 so the provider stops retrying.
 *   <li>{@link Rejected}: refused, with a {@link Reason}.
 *   <li>{@link Handshake}: a provider's handshake, answered by the scheme.
 * </ul>
 */
public sealed interface Outcome
        permits Outcome.Accepted, Outcome.Queued, Outcome.Duplicate, Outcome.Rejected, Outcome.Handshake {
    /** The answer to send; for {@link Accepted}, the answer when the handler succeeds. */
    HttpAnswer answer();

    /** A delivery to process: it holds the claim until completed or closed. */
    final class Accepted implements Outcome {
        private final Delivery delivery;

        Accepted(Delivery delivery) {
            this.delivery = delivery;
        }

        /** The delivery, holding the claim. Close it, completing it first when the handler succeeded. */
        public Delivery delivery() {
            return delivery;
        }

        /** 200: what to answer after the handler succeeded and the delivery was completed. */
        @Override
        public HttpAnswer answer() {
            return HttpAnswer.ok();
        }

        @Override
        public String toString() {
            return "Accepted[" + delivery.webhook() + "]";
        }
    }

    /**
     * A verified delivery written durably to the endpoint's inbox: answer the sender now ({@link #answer()}, the
     * endpoint's accept status, 200 unless configured 202, with no body); workers run the handler later.
     */
    final class Queued implements Outcome {
        private final VerifiedWebhook webhook;
        private final HttpAnswer answer;

        Queued(VerifiedWebhook webhook, HttpAnswer answer) {
            this.webhook = webhook;
            this.answer = answer;
        }

        /** The verified delivery, as written. */
        public VerifiedWebhook webhook() {
            return webhook;
        }

        /** The endpoint's accept status (200 or 202), no body. */
        @Override
        public HttpAnswer answer() {
            return answer;
        }

        @Override
        public String toString() {
            return "Queued[" + webhook + "]";
        }
    }

    /** A verified delivery that was processed before. */
    final class Duplicate implements Outcome {
        private final VerifiedWebhook webhook;
        private final HttpAnswer answer;

        Duplicate(VerifiedWebhook webhook, HttpAnswer answer) {
            this.webhook = webhook;
            this.answer = answer;
        }

        /** The verified delivery. */
        public VerifiedWebhook webhook() {
            return webhook;
        }

        /** 200 with reason {@code DUPLICATE}. */
        @Override
        public HttpAnswer answer() {
            return answer;
        }

        @Override
        public String toString() {
            return "Duplicate[" + webhook + "]";
        }
    }

    /** A refused delivery. */
    final class Rejected implements Outcome {
        private final Reason reason;
        private final String detail;
        private final VerifiedWebhook webhook;
        private final HttpAnswer answer;

        Rejected(Reason reason, String detail, VerifiedWebhook webhook, HttpAnswer answer) {
            this.reason = Objects.requireNonNull(reason);
            this.detail = detail;
            this.webhook = webhook;
            this.answer = answer;
        }

        /** Why. */
        public Reason reason() {
            return reason;
        }

        /**
         * A message for the application's logs: names headers, times, limits and JSON pointers, never a secret, an
         * expected signature or a payload value. It is not sent to the sender.
         */
        public String detail() {
            return detail;
        }

        /** The verified delivery, when it was refused after verification (schema, store, busy). */
        public Optional<VerifiedWebhook> webhook() {
            return Optional.ofNullable(webhook);
        }

        /** The reason's status, as {@code application/problem+json}, with {@code Retry-After} when retryable. */
        @Override
        public HttpAnswer answer() {
            return answer;
        }

        @Override
        public String toString() {
            return "Rejected[" + reason + ": " + detail + "]";
        }
    }

    /** A provider's handshake (a URL check, a challenge), answered by the scheme. */
    final class Handshake implements Outcome {
        private final HttpAnswer answer;

        Handshake(HttpAnswer answer) {
            this.answer = answer;
        }

        /** The answer the provider expects. */
        @Override
        public HttpAnswer answer() {
            return answer;
        }

        @Override
        public String toString() {
            return "Handshake[" + answer + "]";
        }
    }
}
