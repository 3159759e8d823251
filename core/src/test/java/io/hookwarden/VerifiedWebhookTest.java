package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The id and event type of a verified delivery: from the scheme's headers, or from the JSON body, never an error. */
class VerifiedWebhookTest {

    @Test
    void githubTakesIdAndEventTypeFromItsHeaders() {
        // given
        WebhookRequest request = SchemeCase.GITHUB
                .signer(SchemeCase.GITHUB.sample().signing())
                .sign(WebhookMessage.body("{\"id\":\"not-this\",\"type\":\"nor-this\"}")
                        .id("72d3162e-cc78-11e3-81ab-4c9367dc0958")
                        .eventType("pull_request")
                        .build());

        // when
        VerifiedWebhook webhook = SchemeCase.GITHUB.sampleVerifier().verify(request);

        // then
        assertThat(request.headers().first("X-GitHub-Delivery")).contains("72d3162e-cc78-11e3-81ab-4c9367dc0958");
        assertThat(webhook.id()).contains("72d3162e-cc78-11e3-81ab-4c9367dc0958");
        assertThat(webhook.eventType()).contains("pull_request");
        assertThat(webhook.timestamp()).isEmpty();
        assertThat(webhook.schemeId()).isEqualTo("github");
    }

    @Test
    void githubWithoutDeliveryOrEventHeadersHasNeither() {
        // given
        WebhookRequest signed = SchemeCase.GITHUB.sampleRequest();
        WebhookRequest request =
                TestRequests.withoutHeader(TestRequests.withoutHeader(signed, "X-GitHub-Delivery"), "X-GitHub-Event");

        // when
        VerifiedWebhook webhook = SchemeCase.GITHUB.sampleVerifier().verify(request);

        // then
        assertThat(webhook.id()).isEmpty();
        assertThat(webhook.eventType()).isEmpty();
    }

    @Test
    void stripeTakesIdAndTypeFromTheBody() {
        // when
        VerifiedWebhook webhook = verified(
                SchemeCase.STRIPE,
                "{\"id\":\"evt_1NG8Du\",\"object\":\"event\","
                        + "\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":{\"id\":\"pi_1\"}}}");

        // then
        assertThat(webhook.id()).contains("evt_1NG8Du");
        assertThat(webhook.eventType()).contains("payment_intent.succeeded");
        assertThat(webhook.toString()).contains("evt_1NG8Du", "payment_intent.succeeded", "key-1");
    }

    @Test
    void standardWebhooksTakesIdFromTheHeaderAndTypeFromTheBody() {
        // when
        VerifiedWebhook webhook =
                verified(SchemeCase.STANDARD_WEBHOOKS, "{\"id\":\"not-this\",\"type\":\"invoice.paid\"}");

        // then
        assertThat(webhook.id()).contains("msg_2Yq5s7");
        assertThat(webhook.eventType()).contains("invoice.paid");
        assertThat(webhook.timestamp()).contains(SchemeCase.NOW);
    }

    @Test
    void svixTakesTypeFromTheBodyToo() {
        // when
        VerifiedWebhook webhook = verified(SchemeCase.SVIX, "{\"type\":\"user.created\"}");

        // then
        assertThat(webhook.id()).contains("msg_2Yq5s7");
        assertThat(webhook.eventType()).contains("user.created");
    }

    @Test
    void slackTakesTheEventIdAndTheInnerEventTypeFirst() {
        // when
        VerifiedWebhook inner = verified(
                SchemeCase.SLACK,
                "{\"type\":\"event_callback\",\"event_id\":\"Ev08MFMKH6\",\"event\":{\"type\":\"app_mention\"}}");
        VerifiedWebhook outer = verified(SchemeCase.SLACK, "{\"type\":\"url_verification\",\"challenge\":\"x\"}");

        // then
        assertThat(inner.id()).contains("Ev08MFMKH6");
        assertThat(inner.eventType()).contains("app_mention");
        assertThat(outer.id()).isEmpty();
        assertThat(outer.eventType()).contains("url_verification");
    }

    @Test
    void numericIdsAreReadAsText() {
        // when
        VerifiedWebhook webhook = verified(SchemeCase.STRIPE, "{\"id\":12345,\"type\":\"x\"}");

        // then
        assertThat(webhook.id()).contains("12345");
    }

    @ParameterizedTest(name = "body {0}")
    @ValueSource(
            strings = {
                "",
                "not json",
                "{\"id\":",
                "[1,2,3]",
                "\"evt_1\"",
                "null",
                "{\"id\":{\"nested\":1},\"type\":[\"a\"]}",
                "{\"id\":null,\"type\":true}",
            })
    void bodyWithoutUsableFieldsHasNoIdAndNoTypeAndNeverThrows(String body) {
        for (SchemeCase c : new SchemeCase[] {SchemeCase.STRIPE, SchemeCase.SLACK, SchemeCase.STANDARD_WEBHOOKS}) {
            // when
            VerifiedWebhook webhook = verified(c, body);

            // then
            assertThat(webhook.eventType()).as(c.name()).isEmpty();
            if (c.deliveryIdHeader() == null) {
                assertThat(webhook.id()).as(c.name()).isEmpty();
            }
        }
    }

    @Test
    void deeplyNestedBodyHasNoFieldsAndNeverThrows() {
        // given: nesting beyond the parser's limit of 64
        String body = "{\"id\":\"evt_1\",\"data\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

        // when
        VerifiedWebhook webhook = verified(SchemeCase.STRIPE, body);

        // then
        assertThat(webhook.id()).isEmpty();
        assertThat(webhook.eventType()).isEmpty();
    }

    @Test
    void exposesTheVerifiedRequestAndItsBodyAsText() {
        // when
        VerifiedWebhook webhook = verified(SchemeCase.STRIPE, "{\"id\":\"evt_é\"}");

        // then
        assertThat(webhook.bodyText()).isEqualTo("{\"id\":\"evt_é\"}");
        assertThat(webhook.request().headers().contains("Stripe-Signature")).isTrue();
        assertThat(webhook.id()).contains("evt_é");
    }

    private static VerifiedWebhook verified(SchemeCase c, String body) {
        return c.sampleVerifier().verify(c.sampleRequest(body.getBytes(StandardCharsets.UTF_8), SchemeCase.NOW));
    }
}
