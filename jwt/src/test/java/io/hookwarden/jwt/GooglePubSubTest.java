package io.hookwarden.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hookwarden.InvalidPayloadException;
import io.hookwarden.Keys;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Scheme;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Google Cloud Pub/Sub push preset (issue 16), against generated keys served as Google's JWKS on loopback: never
 * the real Google.
 */
class GooglePubSubTest {
    static final String AUDIENCE = "https://hooks.example.com/pubsub";
    static final String PUSHER = "pusher@my-project.iam.gserviceaccount.com";
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final JwtFixtures.SigningKey GOOGLE = JwtFixtures.rsaKey("f5f4bf46e52b31d9b6249f7309ad0338400680cd");

    final MutableClock clock = MutableClock.at(NOW);
    JwtFixtures.JwksServer google;
    Scheme scheme;
    WebhookVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        google = JwtFixtures.JwksServer.start(JwtFixtures.jwks(GOOGLE));
        scheme = JwtSchemes.googlePubSub()
                .jwksUrl(google.url())
                .audiences(AUDIENCE)
                .serviceAccount(PUSHER)
                .build();
        verifier = WebhookVerifier.builder().scheme(scheme).clock(clock).build();
    }

    @AfterEach
    void stop() {
        google.close();
    }

    static String envelope(String messageId, String data) {
        return "{\"message\":{\"attributes\":{\"type\":\"order.created\",\"region\":\"eu\"},\"data\":\""
                + Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8))
                + "\",\"messageId\":\"" + messageId + "\",\"message_id\":\"" + messageId
                + "\",\"publishTime\":\"2026-03-01T11:59:58.123Z\"},"
                + "\"subscription\":\"projects/my-project/subscriptions/orders-push\"}";
    }

    static JwtFixtures.TokenBuilder googleToken(String issuer) {
        return JwtFixtures.token(GOOGLE)
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject("112233445566778899")
                .claim("azp", "112233445566778899")
                .claim("email", PUSHER)
                .claim("email_verified", true)
                .issuedAt(NOW.minusSeconds(600));
    }

    static WebhookRequest push(String token, String body) {
        return WebhookRequest.builder()
                .url(AUDIENCE)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("User-Agent", "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static WebhookVerificationException refusal(WebhookVerifier verifier, WebhookRequest request) {
        Throwable thrown = catchThrowable(() -> verifier.verify(request));
        assertThat(thrown).isInstanceOf(WebhookVerificationException.class);
        return (WebhookVerificationException) thrown;
    }

    @Test
    void aPushFromEitherGoogleIssuerSpellingIsVerifiedAndItsMessageIdIsTheId() {
        for (String issuer : List.of("https://accounts.google.com", "accounts.google.com")) {
            VerifiedWebhook webhook =
                    verifier.verify(push(googleToken(issuer).sign(), envelope("1234567890", "{\"order\":1}")));

            assertThat(webhook.schemeId()).isEqualTo("google-pubsub");
            assertThat(webhook.matchedKey()).isEqualTo(GOOGLE.kid());
            assertThat(webhook.id()).contains("1234567890");
            assertThat(new String(PubSubPush.data(webhook), StandardCharsets.UTF_8))
                    .isEqualTo("{\"order\":1}");
            assertThat(PubSubPush.attributes(webhook))
                    .containsExactly(Map.entry("type", "order.created"), Map.entry("region", "eu"));
        }
    }

    @Test
    void theMessageIdIsTheDedupeKeyNotTheTokenWhichGoogleReuses() {
        WebhookReceiver receiver = WebhookReceiver.builder().verifier(verifier).build();
        String token = googleToken("https://accounts.google.com").sign();
        List<String> handled = new ArrayList<>();

        receiver.handle(push(token, envelope("111", "a")), w -> handled.add(w.id().orElseThrow()));
        receiver.handle(push(token, envelope("222", "b")), w -> handled.add(w.id().orElseThrow()));
        String retryToken = googleToken("https://accounts.google.com")
                .issuedAt(NOW.minusSeconds(60))
                .sign();
        Outcome retry = receiver.receive(push(retryToken, envelope("111", "a")));

        assertThat(handled).containsExactly("111", "222");
        assertThat(retry).isInstanceOf(Outcome.Duplicate.class);
    }

    @Test
    void anotherServiceAccountsPushIsRefused() {
        WebhookVerificationException other = refusal(
                verifier,
                push(
                        googleToken("https://accounts.google.com")
                                .claim("email", "someone-else@other-project.iam.gserviceaccount.com")
                                .sign(),
                        envelope("1", "x")));
        WebhookVerificationException unverified = refusal(
                verifier,
                push(
                        googleToken("https://accounts.google.com")
                                .claim("email_verified", false)
                                .sign(),
                        envelope("1", "x")));

        assertThat(other.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(other.getMessage()).contains("email claim").doesNotContain("someone-else");
        assertThat(unverified.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void aTokenForAnotherAudienceOrIssuerOrExpiredIsRefused() {
        String otherAudience = JwtFixtures.token(GOOGLE)
                .issuer("https://accounts.google.com")
                .audience("https://attacker.example.com/hook")
                .claim("email", PUSHER)
                .claim("email_verified", true)
                .issuedAt(NOW)
                .sign();
        String otherIssuer =
                googleToken("https://accounts.google.com.evil.example").sign();
        String expired = googleToken("https://accounts.google.com")
                .issuedAt(NOW.minusSeconds(7200))
                .sign();

        assertThat(refusal(verifier, push(otherAudience, envelope("1", "x"))).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier, push(otherIssuer, envelope("1", "x"))).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier, push(expired, envelope("1", "x"))).reason())
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    }

    @Test
    void thePresetOnlyAcceptsRs256() {
        JwtFixtures.SigningKey ec = JwtFixtures.ecKey("ec");
        google.serve(JwtFixtures.jwks(GOOGLE, ec));
        String token = JwtFixtures.token(ec)
                .issuer("https://accounts.google.com")
                .audience(AUDIENCE)
                .claim("email", PUSHER)
                .claim("email_verified", true)
                .issuedAt(NOW)
                .sign();

        assertThat(refusal(verifier, push(token, envelope("1", "x"))).getMessage())
                .contains("algorithm 'ES256' is not one of the allowed [RS256]");
    }

    @Test
    void thePresetFetchesGooglesKeysSoItTakesNoKeysOnTheVerifier() {
        Scheme preset = JwtSchemes.googlePubSub().audiences(AUDIENCE).build();

        assertThat(preset.id()).isEqualTo("google-pubsub");
        assertThatThrownBy(() -> WebhookVerifier.builder()
                        .scheme(preset)
                        .keys(Keys.of(GOOGLE.publicJwk()))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JWKS");
        assertThat(JwtSchemes.GOOGLE_JWKS_URL).isEqualTo("https://www.googleapis.com/oauth2/v3/certs");
    }

    @Test
    void theTestKitSignsAPushAsGoogleWould() {
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(scheme)
                .secret(GOOGLE.privateJwk())
                .clock(clock)
                .build();

        VerifiedWebhook webhook =
                verifier.verify(fixtures.delivery(envelope("987", "{}")).signed());

        assertThat(webhook.id()).contains("987");
        assertThat(webhook.matchedKey()).isEqualTo(GOOGLE.kid());
    }

    @Test
    void aBodyThatIsNotAnEnvelopeIsAMalformedPayloadForTheHelpers() {
        VerifiedWebhook webhook =
                verifier.verify(push(googleToken("accounts.google.com").sign(), "{\"message\":\"nope\"}"));
        VerifiedWebhook badData = verifier.verify(push(
                googleToken("accounts.google.com").sign(), "{\"message\":{\"data\":\"***\",\"messageId\":\"1\"}}"));

        assertThat(webhook.id()).isEmpty();
        assertThatThrownBy(() -> PubSubPush.data(webhook))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.MALFORMED_PAYLOAD));
        assertThatThrownBy(() -> PubSubPush.data(badData)).isInstanceOf(InvalidPayloadException.class);
        assertThat(PubSubPush.attributes(badData)).isEmpty();
    }
}
