package io.hookwarden;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Signs deliveries the way a provider does, with the same scheme code that verifies them: for tests, fixtures, the
 * CLI's {@code sign} and {@code send}, and for applications that forward webhooks.
 *
 * <pre>{@code
 * WebhookSigner signer = WebhookSigner.builder().scheme(Schemes.stripe()).secret("whsec_...").build();
 * WebhookRequest request = signer.sign(WebhookMessage.body("{\"id\":\"evt_1\"}").build());
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class WebhookSigner {
    private final Scheme scheme;
    private final KeyMaterial key;
    private final Clock clock;

    private WebhookSigner(Scheme scheme, KeyMaterial key, Clock clock) {
        this.scheme = scheme;
        this.key = key;
        this.clock = clock;
    }

    /** A builder; scheme and secret are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The scheme this signer writes. */
    public Scheme scheme() {
        return scheme;
    }

    /**
     * The headers that sign {@code message}.
     *
     * @param message what to sign
     * @return the signature headers, and the id, timestamp and event type headers where the scheme has them
     * @throws IllegalArgumentException if the scheme needs a field the message lacks (such as a URL)
     */
    public Headers headers(WebhookMessage message) {
        Objects.requireNonNull(message, "message cannot be null");
        Instant timestamp = message.timestamp().orElseGet(clock::instant);
        return scheme.sign(key, message, timestamp);
    }

    /**
     * A complete signed request: {@code POST}, the message's URL and body, and the signing headers. For most schemes
     * the body and URL are the message's; Mailgun writes its signature into the JSON body, Linear its {@code
     * webhookTimestamp}, and Twilio adds {@code bodySHA256} to the URL of a body that is not a form.
     *
     * @param message what to sign
     * @return the request a provider would send
     * @throws IllegalArgumentException if the scheme needs a field the message lacks (such as a URL)
     */
    public WebhookRequest sign(WebhookMessage message) {
        Objects.requireNonNull(message, "message cannot be null");
        Instant timestamp = message.timestamp().orElseGet(clock::instant);
        return scheme.signedRequest(key, message, timestamp);
    }

    @Override
    public String toString() {
        return "WebhookSigner[" + scheme.id() + ", " + key + "]";
    }

    /** Configures a {@link WebhookSigner}. Not thread-safe; each option may be set once. */
    public static final class Builder {
        private Scheme scheme;
        private String secret;
        private Clock clock;
        private boolean weakSecretAllowed;
        private final BuilderOptions options = new BuilderOptions();

        private Builder() {}

        /**
         * Accepts a secret shorter than the scheme's minimum, as {@link Keys.Builder#allowWeakSecrets()} does for a
         * verifier: to sign test deliveries for a legacy endpoint. A WARNING names the key, never the secret.
         *
         * @return this builder
         */
        public Builder allowWeakSecret() {
            this.weakSecretAllowed = true;
            return this;
        }

        /**
         * The scheme to sign with.
         *
         * @param scheme a built-in or configured scheme
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder scheme(Scheme scheme) {
            options.once("scheme");
            this.scheme = Objects.requireNonNull(scheme, "scheme cannot be null");
            return this;
        }

        /**
         * The signing secret (or private key for asymmetric schemes), exactly as the provider shows it.
         *
         * @param secret the secret
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder secret(String secret) {
            options.once("secret");
            this.secret = Objects.requireNonNull(secret, "secret cannot be null");
            return this;
        }

        /**
         * The clock for timestamps not given in the message. Default: the system UTC clock.
         *
         * @param clock the clock
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder clock(Clock clock) {
            options.once("clock");
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /**
         * The signer.
         *
         * @return an immutable signer
         * @throws IllegalStateException if the scheme or secret is missing
         * @throws IllegalArgumentException if the secret is empty, too short, badly encoded, or a public key
         */
        public WebhookSigner build() {
            if (scheme == null) {
                throw new MissingOptionException("scheme", "scheme must be set");
            }
            if (secret == null) {
                throw new MissingOptionException("secret", "secret must be set");
            }
            Scheme signWith = scheme;
            String signingSecret = secret;
            KeyMaterial key = Scheme.refusingAs(
                    "signing-key",
                    scheme,
                    () -> weakSecretAllowed
                            ? Scheme.allowingWeakSecrets(() -> signWith.signingKey("signing-key", signingSecret))
                            : signWith.signingKey("signing-key", signingSecret));
            return new WebhookSigner(scheme, key, clock == null ? Clock.systemUTC() : clock);
        }
    }
}
