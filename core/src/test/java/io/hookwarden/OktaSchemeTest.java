package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Okta event hooks (issue 16): the authentication secret as the whole {@code Authorization} value, and the one-time
 * verification request answered only to Okta. The requests follow Okta's documentation
 * (https://developer.okta.com/docs/concepts/event-hooks/): the verification {@code GET} with {@code
 * X-Okta-Verification-Challenge} and the configured {@code Authorization}, and an event delivery whose {@code eventId}
 * names it; the Basic secret is the guide's own example, {@code admin:supersecret}
 * (https://developer.okta.com/docs/guides/secure-hooks/main/). Okta publishes no test vectors.
 */
class OktaSchemeTest {
    /** The guide's Authentication secret: {@code Basic } and base64("admin:supersecret"). */
    static final String BASIC_SECRET = "Basic YWRtaW46c3VwZXJzZWNyZXQ=";

    static final String PLAIN_SECRET = "my-shared-secret";
    static final String CHALLENGE = "Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg";
    static final String DELIVERY = "{\"eventType\":\"com.okta.event_hook\",\"eventTypeVersion\":\"1.0\","
            + "\"cloudEventsVersion\":\"0.1\",\"source\":\"https://example.okta.com/api/v1/eventHooks/whoql0HfiLGPWc8Jx0g3\","
            + "\"eventId\":\"b5a188b9-5ece-4636-b041-482ffda96311\",\"data\":{\"events\":[{\"uuid\":"
            + "\"7b3e5a0e-50d9-11e9-9b3b-0b4f2a2e5d35\",\"eventType\":\"user.session.start\"}]},"
            + "\"eventTime\":\"2019-03-27T16:59:53.032Z\",\"contentType\":\"application/json\"}";

    static final ObjectMapper JSON = new ObjectMapper();

    static WebhookRequest delivery(String authorization) {
        return WebhookRequest.builder()
                .method("POST")
                .url("https://hooks.example.com/okta")
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .body(DELIVERY.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static WebhookRequest verificationRequest(String authorization) {
        WebhookRequest.Builder request = WebhookRequest.builder()
                .method("GET")
                .url("https://hooks.example.com/okta")
                .header("User-Agent", "Okta-Integrations")
                .header("Accept", "application/json")
                .header("X-Okta-Request-Id", "XOZfPkReFFZ10KWyGkzAMwAAADA")
                .header("X-Okta-Verification-Challenge", CHALLENGE);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    static WebhookReceiver receiver(String... secrets) {
        return WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.okta())
                        .keys(Keys.of(secrets))
                        .build())
                .dedupeStore(InMemoryDedupeStore.create())
                .build();
    }

    @Test
    void aDeliveryCarryingTheBasicSecretVerifiesAndIsNamedByItsEventId() {
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.okta())
                .keys(Keys.of(BASIC_SECRET))
                .build();

        VerifiedWebhook webhook = verifier.verify(delivery(BASIC_SECRET));

        assertThat(webhook.schemeId()).isEqualTo("okta");
        assertThat(webhook.id()).contains("b5a188b9-5ece-4636-b041-482ffda96311");
        assertThat(webhook.matchedKey()).isEqualTo("key-1");
    }

    @Test
    void aPlainSecretIsComparedAsTheWholeHeaderValue() {
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.okta())
                .keys(Keys.of(PLAIN_SECRET))
                .build();

        assertThat(verifier.verify(delivery(PLAIN_SECRET)).matchedKey()).isEqualTo("key-1");
        assertThat(refusal(verifier, delivery("Bearer " + PLAIN_SECRET)).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void aWrongSecretIsAMismatchAndNoAuthorizationAMissingHeaderNeitherEchoed() {
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.okta())
                .keys(Keys.of(BASIC_SECRET))
                .build();
        WebhookRequest bare = WebhookRequest.builder()
                .method("POST")
                .body(DELIVERY.getBytes(StandardCharsets.UTF_8))
                .build();
        String otherCredentials = "Basic YWRtaW46bm90c2VjcmV0";

        WebhookVerificationException wrong = refusal(verifier, delivery(otherCredentials));

        assertThat(wrong.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(wrong.getMessage())
                .contains("header Authorization")
                .doesNotContain(BASIC_SECRET)
                .doesNotContain(otherCredentials);
        assertThat(refusal(verifier, bare).reason()).isEqualTo(Reason.MISSING_HEADER);
    }

    @Test
    void theVerificationRequestIsAnsweredWithItsChallengeWhenItsAuthorizationMatches() throws Exception {
        Outcome outcome = receiver("an-older-okta-secret", BASIC_SECRET).receive(verificationRequest(BASIC_SECRET));

        assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
        HttpAnswer answer = outcome.answer();
        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.bodyText());
        assertThat(body.get("verification").asText()).isEqualTo(CHALLENGE);
        assertThat(body.size()).isEqualTo(1);
    }

    @Test
    void aVerificationRequestWithoutTheSecretIsRefusedAndItsChallengeNeverEchoed() {
        Outcome wrong = receiver(BASIC_SECRET).receive(verificationRequest("Basic YWRtaW46bm90c2VjcmV0"));
        Outcome none = receiver(BASIC_SECRET).receive(verificationRequest(null));

        assertThat(wrong).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH));
        assertThat(wrong.answer().bodyText()).doesNotContain(CHALLENGE);
        assertThat(none).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(Reason.MISSING_HEADER));
    }

    @Test
    void aChallengeThatIsNotATokenIsRefusedNotEchoed() {
        WebhookRequest request = verificationRequest(BASIC_SECRET).toBuilder()
                .headers(Headers.builder()
                        .add("Authorization", BASIC_SECRET)
                        .add("X-Okta-Verification-Challenge", "<script>alert(1)</script>")
                        .build())
                .build();

        Outcome outcome = receiver(BASIC_SECRET).receive(request);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(Reason.MALFORMED_HEADER));
        assertThat(outcome.answer().bodyText()).doesNotContain("<script>");
    }

    @Test
    void aGetWithoutAChallengeIsNotAHandshakeButA405() {
        WebhookRequest get = WebhookRequest.builder()
                .method("GET")
                .url("https://hooks.example.com/okta")
                .header("Authorization", BASIC_SECRET)
                .build();

        Outcome outcome = receiver(BASIC_SECRET).receive(get);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(Reason.METHOD_NOT_ALLOWED));
    }

    @Test
    void aDeliveryOktaRepeatsIsADuplicateByItsEventId() {
        WebhookReceiver receiver = receiver(BASIC_SECRET);
        try (Delivery first = ((Outcome.Accepted) receiver.receive(delivery(BASIC_SECRET))).delivery()) {
            first.complete();
        }

        assertThat(receiver.receive(delivery(BASIC_SECRET))).isInstanceOf(Outcome.Duplicate.class);
    }

    @Test
    void theSignerSendsTheSecretAsOktaDoes() {
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(Schemes.okta())
                .secret(BASIC_SECRET)
                .build()
                .sign(WebhookMessage.body(DELIVERY).build());

        assertThat(signed.headers().first("Authorization")).contains(BASIC_SECRET);
    }

    @Test
    void aSecretShorterThanEightBytesIsRefusedWhenTheVerifierIsBuilt() {
        Throwable thrown = catchThrowable(() -> WebhookVerifier.builder()
                .scheme(Schemes.okta())
                .keys(Keys.of("okta-1"))
                .build());

        assertThat(thrown)
                .isInstanceOfSatisfying(InvalidSecretException.class, e -> assertThat(e.scheme())
                        .isEqualTo("okta"))
                .hasMessageNotContaining("okta-1");
    }
}
