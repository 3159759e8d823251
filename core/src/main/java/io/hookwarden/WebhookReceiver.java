package io.hookwarden;

import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import java.time.Duration;
import java.util.Objects;

/**
 * One webhook endpoint: verifies a delivery, answers the provider's handshakes, and claims the delivery in the dedupe
 * store so its handler runs to success exactly once. What adapters call.
 *
 * <pre>{@code
 * Outcome outcome = receiver.receive(request);            // never throws for bad input
 * if (outcome instanceof Outcome.Accepted accepted) {
 *     try (Delivery delivery = accepted.delivery()) {
 *         handle(delivery.webhook());
 *         delivery.complete();                             // without this, close() releases the claim
 *     }
 * }
 * HttpAnswer answer = outcome.answer();                   // status, headers, problem+json body
 * }</pre>
 *
 * <p>Immutable and thread-safe once built.
 */
public final class WebhookReceiver {
    /** The default lease: how long a claim holds while its handler runs. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(1);
    /** The default retention: how long a processed delivery stays a duplicate, longer than providers retry. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /** The default {@code Retry-After} on 409, 500 and 503 answers. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(10);

    private final WebhookVerifier verifier;
    private final DedupeStore store;
    private final String name;
    private final Duration lease;
    private final Duration retention;
    private final DedupeKey dedupeKey;
    private final Duration retryAfter;
    private final String keyPrefix;

    private WebhookReceiver(Builder b) {
        this.verifier = b.verifier;
        this.store = b.store == null ? InMemoryDedupeStore.create() : b.store;
        this.name = b.name == null ? verifier.scheme().id() : b.name;
        this.lease = b.lease == null ? DEFAULT_LEASE : b.lease;
        this.retention = b.retention == null ? DEFAULT_RETENTION : b.retention;
        this.dedupeKey = b.dedupeKey == null ? DedupeKey.schemeDefault() : b.dedupeKey;
        this.retryAfter = b.retryAfter == null ? DEFAULT_RETRY_AFTER : b.retryAfter;
        this.keyPrefix = name + ":";
    }

    /** A builder; the verifier is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Takes a delivery through the pipeline: handshake, verification, claim.
     *
     * @return the outcome; bad input is a {@link Outcome.Rejected}, never an exception
     * @throws NullPointerException if request is null
     */
    public Outcome receive(WebhookRequest request) {
        Objects.requireNonNull(request, "request cannot be null");
        Scheme scheme = verifier.scheme();
        VerifiedWebhook webhook;
        try {
            HttpAnswer handshake = scheme.answerBeforeVerify(request, verifier.keys());
            if (handshake != null) {
                return new Outcome.Handshake(handshake);
            }
            webhook = verifier.verify(request);
            handshake = scheme.answerAfterVerify(webhook, verifier.key(webhook.matchedKey()));
            if (handshake != null) {
                return new Outcome.Handshake(handshake);
            }
        } catch (WebhookVerificationException e) {
            return rejected(e.reason(), e.getMessage(), null);
        }
        String id = dedupeKey.of(webhook);
        if (id == null) {
            return rejected(
                    Reason.MALFORMED_PAYLOAD,
                    "delivery of scheme " + scheme.id() + " carries no dedupe key for endpoint " + name,
                    webhook);
        }
        String key = keyPrefix + id;
        ClaimResult claim;
        try {
            claim = store.claim(key, lease);
        } catch (RuntimeException e) {
            return rejected(
                    Reason.STORE_UNAVAILABLE, "dedupe store failed to claim " + key + ": " + e.getMessage(), webhook);
        }
        return switch (claim.status()) {
            case CLAIMED -> new Outcome.Accepted(
                    new Delivery(webhook, store, key, claim.claim().orElseThrow(), retention));
            case DUPLICATE -> new Outcome.Duplicate(webhook, HttpAnswer.problem(Reason.DUPLICATE, null));
            case IN_PROGRESS -> rejected(Reason.IN_PROGRESS, "another attempt holds the claim on " + key, webhook);
        };
    }

    /**
     * Receives a delivery and, when it is accepted, runs {@code handler} on it, completing the claim when the handler
     * returns and releasing it when it throws.
     *
     * @return 200 when the handler succeeded; {@code HANDLER_FAILED} (500, the claim released) when it threw; otherwise
     *     the outcome's answer
     * @throws NullPointerException if request or handler is null
     */
    public HttpAnswer handle(WebhookRequest request, Handler handler) {
        Objects.requireNonNull(handler, "handler cannot be null");
        Outcome outcome = receive(request);
        if (!(outcome instanceof Outcome.Accepted accepted)) {
            return outcome.answer();
        }
        try (Delivery delivery = accepted.delivery()) {
            handler.handle(delivery.webhook());
            delivery.complete();
            return outcome.answer();
        } catch (Exception e) {
            return handlerFailed();
        }
    }

