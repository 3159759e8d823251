package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The handshakes of the providers added with issue 16, through a receiver as an adapter calls it: Xero's intent to
 * receive, Dropbox's challenge and WooCommerce's ping.
 */
class ProviderHandshakesTest {
    static final String SECRET = "provider-signing-secret-4f1c9a";

    static WebhookReceiver receiver(Scheme scheme) {
        return WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(scheme)
                        .secret(SECRET)
                        .clock(SchemeCase.CLOCK)
                        .build())
                .build();
    }

    static String base64Hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Nested
    class Xero {
        /** The intent-to-receive payload as Xero's documentation shows it. */
        static final String INTENT = "{\"events\": [],\"lastEventSequence\": 0,\"firstEventSequence\": 0,"
                + "\"entropy\": \"S0m3r4Nd0mt3xt\"}";

        @Test
        void answersACorrectlySignedIntentToReceiveWith200AndNoBody() {
            // given
            WebhookRequest intent = WebhookRequest.builder()
                    .header("x-xero-signature", base64Hmac(SECRET, INTENT))
                    .body(INTENT)
                    .build();

            // when
            Outcome outcome = receiver(Schemes.xero()).receive(intent);

            // then
            assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
            assertThat(outcome.answer().status()).isEqualTo(200);
            assertThat(outcome.answer().body()).isEmpty();
        }

        @Test
        void answersAnIncorrectlySignedIntentToReceiveWith401() {
            // given: Xero sends these on purpose and expects 401 Unauthorized
            WebhookRequest misSigned = WebhookRequest.builder()
                    .header("x-xero-signature", base64Hmac(SECRET + "-not-the-key", INTENT))
                    .body(INTENT)
                    .build();

            // when
            Outcome outcome = receiver(Schemes.xero()).receive(misSigned);

            // then
            assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(outcome.answer().status()).isEqualTo(401);
        }

        @Test
        void aSignedDeliveryWithEventsGoesToTheApplication() {
            // given
            String body = "{\"events\":[{\"resourceId\":\"a1\",\"eventType\":\"CREATE\"}],\"firstEventSequence\":1,"
                    + "\"lastEventSequence\":1,\"entropy\":\"QWERTY\"}";
            WebhookRequest delivery = WebhookRequest.builder()
                    .header("x-xero-signature", base64Hmac(SECRET, body))
                    .body(body)
                    .build();

            // when
            Outcome outcome = receiver(Schemes.xero()).receive(delivery);

            // then
            assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
            try (Delivery accepted = ((Outcome.Accepted) outcome).delivery()) {
                assertThat(accepted.webhook().eventType()).contains("CREATE");
            }
        }
    }

    @Nested
    class Dropbox {
        @Test
        void echoesTheChallengeAsPlainTextThatNoBrowserSniffs() {
            // given
            WebhookRequest verification = WebhookRequest.builder()
                    .method("GET")
                    .url("https://hooks.example.com/dropbox?challenge=JkpJ9oXWwZ1k3Jv2rA")
                    .build();

            // when
            Outcome outcome = receiver(Schemes.dropbox()).receive(verification);

            // then
            assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
            HttpAnswer answer = outcome.answer();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("JkpJ9oXWwZ1k3Jv2rA");
            assertThat(answer.headers())
                    .containsEntry("Content-Type", "text/plain; charset=utf-8")
                    .containsEntry("X-Content-Type-Options", "nosniff");
        }

        @Test
        void refusesToEchoAChallengeThatIsNotAPlainToken() {
            // given
            WebhookRequest hostile = WebhookRequest.builder()
                    .method("GET")
                    .url("https://hooks.example.com/dropbox?challenge=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
                    .build();

            // when
            Outcome outcome = receiver(Schemes.dropbox()).receive(hostile);

            // then
            assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.MALFORMED_HEADER);
            assertThat(new String(outcome.answer().body(), StandardCharsets.UTF_8))
                    .doesNotContain("script");
        }

        @Test
        void aGetWithoutAChallengeIsNotReceived() {
            // given
            WebhookRequest get = WebhookRequest.builder()
                    .method("GET")
                    .url("https://hooks.example.com/dropbox?other=1")
                    .build();

            // when
            Outcome outcome = receiver(Schemes.dropbox()).receive(get);

            // then
            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.METHOD_NOT_ALLOWED);
        }

        @Test
        void aPostWithAChallengeInTheQueryIsVerifiedAsADelivery() {
            // given: the challenge shape answers only a GET
            WebhookRequest post = WebhookRequest.builder()
                    .url("https://hooks.example.com/dropbox?challenge=abc")
                    .body("{}")
                    .build();

            // when
            Outcome outcome = receiver(Schemes.dropbox()).receive(post);

            // then
            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.MISSING_HEADER);
        }
    }

    @Nested
    class WooCommerce {
        @Test
        void answersTheUnsignedPingOfANewWebhookWith200() {
            // given: what WC_Webhook::deliver_ping posts
            WebhookRequest ping = WebhookRequest.builder()
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body("webhook_id=42")
                    .build();

            // when
            Outcome outcome = receiver(Schemes.wooCommerce()).receive(ping);

            // then
            assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
            assertThat(outcome.answer().status()).isEqualTo(200);
            assertThat(outcome.answer().body()).isEmpty();
        }

        @Test
        void aPingShapedBodyWithASignatureIsVerified() {
            // given
            WebhookRequest signedWrong = WebhookRequest.builder()
                    .header("X-WC-Webhook-Signature", base64Hmac("another-secret-entirely", "webhook_id=42"))
                    .body("webhook_id=42")
                    .build();

            // when
            Outcome outcome = receiver(Schemes.wooCommerce()).receive(signedWrong);

            // then
            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void anythingElseUnsignedIsRefused() {
            for (String body : new String[] {"webhook_id=", "webhook_id=42&x=1", "webhook_id=4a", "{\"id\":1}"}) {
                // given
                WebhookRequest unsigned = WebhookRequest.builder().body(body).build();

                // when
                Outcome outcome = receiver(Schemes.wooCommerce()).receive(unsigned);

                // then
                assertThat(outcome).as(body).isInstanceOf(Outcome.Rejected.class);
                assertThat(((Outcome.Rejected) outcome).reason()).as(body).isEqualTo(Reason.MISSING_HEADER);
            }
        }
    }
}
