package io.hookwarden.test;

import io.hookwarden.Headers;
import io.hookwarden.Scheme;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Deliveries for tests, signed by the same scheme code that verifies them: correctly signed ones, and deliberately
 * broken ones (tampered body, wrong key, expired, from the future, a header removed). Each comes as a {@link
 * WebhookRequest}, ready for a verifier or an adapter. Works for every built-in scheme; schemes that sign the URL
 * (Twilio, Square) need {@link Builder#url(String)}. Two schemes do not sign the body, so a {@link #tampered} delivery
 * is not a signature mismatch there: GitLab sends a plain token (the tampered delivery verifies), and Mailgun signs
 * only its timestamp and token (the flipped last byte breaks the JSON, a malformed payload).
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
 * WebhookFixtures fixtures = WebhookFixtures.builder().scheme(Schemes.stripe()).secret(SECRET).clock(clock).build();
 * assertThatThrownBy(() -> verifier.verify(fixtures.tampered("{\"id\":\"evt_1\"}")))...
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class WebhookFixtures {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Scheme scheme;
    private final String secret;
    private final Clock clock;
    private final WebhookSigner signer;
    private final String url;

    private WebhookFixtures(Scheme scheme, String secret, Clock clock, String url) {
        this.scheme = scheme;
        this.secret = secret;
        this.clock = clock;
        this.url = url;
        this.signer = WebhookSigner.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(clock)
                .build();
    }

    /** A builder; scheme and secret are required, the clock defaults to the system UTC clock. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A correctly signed delivery of {@code body}, stamped with the clock's current time.
     *
     * @param body the JSON (or other) text to send
     * @return the request
     */
    public WebhookRequest signed(String body) {
        return signed(message(body).build());
    }

    /** A message of {@code body}, addressed to the fixtures' URL when one is set. */
    private WebhookMessage.Builder message(String body) {
        WebhookMessage.Builder message = WebhookMessage.body(body);
        if (url != null) {
            message.url(url);
        }
        return message;
    }

    /**
     * A correctly signed delivery of {@code message}; fields the message leaves out are made up (a fresh id, the
     * clock's time).
     *
     * @param message what to sign
     * @return the request
     */
    public WebhookRequest signed(WebhookMessage message) {
        return signer.sign(message);
    }

    /**
     * A delivery signed correctly and then changed: the last byte of the body is flipped (or, for an empty body, one
     * byte is added), as a man in the middle would.
     *
     * @param body the body that was signed
     * @return the request with a body that no longer matches its signature
     */
    public WebhookRequest tampered(String body) {
        WebhookRequest signed = signed(body);
        byte[] bytes = signed.body();
        byte[] changed = bytes.length == 0 ? new byte[] {'x'} : Arrays.copyOf(bytes, bytes.length);
        if (bytes.length > 0) {
            changed[changed.length - 1] ^= 0x01;
        }
        return signed.toBuilder().body(changed).build();
    }

    /**
     * A delivery signed with a freshly generated key of the same kind as the fixture's secret, as a forger would.
     *
     * @param body the body
     * @return the request, well formed but signed with the wrong key
     */
    public WebhookRequest forged(String body) {
        return WebhookSigner.builder()
                .scheme(scheme)
                .secret(otherSecret(secret))
                .clock(clock)
                .build()
                .sign(message(body).build());
    }

    /**
     * A correctly signed delivery whose timestamp is {@code age} before the clock's time: older than a verifier's
     * maximum age when {@code age} exceeds it.
     *
     * @param body the body
     * @param age how old the delivery is
     * @return the request
     */
    public WebhookRequest aged(String body, Duration age) {
        Objects.requireNonNull(age, "age cannot be null");
        return signed(message(body).timestamp(clock.instant().minus(age)).build());
    }

    /**
     * A correctly signed delivery whose timestamp is {@code ahead} after the clock's time.
     *
     * @param body the body
     * @param ahead how far in the future
     * @return the request
     */
    public WebhookRequest fromTheFuture(String body, Duration ahead) {
        Objects.requireNonNull(ahead, "ahead cannot be null");
        return signed(message(body).timestamp(clock.instant().plus(ahead)).build());
    }

    /**
     * A correctly signed delivery with one header removed.
     *
     * @param body the body
     * @param header the header to remove, any case
     * @return the request
     */
    public WebhookRequest withoutHeader(String body, String header) {
        WebhookRequest signed = signed(body);
        return replaceHeaders(
                signed, signed.headers().toBuilder().remove(header).build());
    }

    /**
     * A correctly signed delivery with one header's value replaced.
     *
     * @param body the body
     * @param header the header to replace, any case
     * @param value the new value
     * @return the request
     */
    public WebhookRequest withHeader(String body, String header, String value) {
        WebhookRequest signed = signed(body);
        return replaceHeaders(
                signed, signed.headers().toBuilder().set(header, value).build());
    }

    private static WebhookRequest replaceHeaders(WebhookRequest signed, Headers headers) {
        return WebhookRequest.builder()
                .method(signed.method())
                .url(signed.url().orElse(null))
                .headers(headers)
                .body(signed.body())
                .build();
    }

    /** The scheme the fixtures sign with. */
    public Scheme scheme() {
        return scheme;
    }

    @Override
    public String toString() {
        return "WebhookFixtures[" + scheme.id() + "]";
    }

    /** A secret of the same kind as {@code secret}, generated at random. */
    static String otherSecret(String secret) {
        if (secret.startsWith("whsk_")) {
            try {
                byte[] pkcs8 = KeyPairGenerator.getInstance("Ed25519")
                        .generateKeyPair()
                        .getPrivate()
                        .getEncoded();
                return "whsk_"
                        + Base64.getEncoder()
                                .encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK cannot generate an Ed25519 key", e);
            }
        }
        if (secret.length() == 64 || secret.length() == 128) {
            byte[] seed = new byte[32];
            if (java.util.HexFormat.isHexDigit(secret.charAt(0))
                    && secret.chars().allMatch(java.util.HexFormat::isHexDigit)) {
                RANDOM.nextBytes(seed); // a hex Ed25519 seed (Discord), or a hex secret of the same length
                return java.util.HexFormat.of().formatHex(seed);
            }
        }
        if (isEcPrivateKey(secret)) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
                return Base64.getEncoder()
                        .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK cannot generate a P-256 key", e);
            }
        }
        if (secret.startsWith("whsec_")) {
            byte[] key = new byte[24];
            RANDOM.nextBytes(key);
            return "whsec_" + Base64.getEncoder().encodeToString(key);
        }
        byte[] key = new byte[Math.max(24, secret.getBytes(StandardCharsets.UTF_8).length)];
        RANDOM.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** Whether {@code secret} is a base64 PKCS#8 EC private key (SendGrid's signing key), PEM armour optional. */
    private static boolean isEcPrivateKey(String secret) {
        String text = secret.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
                            Base64.getDecoder().decode(text)));
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Configures {@link WebhookFixtures}. Not thread-safe. */
    public static final class Builder {
        private Scheme scheme;
        private String secret;
        private Clock clock = Clock.systemUTC();
        private String url;

        private Builder() {}

        /**
         * The URL every delivery is addressed to; required by schemes that sign it (Twilio, Square).
         *
         * @param url the full URL
         * @return this builder
         */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url cannot be null");
            return this;
        }

        /**
         * The scheme to sign with.
         *
         * @param scheme the scheme
         * @return this builder
         */
        public Builder scheme(Scheme scheme) {
            this.scheme = Objects.requireNonNull(scheme, "scheme cannot be null");
            return this;
        }

        /**
         * The signing secret (a private key for asymmetric schemes).
         *
         * @param secret the secret as the provider shows it
         * @return this builder
         */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret cannot be null");
            return this;
        }

        /**
         * The clock that stamps deliveries; share it with the verifier under test.
         *
         * @param clock the clock, typically a {@link MutableClock}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /**
         * The fixtures.
         *
         * @return immutable fixtures
         * @throws IllegalStateException if scheme or secret is missing
         * @throws IllegalArgumentException if the scheme refuses the secret
         */
        public WebhookFixtures build() {
            if (scheme == null || secret == null) {
                throw new IllegalStateException("scheme and secret must be set");
            }
            return new WebhookFixtures(scheme, secret, clock, url);
        }
    }
}
