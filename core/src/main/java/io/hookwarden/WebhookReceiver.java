package io.hookwarden;

import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.PayloadValidator;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One webhook endpoint: verifies a delivery, answers the provider's handshakes, checks its payload (format and JSON
 * Schema per event type and version), and claims the delivery in the dedupe store so its handler runs to success
 * exactly once. What adapters call.
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
 * <p>The payload is checked after the signature and before the claim, so a malformed or schema-invalid delivery is
 * never claimed: {@link Reason#MALFORMED_PAYLOAD} (400) when the body is not of the required {@link PayloadFormat},
 * {@link Reason#SCHEMA_VIOLATION} (422) with the failing JSON pointers as a {@code violations} member of the
 * problem document. With {@link Builder#reportOnly(ViolationListener)}, violations go to a listener and the delivery
 * is accepted, to roll a schema out.
 *
 * <p><b>Acknowledge fast, process later.</b> With an {@link Builder#inbox(Inbox) inbox}, a verified, valid delivery
 * is written to it and answered at once ({@link Outcome.Queued}, 200 or 202) only after the write; an {@link
 * InboxWorker} runs the handler later, with retries. A write the inbox cannot make is {@link
 * Reason#STORE_UNAVAILABLE} (503 with {@code Retry-After}), never a 2xx; the write is the dedupe, so a delivery the
 * inbox holds is a {@link Outcome.Duplicate}.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class WebhookReceiver {
    /** The most violations listed in a {@code 422} answer; the log detail and the listener get all of them. */
    public static final int MAX_REPORTED_VIOLATIONS = 100;

    private static final System.Logger LOG = System.getLogger(WebhookReceiver.class.getName());

    /** At most one WARNING per endpoint and reason in this time; the refusals in between are counted. */
    private static final Duration REFUSAL_WARNING_INTERVAL = Duration.ofMinutes(1);

    /** The default lease: how long a claim holds while its handler runs. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(1);
    /** The default retention: how long a processed delivery stays a duplicate, longer than providers retry. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /** The most an adapter reads and throws away of a refused body before it closes the connection: 32 MiB. */
    public static final long DEFAULT_DRAIN_BYTES = 32L << 20;
    /** The longest an adapter spends reading and throwing away a refused body: ten seconds. */
    public static final Duration DEFAULT_DRAIN_TIME = Duration.ofSeconds(10);

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
    private final VerifiedWebhook.PayloadOptions payload;
    private final PayloadValidator validator;
    private final ViolationListener reportOnly;
    private final PayloadRule payloadRule;
    /** The endpoint's inbox, or null when the handler runs in the request. */
    private final InboxEndpoint inbox;

    private final SourceCheck sourceCheck;
    /** Each reason's answer, rendered once: refusals are answered without building JSON per request. */
    private final Map<Reason, HttpAnswer> answers = new EnumMap<>(Reason.class);

    private final RefusalLog refusals;
    private final DeliveryListener listener;
    private final long drainBytes;
    private final long drainNanos;

    private WebhookReceiver(Builder b) {
        this.sourceCheck = b.allowedSources == null
                ? null
                : SourceCheck.of(b.allowedSources, b.trustedProxies == null ? List.of() : b.trustedProxies);
        this.verifier = b.verifier;
        this.store = b.store == null ? InMemoryDedupeStore.create() : b.store;
        this.name = b.name == null ? verifier.scheme().id() : b.name;
        this.refusals = new RefusalLog(name, REFUSAL_WARNING_INTERVAL, System::nanoTime);
        this.listener = b.listener;
        this.lease = b.lease == null ? DEFAULT_LEASE : b.lease;
        this.retention = b.retention == null ? DEFAULT_RETENTION : b.retention;
        this.dedupeKey = b.dedupeKey == null ? DedupeKey.schemeDefault() : b.dedupeKey;
        this.retryAfter = b.retryAfter == null ? DEFAULT_RETRY_AFTER : b.retryAfter;
        this.drainBytes = b.drainBytes == null ? DEFAULT_DRAIN_BYTES : b.drainBytes;
        this.drainNanos = (b.drainTime == null ? DEFAULT_DRAIN_TIME : b.drainTime).toNanos();
        this.keyPrefix = name + ":";
        for (Reason reason : Reason.values()) {
            answers.put(reason, HttpAnswer.problem(reason, retryAfter));
        }
        this.validator = b.validator;
        this.reportOnly = b.reportOnly;
        PayloadFormat format = b.format != null
                ? b.format
                : validator != null ? PayloadFormat.JSON : verifier.scheme().defaultFormat();
        this.payload = format == PayloadFormat.ANY && b.eventType == null && b.version == null
                ? VerifiedWebhook.PayloadOptions.DEFAULT
                : new VerifiedWebhook.PayloadOptions(
                        format,
                        b.eventType != null ? b.eventType : EventAttribute.schemeEventType(),
                        b.version != null ? b.version : EventAttribute.none());
        this.payloadRule = new PayloadRule(name, format, validator, reportOnly);
        this.inbox = b.inbox == null
                ? null
                : new InboxEndpoint(
                        b.inbox, b.acceptStatus == null ? 200 : b.acceptStatus, b.ordering, b.orderingKey, b.sequence);
    }

    /** A builder; the verifier is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Takes a delivery through the pipeline: handshake, verification, payload format and schema, claim.
     *
     * @return the outcome; bad input is a {@link Outcome.Rejected}, never an exception
     * @throws NullPointerException if request is null
     */
    public Outcome receive(WebhookRequest request) {
        Objects.requireNonNull(request, "request cannot be null");
        return observed(request, listener == null ? 0 : System.nanoTime(), null);
    }

    /**
     * A {@code Content-Length} header's value as the {@code declaredLength} of {@link #receive(WebhookRequest.Builder,
     * InputStream, long)}: the length, or -1 when the header is absent, negative or no number (a body of unknown
     * length, then read under the cap). Adapters whose container hands on the header as it came use this rather than
     * a parser that throws.
     *
     * @param contentLength the header's value, or null when absent
     * @return the declared length, or -1
     */
    public static long declaredLength(String contentLength) {
        if (contentLength == null) {
            return -1;
        }
        try {
            long length = Long.parseLong(contentLength.trim());
            return length < 0 ? -1 : length;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Reads the body under the verifier's cap ({@link WebhookVerifier#maxBodyBytes()}), then receives the request:
     * what an adapter calls with the request's head and its body stream. A declared {@code Content-Length} over the
     * cap is refused before a byte is read; a body of unknown length (chunked) is read up to the cap and refused when
     * one more byte follows; both are {@link Outcome.Rejected} with {@link Reason#PAYLOAD_TOO_LARGE}, answered with
     * this endpoint's answer. The adapter closes the connection after a 413 (the rest of the body was not read).
     *
     * @param head the request without its body: method, URL, headers, remote address
     * @param body the body; read up to the cap (and one byte past it when the length is unknown), never closed
     * @param declaredLength the declared {@code Content-Length}; negative when unknown
     * @return the outcome, as {@link #receive(WebhookRequest)}
     * @throws IOException if reading the body fails (the sender went away, or the container's read timeout fired)
     * @throws NullPointerException if head or body is null
     */
    public Outcome receive(WebhookRequest.Builder head, InputStream body, long declaredLength) throws IOException {
        Objects.requireNonNull(head, "head cannot be null");
        Objects.requireNonNull(body, "body cannot be null");
        long start = listener == null ? 0 : System.nanoTime(); // no listener: no timestamps on the hot path
        long limit = verifier.maxBodyBytes();
        byte[] bytes;
        try {
            bytes = CappedBody.read(body, declaredLength, limit);
        } catch (WebhookVerificationException tooLarge) {
            return observed(head.build(), start, rejected(tooLarge.reason(), tooLarge.getMessage(), null));
        }
        return observed(head.wrapBody(bytes).build(), start, null);
    }

    /** Decides (unless {@code decided} is given) and reports to the listener. */
    private Outcome observed(WebhookRequest request, long start, Outcome decided) {
        if (listener == null) {
            return decided != null ? decided : decide(request);
        }
        DeliveryListener.Observer observer = DeliveryListener.Observer.NONE;
        try {
            observer = Objects.requireNonNullElse(
                    listener.received(
                            name, verifier.scheme().id(), verifier.scheme().redacted(request)),
                    DeliveryListener.Observer.NONE);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "delivery listener of endpoint " + name + " failed: " + e);
        }
        Outcome outcome = decided != null ? decided : decide(request);
        report(observer, outcome, start);
        return outcome;
    }

    /** Tells the observer what the receiver decided; its failures are logged, never change the outcome. */
    private void report(DeliveryListener.Observer observer, Outcome outcome, long start) {
        long now = System.nanoTime();
        Duration took = Duration.ofNanos(now - start);
        try {
            if (outcome instanceof Outcome.Accepted accepted) {
                accepted.delivery().observe(observer, now);
                observer.accepted(accepted.delivery().webhook(), took);
            } else if (outcome instanceof Outcome.Queued queued) {
                observer.queued(queued.webhook(), took, queued.answer().status());
            } else if (outcome instanceof Outcome.Rejected rejected) {
                observer.rejected(rejected.reason(), took);
            } else if (outcome instanceof Outcome.Duplicate duplicate) {
                observer.duplicate(duplicate.webhook(), took);
            } else {
                observer.handshake(took);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "delivery listener of endpoint " + name + " failed: " + e);
        }
    }

    /** The pipeline itself: handshake, method, verification, payload, claim. */
    private Outcome decide(WebhookRequest request) {
        Scheme scheme = verifier.scheme();
        VerifiedWebhook webhook;
        if (sourceCheck != null) {
            String refusal = sourceCheck.refusal(request);
            if (refusal != null) {
                return rejected(Reason.SOURCE_NOT_ALLOWED, refusal, null);
            }
        }
        try {
            HttpAnswer handshake = scheme.answerBeforeVerify(request, verifier.keys(request));
            if (handshake != null) {
                return new Outcome.Handshake(handshake);
            }
            if (!"POST".equals(request.method()) && !("GET".equals(request.method()) && scheme.receivesGet())) {
                // Issue 12: verified and claimed only on POST, so another method can never use up a delivery.
                return rejected(
                        Reason.METHOD_NOT_ALLOWED,
                        "method " + request.method() + " is not received at endpoint " + name,
                        null);
            }
            webhook = verifier.verify(request);
            // an authenticator's matched key names a JWKS key or an issuer, not one of the verifier's keys
            handshake = scheme instanceof AuthenticatorScheme<?>
                    ? null
                    : scheme.answerAfterVerify(webhook, verifier.key(webhook.matchedKey()));
            if (handshake != null) {
                return new Outcome.Handshake(handshake);
            }
        } catch (WebhookVerificationException e) {
            return rejected(e.reason(), e.getMessage(), null);
        }
        webhook = webhook.with(payload);
        PayloadRule.Refusal refused = payloadRule.check(webhook);
        if (refused != null) {
            refusals.refused(refused.reason(), refused.detail());
            return new Outcome.Rejected(
                    refused.reason(),
                    refused.detail(),
                    webhook,
                    refused.answer() != null ? refused.answer() : answers.get(refused.reason()));
        }
        String id = dedupeKey.of(webhook);
        if (id == null) {
            return rejected(
                    Reason.MALFORMED_PAYLOAD,
                    "delivery of scheme " + scheme.id() + " carries no dedupe key for endpoint " + name,
                    webhook);
        }
        if (inbox != null) {
            return queue(webhook, id);
        }
        String key = keyPrefix + id;
        ClaimResult claim;
        long claimedAt = System.nanoTime();
        try {
            claim = store.claim(key, lease);
        } catch (RuntimeException e) {
            return rejected(
                    Reason.STORE_UNAVAILABLE, "dedupe store failed to claim " + key + ": " + e.getMessage(), webhook);
        }
        return switch (claim.status()) {
            case CLAIMED -> new Outcome.Accepted(
                    new Delivery(webhook, store, key, claim.claim().orElseThrow(), retention, leaseEndsAt(claimedAt)));
            case DUPLICATE -> new Outcome.Duplicate(webhook, answers.get(Reason.DUPLICATE));
            case IN_PROGRESS -> rejected(Reason.IN_PROGRESS, "another attempt holds the claim on " + key, webhook);
        };
    }

    /** When a lease taken at {@code claimedAt} ends, on {@link System#nanoTime()}; a lease of centuries saturates. */
    private long leaseEndsAt(long claimedAt) {
        long nanos = lease.compareTo(Duration.ofDays(36_500)) > 0
                ? Duration.ofDays(36_500).toNanos()
                : lease.toNanos();
        return claimedAt + nanos;
    }

    /** Writes a verified delivery to the inbox: queued when added, a duplicate when held, 503 when it failed. */
    private Outcome queue(VerifiedWebhook webhook, String id) {
        InboxEntry entry;
        try {
            entry = inbox.entry(name, id, webhook, verifier.clock());
        } catch (IllegalArgumentException unstorable) {
            // The sender's own text (an event id or type over 1,024 characters, or holding NUL): its retry would
            // carry the same, so 400 rather than a 503 it would retry forever.
            return rejected(
                    Reason.MALFORMED_PAYLOAD,
                    "delivery " + id + " of endpoint " + name + " cannot be stored: " + unstorable.getMessage(),
                    webhook);
        }
        Inbox.Written written;
        try {
            written = inbox.inbox().write(entry);
        } catch (RuntimeException e) {
            return rejected(
                    Reason.STORE_UNAVAILABLE,
                    "inbox failed to write delivery " + id + " of endpoint " + name + ": " + e.getMessage(),
                    webhook);
        }
        if (written == Inbox.Written.DUPLICATE) {
            return new Outcome.Duplicate(webhook, answers.get(Reason.DUPLICATE));
        }
        if (written != Inbox.Written.ADDED) {
            return rejected(
                    Reason.STORE_UNAVAILABLE,
                    "inbox answered " + written + " for delivery " + id + " of endpoint " + name,
                    webhook);
        }
        return new Outcome.Queued(webhook, inbox.acceptAnswer());
    }

    /**
     * The delivery a worker hands this endpoint's handler for a stored entry: the same id, type, timestamp, matched
     * key, body, headers and payload options as the request gave, without verifying it again. Public for workers that
     * live outside the core (the Kafka inbox's consumer): call it only with an entry this endpoint wrote, read back
     * from storage the application trusts, since nothing here verifies it.
     *
     * @throws NullPointerException if entry is null
     * @throws RuntimeException when the entry cannot be rebuilt as a request (it never will be)
     */
    public VerifiedWebhook restore(InboxEntry entry) {
        Objects.requireNonNull(entry, "entry cannot be null");
        return InboxEndpoint.restore(entry, verifier.scheme(), payload);
    }

    /**
     * Receives a delivery and, when it is accepted, runs {@code handler} on it, completing the claim when the handler
     * returns and releasing it when it throws.
     *
     * <p>With an inbox, the handler does not run here: the delivery is written and answered with the accept status
     * ({@link Outcome.Queued}); an {@link InboxWorker} runs the handler.
     *
     * @return 200 when the handler succeeded; {@code HANDLER_FAILED} (500, the claim released) when it threw; the
     *     exception's reason (the claim released) when it threw an {@link InvalidPayloadException}, such as a binding
     *     failure ({@code MALFORMED_PAYLOAD}, 400); otherwise the outcome's answer
     * @throws NullPointerException if request or handler is null
     */
    public HttpAnswer handle(WebhookRequest request, Handler handler) {
        Objects.requireNonNull(handler, "handler cannot be null");
        Outcome outcome = receive(request);
        if (!(outcome instanceof Outcome.Accepted accepted)) {
            return outcome.answer();
        }
        Delivery delivery = accepted.delivery();
        try {
            handler.handle(delivery.webhook());
            delivery.finish(200);
            return outcome.answer();
        } catch (InvalidPayloadException e) {
            delivery.finish(e.reason().httpStatus());
            // Not the message: a binding failure's may quote the body.
            refusals.refused(e.reason(), "endpoint " + name + ": the handler refused the payload");
            return answers.get(e.reason());
        } catch (Exception e) {
            // The application's exception, with its stack: the provider only ever sees HANDLER_FAILED.
            LOG.log(
                    Level.WARNING,
                    "handler of endpoint " + name + " failed on delivery " + delivery.key()
                            + "; the claim is released for the provider's retry",
                    e);
            delivery.finish(Reason.HANDLER_FAILED.httpStatus());
            return handlerFailed();
        } finally {
            delivery.close(); // after an Error: released; otherwise already settled, and this does nothing
        }
    }

    /**
     * Reads and throws away what is left of a refused request's body, up to the endpoint's {@link
     * Builder#drainBytes} and {@link Builder#drainTime}, after the adapter sent a 413's status and headers with {@code
     * Connection: close} (and before its body: some containers close the request's body once an answer is complete):
     * a sender that writes its whole body before it reads the answer then receives the 413 rather than a connection
     * reset. Never throws: a read failure ends the drain.
     *
     * @param rest the body stream, positioned after what {@link #receive(WebhookRequest.Builder, InputStream, long)}
     *     read
     * @return how many bytes were thrown away
     */
    public long drain(InputStream rest) {
        long deadline = System.nanoTime() + drainNanos;
        long total = 0;
        byte[] buffer = new byte[16 * 1024];
        try {
            while (total < drainBytes && System.nanoTime() - deadline < 0) {
                int n = rest.read(buffer, 0, (int) Math.min(buffer.length, drainBytes - total));
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (IOException e) {
            // The sender went away or the container's read timeout fired: nothing more to throw away.
        }
        return total;
    }

    /**
     * Refuses a request an adapter turned away before the receiver could read it (another spelling of the endpoint's
     * path, a request framed two ways, a method the runtime answers itself), so that it is logged and observed like
     * every other refusal: the endpoint's refusal log and its {@link DeliveryListener} hear it.
     *
     * @param head the request as far as the adapter read it (no body)
     * @param reason why
     * @param detail for the log: what was wrong, never a secret or a payload value
     * @return this endpoint's answer for the reason ({@link #answer(Reason)}); an adapter may send a more specific one
     * @throws NullPointerException if an argument is null
     */
    public HttpAnswer refuse(WebhookRequest.Builder head, Reason reason, String detail) {
        Objects.requireNonNull(head, "head cannot be null");
        Objects.requireNonNull(reason, "reason cannot be null");
        Objects.requireNonNull(detail, "detail cannot be null");
        Outcome refused = rejected(reason, "endpoint " + name + ": " + detail, null);
        return observed(head.build(), System.nanoTime(), refused).answer();
    }

    /**
     * This endpoint's answer for a reason: the one the receiver sends itself, with the endpoint's settings (its {@code
     * Retry-After} for retryable reasons). Adapters that refuse a request before the receiver sees it use this.
     *
     * @throws NullPointerException if reason is null
     */
    public HttpAnswer answer(Reason reason) {
        return answers.get(Objects.requireNonNull(reason, "reason cannot be null"));
    }

    /** The answer when the application's handler threw: 500 with {@code Retry-After}; the claim is released. */
    public HttpAnswer handlerFailed() {
        return answers.get(Reason.HANDLER_FAILED);
    }

    private Outcome rejected(Reason reason, String detail, VerifiedWebhook webhook) {
        refusals.refused(reason, detail);
        return new Outcome.Rejected(reason, detail, webhook, answers.get(reason));
    }

    /** The endpoint's name, which prefixes its dedupe keys. */
    public String name() {
        return name;
    }

    /** The verifier. */
    public WebhookVerifier verifier() {
        return verifier;
    }

    /** The dedupe store; unused when the endpoint has an {@link #inbox()}, whose write is the dedupe. */
    public DedupeStore dedupeStore() {
        return store;
    }

    /**
     * How much of a refused body an adapter reads and throws away before it closes the connection ({@link
     * Builder#drainBytes}), for adapters that cannot hand {@link #drain} a stream (a reactive server's).
     */
    public long drainBytes() {
        return drainBytes;
    }

    /** The longest an adapter spends reading and throwing away a refused body ({@link Builder#drainTime}). */
    public Duration drainTime() {
        return Duration.ofNanos(drainNanos);
    }

    /** The endpoint's inbox, when deliveries are written to one and handled by workers. */
    public Optional<Inbox> inbox() {
        return inbox == null ? Optional.empty() : Optional.of(inbox.inbox());
    }

    @Override
    public String toString() {
        return "WebhookReceiver[name=" + name + ", " + verifier
                + (inbox == null ? ", store=" + store : ", inbox=" + inbox.inbox() + ", ordering=" + inbox.ordering())
                + ", lease=" + lease
                + ", retention=" + retention + ", format=" + payload.format()
                + (validator == null ? "" : ", schemas=" + validator + (reportOnly != null ? " (report only)" : ""))
                + "]";
    }

    /**
     * Receives the violations of deliveries accepted in report-only mode ({@link Builder#reportOnly}). Called on the
     * request's thread before the claim; must be thread-safe and quick. An exception it throws is logged and ignored.
     */
    @FunctionalInterface
    public interface ViolationListener {
        /**
         * One delivery's violations, with pointers into its body (a batch's prefixed with the event's index).
         *
         * @param webhook the verified delivery, accepted despite the violations
         * @param result its violations; never valid
         */
        void onViolations(VerifiedWebhook webhook, ValidationResult result);
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
        private Long drainBytes;
        private Duration drainTime;
        private List<String> allowedSources;
        private List<String> trustedProxies;
        private PayloadValidator validator;
        private ViolationListener reportOnly;
        private PayloadFormat format;
        private EventAttribute eventType;
        private EventAttribute version;
        private DeliveryListener listener;
        private Inbox inbox;
        private Integer acceptStatus;
        private InboxEntry.Ordering ordering;
        private EventAttribute orderingKey;
        private EventAttribute sequence;
        private final BuilderOptions options = new BuilderOptions();

        private Builder() {}

        /**
         * Observes every delivery this endpoint receives and what became of it (metrics, traces, audit). Default:
         * none. {@code hookwarden-micrometer} provides one.
         *
         * @param listener the listener
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder listener(DeliveryListener listener) {
            options.once("listener");
            this.listener = Objects.requireNonNull(listener, "listener cannot be null");
            return this;
        }

        /**
         * The schemas (or any validator) each event must satisfy, by event type and version; implies {@link
         * PayloadFormat#JSON} unless {@link #format(PayloadFormat)} says {@link PayloadFormat#JSON_BATCH}. Violations
         * refuse the delivery with {@code SCHEMA_VIOLATION} (422) unless {@link #reportOnly(ViolationListener)}.
         *
         * @throws NullPointerException if validator is null
         * @throws IllegalStateException if already set
         */
        public Builder schemas(PayloadValidator validator) {
            options.once("schemas");
            this.validator = Objects.requireNonNull(validator, "schemas cannot be null");
            return this;
        }

        /**
         * Report-only mode, to roll a schema out: a delivery that violates its schema is accepted, and its violations
         * go to {@code listener}. Without it, violations refuse the delivery.
         *
         * @throws NullPointerException if listener is null
         * @throws IllegalStateException if already set
         */
        public Builder reportOnly(ViolationListener listener) {
            options.once("reportOnly");
            this.reportOnly = Objects.requireNonNull(listener, "reportOnly cannot be null");
            return this;
        }

        /**
         * What every verified body must be; default {@link PayloadFormat#JSON} with schemas, else the scheme's own
         * ({@link PayloadFormat#JSON} for Stripe, {@link PayloadFormat#ANY} for the others). A body of another format is refused with {@code MALFORMED_PAYLOAD} (400) and never claimed.
         *
         * @throws NullPointerException if format is null
         * @throws IllegalStateException if already set
         */
        public Builder format(PayloadFormat format) {
            options.once("format");
            this.format = Objects.requireNonNull(format, "format cannot be null");
            return this;
        }

        /**
         * Where an event's type is read; default {@link EventAttribute#schemeEventType()}. It picks the schema and the
         * router's handlers.
         *
         * @throws NullPointerException if eventType is null
         * @throws IllegalStateException if already set
         */
        public Builder eventType(EventAttribute eventType) {
            options.once("eventType");
            this.eventType = Objects.requireNonNull(eventType, "eventType cannot be null");
            return this;
        }

        /**
         * Where an event's version is read, such as {@code EventAttribute.header("X-Webhook-Version")}, {@code
         * EventAttribute.jsonPointer("/api_version")} or {@code EventAttribute.pathSegment(1)}; default none. It picks
         * the schema.
         *
         * @throws NullPointerException if version is null
         * @throws IllegalStateException if already set
         */
        public Builder version(EventAttribute version) {
            options.once("version");
            this.version = Objects.requireNonNull(version, "version cannot be null");
            return this;
        }

        /**
         * The verifier for this endpoint's scheme and keys. Required.
         *
         * @throws NullPointerException if verifier is null
         * @throws IllegalStateException if already set
         */
        public Builder verifier(WebhookVerifier verifier) {
            options.once("verifier");
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
            options.once("dedupeStore");
            this.store = Objects.requireNonNull(store, "dedupeStore cannot be null");
            return this;
        }

        /**
         * Acknowledge fast, process later: write each verified, valid delivery to {@code inbox} and answer at once
         * with the {@link #acceptStatus(int) accept status}, only after the write; an {@link InboxWorker} runs the
         * handler. The write is the dedupe (one delivery per endpoint and dedupe key), so no {@link
         * #dedupeStore(DedupeStore)} is set with it. A write that fails is answered 503 {@code STORE_UNAVAILABLE}.
         *
         * @throws NullPointerException if inbox is null
         * @throws IllegalStateException if already set
         */
        public Builder inbox(Inbox inbox) {
            options.once("inbox");
            this.inbox = Objects.requireNonNull(inbox, "inbox cannot be null");
            return this;
        }

        /**
         * The status a delivery written to the inbox is answered with: 200 (the default; many providers want exactly
         * 200) or 202.
         *
         * @throws IllegalArgumentException if neither 200 nor 202
         * @throws IllegalStateException if already set
         */
        public Builder acceptStatus(int status) {
            options.once("acceptStatus");
            if (status != 200 && status != 202) {
                throw new IllegalArgumentException("acceptStatus must be 200 or 202 but was " + status);
            }
            this.acceptStatus = status;
            return this;
        }

        /**
         * Orders the inbox's deliveries per key, such as a Stripe object's id ({@code
         * EventAttribute.jsonPointer("/data/object/id")}): {@link InboxEntry.Ordering#STRICT} (one at a time per key,
         * in sequence order; a dead head holds its key until replayed or purged) or {@link
         * InboxEntry.Ordering#LATEST} (one at a time per key; an event older than one already completed is skipped).
         * Events stand in the order of the {@link #sequence(EventAttribute) sequence}, by default the provider's
         * signed timestamp. A delivery whose key (or configured sequence) cannot be read is written unordered and
         * runs at once; it is never refused for it.
         *
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if ordering is NONE
         * @throws IllegalStateException if already set
         */
        public Builder ordering(InboxEntry.Ordering ordering, EventAttribute key) {
            options.once("ordering");
            Objects.requireNonNull(ordering, "ordering cannot be null");
            Objects.requireNonNull(key, "key cannot be null");
            if (ordering == InboxEntry.Ordering.NONE) {
                throw new IllegalArgumentException("ordering must be STRICT or LATEST but was NONE");
            }
            this.ordering = ordering;
            this.orderingKey = key;
            return this;
        }

        /**
         * Where an ordered delivery stands among its key's, when not by the provider's signed timestamp (the default,
         * in milliseconds; 0 for a scheme that signs none, which orders by arrival): a whole number such as {@code
         * EventAttribute.jsonPointer("/sequence")}, or an ISO-8601 instant.
         *
         * @throws NullPointerException if sequence is null
         * @throws IllegalStateException if already set
         */
        public Builder sequence(EventAttribute sequence) {
            options.once("sequence");
            this.sequence = Objects.requireNonNull(sequence, "sequence cannot be null");
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
            options.once("name");
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
            options.once("lease");
            this.lease = BuilderOptions.positive(lease, "lease");
            return this;
        }

        /**
         * How long a processed delivery stays a duplicate; longer than the provider keeps retrying. Default seven days.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder retention(Duration retention) {
            options.once("retention");
            this.retention = BuilderOptions.positive(retention, "retention");
            return this;
        }

        /**
         * How a delivery is named in the store; default {@link DedupeKey#schemeDefault()}.
         *
         * @throws NullPointerException if dedupeKey is null
         * @throws IllegalStateException if already set
         */
        public Builder dedupeKey(DedupeKey dedupeKey) {
            options.once("dedupeKey");
            this.dedupeKey = Objects.requireNonNull(dedupeKey, "dedupeKey cannot be null");
            return this;
        }

        /**
         * How much of a refused body ({@code 413}) an adapter reads and throws away before it closes the connection,
         * so that a sender that writes its whole body before reading the answer gets the 413 instead of a reset (and
         * does not retry, again and again, a delivery that will never fit). Default 32 MiB; whichever of this and
         * {@link #drainTime} comes first ends it, so a hostile sender still costs bounded work.
         *
         * @throws IllegalArgumentException if negative (0 closes at once)
         * @throws IllegalStateException if already set
         */
        public Builder drainBytes(long bytes) {
            options.once("drainBytes");
            if (bytes < 0) {
                throw new IllegalArgumentException("drainBytes cannot be negative but was " + bytes);
            }
            this.drainBytes = bytes;
            return this;
        }

        /**
         * The longest an adapter spends reading and throwing away a refused body; default ten seconds. See {@link
         * #drainBytes}. The container's own read timeout still bounds each read.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder drainTime(Duration time) {
            options.once("drainTime");
            this.drainTime = BuilderOptions.positive(time, "drainTime");
            return this;
        }

        /**
         * The {@code Retry-After} sent with 409, 500 and 503; default ten seconds.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder retryAfter(Duration retryAfter) {
            options.once("retryAfter");
            this.retryAfter = BuilderOptions.positive(retryAfter, "retryAfter");
            return this;
        }

        /**
         * Accept deliveries only from these addresses or ranges ({@code 192.30.252.0/22}, {@code 2a0a:a440::/29}), the
         * provider's published sources; anything else is refused with {@code SOURCE_NOT_ALLOWED} (403) before the
         * signature is checked. The sender is the connection's remote address, or, when that is a {@link
         * #trustedProxies(String...) trusted proxy}, the nearest untrusted hop of {@code X-Forwarded-For}. A request
         * whose address the adapter does not know is refused. An addition to the signature check, never a substitute.
         *
         * @throws IllegalArgumentException naming the entry that is not an IP address or CIDR range
         * @throws IllegalStateException if already set
         */
        public Builder allowedSources(String... cidrs) {
            options.once("allowedSources");
            Objects.requireNonNull(cidrs, "allowedSources cannot be null");
            if (cidrs.length == 0) {
                throw new IllegalArgumentException("allowedSources needs at least one address or range");
            }
            SourceCheck.of(java.util.Arrays.asList(cidrs), List.of());
            this.allowedSources = List.of(cidrs);
            return this;
        }

        /**
         * The reverse proxies in front of this application, whose {@code X-Forwarded-For} is believed for {@link
         * #allowedSources(String...)}. Without them the header is ignored, since any sender can set it.
         *
         * @throws IllegalArgumentException naming the entry that is not an IP address or CIDR range
         * @throws IllegalStateException if already set
         */
        public Builder trustedProxies(String... cidrs) {
            options.once("trustedProxies");
            Objects.requireNonNull(cidrs, "trustedProxies cannot be null");
            SourceCheck.of(List.of(), java.util.Arrays.asList(cidrs));
            this.trustedProxies = List.of(cidrs);
            return this;
        }

        /**
         * The receiver.
         *
         * @throws IllegalStateException if no verifier was set; if report-only mode was set without schemas; if schemas
         *     were set with a format other than JSON or JSON_BATCH; if trusted proxies were set without allowed
         *     sources; if an inbox and a dedupe store were both set (the inbox's write is the dedupe); if the accept
         *     status or ordering was set without an inbox, or a sequence without ordering
         */
        public WebhookReceiver build() {
            if (verifier == null) {
                throw new MissingOptionException("verifier", "verifier is required");
            }
            if (reportOnly != null && validator == null) {
                throw new IllegalStateException("reportOnly needs schemas to report on");
            }
            if (inbox != null && store != null) {
                throw new IllegalStateException(
                        "inbox conflicts with dedupeStore: the inbox's write is the dedupe, so set only the inbox");
            }
            if (inbox == null && (acceptStatus != null || ordering != null)) {
                throw new IllegalStateException(
                        (acceptStatus != null ? "acceptStatus" : "ordering") + " needs an inbox");
            }
            if (sequence != null && ordering == null) {
                throw new IllegalStateException("sequence needs ordering");
            }
            if (trustedProxies != null && allowedSources == null) {
                throw new IllegalStateException("trustedProxies needs allowedSources to check");
            }
            if (validator != null
                    && format != null
                    && format != PayloadFormat.JSON
                    && format != PayloadFormat.JSON_BATCH) {
                throw new IllegalStateException("schemas validate JSON, but format was " + format);
            }
            return new WebhookReceiver(this);
        }
    }
}
