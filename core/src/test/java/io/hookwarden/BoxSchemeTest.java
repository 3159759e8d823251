package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Box: the primary and secondary signatures, each with its own key, over the body and the RFC 3339 delivery
 * timestamp, computed here with the JDK's {@link Mac} as Box documents it. Box's published vectors are in {@link
 * ProviderVectorsTest}.
 */
class BoxSchemeTest {
    private static final String PRIMARY_KEY = "box-primary-signature-key-2026";
    private static final String SECONDARY_KEY = "box-secondary-signature-key-2026";
    private static final String BODY =
            "{\"type\":\"webhook_event\",\"id\":\"eb0a8a3b-2a4e\",\"trigger\":\"FILE.UPLOADED\",\"source\":{}}";
    private static final Instant NOW = SchemeCase.NOW;

    static String sign(String key, String body, String timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(body.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(timestamp.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static WebhookRequest delivery(String timestamp, String primary, String secondary) {
        WebhookRequest.Builder request = WebhookRequest.builder()
                .header("box-delivery-id", "f96bb54b-ee16")
                .header("box-delivery-timestamp", timestamp)
                .header("box-signature-version", "1")
                .header("box-signature-algorithm", "HmacSHA256")
                .body(BODY);
        if (primary != null) {
            request.header("box-signature-primary", primary);
        }
        if (secondary != null) {
            request.header("box-signature-secondary", secondary);
        }
        return request.build();
    }

    static WebhookVerifier verifier(Keys keys) {
        return WebhookVerifier.builder()
                .scheme(Schemes.box())
                .keys(keys)
                .clock(new TestClock(NOW))
                .build();
    }

    static Keys bothKeys() {
        return Keys.builder()
                .add("primary", PRIMARY_KEY)
                .add("secondary", SECONDARY_KEY)
                .build();
    }

    @Test
    void eitherSignatureVerifiesAndNamesTheKeyThatMadeIt() {
        // given: Box's timestamp with an offset, the instant NOW
        String timestamp = "2026-03-01T04:00:00-08:00";
        WebhookRequest both =
                delivery(timestamp, sign(PRIMARY_KEY, BODY, timestamp), sign(SECONDARY_KEY, BODY, timestamp));
        WebhookRequest secondaryOnly = delivery(timestamp, "", sign(SECONDARY_KEY, BODY, timestamp));

        // when
        VerifiedWebhook webhook = verifier(bothKeys()).verify(both);

        // then
        assertThat(Schemes.byId("box")).isSameAs(Schemes.box());
        assertThat(webhook.schemeId()).isEqualTo("box");
        assertThat(webhook.matchedKey()).isEqualTo("primary");
        assertThat(webhook.timestamp()).contains(NOW);
        assertThat(webhook.id()).contains("eb0a8a3b-2a4e");
        assertThat(webhook.eventType()).contains("FILE.UPLOADED");
        assertThat(verifier(bothKeys()).verify(secondaryOnly).matchedKey()).isEqualTo("secondary");
        assertThat(verifier(Keys.of(PRIMARY_KEY)).verify(both).matchedKey()).isEqualTo("key-1");
    }

    @Test
    void theTimestampIsSignedAndChecked() {
        // given
        String timestamp = "2026-03-01T12:00:00Z";
        String signature = sign(PRIMARY_KEY, BODY, timestamp);
        String late = "2026-03-01T11:54:59Z";
        String ahead = "2026-03-01T12:05:01Z";

        // then
        assertThat(verifier(bothKeys())
                        .verify(delivery(timestamp, signature, null))
                        .matchedKey())
                .isEqualTo("primary");
        assertThat(refusal(verifier(bothKeys()), delivery("2026-03-01T12:00:01Z", signature, null))
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier(bothKeys()), delivery(late, sign(PRIMARY_KEY, BODY, late), null))
                        .reason())
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        assertThat(refusal(verifier(bothKeys()), delivery(ahead, sign(PRIMARY_KEY, BODY, ahead), null))
                        .reason())
                .isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        assertThat(WebhookVerifier.builder()
                        .scheme(Schemes.box())
                        .keys(bothKeys())
                        .tolerance(Duration.ofMinutes(10))
                        .clock(new TestClock(NOW))
                        .build()
                        .verify(delivery(late, sign(PRIMARY_KEY, BODY, late), null))
                        .matchedKey())
                .as("Box's own ten-minute window")
                .isEqualTo("primary");
    }

    @Test
    void refusesWhatBoxDoesNotSend() {
        String timestamp = "2026-03-01T12:00:00Z";
        String signature = sign(PRIMARY_KEY, BODY, timestamp);
        WebhookVerifier verifier = verifier(bothKeys());

        assertThat(refusal(verifier, delivery(timestamp, null, null)).reason()).isEqualTo(Reason.MISSING_HEADER);
        assertThat(refusal(verifier, delivery(timestamp, "", " ")).reason()).isEqualTo(Reason.MISSING_HEADER);
        assertThat(refusal(verifier, delivery("1772366400", signature, null)).reason())
                .isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(refusal(verifier, delivery("2026-03-01T12:00:00", signature, null))
                        .reason())
                .as("no offset")
                .isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(refusal(
                                verifier,
                                delivery(timestamp, signature, null).toBuilder()
                                        .header("box-signature-primary", signature)
                                        .build())
                        .reason())
                .isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(refusal(
                                verifier,
                                WebhookRequest.builder()
                                        .header("box-signature-primary", signature)
                                        .body(BODY)
                                        .build())
                        .reason())
                .isEqualTo(Reason.MISSING_HEADER);
    }

    @Test
    void theSignerWritesWhatBoxSends() {
        // when
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(Schemes.box())
                .secret(PRIMARY_KEY)
                .clock(new TestClock(NOW))
                .build()
                .sign(WebhookMessage.body(BODY).id("f96bb54b-ee16").build());

        // then
        assertThat(signed.headers().first("box-delivery-timestamp")).contains("2026-03-01T12:00:00Z");
        assertThat(signed.headers().first("box-signature-primary"))
                .contains(sign(PRIMARY_KEY, BODY, "2026-03-01T12:00:00Z"));
        assertThat(signed.headers().first("box-signature-version")).contains("1");
        assertThat(signed.headers().first("box-signature-algorithm")).contains("HmacSHA256");
        assertThat(signed.headers().first("box-delivery-id")).contains("f96bb54b-ee16");
        assertThat(verifier(bothKeys()).verify(signed).matchedKey()).isEqualTo("primary");
    }
}
