package io.hookwarden.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.hookwarden.Headers;
import io.hookwarden.Reason;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.spi.Authenticator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Verifies {@code Authorization: Bearer <JWT>}: a compact JWS whose algorithm is allowed, signed by a configured or
 * fetched key, from an allowed issuer, for an allowed audience, within its validity (with the clock skew), carrying the
 * required claims. Every refusal of the token is {@link Reason#SIGNATURE_MISMATCH}, {@link Reason#TIMESTAMP_TOO_OLD}
 * or {@link Reason#TIMESTAMP_IN_FUTURE} (401); an absent or non-Bearer {@code Authorization} is 400, as for the static
 * token scheme; keys that cannot be had are {@link Reason#KEYS_UNAVAILABLE} (503). Messages never contain the token;
 * what they quote from it (algorithm, kid, issuer, audience) is cut to printable characters. Immutable and thread-safe.
 */
final class JwtAuthenticator implements Authenticator<JwtAuthenticator.Key> {
    /** Longer Authorization values are refused unread: Google's tokens are about 1 KB. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private static final String AUTHORIZATION = "Authorization";

    private final String id;
    private final Set<JWSAlgorithm> algorithms;
    private final List<String> issuers;
    private final List<String> audiences;
    private final Duration clockSkew;
    private final Map<String, Object> requiredClaims;
    private final JwksCache jwks;
    private final String idPointer;
    private final List<String> eventTypePointers;
    private final Duration tokenLifetime;

    /** A key from the endpoint's key set: the public keys behind one label, or, for signing, one private JWK. */
    static final class Key {
        final List<VerifyingKey> verifying;
        final JWK signing;

        private Key(List<VerifyingKey> verifying, JWK signing) {
            this.verifying = verifying;
            this.signing = signing;
        }

        @Override
        public String toString() {
            return "Key[" + (signing == null ? verifying.get(0).label : "signing") + "]";
        }
    }

    JwtAuthenticator(
            String id,
            Set<JWSAlgorithm> algorithms,
            List<String> issuers,
            List<String> audiences,
            Duration clockSkew,
            Map<String, Object> requiredClaims,
            JwksCache jwks,
            String idPointer,
            List<String> eventTypePointers,
            Duration tokenLifetime) {
        this.id = id;
        this.algorithms = Set.copyOf(algorithms);
        this.issuers = List.copyOf(issuers);
        this.audiences = List.copyOf(audiences);
        this.clockSkew = clockSkew;
        this.requiredClaims = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(requiredClaims));
        this.jwks = jwks;
        this.idPointer = idPointer;
        this.eventTypePointers = List.copyOf(eventTypePointers);
        this.tokenLifetime = tokenLifetime;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean fetchesKeys() {
        return jwks != null;
    }

    @Override
    public String idPointer() {
        return idPointer;
    }

    @Override
    public List<String> eventTypePointers() {
        return eventTypePointers;
    }

    @Override
    public Key verificationKey(String label, String text) {
        return new Key(KeyText.verifying(label, text), null);
    }

    @Override
    public Key signingKey(String label, String text) {
        JWK jwk = KeyText.signing(label, text);
        signingAlgorithm(jwk); // refuse now a key no allowed algorithm fits
        return new Key(List.of(), jwk);
    }

    @Override
    public Authentication authenticate(WebhookRequest request, List<Key> keys, Clock clock) {
        String token = bearer(request.headers().all(AUTHORIZATION));
        SignedJWT jwt = parse(token);
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (!algorithms.contains(algorithm)) {
            throw refused(
                    "its algorithm " + quoted(algorithm.getName()) + " is not one of the allowed " + names(algorithms));
        }
        String kid = header.getKeyID();
        VerifyingKey matched = null;
        for (VerifyingKey key : candidates(kid, keys, clock)) {
            if ((kid == null || key.kid == null || kid.equals(key.kid)) && key.fits(algorithm) && key.verifies(jwt)) {
                matched = key;
                break;
            }
        }
        if (matched == null) {
            throw refused("its signature matches no " + (jwks == null ? "configured" : "JWKS") + " key"
                    + (kid == null ? "" : " with kid " + quoted(kid)) + " for " + algorithm.getName());
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (java.text.ParseException | RuntimeException e) {
            throw refused("its claims are not a JSON object with well-typed registered claims");
        }
        checkIssuer(claims.getIssuer());
        checkAudience(claims.getAudience());
        checkTimes(claims, clock.instant());
        checkRequiredClaims(claims);
        String label = jwks == null || matched.kid != null ? matched.label : claims.getIssuer();
        return new Authentication(label, null, null);
    }

    private List<VerifyingKey> candidates(String kid, List<Key> keys, Clock clock) {
        if (jwks != null) {
            return jwks.keys(kid, clock);
        }
        List<VerifyingKey> all = new ArrayList<>();
        for (Key key : keys) {
            all.addAll(key.verifying);
        }
        return all;
    }

    /** RFC 6750 section 2.1: {@code Bearer 1*SP b64token}; the scheme name is case-insensitive (RFC 9110 11.1). */
    private static String bearer(List<String> values) {
        if (values.isEmpty()) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "header Authorization is missing");
        }
        if (values.size() > 1) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header Authorization is given " + values.size() + " times");
        }
        String value = values.get(0);
        int space = value.indexOf(' ');
        if (space != 6 || !value.regionMatches(true, 0, "Bearer", 0, 6)) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header Authorization does not use the Bearer scheme");
        }
        String token = value.substring(space + 1).strip();
        if (token.isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header Authorization carries no Bearer token");
        }
        return token;
    }

    /** A compact JWS (three base64url parts), parsed by Nimbus; anything else is a refused token, never an error. */
    private static SignedJWT parse(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw refused("it is " + token.length() + " characters long, more than " + MAX_TOKEN_CHARS);
        }
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!(c >= 'A' && c <= 'Z'
                    || c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '_')) {
                throw refused("it is not a compact JWS (a character outside base64url)");
            }
        }
        if (dots != 2) {
            throw refused("it is not a compact JWS (" + (dots + 1) + " parts, not 3)");
        }
        try {
            return SignedJWT.parse(token);
        } catch (java.text.ParseException | RuntimeException e) {
            // Nimbus' messages may quote the header: say only what failed
            throw refused("its header or payload is not a JWS header and JWT claims (unsigned tokens, alg none,"
                    + " included)");
        }
    }

    private void checkIssuer(String issuer) {
        if (issuer == null) {
            throw refused("it has no iss claim");
        }
        if (!issuers.contains(issuer)) {
            throw refused("its issuer " + quoted(issuer) + " is not one of " + issuers);
        }
    }

    private void checkAudience(List<String> audience) {
        if (audience == null || audience.isEmpty()) {
            throw refused("it has no aud claim");
        }
        for (String a : audience) {
            if (a != null && audiences.contains(a)) { // an immutable list's contains(null) throws
                return;
            }
        }
        List<String> shown = new ArrayList<>();
        for (String a : audience.subList(0, Math.min(3, audience.size()))) {
            shown.add(quoted(a));
        }
        throw refused(
                "its audience " + shown + (audience.size() > 3 ? " (and more)" : "") + " names none of " + audiences);
    }

    private void checkTimes(JWTClaimsSet claims, Instant now) {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw refused("it has no exp claim");
        }
        Instant expires = exp.toInstant();
        if (now.isAfter(expires.plus(clockSkew))) {
            throw new WebhookVerificationException(
                    Reason.TIMESTAMP_TOO_OLD,
                    "bearer token expired at " + expires + ", now is " + now + ", clock skew " + clockSkew);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(clockSkew))) {
            throw new WebhookVerificationException(
                    Reason.TIMESTAMP_IN_FUTURE,
                    "bearer token is not valid before " + nbf.toInstant() + ", now is " + now + ", clock skew "
                            + clockSkew);
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(clockSkew))) {
            throw new WebhookVerificationException(
                    Reason.TIMESTAMP_IN_FUTURE,
                    "bearer token was issued at " + iat.toInstant() + ", after now " + now + " and the clock skew "
                            + clockSkew);
        }
    }

    private void checkRequiredClaims(JWTClaimsSet claims) {
        for (Map.Entry<String, Object> required : requiredClaims.entrySet()) {
            String name = required.getKey();
            Object actual = claims.getClaim(name);
            if (actual == null) {
                throw refused("it has no " + name + " claim, which is required");
            }
            Object expected = required.getValue();
            if (expected != JwtSchemes.PRESENT && !sameValue(expected, actual)) {
                throw refused("its " + name + " claim is not the required " + expected);
            }
        }
    }

    /** A required String is that exact string; a required boolean is that JSON boolean, or its exact text. */
    private static boolean sameValue(Object expected, Object actual) {
        if (expected instanceof Boolean) {
            return expected.equals(actual) || (actual instanceof String s && s.equals(expected.toString()));
        }
        return expected.equals(actual);
    }

    private static WebhookVerificationException refused(String why) {
        return new WebhookVerificationException(Reason.SIGNATURE_MISMATCH, "bearer token refused: " + why);
    }

    /** Text from the token, for a message: printable ASCII only, at most 64 characters, in quotes. */
    static String quoted(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < text.length() && i < 64; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
        }
        return out.append(text.length() > 64 ? "...'" : "'").toString();
    }

    private static List<String> names(Set<JWSAlgorithm> algorithms) {
        List<String> names = new ArrayList<>();
        for (JWSAlgorithm a : algorithms) {
            names.add(a.getName());
        }
        java.util.Collections.sort(names);
        return names;
    }

    /** The token a provider would send: the scheme's first issuer and audience, its required claims. */
    @Override
    public Headers sign(Key key, WebhookMessage message, Instant timestamp) {
        JWK jwk = key.signing;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuers.get(0))
                .audience(audiences.get(0))
                .issueTime(Date.from(timestamp))
                .expirationTime(Date.from(timestamp.plus(tokenLifetime)))
                .jwtID(UUID.randomUUID().toString());
        for (Map.Entry<String, Object> required : requiredClaims.entrySet()) {
            claims.claim(
                    required.getKey(), required.getValue() == JwtSchemes.PRESENT ? "present" : required.getValue());
        }
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(signingAlgorithm(jwk))
                        .keyID(jwk.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims.build());
        try {
            JWSSigner signer = jwk instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) jwk);
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the signing key of scheme " + id + " could not sign a token", e);
        }
        return Headers.builder().add(AUTHORIZATION, "Bearer " + jwt.serialize()).build();
    }

    /** The JWK's own algorithm, else RS256 for RSA, else the ES algorithm of the EC key's curve; it must be allowed. */
    private JWSAlgorithm signingAlgorithm(JWK jwk) {
        JWSAlgorithm algorithm;
        if (jwk.getAlgorithm() != null) {
            algorithm = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
        } else if (jwk instanceof RSAKey) {
            algorithm = JWSAlgorithm.RS256;
        } else {
            Curve curve = ((ECKey) jwk).getCurve();
            algorithm = Curve.P_384.equals(curve)
                    ? JWSAlgorithm.ES384
                    : Curve.P_521.equals(curve) ? JWSAlgorithm.ES512 : JWSAlgorithm.ES256;
        }
        if (!algorithms.contains(algorithm)) {
            throw new IllegalArgumentException("signing key for scheme " + id + " signs with " + algorithm.getName()
                    + ", which the scheme does not allow " + names(algorithms));
        }
        return algorithm;
    }

    @Override
    public String toString() {
        return "JwtAuthenticator[" + id + ", issuers=" + issuers + ", audiences=" + audiences + ", algorithms="
                + names(algorithms) + (jwks == null ? "" : ", jwks=" + jwks.url()) + "]";
    }
}
