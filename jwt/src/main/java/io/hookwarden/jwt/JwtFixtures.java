package io.hookwarden.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * For your tests: signing keys generated on the spot, tokens minted with them (valid or deliberately wrong), and a
 * JWKS served on loopback, so a handler behind a JWT scheme is tested without the identity provider.
 *
 * <pre>{@code
 * JwtFixtures.SigningKey key = JwtFixtures.rsaKey("test-key");
 * Scheme scheme = JwtSchemes.bearer().issuers("https://issuer.test").audiences("https://hooks.test").build();
 * WebhookVerifier verifier = WebhookVerifier.builder().scheme(scheme).keys(Keys.of(key.publicJwk())).build();
 *
 * // the scheme signs as it verifies: its first issuer and audience, its required claims, one hour of validity
 * WebhookFixtures fixtures = WebhookFixtures.builder().scheme(scheme).secret(key.privateJwk()).build();
 * WebhookRequest request = fixtures.delivery("{\"id\":\"evt_1\"}").signed();
 *
 * // or a token of your own, for the refusals
 * String expired = JwtFixtures.token(key).issuer("https://issuer.test").audience("https://hooks.test")
 *     .expiresAt(Instant.now().minusSeconds(600)).sign();
 * }</pre>
 *
 * <p>Generated keys are for tests only. Thread-safe.
 */
public final class JwtFixtures {
    private JwtFixtures() {}

