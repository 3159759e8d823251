package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Zendesk, Intuit QuickBooks and Twitch EventSub: HMAC presets whose deliveries are signed here with the JDK's {@link
 * Mac}, the way each provider documents it. None of the three publishes a signature vector.
 */
class ZendeskIntuitTwitchPresetsTest {
    static final String SECRET = "provider-signing-secret-4f1c9a";
    static final Instant NOW = SchemeCase.NOW;

    static byte[] hmac(String secret, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static WebhookVerifier verifier(Scheme scheme, String secret, Instant now, Duration tolerance) {
        return WebhookVerifier.builder()
                .scheme(scheme)
                .secret(secret)
                .tolerance(tolerance)
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
    }

    /** Receives {@code request} and completes it, as a handler that succeeded would. */
    static void completeOnce(WebhookReceiver receiver, WebhookRequest request) {
        Outcome first = receiver.receive(request);
        assertThat(first).isInstanceOf(Outcome.Accepted.class);
        try (Delivery delivery = ((Outcome.Accepted) first).delivery()) {
            assertThat(delivery.complete()).isTrue();
        }
    }

    @Test
    void anRfc3339TimestampNeedsATimestampHeaderInSeconds() {
        assertThatThrownBy(() -> HmacScheme.builder().timestampRfc3339().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("timestampRfc3339");
        assertThatThrownBy(() -> HmacScheme.builder()
                        .timestampHeader("X-Time")
                        .timestampInMillis()
                        .timestampRfc3339()
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("milliseconds");
    }

    @Nested
    class Zendesk {
        static final String BODY =
                "{\"type\":\"zen:event-type:ticket.created\",\"id\":\"cbe4028c-7239-495d-b020-f22348516046\","
                        + "\"detail\":{\"id\":\"5158\"}}";

        /** As Zendesk's documentation has it: base64(HMACSHA256(TIMESTAMP + BODY)). */
        WebhookRequest delivery(String secret, String timestamp, String body) {
            return WebhookRequest.builder()
                    .header(
                            "X-Zendesk-Webhook-Signature",
                            Base64.getEncoder().encodeToString(hmac(secret, timestamp + body)))
                    .header("X-Zendesk-Webhook-Signature-Timestamp", timestamp)
                    .body(body)
                    .build();
        }

        @Test
        void verifiesAnRfc3339SignedTimestampAndReadsTheType() {
            VerifiedWebhook webhook = verifier(Schemes.zendesk(), SECRET, NOW, Duration.ofMinutes(5))
                    .verify(delivery(SECRET, "2026-03-01T11:58:00Z", BODY));

            assertThat(webhook.schemeId()).isEqualTo("zendesk");
            assertThat(webhook.timestamp()).contains(Instant.parse("2026-03-01T11:58:00Z"));
            assertThat(webhook.eventType()).contains("zen:event-type:ticket.created");
        }

        @Test
        void alsoReadsSecondsSinceTheEpoch() {
            String seconds = Long.toString(NOW.getEpochSecond() - 60);

            assertThat(verifier(Schemes.zendesk(), SECRET, NOW, Duration.ofMinutes(5))
                            .verify(delivery(SECRET, seconds, BODY))
                            .timestamp())
                    .contains(NOW.minusSeconds(60));
        }

        @Test
        void refusesATamperedBodyAnotherSecretAndAReplacedTimestamp() {
            WebhookVerifier verifier = verifier(Schemes.zendesk(), SECRET, NOW, Duration.ofMinutes(5));
            WebhookRequest signed = delivery(SECRET, "2026-03-01T11:58:00Z", BODY);

            assertThat(refusal(
                                    verifier,
                                    signed.toBuilder()
                                            .body(BODY.replace("5158", "5159"))
                                            .build())
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(refusal(verifier, delivery("another-signing-secret", "2026-03-01T11:58:00Z", BODY))
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(refusal(
                                    verifier,
                                    TestRequests.withHeader(
                                            signed, "X-Zendesk-Webhook-Signature-Timestamp", "2026-03-01T11:59:00Z"))
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void refusesATimestampOutsideTheWindowBothWaysOrNotADate() {
            WebhookVerifier verifier = verifier(Schemes.zendesk(), SECRET, NOW, Duration.ofMinutes(5));

            assertThat(refusal(verifier, delivery(SECRET, "2026-03-01T11:54:59Z", BODY))
                            .reason())
                    .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
            assertThat(refusal(verifier, delivery(SECRET, "2026-03-01T12:05:01Z", BODY))
                            .reason())
                    .isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
            assertThat(refusal(verifier, delivery(SECRET, "yesterday", BODY)).reason())
                    .isEqualTo(Reason.MALFORMED_HEADER);
        }

        @Test
        void theSignerWritesAnRfc3339Timestamp() {
            WebhookRequest signed = WebhookSigner.builder()
                    .scheme(Schemes.zendesk())
                    .secret(SECRET)
                    .clock(SchemeCase.CLOCK)
                    .build()
                    .sign(WebhookMessage.body(BODY).build());

            assertThat(signed.headers().first("X-Zendesk-Webhook-Signature-Timestamp"))
                    .contains("2026-03-01T12:00:00Z");
            assertThat(signed.headers().first("X-Zendesk-Webhook-Signature"))
                    .contains(Base64.getEncoder().encodeToString(hmac(SECRET, "2026-03-01T12:00:00Z" + BODY)));
        }
    }

    @Nested
    class Intuit {
        /** A change data notification in the shape of Intuit's documentation. */
        static final String BODY = "{\"eventNotifications\":[{\"realmId\":\"1185883450\",\"dataChangeEvent\":"
                + "{\"entities\":[{\"name\":\"Customer\",\"id\":\"1\",\"operation\":\"Create\","
                + "\"lastUpdated\":\"2015-10-05T14:42:19-0700\"}]}}]}";

        WebhookRequest delivery(String verifierToken, String body) {
            return WebhookRequest.builder()
                    .header("intuit-signature", Base64.getEncoder().encodeToString(hmac(verifierToken, BODY)))
                    .body(body)
                    .build();
        }

        @Test
        void verifiesTheBodySignedWithTheVerifierTokenAndDedupesBySignature() {
            VerifiedWebhook webhook = verifier(Schemes.intuit(), SECRET, NOW, Duration.ofMinutes(5))
                    .verify(delivery(SECRET, BODY));

            assertThat(webhook.schemeId()).isEqualTo("intuit");
            assertThat(webhook.id()).isEmpty();
        }

        @Test
        void recognisesARetryOfTheSameBodyAsADuplicate() {
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier(Schemes.intuit(), SECRET, NOW, Duration.ofMinutes(5)))
                    .build();

            completeOnce(receiver, delivery(SECRET, BODY));

            assertThat(receiver.receive(delivery(SECRET, BODY))).isInstanceOf(Outcome.Duplicate.class);
        }

        @Test
        void refusesATamperedBodyAndAnotherToken() {
            WebhookVerifier verifier = verifier(Schemes.intuit(), SECRET, NOW, Duration.ofMinutes(5));

            assertThat(refusal(verifier, delivery(SECRET, BODY.replace("Create", "Delete")))
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(refusal(verifier, delivery("another-verifier-token", BODY))
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
        }
    }

    @Nested
    class Twitch {
        static final String ID = "befa7b53-d79d-478f-86b9-120f112b044e";
        static final String AT = "2026-03-01T11:58:00.634234626Z";
        static final String NOTIFICATION = "{\"subscription\":{\"id\":\"f1c2a387-161a-49f9-a165-0f21d7a4e1c4\","
                + "\"type\":\"channel.follow\",\"version\":\"2\",\"status\":\"enabled\"},"
                + "\"event\":{\"user_id\":\"1337\",\"user_login\":\"awesome_user\"}}";

        /** As Twitch's documentation has it: "sha256=" + hex HMAC-SHA256(secret, id + timestamp + body). */
        WebhookRequest delivery(String secret, String type, String timestamp, String body) {
            return WebhookRequest.builder()
                    .header("Twitch-Eventsub-Message-Id", ID)
                    .header("Twitch-Eventsub-Message-Timestamp", timestamp)
                    .header(
                            "Twitch-Eventsub-Message-Signature",
                            "sha256=" + HexFormat.of().formatHex(hmac(secret, ID + timestamp + body)))
                    .header("Twitch-Eventsub-Message-Type", type)
                    .header("Twitch-Eventsub-Subscription-Type", "channel.follow")
                    .body(body)
                    .build();
        }

        WebhookVerifier twitch(Instant now) {
            return verifier(Schemes.twitch(), SECRET, now, Duration.ofMinutes(10));
        }

        @Test
        void verifiesANotificationWithItsSignedMessageIdAsTheDedupeKey() {
            VerifiedWebhook webhook = twitch(NOW).verify(delivery(SECRET, "notification", AT, NOTIFICATION));

            assertThat(webhook.id()).contains(ID);
            assertThat(webhook.eventType()).contains("channel.follow");
            assertThat(webhook.timestamp()).contains(Instant.parse(AT));
        }

        @Test
        void recognisesARedeliveredMessageIdAsADuplicateThoughSentAtAnotherTime() {
            WebhookReceiver receiver =
                    WebhookReceiver.builder().verifier(twitch(NOW)).build();

            completeOnce(receiver, delivery(SECRET, "notification", AT, NOTIFICATION));

            assertThat(receiver.receive(delivery(SECRET, "notification", "2026-03-01T11:59:30Z", NOTIFICATION)))
                    .isInstanceOf(Outcome.Duplicate.class);
        }

        @Test
        void refusesATamperedBodyAnotherSecretAndAnotherMessageId() {
            WebhookVerifier verifier = twitch(NOW);
            WebhookRequest signed = delivery(SECRET, "notification", AT, NOTIFICATION);

            assertThat(refusal(
                                    verifier,
                                    signed.toBuilder()
                                            .body(NOTIFICATION.replace("1337", "1338"))
                                            .build())
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(refusal(verifier, delivery("another-webhook-secret", "notification", AT, NOTIFICATION))
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(refusal(verifier, TestRequests.withHeader(signed, "Twitch-Eventsub-Message-Id", "other-id"))
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void refusesMessagesOlderThanTenMinutesOrAheadOfTheClock() {
            WebhookRequest signed = delivery(SECRET, "notification", AT, NOTIFICATION);
            Instant sent = Instant.parse(AT);

            assertThat(twitch(sent.plus(Duration.ofMinutes(10))).verify(signed).id())
                    .contains(ID);
            assertThat(refusal(twitch(sent.plus(Duration.ofMinutes(10)).plusSeconds(1)), signed)
                            .reason())
                    .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
            assertThat(refusal(twitch(sent.minus(Duration.ofMinutes(10)).minusSeconds(1)), signed)
                            .reason())
                    .isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        }

        @Test
        void answersAVerifiedCallbackVerificationWithTheChallengeAsPlainText() {
            String body = "{\"challenge\":\"pogchamp-kappa-360noscope-vohiyo\",\"subscription\":"
                    + "{\"type\":\"channel.follow\",\"status\":\"webhook_callback_verification_pending\"}}";
            WebhookReceiver receiver =
                    WebhookReceiver.builder().verifier(twitch(NOW)).build();

            Outcome outcome = receiver.receive(delivery(SECRET, "webhook_callback_verification", AT, body));

            assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
            assertThat(outcome.answer().status()).isEqualTo(200);
            assertThat(outcome.answer().contentType())
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(new String(outcome.answer().body(), StandardCharsets.UTF_8))
                    .isEqualTo("pogchamp-kappa-360noscope-vohiyo");
        }

        @Test
        void refusesACallbackVerificationSignedWithAnotherSecret() {
            String body = "{\"challenge\":\"pogchamp-kappa-360noscope-vohiyo\"}";
            WebhookReceiver receiver =
                    WebhookReceiver.builder().verifier(twitch(NOW)).build();

            Outcome outcome =
                    receiver.receive(delivery("another-webhook-secret", "webhook_callback_verification", AT, body));

            assertThat(outcome.answer().status()).isEqualTo(401);
        }

        @Test
        void deliversARevocationToTheApplication() {
            String body = "{\"subscription\":{\"id\":\"f1c2a387-161a-49f9-a165-0f21d7a4e1c4\","
                    + "\"status\":\"authorization_revoked\",\"type\":\"channel.follow\"}}";
            WebhookReceiver receiver =
                    WebhookReceiver.builder().verifier(twitch(NOW)).build();

            Outcome outcome = receiver.receive(delivery(SECRET, "revocation", AT, body));

            assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
            try (Delivery delivery = ((Outcome.Accepted) outcome).delivery()) {
                assertThat(delivery.webhook().request().headers().first("Twitch-Eventsub-Message-Type"))
                        .contains("revocation");
                assertThat(delivery.webhook().eventType()).contains("channel.follow");
            }
        }
    }
}
