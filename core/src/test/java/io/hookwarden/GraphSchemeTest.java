package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Microsoft Graph change notifications (issue 16): the clientState in every notification, the validation token
 * echoed as plain text before any check, lifecycle notifications, and what is refused.
 */
class GraphSchemeTest {
    static final String STATE = "secretClientValue-5Tq8";
    /** The shape of Graph's documented example notification, with our clientState. */
    static final String NOTIFICATION = "{\"value\":[{\"id\":\"lsgTZMr9KwAAA\",\"subscriptionId\":"
            + "\"{subscription_guid}\",\"subscriptionExpirationDateTime\":\"2016-03-19T22:11:09.952Z\",\"clientState\":\""
            + STATE
            + "\",\"changeType\":\"created\",\"resource\":\"users/{user_guid}@{tenant_guid}/messages/{long_id}\","
            + "\"tenantId\":\"84bd8158-6d4d-4958-8b9f-9d6445542f95\",\"resourceData\":{\"@odata.type\":"
            + "\"#Microsoft.Graph.Message\",\"@odata.id\":\"Users/{user_guid}/Messages/{long_id}\",\"id\":\"{long_id}\"}}]}";

    final WebhookReceiver receiver = WebhookReceiver.builder()
            .verifier(WebhookVerifier.builder()
                    .scheme(Schemes.microsoftGraph())
                    .secret(STATE)
                    .build())
            .dedupeStore(InMemoryDedupeStore.builder().build())
            .build();

    static WebhookRequest post(String url, String body) {
        return WebhookRequest.builder()
                .method("POST")
                .url(url)
                .header("Content-Type", "application/json")
                .body(body)
                .build();
    }

    static String text(Outcome outcome) {
        return new String(outcome.answer().body(), StandardCharsets.UTF_8);
    }

    @Test
    void aNotificationWithTheClientStateIsAcceptedWithItsTypeAndTheBodyHashAsId() {
        Outcome outcome = receiver.receive(post("https://hooks.example.com/graph", NOTIFICATION));

        assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        VerifiedWebhook webhook = ((Outcome.Accepted) outcome).delivery().webhook();
        assertThat(webhook.eventType()).contains("created");
        assertThat(webhook.id())
                .hasValueSatisfying(id -> assertThat(id).startsWith("sha256:").hasSize(71));
        assertThat(webhook.matchedKey()).isEqualTo("key-1");
        ((Outcome.Accepted) outcome).delivery().finish(200);

        Outcome retry = receiver.receive(post("https://hooks.example.com/graph", NOTIFICATION));
        assertThat(retry).isInstanceOf(Outcome.Duplicate.class);
    }

    @Test
    void theValidationTokenIsEchoedAsPlainTextBeforeAnyCheck() {
        String token = "Validation: Testing client application reachability for subscription Request-Id: "
                + "8c6c5c8b-3bd3-4e3c-9f2a-0b5b2c3d4e5f";
        String url = "https://hooks.example.com/graph?validationToken="
                + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);

        Outcome outcome = receiver.receive(post(url, ""));

        assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
        assertThat(outcome.answer().status()).isEqualTo(200);
        assertThat(outcome.answer().headers())
                .containsEntry("Content-Type", "text/plain; charset=utf-8")
                .containsEntry("X-Content-Type-Options", "nosniff");
        assertThat(text(outcome)).isEqualTo(token);
    }

    @Test
    void aValidationTokenThatIsMarkupOrTooLongIsNotEchoed() {
        for (String token : new String[] {"<script>alert(1)</script>", "a".repeat(1025), "line\nbreak"}) {
            String url = "https://hooks.example.com/graph?validationToken="
                    + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);

            Outcome outcome = receiver.receive(post(url, ""));

            assertThat(outcome).as(token).isInstanceOf(Outcome.Rejected.class);
            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.MALFORMED_HEADER);
            assertThat(text(outcome)).doesNotContain("script");
        }
    }

    @Test
    void aWrongMissingOrMixedClientStateIsRefused() {
        String wrong = NOTIFICATION.replace(STATE, "guessedClientValue-1");
        String missing = NOTIFICATION.replace("\"clientState\":\"" + STATE + "\",", "");
        String mixed = "{\"value\":[" + NOTIFICATION.substring(10, NOTIFICATION.length() - 2) + ","
                + wrong.substring(10, wrong.length() - 2) + "]}";

        assertThat(reason(wrong)).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(reason(missing)).isEqualTo(Reason.MISSING_HEADER);
        assertThat(reason(mixed)).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(reason("{\"clientState\":\"" + STATE + "\"}")).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(reason("{\"value\":[],\"clientState\":1}")).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(reason("not json \"clientState\"")).isEqualTo(Reason.MALFORMED_PAYLOAD);
    }

    Reason reason(String body) {
        Outcome outcome = receiver.receive(post("https://hooks.example.com/graph", body));
        assertThat(outcome).as(body).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected) outcome).reason();
    }

    @Test
    void aLifecycleNotificationIsCheckedTheSameWayAndTypedByItsEvent() {
        String lifecycle = "{\"value\":[{\"subscriptionId\":\"{guid}\",\"subscriptionExpirationDateTime\":"
                + "\"2019-03-20T11:00:00.0000000Z\",\"tenantId\":\"{tenant_guid}\",\"clientState\":\"" + STATE
                + "\",\"lifecycleEvent\":\"reauthorizationRequired\"}]}";

        Outcome outcome = receiver.receive(post("https://hooks.example.com/graph", lifecycle));

        assertThat(((Outcome.Accepted) outcome).delivery().webhook().eventType())
                .contains("reauthorizationRequired");
    }

    @Test
    void theTestKitSignsByPuttingTheClientStateInEveryNotification() {
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(Schemes.microsoftGraph())
                .secret(STATE)
                .build()
                .sign(WebhookMessage.body("{\"changeType\":\"updated\",\"resource\":\"me/events/1\"}")
                        .url("https://hooks.example.com/graph")
                        .build());

        assertThat(new String(signed.bodyBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"value\":[{\"changeType\":\"updated\",\"resource\":\"me/events/1\",\"clientState\":\""
                        + STATE + "\"}]}");
        assertThat(receiver.verifier().verify(signed).eventType()).contains("updated");
        assertThatThrownBy(() -> WebhookSigner.builder()
                        .scheme(Schemes.microsoftGraph())
                        .secret(STATE)
                        .build()
                        .sign(WebhookMessage.body("[1]").build()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
