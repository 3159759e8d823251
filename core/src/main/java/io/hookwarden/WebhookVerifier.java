package io.hookwarden;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks that a delivery was signed by the provider with one of the endpoint's keys, recently, and within the body
 * limit. Built once per endpoint; immutable and thread-safe, so one instance serves every request.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder()
 *     .scheme(Schemes.stripe())
 *     .keys(Keys.of(System.getenv("STRIPE_WEBHOOK_SECRET")))
 *     .build();
 * VerifiedWebhook webhook = verifier.verify(request); // or WebhookVerificationException with a Reason
 * }</pre>
 *
 * <p>The checks, in order: body size ({@link Reason#PAYLOAD_TOO_LARGE}), the scheme's headers ({@link
 * Reason#MISSING_HEADER}, {@link Reason#MALFORMED_HEADER}), the signature against every active key, comparing in
 * constant time ({@link Reason#SIGNATURE_MISMATCH}), then the signed timestamp against the clock ({@link
 * Reason#TIMESTAMP_TOO_OLD}, {@link Reason#TIMESTAMP_IN_FUTURE}). A scheme made of an {@link
 * io.hookwarden.spi.Authenticator} (bearer JWTs) checks the request's credential itself after the body size, with the
 * verifier's clock, and may also answer {@link Reason#KEYS_UNAVAILABLE} when it cannot get its keys.
 */
public final class WebhookVerifier {
    /** The default maximum age and future skew. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    /** The default body limit: 1 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;

    private final Scheme scheme;
    private final List<KeyMaterial> keys;
    private final Duration maxAge;
    private final Duration futureSkew;
    private final Clock clock;
    private final long maxBodyBytes;
    /** Per-tenant keys, or null when {@link #keys} serve every delivery. */
    private final TenantKeys tenants;

    private WebhookVerifier(Builder b, List<KeyMaterial> keys) {
        this.scheme = b.scheme;
        this.keys = List.copyOf(keys);
        this.tenants = b.tenants;
        boolean ignore = b.ignoreTimestamp;
        Duration tolerance = b.tolerance == null ? DEFAULT_TOLERANCE : b.tolerance;
        this.maxAge = ignore ? null : b.maxAge != null ? b.maxAge : tolerance;
        this.futureSkew =
                ignore ? null : b.futureSkew != null ? b.futureSkew : scheme.boundsFuture() ? tolerance : null;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
        this.maxBodyBytes = b.maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : b.maxBodyBytes;
    }

    /**
     * A builder; the scheme and at least one key are required, except for a scheme that fetches its own (a JWT scheme
     * with a JWKS URL) or whose messages name their own certificate ({@link Schemes#sns()}), which take none.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a delivery.
     *
     * @param request the delivery as received
     * @return the verified delivery
     * @throws WebhookVerificationException when the delivery is refused; {@link WebhookVerificationException#reason()}
     *     says why
     * @throws NullPointerException if request is null
     */
    public VerifiedWebhook verify(WebhookRequest request) {
        Objects.requireNonNull(request, "request cannot be null");
        if (request.bodyLength() > maxBodyBytes) {
            throw new WebhookVerificationException(
                    Reason.PAYLOAD_TOO_LARGE,
                    "body of " + request.bodyLength() + " bytes exceeds the limit of " + maxBodyBytes + " bytes");
        }
        if (scheme instanceof AuthenticatorScheme<?> authenticated) {
            return authenticated.verify(request, keys(request), clock);
        }
        Scheme.Parsed parsed = scheme.parse(request);
        List<KeyMaterial> keys = tenants == null ? this.keys : tenants.keysFor(request, clock);
        String matched = null;
        for (KeyMaterial key : keys) {
            if (scheme.matches(key, parsed, request)) {
                matched = key.label;
                break;
            }
        }
        if (matched == null) {
            throw new WebhookVerificationException(
                    Reason.SIGNATURE_MISMATCH, scheme.mismatchDetail(parsed, keys.size()));
        }
        if (parsed.timestamp != null) {
            checkFreshness(parsed.timestamp);
        }
        return new VerifiedWebhook(
                scheme, scheme.redacted(request), parsed.id, parsed.timestamp, parsed.eventType, matched, parsed);
    }

    private void checkFreshness(Instant timestamp) {
        if (maxAge == null && futureSkew == null) {
            return;
        }
        Instant now = clock.instant();
        if (maxAge != null && exceeds(now, timestamp, maxAge)) {
            throw new WebhookVerificationException(
                    Reason.TIMESTAMP_TOO_OLD,
                    "timestamp " + timestamp + " is older than the maximum age " + maxAge + " at " + now);
        }
        if (futureSkew != null && exceeds(timestamp, now, futureSkew)) {
            throw new WebhookVerificationException(
                    Reason.TIMESTAMP_IN_FUTURE,
                    "timestamp " + timestamp + " is further ahead than the allowed skew " + futureSkew + " at " + now);
        }
    }

    /**
     * Whether {@code later - earlier > limit}, without allocating: the difference of two instants always fits in a
     * long of seconds, where {@code now.minus(maxAge)} would overflow the Instant range for a very long window.
     */
    private static boolean exceeds(Instant later, Instant earlier, Duration limit) {
        long seconds = later.getEpochSecond() - earlier.getEpochSecond();
        int nanos = later.getNano() - earlier.getNano();
        if (nanos < 0) {
            seconds--;
            nanos += 1_000_000_000;
        }
        return seconds > limit.getSeconds() || (seconds == limit.getSeconds() && nanos > limit.getNano());
    }

    /** The scheme this verifier checks. */
    public Scheme scheme() {
        return scheme;
    }

    /** The active keys for this request (its tenant's, with per-tenant keys), for the scheme's handshakes. */
    List<KeyMaterial> keys(WebhookRequest request) {
        return tenants == null ? keys : tenants.keysFor(request, clock);
    }

    /** The key with this label. */
    KeyMaterial key(String label) {
        if (tenants != null) {
            return tenants.key(label);
        }
        for (KeyMaterial key : keys) {
            if (key.label.equals(label)) {
                return key;
            }
        }
        throw new IllegalStateException("no key labelled " + label);
    }

    /** The clock timestamps are checked against; an inbox entry's time received comes from it too. */
    Clock clock() {
        return clock;
    }

    /** The body limit in bytes. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public String toString() {
        List<String> labels = new ArrayList<>();
        keys.forEach(k -> labels.add(k.label));
        return "WebhookVerifier[scheme=" + scheme.id() + ", keys=" + (tenants == null ? labels : tenants) + ", maxAge="
                + maxAge + ", futureSkew=" + futureSkew + ", maxBodyBytes=" + maxBodyBytes + "]";
    }

    /**
     * Configures a {@link WebhookVerifier}. Each option may be set once; {@link #build()} checks every key, so a bad
     * secret fails at start-up, never as a silent mismatch later. Not thread-safe.
     */
    public static final class Builder {
        private Scheme scheme;
        private Keys keys;
        private Duration tolerance;
        private Duration maxAge;
        private Duration futureSkew;
        private boolean ignoreTimestamp;
        private Clock clock;
        private Long maxBodyBytes;
        private TenantKeys tenants;
        private final BuilderOptions options = new BuilderOptions();

        private Builder() {}

        /**
         * The provider's scheme.
         *
         * @param scheme from {@link Schemes}
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder scheme(Scheme scheme) {
            options.once("scheme");
            this.scheme = Objects.requireNonNull(scheme, "scheme cannot be null");
            return this;
        }

        /**
         * The endpoint's active keys; a delivery signed with any of them is accepted.
         *
         * @param keys one or more secrets or public keys
         * @return this builder
         * @throws IllegalStateException if keys or a secret were already set
         */
        public Builder keys(Keys keys) {
            options.once("keys");
            this.keys = Objects.requireNonNull(keys, "keys cannot be null");
            return this;
        }

        /**
         * One secret, the usual case: the same as {@code keys(Keys.of(secret))}.
         *
         * @param secret the secret exactly as the provider shows it
         * @return this builder
         * @throws IllegalStateException if keys or a secret were already set
         */
        public Builder secret(String secret) {
            return keys(Keys.of(Objects.requireNonNull(secret, "secret cannot be null")));
        }

        /**
         * Per-tenant keys instead of one key set: each delivery is verified with the keys of the tenant it names (see
         * {@link TenantKeys}).
         *
         * @param tenants the tenants' keys, serving this verifier only
         * @return this builder
         * @throws IllegalStateException if keys or a secret were already set
         */
        public Builder tenantKeys(TenantKeys tenants) {
            options.once("keys");
            this.tenants = Objects.requireNonNull(tenants, "tenants cannot be null");
            return this;
        }

        /**
         * The scheme's time window: the maximum age, and the future skew for schemes that bound it ({@link
         * Scheme#boundsFuture()}). Default 5 minutes.
         *
         * @param tolerance a positive duration
         * @return this builder
         */
        public Builder tolerance(Duration tolerance) {
            options.once("tolerance");
            this.tolerance = BuilderOptions.positive(tolerance, "tolerance");
            return this;
        }

        /**
         * How old a signed timestamp may be. Default: the tolerance, 5 minutes.
         *
         * @param maxAge a positive duration
         * @return this builder
         */
        public Builder maxAge(Duration maxAge) {
            options.once("maxAge");
            this.maxAge = BuilderOptions.positive(maxAge, "maxAge");
            return this;
        }

        /**
         * How far in the future a signed timestamp may be; set explicitly, it applies even to schemes whose own window
         * is past-only. Default: the tolerance for schemes that bound the future, none for the others.
         *
         * @param futureSkew a positive duration
         * @return this builder
         */
        public Builder futureSkew(Duration futureSkew) {
            options.once("futureSkew");
            this.futureSkew = BuilderOptions.positive(futureSkew, "futureSkew");
            return this;
        }

        /**
         * Skips the freshness check, accepting replays of old deliveries: only for re-verifying recorded deliveries,
         * never for a live endpoint.
         *
         * @return this builder
         */
        public Builder ignoreTimestamp() {
            options.once("ignoreTimestamp");
            this.ignoreTimestamp = true;
            return this;
        }

        /**
         * The clock that timestamps are checked against. Default: the system UTC clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            options.once("clock");
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /**
         * The largest body accepted, in bytes. Default 1 MiB.
         *
         * @param bytes a positive size
         * @return this builder
         */
        public Builder maxBodyBytes(long bytes) {
            options.once("maxBodyBytes");
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxBodyBytes must be positive but was " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * The verifier.
         *
         * @return an immutable, thread-safe verifier
         * @throws IllegalStateException if the scheme or keys are missing (keys are left out only for a scheme that
         *     fetches its own, such as a JWT scheme with a JWKS URL, and then refused), or the timestamp check is both
         *     configured and ignored
         * @throws IllegalArgumentException if a secret is empty, too short or badly encoded (the message names the
         *     key's label, never the secret)
         */
        public WebhookVerifier build() {
            if (scheme == null) {
                throw new MissingOptionException("scheme", "scheme must be set");
            }
            boolean fetchesKeys = scheme instanceof AuthenticatorScheme<?> a && a.fetchesKeys();
            KeyMaterial implicit = keys == null && tenants == null
                    ? scheme.implicitKey(clock == null ? Clock.systemUTC() : clock)
                    : null;
            if (keys == null && tenants == null && !fetchesKeys && implicit == null) {
                throw new MissingOptionException("keys", "keys must be set: give at least one secret");
            }
            if (keys != null && fetchesKeys) {
                throw new IllegalStateException("scheme " + scheme.id()
                        + " fetches its keys itself (from its JWKS URL): give the verifier no keys, or configure the"
                        + " scheme without a key URL");
            }
            if (ignoreTimestamp && (tolerance != null || maxAge != null || futureSkew != null)) {
                throw new IllegalStateException("ignoreTimestamp conflicts with tolerance, maxAge and futureSkew");
            }
            if (tenants != null && fetchesKeys) {
                throw new IllegalStateException("scheme " + scheme.id()
                        + " fetches its keys itself (from its JWKS URL): it takes no per-tenant keys");
            }
            if (tenants != null) {
                tenants.bind(scheme);
            }
            List<KeyMaterial> material = new ArrayList<>(keys == null ? 0 : keys.size());
            for (int i = 0; keys != null && i < keys.size(); i++) {
                String label = keys.label(i);
                String secret = keys.secret(i);
                material.add(Scheme.refusingAs(
                        label,
                        scheme,
                        () -> keys.weakSecretsAllowed()
                                ? Scheme.allowingWeakSecrets(() -> scheme.verificationKey(label, secret))
                                : scheme.verificationKey(label, secret)));
            }
            if (implicit != null) {
                material.add(implicit);
            }
            return new WebhookVerifier(this, material);
        }
    }
}
