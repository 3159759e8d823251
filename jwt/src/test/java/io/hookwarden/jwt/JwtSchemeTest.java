package io.hookwarden.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.hookwarden.Keys;
import io.hookwarden.Reason;
import io.hookwarden.Scheme;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bearer JWTs against configured keys (issue 16): what is accepted, every refusal and its reason, the builder. */
class JwtSchemeTest {
    static final String ISSUER = "https://login.example.com/";
    static final String AUDIENCE = "https://hooks.example.com/orders";
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String BODY = "{\"id\":\"evt_1\",\"type\":\"order.created\"}";

    static final JwtFixtures.SigningKey RSA = JwtFixtures.rsaKey("rsa-2026");
    static final JwtFixtures.SigningKey EC = JwtFixtures.ecKey("ec-2026");
    static final JwtFixtures.SigningKey OTHER = JwtFixtures.rsaKey("rsa-2026");

    final MutableClock clock = MutableClock.at(NOW);

    static JwtSchemes.Builder scheme() {
        return JwtSchemes.bearer().issuers(ISSUER).audiences(AUDIENCE);
    }

    WebhookVerifier verifier(Scheme scheme, Keys keys) {
        return WebhookVerifier.builder().scheme(scheme).keys(keys).clock(clock).build();
    }

    WebhookVerifier verifier() {
        return verifier(
                scheme().idPointer("/id").eventTypePointers("/type").build(),
                Keys.builder()
                        .add("idp-rsa", RSA.publicJwk())
                        .add("idp-ec", EC.publicJwk())
                        .build());
    }

    static JwtFixtures.TokenBuilder token(JwtFixtures.SigningKey key) {
        return JwtFixtures.token(key).issuer(ISSUER).audience(AUDIENCE).issuedAt(NOW.minusSeconds(30));
    }

