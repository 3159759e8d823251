package io.hookwarden.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookwarden.Reason;
import io.hookwarden.Scheme;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WebhookFixturesTest {
    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}";
    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final String URL = "https://hooks.example.com/webhooks?tenant=7";
    private static final String[] DISCORD = discordKeys();
    private static final String[] SENDGRID = sendgridKeys();

    /** A hex Ed25519 seed and public key, as Discord's signer and verifier take them. */
    private static String[] discordKeys() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            byte[] x509 = pair.getPublic().getEncoded();
            HexFormat hex = HexFormat.of();
            return new String[] {
                hex.formatHex(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)),
                hex.formatHex(Arrays.copyOfRange(x509, x509.length - 32, x509.length))
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A base64 PKCS#8 P-256 private key and base64 SPKI public key, as SendGrid's signer and verifier take them. */
    private static String[] sendgridKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Base64.Encoder base64 = Base64.getEncoder();
            return new String[] {
                base64.encodeToString(pair.getPrivate().getEncoded()),
                base64.encodeToString(pair.getPublic().getEncoded())
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** scheme, signing secret, verifying secret, a header the scheme requires. */
    static Stream<Arguments> schemes() {
        return Stream.of(
                Arguments.of(
                        Schemes.standardWebhooks(),
                        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                        "webhook-id"),
                Arguments.of(
                        Schemes.standardWebhooks(),
                        "whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==",
                        "whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=",
                        "webhook-timestamp"),
                Arguments.of(
                        Schemes.svix(),
                        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
                        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
                        "svix-signature"),
                Arguments.of(Schemes.stripe(), "whsec_test_secret", "whsec_test_secret", "Stripe-Signature"),
                Arguments.of(
                        Schemes.github(),
                        "It's a Secret to Everybody",
                        "It's a Secret to Everybody",
                        "X-Hub-Signature-256"),
                Arguments.of(
                        Schemes.slack(),
                        "8f742231b10e8888abcd99yyyzzz85a5",
                        "8f742231b10e8888abcd99yyyzzz85a5",
                        "X-Slack-Request-Timestamp"),
                Arguments.of(Schemes.shopify(), "shpss_0123456789", "shpss_0123456789", "X-Shopify-Hmac-Sha256"),
                Arguments.of(
                        Schemes.twilio(),
                        "0123456789abcdef0123456789abcdef",
                        "0123456789abcdef0123456789abcdef",
                        "X-Twilio-Signature"),
                Arguments.of(Schemes.paddle(), "pdl_ntfset_01h_secret", "pdl_ntfset_01h_secret", "Paddle-Signature"),
                Arguments.of(
                        Schemes.square(),
                        "Ibxx_5AKakO-3qeNVR61Dw",
                        "Ibxx_5AKakO-3qeNVR61Dw",
                        "x-square-hmacsha256-signature"),
                Arguments.of(Schemes.zoom(), "zoom-secret-token", "zoom-secret-token", "x-zm-request-timestamp"),
                Arguments.of(Schemes.linear(), "lin_wh_signing_secret", "lin_wh_signing_secret", "Linear-Signature"),
                Arguments.of(Schemes.meta(), "meta-app-secret", "meta-app-secret", "X-Hub-Signature-256"),
                Arguments.of(Schemes.discord(), DISCORD[0], DISCORD[1], "X-Signature-Timestamp"),
                Arguments.of(Schemes.sendgrid(), SENDGRID[0], SENDGRID[1], "X-Twilio-Email-Event-Webhook-Signature"),
                Arguments.of(Schemes.x(), "x-consumer-secret", "x-consumer-secret", "x-twitter-webhooks-signature"),
                // issue 16: the HMAC providers by name
                Arguments.of(Schemes.bitbucket(), PROVIDER_SECRET, PROVIDER_SECRET, "X-Hub-Signature"),
                Arguments.of(Schemes.typeform(), PROVIDER_SECRET, PROVIDER_SECRET, "Typeform-Signature"),
                Arguments.of(Schemes.sentry(), PROVIDER_SECRET, PROVIDER_SECRET, "Sentry-Hook-Signature"),
                Arguments.of(Schemes.lemonSqueezy(), PROVIDER_SECRET, PROVIDER_SECRET, "X-Signature"),
                Arguments.of(Schemes.vercel(), PROVIDER_SECRET, PROVIDER_SECRET, "x-vercel-signature"),
                Arguments.of(Schemes.wooCommerce(), PROVIDER_SECRET, PROVIDER_SECRET, "X-WC-Webhook-Signature"),
                Arguments.of(Schemes.line(), PROVIDER_SECRET, PROVIDER_SECRET, "x-line-signature"),
                Arguments.of(Schemes.coinbase(), PROVIDER_SECRET, PROVIDER_SECRET, "X-CC-Webhook-Signature"),
                Arguments.of(Schemes.intercom(), PROVIDER_SECRET, PROVIDER_SECRET, "X-Hub-Signature"),
                Arguments.of(Schemes.xero(), PROVIDER_SECRET, PROVIDER_SECRET, "x-xero-signature"),
                Arguments.of(Schemes.jira(), PROVIDER_SECRET, PROVIDER_SECRET, "X-Hub-Signature"),
                Arguments.of(Schemes.dropbox(), PROVIDER_SECRET, PROVIDER_SECRET, "X-Dropbox-Signature"),
                Arguments.of(Schemes.mux(), PROVIDER_SECRET, PROVIDER_SECRET, "Mux-Signature"),
                Arguments.of(Schemes.calendly(), PROVIDER_SECRET, PROVIDER_SECRET, "Calendly-Webhook-Signature"),
                Arguments.of(Schemes.trello(), PROVIDER_SECRET, PROVIDER_SECRET, "X-Trello-Webhook"),
                Arguments.of(Schemes.box(), PROVIDER_SECRET, PROVIDER_SECRET, "box-delivery-timestamp"),
                Arguments.of(Schemes.hubspot(), PROVIDER_SECRET, PROVIDER_SECRET, "X-HubSpot-Request-Timestamp"),
                Arguments.of(Schemes.docusign(), PROVIDER_SECRET, PROVIDER_SECRET, "X-DocuSign-Signature-1"),
                Arguments.of(Schemes.adyenPlatform(), ADYEN_KEY, ADYEN_KEY, "HmacSignature"),
                Arguments.of(
                        Schemes.zendesk(), PROVIDER_SECRET, PROVIDER_SECRET, "X-Zendesk-Webhook-Signature-Timestamp"),
                Arguments.of(Schemes.intuit(), PROVIDER_SECRET, PROVIDER_SECRET, "intuit-signature"),
                Arguments.of(Schemes.contentful(), PROVIDER_SECRET, PROVIDER_SECRET, "x-contentful-timestamp"),
                Arguments.of(Schemes.twitch(), PROVIDER_SECRET, PROVIDER_SECRET, "Twitch-Eventsub-Message-Id"));
    }

    /** An Adyen HMAC key: 32 bytes in hex, as the Customer Area generates it. */
    private static final String ADYEN_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";

    /** A secret as the issue 16 providers' dashboards show theirs: text used as its UTF-8 bytes. */
    private static final String PROVIDER_SECRET = "provider-signing-secret-4f1c9a";

    /** The issue 16 schemes that sign no timestamp. */
    private static Set<Scheme> untimedProviders() {
        return Set.of(
                Schemes.bitbucket(),
                Schemes.typeform(),
                Schemes.sentry(),
                Schemes.lemonSqueezy(),
                Schemes.vercel(),
                Schemes.wooCommerce(),
                Schemes.line(),
                Schemes.coinbase(),
                Schemes.intercom(),
                Schemes.xero(),
                Schemes.jira(),
                Schemes.dropbox(),
                Schemes.trello(),
                Schemes.docusign(),
                Schemes.adyenPlatform(),
                Schemes.intuit());
    }

    /** The schemes that sign a timestamp. */
    static Stream<Arguments> timestamped() {
        Set<Scheme> untimed = Set.of(
                Schemes.github(), Schemes.shopify(), Schemes.twilio(), Schemes.square(), Schemes.meta(), Schemes.x());
        return schemes().filter(a -> !untimed.contains((Scheme) a.get()[0])).filter(a -> !untimedProviders()
                .contains((Scheme) a.get()[0]));
    }

    @Test
    void snsDeliveriesCarryTheirRsaSignatureInTheBodyAndAForgedOneIsSignedWithAnotherKey() throws Exception {
        // given: a generated RSA key, as a test of an SNS endpoint signs with (the certificate is served elsewhere)
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = fixtures(
                Schemes.sns(),
                Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()),
                clock);
        String body = "{\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:orders\",\"Message\":\"hello\","
                + "\"SigningCertURL\":\"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem\"}";

        // when
        String signed = text(fixtures.delivery(body).id("m-1").signed());
        String forged = text(fixtures.delivery(body).id("m-1").forged());

        // then: AWS's string to sign, SHA256withRSA (SignatureVersion 2), verifies with the key's public half only
        String content = "Message\nhello\nMessageId\nm-1\nTimestamp\n2023-11-14T22:13:20.000Z\n"
                + "TopicArn\narn:aws:sns:us-east-1:123456789012:orders\nType\nNotification\n";
        assertThat(signed).contains("\"SignatureVersion\":\"2\"", "\"Timestamp\":\"2023-11-14T22:13:20.000Z\"");
        assertThat(rsaVerifies(pair, content, signed)).isTrue();
        assertThat(rsaVerifies(pair, content, forged)).isFalse();
        assertThat(forged.replaceAll("\"Signature\":\"[^\"]*\"", ""))
                .isEqualTo(signed.replaceAll("\"Signature\":\"[^\"]*\"", ""));
    }

    private static String text(WebhookRequest request) {
        return new String(request.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean rsaVerifies(KeyPair pair, String content, String body) throws Exception {
        String signature = body.replaceAll(".*\"Signature\":\"([^\"]*)\".*", "$1");
        java.security.Signature verifier = java.security.Signature.getInstance("SHA256withRSA");
        verifier.initVerify(pair.getPublic());
        verifier.update(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return verifier.verify(Base64.getDecoder().decode(signature));
    }

    @Test
    void mailgunDeliveriesCarryTheirSignatureInTheBodyAndExpire() {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = fixtures(Schemes.mailgun(), "key-3ax6xnjp29jd6fds4gc373sgvjxteol0", clock);
        WebhookVerifier verifier = verifier(Schemes.mailgun(), "key-3ax6xnjp29jd6fds4gc373sgvjxteol0", clock);

        VerifiedWebhook webhook = verifier.verify(
                fixtures.delivery("{\"event-data\":{\"id\":\"ev-1\"}}").signed());

        assertThat(webhook.id()).contains("ev-1");
        assertThat(webhook.bodyText()).contains("\"signature\":{\"timestamp\":\"1700000000\"");
        assertThat(refusal(verifier, fixtures.delivery(BODY).forged())).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier, fixtures.delivery(BODY).aged(TOLERANCE.plusSeconds(1))))
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    }

    @Test
    void adyenNotificationsCarryASignatureInEveryItem() {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = fixtures(Schemes.adyen(), ADYEN_KEY, clock);
        WebhookVerifier verifier = verifier(Schemes.adyen(), ADYEN_KEY, clock);
        String notification = "{\"live\":\"false\",\"notificationItems\":[{\"NotificationRequestItem\":"
                + "{\"amount\":{\"currency\":\"EUR\",\"value\":1000},\"eventCode\":\"AUTHORISATION\","
                + "\"merchantAccountCode\":\"Shop\",\"pspReference\":\"ZVWN7D3WSMK2WN82\",\"success\":\"true\"}}]}";

        VerifiedWebhook webhook =
                verifier.verify(fixtures.delivery(notification).signed());

        assertThat(webhook.id()).contains("ZVWN7D3WSMK2WN82:AUTHORISATION");
        assertThat(webhook.bodyText()).contains("\"hmacSignature\":\"");
        assertThat(refusal(verifier, fixtures.delivery(notification).forged())).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier, fixtures.delivery(notification).tampered()))
                .isEqualTo(Reason.MALFORMED_PAYLOAD);
    }

    @Test
    void braintreeNotificationsArePostedAsSignedForms() {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        String secret = "my_public_key:braintree-private-key-0123";
        WebhookFixtures fixtures = fixtures(Schemes.braintree(), secret, clock);
        WebhookVerifier verifier = verifier(Schemes.braintree(), secret, clock);
        String xml = "<notification><kind>check</kind></notification>";

        VerifiedWebhook webhook = verifier.verify(fixtures.delivery(xml).signed());

        assertThat(webhook.form().get("bt_signature"))
                .singleElement()
                .asString()
                .startsWith("my_public_key|");
        assertThat(new String(
                        Base64.getDecoder()
                                .decode(webhook.form().get("bt_payload").get(0)),
                        java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(xml);
        assertThat(refusal(verifier, fixtures.delivery(xml).forged())).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void gitlabDeliveriesCarryTheTokenSoATamperedBodyStillVerifies() {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = fixtures(Schemes.gitlab(), "gitlab-secret-token", clock);
        WebhookVerifier verifier = verifier(Schemes.gitlab(), "gitlab-secret-token", clock);

        assertThat(verifier.verify(fixtures.delivery(BODY).tampered()).bodyText())
                .isNotEqualTo(BODY);
        assertThat(refusal(verifier, fixtures.delivery(BODY).forged())).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier, fixtures.delivery(BODY).withoutHeader("X-Gitlab-Token")))
                .isEqualTo(Reason.MISSING_HEADER);
    }

    private static WebhookFixtures fixtures(Scheme scheme, String secret, MutableClock clock) {
        return WebhookFixtures.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(clock)
                .url(URL)
                .build();
    }

    private static WebhookVerifier verifier(Scheme scheme, String secret, MutableClock clock) {
        return WebhookVerifier.builder()
                .scheme(scheme)
                .secret(secret)
                .tolerance(TOLERANCE)
                .clock(clock)
                .build();
    }

    private static Reason refusal(WebhookVerifier verifier, WebhookRequest request) {
        WebhookVerificationException e =
                catchThrowableOfType(WebhookVerificationException.class, () -> verifier.verify(request));
        assertThat(e).as("expected %s to be refused", request).isNotNull();
        return e.reason();
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("schemes")
    void signedDeliveryVerifiesWithTheSameBody(Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookRequest request = fixtures(scheme, signing, clock).delivery(BODY).signed();

        String body = verifier(scheme, verifying, clock).verify(request).bodyText();

        if (scheme == Schemes.linear()) { // Linear carries its timestamp in the body
            assertThat(body).isEqualTo(BODY.replace("}", ",\"webhookTimestamp\":1700000000000}"));
        } else {
            assertThat(body).isEqualTo(BODY);
        }
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("schemes")
    void tamperedAndForgedDeliveriesAreSignatureMismatches(
            Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = fixtures(scheme, signing, clock);
        WebhookVerifier verifier = verifier(scheme, verifying, clock);

        // Linear reads its timestamp from the JSON body, which the flipped last byte breaks
        Reason tampered = scheme == Schemes.linear() ? Reason.MALFORMED_PAYLOAD : Reason.SIGNATURE_MISMATCH;
        assertThat(refusal(verifier, fixtures.delivery(BODY).tampered())).isEqualTo(tampered);
        assertThat(refusal(verifier, fixtures.delivery(BODY).forged())).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("schemes")
    void removingARequiredHeaderIsAMissingHeader(Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);

        WebhookRequest request = fixtures(scheme, signing, clock).delivery(BODY).withoutHeader(header);

        assertThat(request.headers().contains(header)).isFalse();
        assertThat(refusal(verifier(scheme, verifying, clock), request)).isEqualTo(Reason.MISSING_HEADER);
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("timestamped")
    void agedDeliveriesAreRefusedJustPastTheTolerance(Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = fixtures(scheme, signing, clock);
        WebhookVerifier verifier = verifier(scheme, verifying, clock);

        assertThat(verifier.verify(fixtures.delivery(BODY).aged(TOLERANCE)).timestamp())
                .isPresent();
        assertThat(refusal(verifier, fixtures.delivery(BODY).aged(TOLERANCE.plusSeconds(1))))
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("timestamped")
    void futureDeliveriesAreRefusedWhereTheSchemeBoundsTheFuture(
            Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = fixtures(scheme, signing, clock);
        WebhookVerifier verifier = verifier(scheme, verifying, clock);
        WebhookRequest future = fixtures.delivery(BODY).fromTheFuture(TOLERANCE.plusSeconds(1));

        if (scheme.boundsFuture()) {
            assertThat(refusal(verifier, future)).isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        } else {
            assertThat(verifier.verify(future).timestamp())
                    .contains(clock.instant().plus(TOLERANCE.plusSeconds(1)));
        }
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("timestamped")
    void advancingTheSharedClockExpiresAnEarlierDelivery(
            Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookRequest request = fixtures(scheme, signing, clock).delivery(BODY).signed();
        WebhookVerifier verifier = verifier(scheme, verifying, clock);

        clock.advance(TOLERANCE.plusSeconds(1));

        assertThat(refusal(verifier, request)).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("schemes")
    void junkInTheSignatureHeaderIsAMalformedHeader(Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);

        WebhookRequest request = fixtures(scheme, signing, clock).delivery(BODY).malformedHeader();

        assertThat(request.headers().toMap().values())
                .anySatisfy(values -> assertThat(values).containsExactly(WebhookFixtures.JUNK));
        // a bare MAC or signature (no prefix, no fields) is compared as it is: junk there does not match
        Set<Scheme> opaque = Set.of(
                Schemes.shopify(),
                Schemes.twilio(),
                Schemes.square(),
                Schemes.linear(),
                Schemes.discord(),
                Schemes.sendgrid(),
                Schemes.sentry(),
                Schemes.lemonSqueezy(),
                Schemes.vercel(),
                Schemes.wooCommerce(),
                Schemes.line(),
                Schemes.coinbase(),
                Schemes.xero(),
                Schemes.dropbox(),
                Schemes.trello(),
                Schemes.box(),
                Schemes.hubspot(),
                Schemes.docusign(),
                Schemes.adyenPlatform(),
                Schemes.zendesk(),
                Schemes.intuit());
        assertThat(refusal(verifier(scheme, verifying, clock), request))
                .isEqualTo(opaque.contains(scheme) ? Reason.SIGNATURE_MISMATCH : Reason.MALFORMED_HEADER);
    }

    @Test
    void mailgunHasNoSignatureHeaderToMalform() {
        WebhookFixtures fixtures =
                fixtures(Schemes.mailgun(), "key-3ax6xnjp29jd6fds4gc373sgvjxteol0", MutableClock.atEpochSecond(1));

        assertThatThrownBy(() ->
                        fixtures.delivery("{\"event-data\":{\"id\":\"ev-1\"}}").malformedHeader())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mailgun carries its signature in the body");
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("schemes")
    void aReplayIsTheSameBytesAgainAndStillVerifies(Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = fixtures(scheme, signing, clock);
        WebhookRequest first = fixtures.delivery(BODY).signed();

        WebhookRequest replay = fixtures.replayOf(first);

        assertThat(replay).isEqualTo(first).isNotSameAs(first);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(verifier(scheme, verifying, clock).verify(replay).bodyText())
                .isEqualTo(verifier(scheme, verifying, clock).verify(first).bodyText());
    }
}
