package io.hookwarden.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import io.hookwarden.Scheme;
import io.hookwarden.Schemes;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Schemes that authenticate a delivery by a bearer JWT ({@code Authorization: Bearer <JWT>}, OAuth 2.0 / OIDC),
 * configured rather than coded, like {@link Schemes#hmac()} and {@link Schemes#token()}.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder()
 *     .scheme(JwtSchemes.bearer()
 *         .jwksUrl("https://login.example.com/.well-known/jwks.json")   // or keys on the verifier: JWK, JWKS, PEM
 *         .issuers("https://login.example.com/")
 *         .audiences("https://hooks.example.com/orders")
 *         .requireClaim("azp", "billing-service")
 *         .build())
 *     .build();                                                        // no keys: the scheme fetches them
 *
 * WebhookVerifier pubsub = WebhookVerifier.builder()
 *     .scheme(JwtSchemes.googlePubSub()
 *         .audiences("https://hooks.example.com/pubsub")
 *         .serviceAccount("pusher@my-project.iam.gserviceaccount.com")
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>Keys come from a JWKS URL ({@link Builder#jwksUrl(String)}: fetched on first use, cached, fetched again when
 * stale or when a token names an unknown {@code kid}, at most once per {@link Builder#jwksMinInterval(Duration)}, and
 * kept through an outage of the JWKS host), or from the verifier's {@code Keys} when no URL is set: each key a JWK, a
 * JWK set or PEM {@code PUBLIC KEY} / {@code CERTIFICATE} blocks. {@link io.hookwarden.VerifiedWebhook#matchedKey()}
 * is the configured key's label, or the JWKS key's {@code kid} (the token's issuer for a JWKS key without one).
 *
 * <p>A token is accepted only when its algorithm is allowed (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 and
 * ES512 by default; never {@code none}, never an HMAC algorithm), its signature verifies with a key of that
 * algorithm's family, its issuer and one of its audiences are allowed, it has not expired and is not early (with the
 * clock skew, against the verifier's clock), and it carries every required claim. A JWT does not sign the body: it says
 * who sent the delivery, not what was sent. The dedupe key is the delivery id ({@link Builder#idPointer(String)}),
 * else the SHA-256 of the body, never the token, which a sender may reuse until it expires.
 *
 * <p>The builders are not thread-safe; the schemes they build are immutable and thread-safe.
 */
public final class JwtSchemes {
    /** The issuers of Google's OIDC tokens, Cloud Pub/Sub push included. */
    public static final List<String> GOOGLE_ISSUERS = List.of("https://accounts.google.com", "accounts.google.com");
    /** Google's OIDC signing keys as a JWKS. */
    public static final String GOOGLE_JWKS_URL = "https://www.googleapis.com/oauth2/v3/certs";

    /** The value of a claim required only to be present. */
    static final Object PRESENT = new Object() {
        @Override
        public String toString() {
            return "(any value)";
        }
    };

    private static final List<JWSAlgorithm> DEFAULT_ALGORITHMS = List.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);

    private JwtSchemes() {}

    /**
     * A bearer JWT scheme, id {@code jwt}: give it issuers, audiences and a JWKS URL (or keys to the verifier).
     *
     * @return a builder
     */
    public static Builder bearer() {
        return new Builder("jwt");
    }

    /**
     * Google Cloud Pub/Sub push with authentication, id {@code google-pubsub}: Google's issuers ({@link
     * #GOOGLE_ISSUERS}), Google's JWKS ({@link #GOOGLE_JWKS_URL}), RS256, and the delivery id from the push body's
     * {@code /message/messageId}. Give it the audience configured on the subscription (by default the push endpoint's
     * URL), and the push service account's email with {@link Builder#serviceAccount(String)} so only your
     * subscription's pushes are accepted, not any Google-signed token for that audience. The body is the push envelope
     * ({@code {"message": {"data": base64, "messageId", "attributes", ...}, "subscription"}}).
     *
     * @return a builder with these defaults; each can be set once more (the JWKS URL for a test server, say)
     */
    public static Builder googlePubSub() {
        Builder b = new Builder("google-pubsub");
        b.issuers.addAll(GOOGLE_ISSUERS);
        b.jwksUrl = URI.create(GOOGLE_JWKS_URL);
        b.algorithms.add(JWSAlgorithm.RS256);
        b.idPointer = "/message/messageId";
        return b;
    }

    /**
     * Configures a bearer JWT scheme. Each option may be set once (a preset's defaults may be set once over). Not
     * thread-safe.
     */
    public static final class Builder {
        private String id;
        private final List<String> issuers = new ArrayList<>();
        private final List<String> audiences = new ArrayList<>();
        private final Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        private final Map<String, Object> requiredClaims = new LinkedHashMap<>();
        private URI jwksUrl;
        private Duration clockSkew = Duration.ofSeconds(60);
        private Duration jwksTtl = Duration.ofMinutes(5);
        private Duration jwksMinInterval = Duration.ofSeconds(30);
        private Duration jwksTimeout = Duration.ofSeconds(5);
        private Duration tokenLifetime = Duration.ofHours(1);
        private String idPointer;
        private final List<String> eventTypePointers = new ArrayList<>();
        private final Set<String> set = new HashSet<>();

        private Builder(String id) {
            this.id = id;
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " is already set");
            }
        }

        /**
         * The scheme's id, for logs, metrics and {@code toString}. Default {@code jwt} ({@code google-pubsub}).
         *
         * @param id a short stable name
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder id(String id) {
            once("id");
            this.id = nonBlank(id, "id");
            return this;
        }

        /**
         * Where the signing keys are published, as a JWK set: {@code https}, or {@code http} on a loopback address
         * (tests). Fetched on the first delivery, not at build, so start-up does not wait for the identity provider.
         * With a URL, the verifier takes no keys.
         *
         * @param url the JWKS URL
         * @return this builder
         * @throws IllegalStateException if already set
         * @throws IllegalArgumentException if it is not an absolute https URL (or http on loopback)
         */
        public Builder jwksUrl(String url) {
            once("jwksUrl");
            URI uri;
            try {
                uri = new URI(nonBlank(url, "jwksUrl"));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("jwksUrl is not a URL: " + url);
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(
                        "jwksUrl cannot carry credentials (user:password@), which would show in logs");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            boolean loopback = host != null
                    && (host.equals("localhost")
                            || host.matches("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}")
                            || host.equals("[::1]"));
            if (host == null || !(scheme.equals("https") || (scheme.equals("http") && loopback))) {
                throw new IllegalArgumentException(
                        "jwksUrl must be an absolute https URL (http only on a loopback address) but was " + url);
            }
            this.jwksUrl = uri;
            return this;
        }

        /**
         * The issuers accepted in the {@code iss} claim, compared exactly. Required.
         *
         * @param issuers one or more
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder issuers(String... issuers) {
            once("issuers");
            this.issuers.clear();
            this.issuers.addAll(nonEmpty(issuers, "issuers"));
            return this;
        }

        /**
         * The audiences accepted: a token is accepted when its {@code aud} names at least one. Required.
         *
         * @param audiences one or more, such as the endpoint's URL or your client id
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder audiences(String... audiences) {
            once("audiences");
            this.audiences.addAll(nonEmpty(audiences, "audiences"));
            return this;
        }

        /**
         * The signature algorithms accepted, by JWS name. Default RS256, RS384, RS512, PS256, PS384, PS512, ES256,
         * ES384, ES512 (Pub/Sub: RS256).
         *
         * @param names such as {@code RS256}
         * @return this builder
         * @throws IllegalStateException if already set
         * @throws IllegalArgumentException for {@code none}, an HMAC algorithm (a public key must never serve as an
         *     HMAC secret), or a name that is not an RSA or EC signature algorithm
         */
        public Builder algorithms(String... names) {
            once("algorithms");
            Set<JWSAlgorithm> chosen = new LinkedHashSet<>();
            for (String name : nonEmpty(names, "algorithms")) {
                JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
                if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
                    throw new IllegalArgumentException("algorithms cannot include " + name
                            + ": an HMAC algorithm against published keys is the algorithm-confusion attack");
                }
                boolean rsa = JWSAlgorithm.Family.RSA.contains(algorithm);
                boolean ec = JWSAlgorithm.Family.EC.contains(algorithm) && !algorithm.equals(JWSAlgorithm.ES256K);
                if (!rsa && !ec) {
                    throw new IllegalArgumentException("algorithms must be RSA or EC signature algorithms (RS256 to"
                            + " PS512, ES256, ES384, ES512), never none, but included " + name);
                }
                chosen.add(algorithm);
            }
            this.algorithms.clear();
            this.algorithms.addAll(chosen);
            return this;
        }

        /**
         * How far the clock may be off when checking {@code exp}, {@code nbf} and {@code iat}. Default 60 seconds.
         *
         * @param skew zero or positive
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder clockSkew(Duration skew) {
            once("clockSkew");
            Objects.requireNonNull(skew, "clockSkew cannot be null");
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("clockSkew must be between 0 and 10 minutes but was " + skew);
            }
            this.clockSkew = skew;
            return this;
        }

        /**
         * A claim the token must carry with this exact string value, such as {@code requireClaim("email", "...")}.
         *
         * @param name the claim
         * @param value its value
         * @return this builder
         * @throws IllegalStateException if this claim is already required
         */
        public Builder requireClaim(String name, String value) {
            return require(name, Objects.requireNonNull(value, "value of claim " + name + " cannot be null"));
        }

        /**
         * A claim the token must carry with this boolean value, such as {@code requireClaim("email_verified", true)};
         * the strings {@code "true"} and {@code "false"} that some issuers write count as the booleans.
         *
         * @param name the claim
         * @param value its value
         * @return this builder
         * @throws IllegalStateException if this claim is already required
         */
        public Builder requireClaim(String name, boolean value) {
            return require(name, value);
        }

        /**
         * A claim the token must carry, with any value.
         *
         * @param name the claim
         * @return this builder
         * @throws IllegalStateException if this claim is already required
         */
        public Builder requireClaim(String name) {
            return require(name, PRESENT);
        }

        /**
         * The token must be Google's for this service account: {@code email} is it and {@code email_verified} is
         * true, as Pub/Sub push tokens carry them.
         *
         * @param email the service account's email
         * @return this builder
         * @throws IllegalStateException if {@code email} or {@code email_verified} is already required
         */
        public Builder serviceAccount(String email) {
            requireClaim("email", nonBlank(email, "serviceAccount"));
            return requireClaim("email_verified", true);
        }

        private Builder require(String name, Object value) {
            nonBlank(name, "claim name");
            if (requiredClaims.containsKey(name)) {
                throw new IllegalStateException("claim " + name + " is already required");
            }
            requiredClaims.put(name, value);
            return this;
        }

        /**
         * A JSON pointer to the delivery id in the body, the dedupe key. Default none ({@code /message/messageId} for
         * Pub/Sub): the SHA-256 of the body.
         *
         * @param pointer for example {@code /id}
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder idPointer(String pointer) {
            once("idPointer");
            this.idPointer = pointer(pointer);
            return this;
        }

        /**
         * JSON pointers to the event type in the body, tried in order. Default none.
         *
         * @param pointers for example {@code /type}, or {@code /message/attributes/type} for Pub/Sub
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder eventTypePointers(String... pointers) {
            once("eventTypePointers");
            for (String p : Objects.requireNonNull(pointers, "pointers cannot be null")) {
                eventTypePointers.add(pointer(p));
            }
            return this;
        }

        /**
         * How long fetched JWKS keys are used before they are fetched again. Default 5 minutes. A failed fetch keeps
         * them.
         *
         * @param ttl positive
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder jwksTtl(Duration ttl) {
            once("jwksTtl");
            this.jwksTtl = positive(ttl, "jwksTtl");
            return this;
        }

        /**
         * The least time between two fetches of the JWKS, whatever asks for them (unknown kids, stale keys, failed
         * fetches). Default 30 seconds.
         *
         * @param interval positive
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder jwksMinInterval(Duration interval) {
            once("jwksMinInterval");
            this.jwksMinInterval = positive(interval, "jwksMinInterval");
            return this;
        }

        /**
         * How long a JWKS fetch may take, to connect and to answer. Default 5 seconds.
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder jwksTimeout(Duration timeout) {
            once("jwksTimeout");
            this.jwksTimeout = positive(timeout, "jwksTimeout");
            return this;
        }

        /**
         * For signing (test fixtures): how long a signed token is valid. Default one hour.
         *
         * @param lifetime positive
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder tokenLifetime(Duration lifetime) {
            once("tokenLifetime");
            this.tokenLifetime = positive(lifetime, "tokenLifetime");
            return this;
        }

        /**
         * The scheme.
         *
         * @return an immutable, thread-safe scheme
         * @throws IllegalStateException if issuers or audiences are missing
         */
        public Scheme build() {
            if (issuers.isEmpty()) {
                throw new IllegalStateException("issuers must be set: the iss a token must carry");
            }
            if (audiences.isEmpty()) {
                throw new IllegalStateException("audiences must be set: the aud a token must name");
            }
            JwksCache jwks = jwksUrl == null ? null : new JwksCache(jwksUrl, jwksTtl, jwksMinInterval, jwksTimeout);
            return Schemes.authenticatedBy(new JwtAuthenticator(
                    id,
                    algorithms.isEmpty() ? new LinkedHashSet<>(DEFAULT_ALGORITHMS) : algorithms,
                    issuers,
                    audiences,
                    clockSkew,
                    requiredClaims,
                    jwks,
                    idPointer,
                    eventTypePointers,
                    tokenLifetime));
        }

        private static String nonBlank(String value, String option) {
            Objects.requireNonNull(value, option + " cannot be null");
            if (value.isBlank()) {
                throw new IllegalArgumentException(option + " cannot be blank");
            }
            return value;
        }

        private static List<String> nonEmpty(String[] values, String option) {
            Objects.requireNonNull(values, option + " cannot be null");
            if (values.length == 0) {
                throw new IllegalArgumentException(option + " cannot be empty");
            }
            List<String> list = new ArrayList<>();
            for (String v : values) {
                list.add(nonBlank(v, option));
            }
            return list;
        }

        private static Duration positive(Duration d, String option) {
            Objects.requireNonNull(d, option + " cannot be null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(option + " must be positive but was " + d);
            }
            return d;
        }

        private static String pointer(String pointer) {
            Objects.requireNonNull(pointer, "pointer cannot be null");
            if (!pointer.startsWith("/")) {
                throw new IllegalArgumentException("a JSON pointer starts with / but was " + pointer);
            }
            return pointer;
        }
    }
}
