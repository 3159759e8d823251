package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile bodies cost bounded memory and time: the bounded parser refuses them with MALFORMED_PAYLOAD and a message
 * that names the limit or the location, never the content. Asserted on the reason, never on time.
 */
class BoundedParsingTest {
    /** A verifier for Stripe that lets bodies far past the default 1 MiB through, so the parser's limits are hit. */
    private static final WebhookVerifier GENEROUS = WebhookVerifier.builder()
            .scheme(Schemes.stripe())
            .keys(Keys.of(SchemeCase.STRIPE.sample().verifying()))
            .clock(SchemeCase.CLOCK)
            .maxBodyBytes(128L << 20)
            .build();

    @Test
    void refusesOneHundredThousandLevelsOfNesting() {
        String body = "[".repeat(100_000) + "]".repeat(100_000);

        InvalidPayloadException refused = refusedJson(body);

        assertThat(refused.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(refused.getMessage()).contains("nesting depth", "64");
    }

    @Test
    void refusesAFiftyMegabyteNumber() {
        byte[] body = new byte[50_000_000 + 8];
        Arrays.fill(body, (byte) '7');
        byte[] head = "{\"n\":".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, body, 0, head.length);
        body[body.length - 1] = '}';

        InvalidPayloadException refused = refusedJson(body);

        assertThat(refused.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(refused.getMessage())
                .contains("exceeds a JSON parsing limit")
                .doesNotContain("7777");
    }

    @Test
    void refusesAStringLongerThanOneMebibyte() {
        String body = "{\"memo\":\"" + "x".repeat((1 << 20) + 1) + "\"}";

        InvalidPayloadException refused = refusedJson(body);

        assertThat(refused.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(refused.getMessage()).contains("String value length").doesNotContain("xxxx");
    }

    @Test
    void refusesAMemberNameLongerThanTheLimit() {
        String body = "{\"" + "k".repeat(5000) + "\":1}";

        InvalidPayloadException refused = refusedJson(body);

        assertThat(refused.getMessage()).contains("Name length").doesNotContain("kkkk");
    }

    @Test
    void refusesDuplicateMemberNamesWithoutNamingThem() {
        String body = "{\"id\":\"evt_1\",\"amount\":1,\"secretish_member\":2,\"secretish_member\":3}";

        InvalidPayloadException refused = refusedJson(body);

        assertThat(refused.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(refused.getMessage())
                .contains("a member name is given twice", "line 1")
                .doesNotContain("secretish");
    }

    @ParameterizedTest(name = "body {0}")
    @ValueSource(strings = {"", "not json", "{\"id\":", "{} {}", "{\"a\":1}x", "{'a':1}", "[1,]"})
    void refusesBodiesThatAreNotOneJsonDocument(String body) {
        InvalidPayloadException refused = refusedJson(body);

        assertThat(refused.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(refused.violations()).isEmpty();
        if (body.length() > 3) {
            assertThat(refused.getMessage()).doesNotContain(body);
        }
    }

    @Test
    void aRealisticEventParsesOnceAndIsShared() {
        VerifiedWebhook webhook = GENEROUS.verify(Payloads.stripe(Payloads.text("invoice.paid")));

        assertThat(webhook.json()).isSameAs(webhook.json());
        assertThat(webhook.jsonIfPresent()).containsSame(webhook.json());
        assertThat(webhook.id()).contains("evt_1PqR8sLkdIwHu7ix0aBcDeFg");
        assertThat(webhook.json().at("/data/object/amount_paid").asInt()).isEqualTo(2000);
    }

    @Test
    void jsonIfPresentIsEmptyForAHostileBodyAndNeverThrows() {
        VerifiedWebhook webhook = GENEROUS.verify(Payloads.stripe("[".repeat(100_000)));

        assertThat(webhook.jsonIfPresent()).isEmpty();
        assertThat(webhook.id()).isEmpty();
    }

    @Test
    void decodesFormEncodedBodiesInOrderKeepingRepeatedNames() {
        // given: a Slack slash command
        String body = "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&command=%2Fweather&text=94070+%26+more"
                + "&channel=C1&channel=C2&empty=&flag";

        // when
        Map<String, List<String>> form = GENEROUS.verify(Payloads.stripe(body)).form();

        // then
        assertThat(form.keySet()).containsExactly("token", "team_id", "command", "text", "channel", "empty", "flag");
        assertThat(form.get("command")).containsExactly("/weather");
        assertThat(form.get("text")).containsExactly("94070 & more");
        assertThat(form.get("channel")).containsExactly("C1", "C2");
        assertThat(form.get("empty")).containsExactly("");
        assertThat(form.get("flag")).containsExactly("");
    }

    @Test
    void refusesAFormWithABrokenEscapeWithoutEchoingIt() {
        VerifiedWebhook webhook = GENEROUS.verify(Payloads.stripe("a=1&secretish=%zz"));

        InvalidPayloadException refused = catchThrowableOfType(InvalidPayloadException.class, webhook::form);

        assertThat(refused.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(refused.getMessage()).contains("parameter 2").doesNotContain("secretish", "%zz");
    }

    @Test
    void refusesAFormWithTooManyParameters() {
        VerifiedWebhook webhook = GENEROUS.verify(Payloads.stripe("a=1&".repeat(10_001)));

        InvalidPayloadException refused = catchThrowableOfType(InvalidPayloadException.class, webhook::form);

        assertThat(refused.getMessage()).contains("more than 10000 parameters");
    }

    private static InvalidPayloadException refusedJson(String body) {
        return refusedJson(body.getBytes(StandardCharsets.UTF_8));
    }

    private static InvalidPayloadException refusedJson(byte[] body) {
        VerifiedWebhook webhook = GENEROUS.verify(SchemeCase.STRIPE.sampleRequest(body, SchemeCase.NOW));
        return catchThrowableOfType(InvalidPayloadException.class, webhook::json);
    }
}
