package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Standard Webhooks adopters by name (issue 16): each preset verifies a delivery made the way its provider documents,
 * with the HMAC computed here independently of the library's signer, and the one published vector that applies.
 */
class StandardWebhooksPresetsTest {
    /**
     * The Standard Webhooks / Svix published vector, verbatim: standard-webhooks/standard-webhooks@b2fa7b87
     * libraries/*&#47;tests (test_sign_function), and the Svix documentation ("Verifying Webhooks Manually",
     * docs.svix.com/receiving/verifying-payloads/how-manual). None of OpenAI, Replicate, Clerk, Resend or Polar
     * publishes a vector of its own; each says it signs with this algorithm (sources in docs/providers.md).
     */
    static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long VECTOR_TIMESTAMP = 1614265330L;
    static final String VECTOR_BODY = "{\"test\": 2432232314}";
    static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    /** Each preset, the header prefix its provider documents, and a secret as its dashboard shows it. */
    static Stream<Arguments> presets() {
        return Stream.of(
                Arguments.of("openai", Schemes.openai(), "webhook-", VECTOR_SECRET),
                Arguments.of("replicate", Schemes.replicate(), "webhook-", VECTOR_SECRET),
                Arguments.of("clerk", Schemes.clerk(), "svix-", VECTOR_SECRET),
                Arguments.of("resend", Schemes.resend(), "svix-", VECTOR_SECRET),
                Arguments.of("polar", Schemes.polar(), "webhook-", "polar_whs_3bX9kQ7mP2vL8nR4tY6wZ1cF5hJ0sD"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void verifiesADeliverySignedAsTheProviderDocuments(String id, Scheme scheme, String prefix, String secret) {
        // given: HMAC-SHA256 over id.timestamp.body, computed here, base64, "v1," in <prefix>signature
        byte[] key = id.equals("polar")
                ? secret.getBytes(StandardCharsets.UTF_8) // Polar's SDK: base64(utf8(secret)), decoded again
                : Base64.getDecoder().decode(secret.substring("whsec_".length()));
        String body = "{\"type\":\"" + id + ".event\",\"data\":{\"id\":\"obj_1\"}}";
        long timestamp = NOW.getEpochSecond();
        WebhookRequest request = WebhookRequest.builder()
                .header(prefix + "id", "msg_2Yq5s7")
                .header(prefix + "timestamp", Long.toString(timestamp))
                .header(prefix + "signature", "v1," + hmac(key, "msg_2Yq5s7." + timestamp + "." + body))
                .body(body)
                .build();

        // when
        VerifiedWebhook webhook = WebhookVerifier.builder()
                .scheme(scheme)
                .keys(Keys.builder().add("dashboard", secret).build())
                .clock(new TestClock(NOW))
                .build()
                .verify(request);

        // then
        assertThat(scheme.id()).isEqualTo(id);
        assertThat(Schemes.byId(id)).isSameAs(scheme);
        assertThat(webhook.schemeId()).isEqualTo(id);
        assertThat(webhook.matchedKey()).isEqualTo("dashboard");
        assertThat(webhook.id()).contains("msg_2Yq5s7");
        assertThat(webhook.eventType()).contains(id + ".event");
        assertThat(webhook.timestamp()).contains(NOW);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void signsWhatItVerifiesAndRefusesAnotherSecretAndAnOldTimestamp(
            String id, Scheme scheme, String prefix, String secret) {
        // given
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(new TestClock(NOW))
                .build()
                .sign(WebhookMessage.body("{\"type\":\"t\"}").id("msg_1").build());
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(new TestClock(NOW))
                .build();
        WebhookVerifier later = WebhookVerifier.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(new TestClock(NOW.plusSeconds(301)))
                .build();
        WebhookVerifier otherKey = WebhookVerifier.builder()
                .scheme(scheme)
                .secret(
                        id.equals("polar")
                                ? secret + "x"
                                : "whsec_" + Base64.getEncoder().encodeToString(new byte[24]))
                .clock(new TestClock(NOW))
                .build();

        // then
        assertThat(signed.headers().first(prefix + "signature")).isPresent();
        assertThat(verifier.verify(signed).matchedKey()).isEqualTo("key-1");
        assertThat(refusal(later, signed).reason())
                .as("300 s, the providers' SDK default")
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        assertThat(refusal(otherKey, signed).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    static Stream<Arguments> vectorByHeaders() {
        return Stream.of(
                Arguments.of(Schemes.openai(), "webhook-"),
                Arguments.of(Schemes.replicate(), "webhook-"),
                Arguments.of(Schemes.clerk(), "svix-"),
                Arguments.of(Schemes.clerk(), "webhook-"),
                Arguments.of(Schemes.resend(), "svix-"),
                Arguments.of(Schemes.resend(), "webhook-"));
    }

    @ParameterizedTest
    @MethodSource("vectorByHeaders")
    void thePublishedStandardWebhooksVectorVerifiesAtItsOwnClock(Scheme scheme, String prefix) {
        // given
        WebhookRequest request = WebhookRequest.builder()
                .header(prefix + "id", VECTOR_ID)
                .header(prefix + "timestamp", Long.toString(VECTOR_TIMESTAMP))
                .header(prefix + "signature", VECTOR_SIGNATURE)
                .body(VECTOR_BODY)
                .build();

        // when
        VerifiedWebhook webhook = WebhookVerifier.builder()
                .scheme(scheme)
                .secret(VECTOR_SECRET)
                .clock(new TestClock(Instant.ofEpochSecond(VECTOR_TIMESTAMP)))
                .build()
                .verify(request);

        // then
        assertThat(webhook.id()).contains(VECTOR_ID);
    }

    @Test
    void svixHeadersAreNotReadByThePresetsOfProvidersThatSendWebhookHeaders() {
        // given: the vector with svix-* headers, sent to OpenAI's preset
        WebhookRequest request = WebhookRequest.builder()
                .header("svix-id", VECTOR_ID)
                .header("svix-timestamp", Long.toString(VECTOR_TIMESTAMP))
                .header("svix-signature", VECTOR_SIGNATURE)
                .body(VECTOR_BODY)
                .build();

        // when
        WebhookVerificationException e = refusal(
                WebhookVerifier.builder()
                        .scheme(Schemes.openai())
                        .secret(VECTOR_SECRET)
                        .clock(new TestClock(Instant.ofEpochSecond(VECTOR_TIMESTAMP)))
                        .build(),
                request);

        // then
        assertThat(e.reason()).isEqualTo(Reason.MISSING_HEADER);
    }

    @Test
    void polarAlsoTakesAWhsecSecretAsStandardWebhooksDoes() {
        // given: the vector, to Polar's preset with the whsec_ secret
        WebhookRequest request = WebhookRequest.builder()
                .header("webhook-id", VECTOR_ID)
                .header("webhook-timestamp", Long.toString(VECTOR_TIMESTAMP))
                .header("webhook-signature", VECTOR_SIGNATURE)
                .body(VECTOR_BODY)
                .build();
        WebhookVerifier utf8 = WebhookVerifier.builder()
                .scheme(Schemes.polar())
                .secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") // the same text without whsec_: its UTF-8 bytes
                .clock(new TestClock(Instant.ofEpochSecond(VECTOR_TIMESTAMP)))
                .build();

        // when
        VerifiedWebhook webhook = WebhookVerifier.builder()
                .scheme(Schemes.polar())
                .secret(VECTOR_SECRET)
                .clock(new TestClock(Instant.ofEpochSecond(VECTOR_TIMESTAMP)))
                .build()
                .verify(request);

        // then
        assertThat(webhook.schemeId()).isEqualTo("polar");
        assertThat(refusal(utf8, request).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    private static String hmac(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
