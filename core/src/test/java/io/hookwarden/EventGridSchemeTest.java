package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Azure Event Grid (issue 16): the query secret, the subscription validation answered only once the secret verified,
 * the first event's id and type, and the secret kept out of every URL the delivery carries on.
 */
class EventGridSchemeTest {
    static final String SECRET = "grid-secret-4Qm7Xz2Lp9";
    static final String URL = "https://hooks.example.com/grid?code=" + SECRET;
    static final String VALIDATION = "[{\"id\":\"2d1781af-3a4c-4d7c-bd0c-e34b19da4e66\",\"topic\":\"/subscriptions/x\","
            + "\"subject\":\"\",\"data\":{\"validationCode\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\","
            + "\"validationUrl\":\"https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/s/validate?id=1\"},"
            + "\"eventType\":\"Microsoft.EventGrid.SubscriptionValidationEvent\","
            + "\"eventTime\":\"2018-01-25T22:12:19.4556811Z\",\"metadataVersion\":\"1\",\"dataVersion\":\"1\"}]";
    static final String BLOB_CREATED = "[{\"id\":\"831e1650-001e-001b-66ab-eeb76e069631\","
            + "\"topic\":\"/subscriptions/x/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a\","
            + "\"subject\":\"/blobServices/default/containers/c/blobs/b.json\","
            + "\"eventType\":\"Microsoft.Storage.BlobCreated\",\"eventTime\":\"2017-06-26T18:41:00.9584103Z\","
            + "\"data\":{\"api\":\"PutBlockList\"},\"dataVersion\":\"\",\"metadataVersion\":\"1\"}]";

    final WebhookReceiver receiver = WebhookReceiver.builder()
            .verifier(WebhookVerifier.builder()
                    .scheme(Schemes.eventGrid())
                    .secret(SECRET)
                    .build())
            .dedupeStore(InMemoryDedupeStore.builder().build())
            .build();

    static WebhookRequest post(String url, String body) {
        return WebhookRequest.builder()
                .method("POST")
                .url(url)
                .header("Content-Type", "application/json")
                .header(
                        "aeg-event-type",
                        body.contains("SubscriptionValidation") ? "SubscriptionValidation" : "Notification")
                .body(body)
                .build();
    }

    @Test
    void theSubscriptionValidationIsAnsweredWithItsCode() {
        Outcome outcome = receiver.receive(post(URL, VALIDATION));

        assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
        assertThat(outcome.answer().status()).isEqualTo(200);
        assertThat(new String(outcome.answer().body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"validationResponse\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\"}");
    }

    @Test
    void aValidationWithoutTheSecretIsRefusedAndNotAnswered() {
        Outcome wrong = receiver.receive(post("https://hooks.example.com/grid?code=guessed-secret-1", VALIDATION));
        Outcome none = receiver.receive(post("https://hooks.example.com/grid", VALIDATION));

        assertThat(((Outcome.Rejected) wrong).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(((Outcome.Rejected) none).reason()).isEqualTo(Reason.MISSING_HEADER);
        assertThat(new String(wrong.answer().body(), StandardCharsets.UTF_8)).doesNotContain("512d38b6");
    }

    @Test
    void anEventIsAcceptedWithItsIdAndTypeAndTheSecretMasked() {
        Outcome outcome = receiver.receive(post(URL, BLOB_CREATED));

        assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        VerifiedWebhook webhook = ((Outcome.Accepted) outcome).delivery().webhook();
        assertThat(webhook.id()).contains("831e1650-001e-001b-66ab-eeb76e069631");
        assertThat(webhook.eventType()).contains("Microsoft.Storage.BlobCreated");
        assertThat(webhook.request().url().orElseThrow()).doesNotContain(SECRET).contains("code=***");
        assertThat(webhook.matchedKey()).isEqualTo("key-1");
    }

    @Test
    void aValidationWithoutAUsableCodeIsAMalformedPayload() {
        String noCode = VALIDATION.replace("\"validationCode\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\",", "");
        String badCode = VALIDATION.replace("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", "<script>");

        assertThat(((Outcome.Rejected) receiver.receive(post(URL, noCode))).reason())
                .isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(((Outcome.Rejected) receiver.receive(post(URL, badCode))).reason())
                .isEqualTo(Reason.MALFORMED_PAYLOAD);
    }

    @Test
    void anotherQueryParameterCanCarryTheSecret() {
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.eventGrid("key"))
                .secret(SECRET)
                .build();

        assertThat(verifier.verify(post("https://hooks.example.com/grid?key=" + SECRET, BLOB_CREATED))
                        .schemeId())
                .isEqualTo("event-grid");
        assertThat(Schemes.byId("event-grid")).isSameAs(Schemes.eventGrid());
    }
}