    /**
     * A new 2048-bit RSA key for RS256.
     *
     * @param kid the key id the tokens and the JWKS carry
     * @return the key
     */
    public static SigningKey rsaKey(String kid) {
        try {
            return new SigningKey(new RSAKeyGenerator(2048)
                    .keyID(Objects.requireNonNull(kid, "kid cannot be null"))
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("no RSA key generator in this JDK", e);
        }
    }

    /**
     * A new EC P-256 key for ES256.
     *
     * @param kid the key id the tokens and the JWKS carry
     * @return the key
     */
    public static SigningKey ecKey(String kid) {
        try {
            return new SigningKey(new ECKeyGenerator(Curve.P_256)
                    .keyID(Objects.requireNonNull(kid, "kid cannot be null"))
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("no EC key generator in this JDK", e);
        }
    }

    /**
     * A builder for a token signed with {@code key}: set only what the test needs.
     *
     * @param key the signing key
     * @return a token builder
     */
    public static TokenBuilder token(SigningKey key) {
        return new TokenBuilder(Objects.requireNonNull(key, "key cannot be null"));
    }

    /**
     * A JWK set of these keys' public halves, as an identity provider publishes it.
     *
     * @param keys the keys
     * @return the JWKS JSON
     */
    public static String jwks(SigningKey... keys) {
        List<JWK> publics = new ArrayList<>();
        for (SigningKey key : keys) {
            publics.add(key.jwk.toPublicJWK());
        }
        return new JWKSet(publics).toString();
    }

    /** A generated key pair with its kid. */
    public static final class SigningKey {
        private final JWK jwk;

        private SigningKey(JWK jwk) {
            this.jwk = jwk;
        }

        /**
         * The key id.
         *
         * @return the kid
         */
        public String kid() {
            return jwk.getKeyID();
        }

        /**
         * The private key as a JWK: the secret for a {@code WebhookSigner} or {@code WebhookFixtures} of a JWT scheme.
         *
         * @return the JWK JSON, private members included
         */
        public String privateJwk() {
            return jwk.toJSONString();
        }

        /**
         * The public key as a JWK: a key for the verifier's {@code Keys}.
         *
         * @return the JWK JSON
         */
        public String publicJwk() {
            return jwk.toPublicJWK().toJSONString();
        }

        /**
         * The public key as PEM ({@code -----BEGIN PUBLIC KEY-----}): a key for the verifier's {@code Keys}.
         *
         * @return the PEM text
         */
        public String publicKeyPem() {
            try {
                byte[] der = jwk instanceof RSAKey rsa
                        ? rsa.toRSAPublicKey().getEncoded()
                        : ((ECKey) jwk).toECPublicKey().getEncoded();
                return "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                        + "\n-----END PUBLIC KEY-----\n";
            } catch (JOSEException e) {
                throw new IllegalStateException("the generated key has no public key", e);
            }
        }

        /**
         * The encoded public key's bytes (SPKI DER): what an algorithm-confusion attacker uses as an HMAC secret.
         *
         * @return the bytes
         */
        public byte[] publicKeyBytes() {
            try {
                return jwk instanceof RSAKey rsa
                        ? rsa.toRSAPublicKey().getEncoded()
                        : ((ECKey) jwk).toECPublicKey().getEncoded();
            } catch (JOSEException e) {
                throw new IllegalStateException("the generated key has no public key", e);
            }
        }

        @Override
        public String toString() {
            return "SigningKey[" + jwk.getKeyType() + ", kid=" + kid() + "]";
        }
    }

    /** Builds one signed token; not thread-safe. By default: issued now, valid one hour, the key's kid. */
    public static final class TokenBuilder {
        private final SigningKey key;
        private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        private final Map<String, Object> extra = new LinkedHashMap<>();
        private Instant issuedAt = Instant.now();
        private Instant expiresAt;
        private String kid;

        private TokenBuilder(SigningKey key) {
            this.key = key;
            this.kid = key.kid();
        }

        /**
         * The {@code iss} claim.
         *
         * @param issuer the issuer
         * @return this builder
         */
        public TokenBuilder issuer(String issuer) {
            claims.issuer(issuer);
            return this;
        }

        /**
         * The {@code aud} claim.
         *
         * @param audiences one or more
         * @return this builder
         */
        public TokenBuilder audience(String... audiences) {
            claims.audience(List.of(audiences));
            return this;
        }

        /**
         * The {@code sub} claim.
         *
         * @param subject the subject
         * @return this builder
         */
        public TokenBuilder subject(String subject) {
            claims.subject(subject);
            return this;
        }

        /**
         * Any other claim, such as {@code email} or {@code email_verified}.
         *
         * @param name the claim
         * @param value a string, boolean, number, list or map
         * @return this builder
         */
        public TokenBuilder claim(String name, Object value) {
            extra.put(name, value);
            return this;
        }

        /**
         * The {@code iat} claim, and the start of the default hour of validity. Default now.
         *
         * @param at the time
         * @return this builder
         */
        public TokenBuilder issuedAt(Instant at) {
            this.issuedAt = Objects.requireNonNull(at, "at cannot be null");
            return this;
        }

        /**
         * The {@code exp} claim. Default one hour after {@code iat}.
         *
         * @param at the time
         * @return this builder
         */
        public TokenBuilder expiresAt(Instant at) {
            this.expiresAt = Objects.requireNonNull(at, "at cannot be null");
            return this;
        }

        /**
         * The {@code nbf} claim. Default none.
         *
         * @param at the time
         * @return this builder
         */
        public TokenBuilder notBefore(Instant at) {
            claims.notBeforeTime(Date.from(at));
            return this;
        }

        /**
         * The header's {@code kid}, or null for none. Default the key's.
         *
         * @param kid the key id to name
         * @return this builder
         */
        public TokenBuilder kid(String kid) {
            this.kid = kid;
            return this;
        }

        /**
         * The compact JWS.
         *
         * @return the token, without {@code Bearer }
         */
        public String sign() {
            claims.issueTime(Date.from(issuedAt));
            claims.expirationTime(Date.from(expiresAt != null ? expiresAt : issuedAt.plusSeconds(3600)));
            extra.forEach(claims::claim);
            JWK jwk = key.jwk;
            JWSAlgorithm algorithm = jwk instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(algorithm)
                            .keyID(kid)
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims.build());
            try {
                jwt.sign(jwk instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) jwk));
            } catch (JOSEException e) {
                throw new IllegalStateException("the generated key could not sign", e);
            }
            return jwt.serialize();
        }
    }

    /**
     * A JWKS served over HTTP on a free loopback port, for tests of a scheme with a {@code jwksUrl}: it counts its
     * fetches, can be switched to answer 503 (an outage), and its keys can be replaced (a rotation). Close it after
     * the test.
     */
    public static final class JwksServer implements AutoCloseable {
        private final HttpServer server;
        private final AtomicReference<String> jwks;
        private final AtomicInteger fetches = new AtomicInteger();
        private volatile boolean down;

        private JwksServer(String jwks) throws IOException {
            this.jwks = new AtomicReference<>(jwks);
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/jwks.json", exchange -> {
                fetches.incrementAndGet();
                byte[] body = down ? new byte[0] : this.jwks.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(down ? 503 : 200, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        /**
         * Starts serving {@code jwks}.
         *
         * @param jwks the JWK set JSON, such as {@link JwtFixtures#jwks(SigningKey...)}
         * @return the running server
         * @throws IOException if no loopback port can be bound
         */
        public static JwksServer start(String jwks) throws IOException {
            return new JwksServer(Objects.requireNonNull(jwks, "jwks cannot be null"));
        }

        /**
         * The URL to give {@code jwksUrl}.
         *
         * @return {@code http://127.0.0.1:PORT/jwks.json}
         */
        public String url() {
            InetSocketAddress address = server.getAddress();
            return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/jwks.json";
        }

        /**
         * How many times the JWKS was asked for, answered or not.
         *
         * @return the count
         */
        public int fetches() {
            return fetches.get();
        }

        /**
         * Serves other keys from now on.
         *
         * @param jwks the new JWK set JSON
         */
        public void serve(String jwks) {
            this.jwks.set(Objects.requireNonNull(jwks, "jwks cannot be null"));
        }

        /**
         * Answers 503 (true) or the keys (false) from now on.
         *
         * @param down whether the server is down
         */
        public void down(boolean down) {
            this.down = down;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