    static WebhookRequest delivery(String token) {
        return WebhookRequest.builder()
                .url("https://hooks.example.com/orders")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .body(BODY.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static WebhookVerificationException refusal(WebhookVerifier verifier, WebhookRequest request) {
        Throwable thrown = catchThrowable(() -> verifier.verify(request));
        assertThat(thrown).isInstanceOf(WebhookVerificationException.class);
        return (WebhookVerificationException) thrown;
    }

    /** The refusal, checked never to contain the token nor any of its three parts. */
    static WebhookVerificationException refusalOf(WebhookVerifier verifier, String token) {
        WebhookVerificationException e = refusal(verifier, delivery(token));
        for (String part : token.split("\\.")) {
            if (part.length() >= 8) {
                assertThat(e.getMessage()).doesNotContain(part);
                assertThat(e.toString()).doesNotContain(part);
            }
        }
        return e;
    }

    @Nested
    class Accepted {
        @Test
        void anRs256TokenFromTheIssuerForTheAudienceNamesTheKeyThatMatched() {
            VerifiedWebhook webhook = verifier().verify(delivery(token(RSA).sign()));

            assertThat(webhook.matchedKey()).isEqualTo("idp-rsa");
            assertThat(webhook.schemeId()).isEqualTo("jwt");
            assertThat(webhook.id()).contains("evt_1");
            assertThat(webhook.eventType()).contains("order.created");
        }

        @Test
        void anEs256TokenVerifiesWithTheEcKey() {
            assertThat(verifier().verify(delivery(token(EC).sign())).matchedKey())
                    .isEqualTo("idp-ec");
        }

        @Test
        void aPemPublicKeyAndAJwkSetAreKeysToo() {
            WebhookVerifier pem = verifier(scheme().build(), Keys.of(RSA.publicKeyPem()));
            WebhookVerifier set = verifier(scheme().build(), Keys.of(JwtFixtures.jwks(EC, RSA)));

            assertThat(pem.verify(delivery(token(RSA).sign())).matchedKey()).isEqualTo("key-1");
            assertThat(set.verify(delivery(token(RSA).sign())).matchedKey()).isEqualTo("key-1");
            assertThat(set.verify(delivery(token(EC).sign())).matchedKey()).isEqualTo("key-1");
        }

        @Test
        void aTokenWithoutKidIsTriedAgainstEveryKey() {
            assertThat(verifier().verify(delivery(token(EC).kid(null).sign())).matchedKey())
                    .isEqualTo("idp-ec");
        }

        @Test
        void anyOfSeveralAudiencesAndIssuersIsEnough() {
            WebhookVerifier verifier = verifier(
                    JwtSchemes.bearer()
                            .issuers("https://other.example.com/", ISSUER)
                            .audiences("client-a", "client-b")
                            .build(),
                    Keys.of(RSA.publicJwk()));

            assertThat(verifier.verify(delivery(JwtFixtures.token(RSA)
                                    .issuer(ISSUER)
                                    .audience("someone-else", "client-b")
                                    .issuedAt(NOW)
                                    .sign()))
                            .matchedKey())
                    .isEqualTo("key-1");
        }

        @Test
        void expiryAndNotBeforeAreCheckedWithTheClockSkew() {
            WebhookVerifier verifier =
                    verifier(scheme().clockSkew(Duration.ofSeconds(30)).build(), Keys.of(RSA.publicJwk()));

            assertThat(verifier.verify(
                            delivery(token(RSA).expiresAt(NOW.minusSeconds(29)).sign())))
                    .isNotNull();
            assertThat(verifier.verify(
                            delivery(token(RSA).notBefore(NOW.plusSeconds(29)).sign())))
                    .isNotNull();
            assertThat(refusalOf(
                                    verifier,
                                    token(RSA).expiresAt(NOW.minusSeconds(31)).sign())
                            .reason())
                    .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
            assertThat(refusalOf(
                                    verifier,
                                    token(RSA).notBefore(NOW.plusSeconds(31)).sign())
                            .reason())
                    .isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        }

        @Test
        void theSchemeSignsAsItVerifiesThroughTheTestKit() {
            Scheme scheme = scheme().serviceAccount("pusher@example.iam.gserviceaccount.com")
                    .requireClaim("tenant")
                    .build();
            WebhookFixtures fixtures = WebhookFixtures.builder()
                    .scheme(scheme)
                    .secret(EC.privateJwk())
                    .clock(clock)
                    .build();

            VerifiedWebhook webhook = verifier(scheme, Keys.of(EC.publicJwk()))
                    .verify(fixtures.delivery(BODY).signed());

            assertThat(webhook.matchedKey()).isEqualTo("key-1");
            assertThat(webhook.bodyText()).isEqualTo(BODY);
        }
    }

    @Nested
    class TestKit {
        WebhookFixtures fixtures(JwtFixtures.SigningKey key) {
            return WebhookFixtures.builder()
                    .scheme(scheme().build())
                    .secret(key.privateJwk())
                    .clock(clock)
                    .build();
        }

        @Test
        void forgedIsSignedWithAnotherKeyOfTheSameKidAndTypeForRsaAndEc() {
            for (JwtFixtures.SigningKey key : List.of(RSA, EC)) {
                WebhookRequest forged = fixtures(key).delivery(BODY).forged();

                WebhookVerificationException e = refusal(verifier(), forged);

                assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
                assertThat(e.getMessage()).contains("with kid '" + key.kid() + "'");
                assertThat(verifier().verify(fixtures(key).delivery(BODY).signed()))
                        .isNotNull();
            }
        }

        @Test
        void malformedHeaderIsAMalformedAuthorizationAndTamperedStillVerifiesAsTheBodyIsNotSigned() {
            WebhookFixtures fixtures = fixtures(RSA);

            assertThat(refusal(verifier(), fixtures.delivery(BODY).malformedHeader())
                            .reason())
                    .isEqualTo(Reason.MALFORMED_HEADER);
            assertThat(refusal(verifier(), fixtures.delivery(BODY).withoutHeader("Authorization"))
                            .reason())
                    .isEqualTo(Reason.MISSING_HEADER);
            assertThat(verifier().verify(fixtures.delivery(BODY).tampered()).matchedKey())
                    .isEqualTo("idp-rsa");
        }

        @Test
        void anAgedDeliveryIsAnExpiredToken() {
            WebhookRequest aged = fixtures(RSA).delivery(BODY).aged(Duration.ofHours(2));

            assertThat(refusal(verifier(), aged).reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
            assertThat(refusal(verifier(), fixtures(RSA).delivery(BODY).fromTheFuture(Duration.ofMinutes(10)))
                            .reason())
                    .isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
            assertThat(verifier()
                            .verify(fixtures(RSA).delivery(BODY).aged(Duration.ofMinutes(59)))
                            .matchedKey())
                    .isEqualTo("idp-rsa");
        }
    }

    @Nested
    class Refused {
        @Test
        void anExpiredToken() {
            WebhookVerificationException e = refusalOf(
                    verifier(), token(RSA).expiresAt(NOW.minusSeconds(120)).sign());

            assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
            assertThat(e.getMessage()).contains("expired at 2026-03-01T11:58:00Z", "now is 2026-03-01T12:00:00Z");
            assertThat(e.reason().httpStatus()).isEqualTo(401);
        }

        @Test
        void aTokenNotYetValid() {
            WebhookVerificationException e = refusalOf(
                    verifier(), token(RSA).notBefore(NOW.plusSeconds(600)).sign());

            assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
            assertThat(e.getMessage()).contains("not valid before 2026-03-01T12:10:00Z");
        }

        @Test
        void aTokenIssuedInTheFuture() {
            assertThat(refusalOf(
                                    verifier(),
                                    token(RSA).issuedAt(NOW.plusSeconds(600)).sign())
                            .reason())
                    .isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        }

        @Test
        void aWrongIssuer() {
            WebhookVerificationException e = refusalOf(
                    verifier(),
                    JwtFixtures.token(RSA)
                            .issuer("https://evil.example.com/")
                            .audience(AUDIENCE)
                            .issuedAt(NOW)
                            .sign());

            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(e.getMessage()).contains("issuer 'https://evil.example.com/' is not one of [" + ISSUER + "]");
        }

        @Test
        void aWrongAudience() {
            WebhookVerificationException e = refusalOf(
                    verifier(),
                    JwtFixtures.token(RSA)
                            .issuer(ISSUER)
                            .audience("https://hooks.example.com/other")
                            .issuedAt(NOW)
                            .sign());

            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(e.getMessage()).contains("audience").contains(AUDIENCE);
        }

        @Test
        void noIssuerNoAudienceNoExpiry() {
            JwtFixtures.TokenBuilder noIssuer =
                    JwtFixtures.token(RSA).audience(AUDIENCE).issuedAt(NOW);
            JwtFixtures.TokenBuilder noAudience =
                    JwtFixtures.token(RSA).issuer(ISSUER).issuedAt(NOW);

            assertThat(refusalOf(verifier(), noIssuer.sign()).getMessage()).contains("no iss claim");
            assertThat(refusalOf(verifier(), noAudience.sign()).getMessage()).contains("no aud claim");
            assertThat(refusalOf(verifier(), signed(RSA, JWSAlgorithm.RS256, claims(null)))
                            .getMessage())
                    .contains("no exp claim");
        }

        @Test
        void aMissingOrWrongRequiredClaim() {
            WebhookVerifier verifier = verifier(
                    scheme().serviceAccount("pusher@example.iam.gserviceaccount.com")
                            .build(),
                    Keys.of(RSA.publicJwk()));
            String good = "pusher@example.iam.gserviceaccount.com";

            assertThat(verifier.verify(delivery(token(RSA)
                                    .claim("email", good)
                                    .claim("email_verified", true)
                                    .sign()))
                            .matchedKey())
                    .isEqualTo("key-1");
            assertThat(verifier.verify(delivery(token(RSA)
                                    .claim("email", good)
                                    .claim("email_verified", "true")
                                    .sign()))
                            .matchedKey())
                    .isEqualTo("key-1");
            WebhookVerificationException missing =
                    refusalOf(verifier, token(RSA).claim("email_verified", true).sign());
            WebhookVerificationException wrong = refusalOf(
                    verifier,
                    token(RSA)
                            .claim("email", "intruder@example.com")
                            .claim("email_verified", true)
                            .sign());
            WebhookVerificationException unverified = refusalOf(
                    verifier,
                    token(RSA)
                            .claim("email", good)
                            .claim("email_verified", false)
                            .sign());

            assertThat(List.of(missing, wrong, unverified))
                    .extracting(WebhookVerificationException::reason)
                    .containsOnly(Reason.SIGNATURE_MISMATCH);
            assertThat(missing.getMessage()).contains("no email claim");
            assertThat(wrong.getMessage())
                    .contains("email claim is not the required")
                    .doesNotContain("intruder");
            assertThat(unverified.getMessage()).contains("email_verified claim is not the required true");
        }

        @Test
        void aTokenSignedWithAnotherKeyOfTheSameKid() {
            WebhookVerificationException e = refusalOf(verifier(), token(OTHER).sign());

            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(e.getMessage()).contains("matches no configured key with kid 'rsa-2026'");
        }

        @Test
        void algNoneIsNeverAccepted() {
            String unsigned = new PlainJWT(claims(NOW.plusSeconds(600))).serialize();
            String noneWithSignature = unsigned + "c2lnbmF0dXJl";
            String headerSaysNone = Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString("{\"alg\":\"none\",\"kid\":\"rsa-2026\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + token(RSA).sign().split("\\.")[1] + ".";

            for (String token : List.of(unsigned, noneWithSignature, headerSaysNone)) {
                assertThat(refusalOf(verifier(), token).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            }
        }

        @Test
        void hs256SignedWithThePublicKeyIsRefusedTheAlgorithmConfusionAttack() throws Exception {
            for (byte[] secret : List.of(
                    RSA.publicKeyBytes(),
                    RSA.publicKeyPem().getBytes(StandardCharsets.UTF_8),
                    RSA.publicJwk().getBytes(StandardCharsets.UTF_8))) {
                SignedJWT forged = new SignedJWT(
                        new JWSHeader.Builder(JWSAlgorithm.HS256)
                                .keyID("rsa-2026")
                                .build(),
                        claims(NOW.plusSeconds(600)));
                forged.sign(new MACSigner(secret));
                for (WebhookVerifier verifier : List.of(
                        verifier(),
                        verifier(scheme().build(), Keys.of(RSA.publicKeyPem())),
                        verifier(scheme().algorithms("RS256").build(), Keys.of(RSA.publicJwk())))) {
                    WebhookVerificationException e = refusalOf(verifier, forged.serialize());

                    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
                    assertThat(e.getMessage()).contains("algorithm 'HS256' is not one of the allowed");
                }
            }
        }

        @Test
        void anAlgorithmOutsideTheAllowListEvenWithTheRightKey() {
            WebhookVerifier rsOnly = verifier(scheme().algorithms("RS256").build(), Keys.of(EC.publicJwk()));

            WebhookVerificationException e = refusalOf(rsOnly, token(EC).sign());

            assertThat(e.getMessage()).contains("algorithm 'ES256' is not one of the allowed [RS256]");
        }

        @Test
        void anRsaTokenAgainstOnlyAnEcKeyAndTheOtherWayRound() {
            assertThat(refusalOf(
                                    verifier(scheme().build(), Keys.of(EC.publicJwk())),
                                    token(RSA).sign())
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(refusalOf(
                                    verifier(scheme().build(), Keys.of(RSA.publicJwk())),
                                    token(EC).sign())
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void aTokenWithAChangedClaimNoLongerVerifies() {
            String[] parts = token(RSA).sign().split("\\.");
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace(AUDIENCE, AUDIENCE + "x");
            String tampered = parts[0] + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                    + "." + parts[2];

            assertThat(refusalOf(verifier(), tampered).getMessage()).contains("signature matches no");
        }
    }

    @Nested
    class MalformedInput {
        WebhookRequest withAuthorization(String... values) {
            WebhookRequest.Builder b = WebhookRequest.builder().body(BODY.getBytes(StandardCharsets.UTF_8));
            for (String v : values) {
                b.header("Authorization", v);
            }
            return b.build();
        }

        @Test
        void noAuthorizationIsAMissingHeader() {
            assertThat(refusal(verifier(), withAuthorization()).reason()).isEqualTo(Reason.MISSING_HEADER);
        }

        @Test
        void anAuthorizationThatIsNotOneBearerTokenIsAMalformedHeader() {
            String token = token(RSA).sign();
            for (WebhookRequest request : List.of(
                    withAuthorization("Basic dXNlcjpwYXNz"),
                    withAuthorization("Bearer"),
                    withAuthorization("Bearer   "),
                    withAuthorization("Bearertoken"),
                    withAuthorization("Bearer " + token, "Bearer " + token))) {
                WebhookVerificationException e = refusal(verifier(), request);

                assertThat(e.reason()).isEqualTo(Reason.MALFORMED_HEADER);
                assertThat(e.getMessage()).doesNotContain(token.substring(0, 20));
            }
        }

        @Test
        void theBearerSchemeNameIsCaseInsensitive() {
            assertThat(verifier()
                            .verify(withAuthorization("bearer " + token(RSA).sign()))
                            .matchedKey())
                    .isEqualTo("idp-rsa");
        }

        static Stream<Arguments> garbage() {
            String good = token(RSA).sign();
            String[] parts = good.split("\\.");
            String b64 = "eyJhbGciOiJSUzI1NiJ9";
            return Stream.of(
                    Arguments.of("not a token", "definitely-not-a-jwt"),
                    Arguments.of("two parts", parts[0] + "." + parts[1]),
                    Arguments.of("four parts", good + ".abc"),
                    Arguments.of("five parts (JWE)", "a.b.c.d.e"),
                    Arguments.of("empty parts", ".."),
                    Arguments.of("padding", parts[0] + "=." + parts[1] + "." + parts[2]),
                    Arguments.of("header not json", "bm90IGpzb24." + parts[1] + "." + parts[2]),
                    Arguments.of("header a json array", "WzFd." + parts[1] + "." + parts[2]),
                    Arguments.of("payload not json", parts[0] + ".bm90IGpzb24." + parts[2]),
                    Arguments.of("payload an array", parts[0] + ".WzFd." + parts[2]),
                    Arguments.of("exp a string", parts[0] + "." + b64url("{\"exp\":\"soon\"}") + "." + parts[2]),
                    Arguments.of("alg missing", b64url("{\"kid\":\"x\"}") + "." + parts[1] + "." + parts[2]),
                    Arguments.of("alg a number", b64url("{\"alg\":5}") + "." + parts[1] + "." + parts[2]),
                    Arguments.of(
                            "crit unknown",
                            b64url("{\"alg\":\"RS256\",\"crit\":[\"x\"],\"x\":1}") + "." + parts[1] + "." + parts[2]),
                    Arguments.of("signature not base64url", parts[0] + "." + parts[1] + ".!!!"),
                    Arguments.of("signature empty", parts[0] + "." + parts[1] + "."),
                    Arguments.of("control characters", parts[0] + "\u0000." + parts[1] + "." + parts[2]),
                    Arguments.of("non-ASCII", parts[0] + "é." + parts[1] + "." + parts[2]),
                    Arguments.of("huge", b64 + "." + "A".repeat(20_000) + ".sig"),
                    Arguments.of("deep json", b64url("[".repeat(5000)) + "." + parts[1] + "." + parts[2]));
        }

        static String b64url(String json) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("garbage")
        void garbageIsA401NeverAnotherException(String what, String token) {
            WebhookVerificationException e = refusalOf(verifier(), token);

            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(e.reason().httpStatus()).isEqualTo(401);
            assertThat(e.getMessage()).startsWith("bearer token refused: ");
        }
    }

    @Nested
    class SignedOddities {
        static Stream<Arguments> payloads() {
            String base = "\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"exp\":1900000000";
            return Stream.of(
                    Arguments.of("{\"iss\":\"" + ISSUER + "\",\"aud\":[null],\"exp\":1900000000}"),
                    Arguments.of("{\"iss\":\"" + ISSUER + "\",\"aud\":5,\"exp\":1900000000}"),
                    Arguments.of("{\"iss\":\"" + ISSUER + "\",\"aud\":[],\"exp\":1900000000}"),
                    Arguments.of("{\"iss\":5,\"aud\":\"" + AUDIENCE + "\",\"exp\":1900000000}"),
                    Arguments.of("{\"iss\":null,\"aud\":\"" + AUDIENCE + "\",\"exp\":1900000000}"),
                    Arguments.of("{" + base.replace("1900000000", "\"soon\"") + "}"),
                    Arguments.of("{" + base.replace("1900000000", "-1") + "}"),
                    Arguments.of("{" + base.replace("1900000000", "1e300") + "}"),
                    Arguments.of("{" + base.replace("1900000000", "9223372036854775807") + "}"),
                    Arguments.of("{" + base + ",\"nbf\":9223372036854775807}"),
                    Arguments.of("{" + base + ",\"iat\":-9223372036854775808}"),
                    Arguments.of("{" + base + ",\"email\":null,\"email_verified\":\"yes\"}"),
                    Arguments.of("{" + base + ",\"email\":{\"a\":1},\"email_verified\":[true]}"),
                    Arguments.of("[1,2,3]"),
                    Arguments.of("null"),
                    Arguments.of(""));
        }

        @ParameterizedTest
        @MethodSource("payloads")
        void aCorrectlySignedTokenWithOddClaimsIsATypedRefusal(String payload) throws Exception {
            WebhookVerifier verifier =
                    verifier(scheme().serviceAccount("pusher@example.test").build(), Keys.of(RSA.publicJwk()));
            String header = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString("{\"alg\":\"RS256\",\"kid\":\"rsa-2026\"}".getBytes(StandardCharsets.UTF_8));
            String body =
                    Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
            String signingInput = header + "." + body;
            String token = signingInput + "."
                    + new com.nimbusds.jose.crypto.RSASSASigner(com.nimbusds.jose.jwk.RSAKey.parse(RSA.privateJwk()))
                            .sign(
                                    new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
                                    signingInput.getBytes(StandardCharsets.US_ASCII));

            WebhookVerificationException e = refusalOf(verifier, token);

            assertThat(e.reason())
                    .isIn(Reason.SIGNATURE_MISMATCH, Reason.TIMESTAMP_TOO_OLD, Reason.TIMESTAMP_IN_FUTURE);
        }
    }

    @Nested
    class Building {
        @ParameterizedTest
        @ValueSource(strings = {"HS256", "HS384", "HS512", "none", "ES256K", "EdDSA", "RSA-OAEP-256", "XX1"})
        void algorithmsRefuseWhatMustNeverVerifyAPublicKeyToken(String name) {
            assertThatThrownBy(() -> JwtSchemes.bearer().algorithms("RS256", name))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name);
        }

        @Test
        void issuersAndAudiencesAreRequired() {
            assertThatThrownBy(() -> JwtSchemes.bearer().audiences(AUDIENCE).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("issuers");
            assertThatThrownBy(() -> JwtSchemes.bearer().issuers(ISSUER).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("audiences");
            assertThatThrownBy(() -> JwtSchemes.googlePubSub().build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("audiences");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "http://login.example.com/jwks.json",
                    "ftp://127.0.0.1/jwks",
                    "/relative/jwks.json",
                    "https:///nohost",
                    "http://10.0.0.1/jwks.json",
                    "http://127.evil.example/jwks.json",
                    "http://localhost.evil.example/jwks.json"
                })
        void theJwksUrlIsHttpsOrLoopbackHttp(String url) {
            assertThatThrownBy(() -> JwtSchemes.bearer().jwksUrl(url))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("https");
        }

        @Test
        void theJwksUrlMayBeLoopbackHttpButNeverCarryCredentials() {
            assertThat(JwtSchemes.bearer()
                            .jwksUrl("http://127.0.0.1:8080/jwks.json")
                            .issuers(ISSUER)
                            .audiences(AUDIENCE)
                            .build()
                            .id())
                    .isEqualTo("jwt");
            assertThat(JwtSchemes.bearer().jwksUrl("http://localhost/jwks.json"))
                    .isNotNull();
            assertThat(JwtSchemes.bearer().jwksUrl("http://[::1]:9/jwks.json")).isNotNull();
            assertThatThrownBy(() -> JwtSchemes.bearer().jwksUrl("https://user:secret@login.example.com/jwks.json"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("credentials")
                    .hasMessageNotContaining("secret@");
            assertThatThrownBy(() -> JwtSchemes.bearer().jwksUrl("http://user:secret@login.example.com/jwks.json"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("secret@");
        }

        @Test
        void eachOptionOnceAndAClaimRequiredOnce() {
            JwtSchemes.Builder b = JwtSchemes.bearer().issuers(ISSUER).requireClaim("email", "a@example.com");

            assertThatThrownBy(() -> b.issuers("again")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> b.serviceAccount("b@example.com")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> b.clockSkew(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.idPointer("id")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void keysThatCannotVerifyAreRefusedAtBuildNamingTheLabelNeverTheKey() {
            String hmacJwk = "{\"kty\":\"oct\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0\"}";
            for (String bad : List.of(
                    RSA.privateJwk(),
                    hmacJwk,
                    "not a key",
                    "{\"kty\":\"RSA\"}",
                    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
                    "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
                    JwtFixtures.jwks())) {
                assertThatThrownBy(() -> verifier(
                                scheme().build(),
                                Keys.builder().add("broken", bad).build()))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("broken")
                        .satisfies(e -> {
                            if (bad.length() > 30) {
                                assertThat(e.getMessage()).doesNotContain(bad.substring(10, 30));
                            }
                        });
            }
        }

        @Test
        void aJwksSchemeTakesNoKeysOnTheVerifier() {
            Scheme scheme =
                    scheme().jwksUrl("https://login.example.com/jwks.json").build();

            assertThatThrownBy(() -> verifier(scheme, Keys.of(RSA.publicJwk())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("give the verifier no keys");
        }

        @Test
        void aSigningKeyMustBeAPrivateJwkOfAnAllowedAlgorithm() {
            Scheme rsOnly = scheme().algorithms("RS256").build();

            assertThatThrownBy(() -> WebhookFixtures.builder()
                            .scheme(rsOnly)
                            .secret(EC.privateJwk())
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ES256");
            assertThatThrownBy(() -> WebhookFixtures.builder()
                            .scheme(rsOnly)
                            .secret(RSA.publicJwk())
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("private key");
        }
    }

    static JWTClaimsSet claims(Instant expires) {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(NOW))
                .expirationTime(expires == null ? null : Date.from(expires))
                .build();
    }

    static String signed(JwtFixtures.SigningKey key, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(algorithm).keyID(key.kid()).build(), claims);
            jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(com.nimbusds.jose.jwk.RSAKey.parse(key.privateJwk())));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
