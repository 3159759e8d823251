package io.hookwarden.test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hookwarden.Headers;
import io.hookwarden.Scheme;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Deliveries for tests, signed by the same scheme code that verifies them: correctly signed ones, and deliberately
 * broken ones (tampered body, wrong key, expired, from the future, a header removed or malformed, a replay). Each comes
 * as a {@link WebhookRequest}, ready for a verifier or an adapter, or rendered for a client by {@link WebhookRequests}
 * ({@code java.net.http}), {@link MockMvcDeliveries} (Spring MockMvc), {@link ServletDeliveries} (a servlet request for
 * filter tests) or {@link JaxrsDeliveries} (a JAX-RS client invocation).
 *
 * <p>Every delivery is made by one builder: {@link #delivery(String)} for a body given as text, {@link #delivery()} for
 * any other body (bytes, an object as JSON with Jackson, a classpath resource) or none, then optionally a chosen id,
 * timestamp and event type, and a terminal verb of {@link DeliveryBuilder} for a correctly signed or a deliberately
 * broken request. Works for every built-in scheme; schemes that sign the URL (Twilio, Square) need {@link
 * Builder#url(String)}. Two schemes do not sign the body, so a {@link DeliveryBuilder#tampered() tampered} delivery is
 * not a signature mismatch there: GitLab sends a plain token (the tampered delivery verifies), and Mailgun signs only
 * its timestamp and token (the flipped last byte breaks the JSON, a malformed payload).
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
 * WebhookFixtures fixtures = WebhookFixtures.builder().scheme(Schemes.stripe()).secret(SECRET).clock(clock).build();
 * assertThatThrownBy(() -> verifier.verify(fixtures.delivery("{\"id\":\"evt_1\"}").tampered()))...
 *
 * WebhookRequest paid = fixtures.delivery().json(new InvoicePaid("in_1")).id("evt_1").eventType("invoice.paid").signed();
 * WebhookRequest late = fixtures.delivery().resource("events/invoice-paid.json").aged(Duration.ofMinutes(6));
 * WebhookRequest again = fixtures.replayOf(paid);
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
    private final ObjectMapper mapper;

    private WebhookFixtures(Scheme scheme, String secret, Clock clock, String url, ObjectMapper mapper) {
        this.scheme = scheme;
        this.secret = secret;
        this.clock = clock;
        this.url = url;
        this.mapper = mapper;
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
     * The same delivery again, as a provider retrying or an attacker who recorded it would send it: the same method,
     * URL, headers and body bytes, so the same id, timestamp and signature. A replay verifies as long as its timestamp
     * is within the verifier's tolerance (a receiver then answers it as a duplicate of the first); advance the shared
     * {@link MutableClock} past the tolerance first to send it too late ({@code TIMESTAMP_TOO_OLD}). Schemes that sign
     * no timestamp (GitHub, Shopify, Twilio, Square, Meta, X) accept a replay at any time: only deduplication stops
     * it.
     *
     * @param request the delivery to replay
     * @return an equal copy of it
     * @throws NullPointerException if request is null
     */
    public WebhookRequest replayOf(WebhookRequest request) {
        Objects.requireNonNull(request, "request cannot be null");
        return request.toBuilder().build();
    }

    /**
     * A builder for one delivery: its body (text, bytes, an object as JSON, or a classpath resource), id, timestamp
     * and event type, signed correctly or broken on purpose by its terminal methods.
     *
     * @return a new builder
     */
    public DeliveryBuilder delivery() {
        return new DeliveryBuilder();
    }

    /**
     * A builder for one delivery of {@code body}, the shorthand for {@code delivery().body(body)}: {@code
     * fixtures.delivery(body).signed()}, {@code fixtures.delivery(body).aged(Duration.ofMinutes(6))}.
     *
     * @param body the JSON (or other) text to send, encoded as UTF-8
     * @return a new builder with its body set
     * @throws NullPointerException if body is null
     */
    public DeliveryBuilder delivery(String body) {
        return delivery().body(body);
    }

    private static WebhookRequest replaceHeaders(WebhookRequest signed, Headers headers) {
        return WebhookRequest.builder()
                .method(signed.method())
                .url(signed.url().orElse(null))
                .headers(headers)
                .body(signed.body())
                .build();
    }

    /** The value {@link DeliveryBuilder#malformedHeader()} puts where the signature belongs. */
    public static final String JUNK = "%not a signature%";

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
        if (secret.strip().startsWith("{")) {
            return otherJwk(secret.strip());
        }
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
        if (isPrivateKey("RSA", secret)) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return Base64.getEncoder()
                        .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK cannot generate an RSA key", e);
            }
        }
        if (isPrivateKey("EC", secret)) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
                return Base64.getEncoder()
                        .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK cannot generate a P-256 key", e);
            }
        }
        int colon = secret.indexOf(':');
        if (colon > 0
                && secret.indexOf(':', colon + 1) < 0
                && secret.substring(0, colon).strip().equals(secret.substring(0, colon))
                && !secret.substring(0, colon).contains(" ")) {
            // a public name and a private key (Braintree's publicKey:privateKey): the same name, another private key
            byte[] key = new byte[24];
            RANDOM.nextBytes(key);
            return secret.substring(0, colon + 1)
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
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

    /**
     * A private JWK (hookwarden-jwt's signing keys) of the same type, curve, {@code kid} and {@code alg}, generated with
     * the JDK: a token signed with it names the same key but does not verify.
     */
    private static String otherJwk(String jwk) {
        com.fasterxml.jackson.databind.node.ObjectNode original;
        try {
            original = (com.fasterxml.jackson.databind.node.ObjectNode)
                    JsonMapper.builder().build().readTree(jwk);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("the fixtures' secret starts with { but is not a JWK object");
        }
        com.fasterxml.jackson.databind.node.ObjectNode other = original.objectNode();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        try {
            if ("RSA".equals(original.path("kty").asText())) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                java.security.interfaces.RSAPrivateCrtKey key = (java.security.interfaces.RSAPrivateCrtKey)
                        generator.generateKeyPair().getPrivate();
                other.put("kty", "RSA");
                other.put("n", b64.encodeToString(unsigned(key.getModulus())));
                other.put("e", b64.encodeToString(unsigned(key.getPublicExponent())));
                other.put("d", b64.encodeToString(unsigned(key.getPrivateExponent())));
                other.put("p", b64.encodeToString(unsigned(key.getPrimeP())));
                other.put("q", b64.encodeToString(unsigned(key.getPrimeQ())));
                other.put("dp", b64.encodeToString(unsigned(key.getPrimeExponentP())));
                other.put("dq", b64.encodeToString(unsigned(key.getPrimeExponentQ())));
                other.put("qi", b64.encodeToString(unsigned(key.getCrtCoefficient())));
            } else if ("EC".equals(original.path("kty").asText())) {
                String crv = original.path("crv").asText();
                String curve =
                        switch (crv) {
                            case "P-256" -> "secp256r1";
                            case "P-384" -> "secp384r1";
                            case "P-521" -> "secp521r1";
                            default -> throw new IllegalArgumentException("the fixtures' JWK has the curve " + crv
                                    + "; only P-256, P-384 and P-521 can be generated");
                        };
                int size = crv.equals("P-521") ? 66 : Integer.parseInt(crv.substring(2)) / 8;
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new java.security.spec.ECGenParameterSpec(curve));
                java.security.KeyPair pair = generator.generateKeyPair();
                java.security.spec.ECPoint w = ((java.security.interfaces.ECPublicKey) pair.getPublic()).getW();
                other.put("kty", "EC");
                other.put("crv", crv);
                other.put("x", b64.encodeToString(fixed(w.getAffineX(), size)));
                other.put("y", b64.encodeToString(fixed(w.getAffineY(), size)));
                other.put(
                        "d",
                        b64.encodeToString(
                                fixed(((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS(), size)));
            } else {
                throw new IllegalArgumentException("the fixtures' JWK is neither RSA nor EC");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate a key like the fixtures' JWK", e);
        }
        for (String member : new String[] {"kid", "alg", "use"}) {
            if (original.hasNonNull(member)) {
                other.set(member, original.get(member));
            }
        }
        return other.toString();
    }

    /** A positive big integer's bytes without the sign byte (RFC 7518 section 6.3: unsigned big-endian). */
    private static byte[] unsigned(java.math.BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** A coordinate as exactly {@code size} bytes (RFC 7518 section 6.2.1.2). */
    private static byte[] fixed(java.math.BigInteger value, int size) {
        byte[] bytes = unsigned(value);
        byte[] out = new byte[size];
        System.arraycopy(bytes, 0, out, size - bytes.length, bytes.length);
        return out;
    }

    /**
     * Whether {@code secret} is a base64 PKCS#8 private key of {@code algorithm} ({@code EC}: SendGrid's signing key;
     * {@code RSA}: the key a test signs SNS messages with), PEM armour optional.
     */
    private static boolean isPrivateKey(String algorithm, String secret) {
        String text = secret.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            java.security.KeyFactory.getInstance(algorithm)
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
        private ObjectMapper mapper;

        private Builder() {}

        /**
         * The Jackson mapper that writes {@link DeliveryBuilder#json(Object)} bodies; default a {@link JsonMapper} with
         * the modules found on the class path (such as {@code jackson-datatype-jsr310}).
         *
         * @param mapper the mapper your application reads the payloads with
         * @return this builder
         * @throws NullPointerException if mapper is null
         * @throws IllegalStateException if set twice
         */
        public Builder objectMapper(ObjectMapper mapper) {
            Objects.requireNonNull(mapper, "mapper cannot be null");
            if (this.mapper != null) {
                throw new IllegalStateException("objectMapper is already set");
            }
            this.mapper = mapper;
            return this;
        }

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
            return new WebhookFixtures(
                    scheme,
                    secret,
                    clock,
                    url,
                    mapper != null
                            ? mapper
                            : JsonMapper.builder().findAndAddModules().build());
        }
    }

    /**
     * One delivery of these fixtures: set the body once (from text, bytes, an object or a classpath resource; empty
     * when none is set) and optionally the id, timestamp and event type, then call a terminal method for a correctly
     * signed or a deliberately broken request. Fields left out are made up when signing, as a provider would: a fresh
     * id for every request, the clock's current time. Each terminal method signs anew, so a builder can make several
     * requests. Not thread-safe.
     */
    public final class DeliveryBuilder {
        private byte[] body;
        private String id;
        private Instant timestamp;
        private String eventType;

        private DeliveryBuilder() {}

        /**
         * The body as text, encoded as UTF-8.
         *
         * @param body the text
         * @return this builder
         * @throws NullPointerException if body is null
         * @throws IllegalStateException if a body is already set
         */
        public DeliveryBuilder body(String body) {
            Objects.requireNonNull(body, "body cannot be null");
            return body(body.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The body's exact bytes.
         *
         * @param body the bytes, copied
         * @return this builder
         * @throws NullPointerException if body is null
         * @throws IllegalStateException if a body is already set
         */
        public DeliveryBuilder body(byte[] body) {
            Objects.requireNonNull(body, "body cannot be null");
            if (this.body != null) {
                throw new IllegalStateException("the body is already set");
            }
            this.body = body.clone();
            return this;
        }

        /**
         * The body as {@code value} written as JSON by the fixtures' {@link Builder#objectMapper(ObjectMapper)}.
         *
         * @param value the payload object, such as your application's event class or a {@code Map}
         * @return this builder
         * @throws NullPointerException if value is null
         * @throws IllegalArgumentException if Jackson cannot write it
         * @throws IllegalStateException if a body is already set
         */
        public DeliveryBuilder json(Object value) {
            Objects.requireNonNull(value, "value cannot be null");
            try {
                return body(mapper.writeValueAsBytes(value));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        "cannot write " + value.getClass().getName() + " as JSON", e);
            }
        }

        /**
         * The body as the bytes of a class path resource, such as a payload copied from the provider's documentation
         * into {@code src/test/resources}. Read with the thread's context class loader (this class's loader when
         * there is none); a leading {@code /} is ignored.
         *
         * @param path the resource path, for example {@code "webhooks/invoice-paid.json"}
         * @return this builder
         * @throws NullPointerException if path is null
         * @throws IllegalArgumentException if there is no such resource
         * @throws UncheckedIOException if it cannot be read
         * @throws IllegalStateException if a body is already set
         */
        public DeliveryBuilder resource(String path) {
            Objects.requireNonNull(path, "path cannot be null");
            String name = path.startsWith("/") ? path.substring(1) : path;
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = WebhookFixtures.class.getClassLoader();
            }
            try (InputStream in = loader.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalArgumentException("no class path resource " + path);
                }
                return body(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read class path resource " + path, e);
            }
        }

        /**
         * The delivery id, in the scheme's id header where it has one (Standard Webhooks, GitHub, ...).
         *
         * @param id the id
         * @return this builder
         * @throws NullPointerException if id is null
         * @throws IllegalStateException if set twice
         */
        public DeliveryBuilder id(String id) {
            Objects.requireNonNull(id, "id cannot be null");
            if (this.id != null) {
                throw new IllegalStateException("id is already set to " + this.id);
            }
            this.id = id;
            return this;
        }

        /**
         * The signed timestamp; default the clock's time when a terminal method is called.
         *
         * @param timestamp the time
         * @return this builder
         * @throws NullPointerException if timestamp is null
         * @throws IllegalStateException if set twice
         */
        public DeliveryBuilder timestamp(Instant timestamp) {
            Objects.requireNonNull(timestamp, "timestamp cannot be null");
            if (this.timestamp != null) {
                throw new IllegalStateException("timestamp is already set to " + this.timestamp);
            }
            this.timestamp = timestamp;
            return this;
        }

        /**
         * The event type, in the scheme's event type header where it has one (GitHub's {@code X-GitHub-Event}, ...).
         *
         * @param eventType the type
         * @return this builder
         * @throws NullPointerException if eventType is null
         * @throws IllegalStateException if set twice
         */
        public DeliveryBuilder eventType(String eventType) {
            Objects.requireNonNull(eventType, "eventType cannot be null");
            if (this.eventType != null) {
                throw new IllegalStateException("eventType is already set to " + this.eventType);
            }
            this.eventType = eventType;
            return this;
        }

        /** The message these fields describe, signed at {@code at} (the builder's timestamp when null). */
        private WebhookMessage message(Instant at) {
            WebhookMessage.Builder message = WebhookMessage.body(body == null ? new byte[0] : body);
            if (url != null) {
                message.url(url);
            }
            if (id != null) {
                message.id(id);
            }
            if (eventType != null) {
                message.eventType(eventType);
            }
            Instant time = at != null ? at : timestamp;
            if (time != null) {
                message.timestamp(time);
            }
            return message.build();
        }

        /**
         * The delivery, correctly signed.
         *
         * @return the request
         * @throws IllegalArgumentException if the scheme needs a field the fixtures lack (such as a URL)
         */
        public WebhookRequest signed() {
            return signer.sign(message(null));
        }

        /**
         * The delivery signed correctly and then changed: the last byte of the body is flipped (or, for an empty body,
         * one byte is added), as a man in the middle would.
         *
         * @return the request with a body that no longer matches its signature
         */
        public WebhookRequest tampered() {
            WebhookRequest signed = signed();
            byte[] bytes = signed.body();
            byte[] changed = bytes.length == 0 ? new byte[] {'x'} : Arrays.copyOf(bytes, bytes.length);
            if (bytes.length > 0) {
                changed[changed.length - 1] ^= 0x01;
            }
            return signed.toBuilder().body(changed).build();
        }

        /**
         * The delivery signed with a freshly generated key of the same kind as the fixtures' secret, as a forger
         * would.
         *
         * @return the request, well formed but signed with the wrong key
         */
        public WebhookRequest forged() {
            return forger().sign(message(null));
        }

        /**
         * The delivery, correctly signed with a timestamp {@code age} before the clock's time: older than a verifier's
         * maximum age when {@code age} exceeds it.
         *
         * @param age how old the delivery is
         * @return the request
         * @throws NullPointerException if age is null
         * @throws IllegalStateException if a timestamp is set
         */
        public WebhookRequest aged(Duration age) {
            Objects.requireNonNull(age, "age cannot be null");
            return signer.sign(message(relativeTime(age.negated())));
        }

        /**
         * The delivery, correctly signed with a timestamp {@code ahead} after the clock's time.
         *
         * @param ahead how far in the future
         * @return the request
         * @throws NullPointerException if ahead is null
         * @throws IllegalStateException if a timestamp is set
         */
        public WebhookRequest fromTheFuture(Duration ahead) {
            Objects.requireNonNull(ahead, "ahead cannot be null");
            return signer.sign(message(relativeTime(ahead)));
        }

        private Instant relativeTime(Duration offset) {
            if (timestamp != null) {
                throw new IllegalStateException("the timestamp is already set to " + timestamp);
            }
            return clock.instant().plus(offset);
        }

        /**
         * The delivery, correctly signed, with one header removed.
         *
         * @param header the header to remove, any case
         * @return the request
         * @throws NullPointerException if header is null
         */
        public WebhookRequest withoutHeader(String header) {
            Objects.requireNonNull(header, "header cannot be null");
            WebhookRequest signed = signed();
            return replaceHeaders(
                    signed, signed.headers().toBuilder().remove(header).build());
        }

        /**
         * The delivery, correctly signed, with one header's value replaced (or added).
         *
         * @param header the header, any case
         * @param value the new value
         * @return the request
         * @throws NullPointerException if header or value is null
         */
        public WebhookRequest withHeader(String header, String value) {
            Objects.requireNonNull(header, "header cannot be null");
            Objects.requireNonNull(value, "value cannot be null");
            WebhookRequest signed = signed();
            return replaceHeaders(
                    signed, signed.headers().toBuilder().set(header, value).build());
        }

        /**
         * The delivery, correctly signed, with every header that carries the signature holding {@value #JUNK}. The
         * signature headers are found by signing the delivery with the fixtures' key and with another one: the
         * headers whose values differ. Schemes that parse the header's structure ({@code t=..,v1=..}, {@code
         * sha256=..}, hex) answer {@code MALFORMED_HEADER}; those whose header is a bare MAC, signature or
         * token compare it as it is and answer {@code SIGNATURE_MISMATCH} (Shopify, Twilio, Square, Linear, Discord,
         * SendGrid, GitLab).
         *
         * @return the request
         * @throws IllegalArgumentException if the scheme carries its signature in the body (Mailgun), where {@link
         *     #tampered()} is the broken delivery
         */
        public WebhookRequest malformedHeader() {
            WebhookRequest signed = signed();
            Set<String> names = signatureHeaders(signed);
            Headers.Builder headers = signed.headers().toBuilder();
            names.forEach(name -> headers.set(name, JUNK));
            return replaceHeaders(signed, headers.build());
        }

        /** The headers whose values depend on the key, for this delivery's id and timestamp. */
        private Set<String> signatureHeaders(WebhookRequest signed) {
            String fixedId = id != null ? id : "msg_fixture_signature_probe";
            Instant at = timestamp != null ? timestamp : clock.instant();
            WebhookMessage.Builder probe = WebhookMessage.body(body == null ? new byte[0] : body)
                    .id(fixedId)
                    .timestamp(at);
            if (url != null) {
                probe.url(url);
            }
            if (eventType != null) {
                probe.eventType(eventType);
            }
            WebhookMessage message = probe.build();
            Headers real = signer.sign(message).headers();
            Headers other = forger().sign(message).headers();
            Set<String> names = new LinkedHashSet<>();
            for (String name : real.names()) {
                if (!real.all(name).equals(other.all(name)) && signed.headers().contains(name)) {
                    names.add(name);
                }
            }
            if (names.isEmpty()) {
                throw new IllegalArgumentException(
                        scheme.id() + " carries its signature in the body, not in a header: use tampered()");
            }
            return names;
        }

        @Override
        public String toString() {
            return "DeliveryBuilder[" + scheme.id() + ", " + (body == null ? 0 : body.length) + " bytes]";
        }
    }

    /** A signer with a freshly generated key of the same kind as the secret. */
    private WebhookSigner forger() {
        return WebhookSigner.builder()
                .scheme(scheme)
                .secret(otherSecret(secret))
                .clock(clock)
                .build();
    }
}
