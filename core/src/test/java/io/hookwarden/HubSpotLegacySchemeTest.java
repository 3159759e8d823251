package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * HubSpot's v1 and v2 signatures against the three examples HubSpot publishes (legacydocs.hubspot.com, "Validating the
 * v1 request signature", last updated 2020-06-17, and "Validating the v2 request signature", 2025-01-07): client secret
 * {@code yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy}, each with its expected hash.
 */
class HubSpotLegacySchemeTest {
    private static final String SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    private static final String V1_BODY = "[{\"eventId\":1,\"subscriptionId\":12345,\"portalId\":62515,"
            + "\"occurredAt\":1564113600000,\"subscriptionType\":\"contact.creation\",\"attemptNumber\":0,"
            + "\"objectId\":123,\"changeSource\":\"CRM\",\"changeFlag\":\"NEW\",\"appId\":54321}]";
    private static final String V1_HASH = "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de";
    private static final String V2_URL = "https://www.example.com/webhook_uri";
    private static final String V2_BODY = "{\"example_field\":\"example_value\"}";
    private static final String V2_POST_HASH = "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900";
    private static final String V2_GET_HASH = "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e";

    static WebhookVerifier verifier(Scheme scheme, String secret) {
        return WebhookVerifier.builder().scheme(scheme).secret(secret).build();
    }

    static WebhookRequest request(String method, String url, String body, String version, String signature) {
        WebhookRequest.Builder b = WebhookRequest.builder().method(method).body(body);
        if (url != null) {
            b.url(url);
        }
        if (version != null) {
            b.header("X-HubSpot-Signature-Version", version);
        }
        return b.header("X-HubSpot-Signature", signature).build();
    }

    @Test
    void theV1ExampleVerifiesAndNamesItsEventType() {
        WebhookRequest request = request("POST", null, V1_BODY, "v1", V1_HASH);

        VerifiedWebhook webhook = verifier(Schemes.hubspotLegacy(), SECRET).verify(request);

        assertThat(webhook.schemeId()).isEqualTo("hubspot-legacy");
        assertThat(webhook.eventType()).contains("contact.creation");
        assertThat(webhook.timestamp()).isEmpty();
    }

    @Test
    void theV2ExamplesVerifyForPostAndGet() {
        WebhookVerifier verifier = verifier(Schemes.hubspotLegacy(), SECRET);

        assertThat(verifier.verify(request("POST", V2_URL, V2_BODY, "v2", V2_POST_HASH))
                        .schemeId())
                .isEqualTo("hubspot-legacy");
        assertThat(verifier.verify(request("GET", V2_URL, "", "v2", V2_GET_HASH))
                        .schemeId())
                .isEqualTo("hubspot-legacy");
    }

    @Test
    void whatEachVersionSignsIsChecked() {
        WebhookVerifier verifier = verifier(Schemes.hubspotLegacy(), SECRET);

        assertThat(refusal(verifier, request("POST", null, V1_BODY + " ", "v1", V1_HASH))
                        .reason())
                .as("v1: the body")
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier, request("PUT", V2_URL, V2_BODY, "v2", V2_POST_HASH))
                        .reason())
                .as("v2: the method")
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier, request("POST", V2_URL + "?x=1", V2_BODY, "v2", V2_POST_HASH))
                        .reason())
                .as("v2: the URI")
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier, request("POST", V2_URL, V2_BODY, "v1", V2_POST_HASH))
                        .reason())
                .as("a v2 signature offered as v1")
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(
                                verifier(Schemes.hubspotLegacy(), "another-client-secret-0123"),
                                request("POST", null, V1_BODY, "v1", V1_HASH))
                        .reason())
                .as("another secret")
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void upperCaseHexIsTheSameSignature() {
        WebhookRequest request = request("POST", null, V1_BODY, "v1", V1_HASH.toUpperCase(Locale.ROOT));

        assertThat(verifier(Schemes.hubspotLegacy(), SECRET).verify(request).schemeId())
                .isEqualTo("hubspot-legacy");
    }

    @Test
    void theConfiguredUrlIsSignedInsteadOfTheRequestsBehindAProxy() {
        // the application sees http://internal:8080/... after TLS ended at the proxy; HubSpot signed the public URL
        WebhookRequest request = request("POST", "http://internal:8080/webhook_uri", V2_BODY, "v2", V2_POST_HASH);

        assertThat(refusal(verifier(Schemes.hubspotLegacy(), SECRET), request).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(verifier(Schemes.hubspotLegacy().webhookUrl(V2_URL), SECRET)
                        .verify(request)
                        .schemeId())
                .isEqualTo("hubspot-legacy");
        assertThatThrownBy(() -> Schemes.hubspotLegacy().webhookUrl(V2_URL).webhookUrl(V2_URL))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Schemes.hubspotLegacy().webhookUrl("/webhook_uri"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute");
    }

    @Test
    void aMissingUnknownOrUnusableVersionIsRefusedBeforeAnyHash() {
        WebhookVerifier verifier = verifier(Schemes.hubspotLegacy(), SECRET);

        assertThat(refusal(verifier, request("POST", null, V1_BODY, null, V1_HASH))
                        .reason())
                .isEqualTo(Reason.MISSING_HEADER);
        assertThat(refusal(verifier, request("POST", null, V1_BODY, "v3", V1_HASH))
                        .reason())
                .isEqualTo(Reason.MALFORMED_HEADER);
        WebhookVerificationException noUrl = refusal(verifier, request("POST", null, V2_BODY, "v2", V2_POST_HASH));
        assertThat(noUrl.reason()).isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(noUrl.getMessage()).contains("URI").doesNotContain(SECRET);
    }

    @Test
    void theSignerSignsV2WhenItKnowsTheUrlAndV1Otherwise() {
        WebhookSigner signer = WebhookSigner.builder()
                .scheme(Schemes.hubspotLegacy())
                .secret(SECRET)
                .build();

        WebhookRequest v2 = signer.sign(WebhookMessage.body(V2_BODY).url(V2_URL).build());
        WebhookRequest v1 = signer.sign(WebhookMessage.body(V1_BODY).build());

        assertThat(v2.headers().first("X-HubSpot-Signature-Version")).contains("v2");
        assertThat(v2.headers().first("X-HubSpot-Signature")).contains(V2_POST_HASH);
        assertThat(v1.headers().first("X-HubSpot-Signature-Version")).contains("v1");
        assertThat(v1.headers().first("X-HubSpot-Signature")).contains(V1_HASH);
    }

    @Test
    void aRetryOfTheSameRequestIsADuplicateThoughNoIdIsSent() {
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(verifier(Schemes.hubspotLegacy(), SECRET))
                .dedupeStore(InMemoryDedupeStore.builder().build())
                .build();
        WebhookRequest request = request("POST", null, V1_BODY, "v1", V1_HASH);

        Outcome first = receiver.receive(request);
        assertThat(first).isInstanceOf(Outcome.Accepted.class);
        ((Outcome.Accepted) first).delivery().finish(200);
        Outcome retry = receiver.receive(request);

        assertThat(retry).isInstanceOf(Outcome.Duplicate.class);
    }
}