    /** The answer when the application's handler threw: 500 with {@code Retry-After}; the claim is released. */
    public HttpAnswer handlerFailed() {
        return HttpAnswer.problem(Reason.HANDLER_FAILED, retryAfter);
    }

    private Outcome rejected(Reason reason, String detail, VerifiedWebhook webhook) {
        return new Outcome.Rejected(reason, detail, webhook, HttpAnswer.problem(reason, retryAfter));
    }

    /** The endpoint's name, which prefixes its dedupe keys. */
    public String name() {
        return name;
    }

    /** The verifier. */
    public WebhookVerifier verifier() {
        return verifier;
    }

    /** The dedupe store. */
    public DedupeStore dedupeStore() {
        return store;
    }

    @Override
    public String toString() {
        return "WebhookReceiver[name=" + name + ", " + verifier + ", store=" + store + ", lease=" + lease
                + ", retention=" + retention + "]";
    }

    /** The application's code for one verified delivery. */
    @FunctionalInterface
    public interface Handler {
        /** Processes the delivery; throwing releases the claim so the provider's retry processes it. */
        void handle(VerifiedWebhook webhook) throws Exception;
    }

    /** Configures a {@link WebhookReceiver}. Each option may be set once. Not thread-safe. */
    public static final class Builder {
        private WebhookVerifier verifier;
        private DedupeStore store;
        private String name;
        private Duration lease;
        private Duration retention;
        private DedupeKey dedupeKey;
        private Duration retryAfter;

        private Builder() {}

        /**
         * The verifier for this endpoint's scheme and keys. Required.
         *
         * @throws NullPointerException if verifier is null
         * @throws IllegalStateException if already set
         */
        public Builder verifier(WebhookVerifier verifier) {
            once(this.verifier, "verifier");
            this.verifier = Objects.requireNonNull(verifier, "verifier cannot be null");
            return this;
        }

        /**
         * Where processed deliveries are recorded; default a new {@link InMemoryDedupeStore}, right for one instance
         * only. Replicas share one store.
         *
         * @throws NullPointerException if store is null
         * @throws IllegalStateException if already set
         */
        public Builder dedupeStore(DedupeStore store) {
            once(this.store, "dedupeStore");
            this.store = Objects.requireNonNull(store, "dedupeStore cannot be null");
            return this;
        }

        /**
         * The endpoint's name, which prefixes its keys in a shared store; default the scheme id.
         *
         * @throws NullPointerException if name is null
         * @throws IllegalArgumentException if name is blank
         * @throws IllegalStateException if already set
         */
        public Builder name(String name) {
            once(this.name, "name");
            Objects.requireNonNull(name, "name cannot be null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name cannot be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * How long a claim holds while the handler runs; after it, another attempt may claim the delivery (a crashed
         * worker's event is not lost). Longer than the slowest handler; default one minute.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder lease(Duration lease) {
            once(this.lease, "lease");
            this.lease = positive(lease, "lease");
            return this;
        }

        /**
         * How long a processed delivery stays a duplicate; longer than the provider keeps retrying. Default seven days.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder retention(Duration retention) {
            once(this.retention, "retention");
            this.retention = positive(retention, "retention");
            return this;
        }

        /**
         * How a delivery is named in the store; default {@link DedupeKey#schemeDefault()}.
         *
         * @throws NullPointerException if dedupeKey is null
         * @throws IllegalStateException if already set
         */
        public Builder dedupeKey(DedupeKey dedupeKey) {
            once(this.dedupeKey, "dedupeKey");
            this.dedupeKey = Objects.requireNonNull(dedupeKey, "dedupeKey cannot be null");
            return this;
        }

        /**
         * The {@code Retry-After} sent with 409, 500 and 503; default ten seconds.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder retryAfter(Duration retryAfter) {
            once(this.retryAfter, "retryAfter");
            this.retryAfter = positive(retryAfter, "retryAfter");
            return this;
        }

        /**
         * The receiver.
         *
         * @throws IllegalStateException if no verifier was set
         */
        public WebhookReceiver build() {
            if (verifier == null) {
                throw new IllegalStateException("verifier is required");
            }
            return new WebhookReceiver(this);
        }

        private static void once(Object current, String option) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name + " cannot be null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but was " + d);
            }
            return d;
        }
    }
}
