package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Adyen: classic notifications signed item by item inside the body, and platform webhooks signed in {@code
 * HmacSignature}. Deliveries are signed here with the JDK's {@link Mac} over the fields Adyen's {@code HMACValidator}
 * joins; the SDK's own vectors are in {@link ProviderVectorsTest}.
 */
class AdyenSchemeTest {
    static final String KEY = "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00";
    static final String OTHER_KEY = "9064450A8892A093D9E97EFCC9639DE31B74F3A7803135555A3C96F5A57915D6";

    static String mac(String hexKey, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(hexKey), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** An item as Adyen writes it, signed with {@code hexKey} over its eight fields. */
    static String item(String hexKey, String psp, String eventCode, long value, String reason) {
        String data = psp + "::ShopAccount:order-" + psp + ":" + value + ":EUR:" + eventCode + ":true";
        return "{\"NotificationRequestItem\":{\"additionalData\":{\"hmacSignature\":\"" + mac(hexKey, data)
                + "\",\"authCode\":\"052095\"},\"amount\":{\"currency\":\"EUR\",\"value\":" + value
                + "},\"eventCode\":\"" + eventCode + "\",\"eventDate\":\"2026-03-01T12:00:00+01:00\","
                + "\"merchantAccountCode\":\"ShopAccount\",\"merchantReference\":\"order-" + psp
                + "\",\"pspReference\":\"" + psp + "\",\"reason\":\"" + reason + "\",\"success\":\"true\"}}";
    }

    static WebhookRequest notification(String... items) {
        return WebhookRequest.builder()
                .header("Content-Type", "application/json")
                .body("{\"live\":\"false\",\"notificationItems\":[" + String.join(",", items) + "]}")
                .build();
    }

    static WebhookVerifier verifier(String key) {
        return WebhookVerifier.builder()
                .scheme(Schemes.adyen())
                .secret(key)
                .clock(SchemeCase.CLOCK)
                .build();
    }

    @Test
    void verifiesANotificationAndReadsItsIdAndType() {
        VerifiedWebhook webhook =
                verifier(KEY).verify(notification(item(KEY, "ZVWN7D3WSMK2WN82", "AUTHORISATION", 1000, "ok")));

        assertThat(webhook.schemeId()).isEqualTo("adyen");
        assertThat(webhook.id()).contains("ZVWN7D3WSMK2WN82:AUTHORISATION");
        assertThat(webhook.eventType()).contains("AUTHORISATION");
        assertThat(webhook.timestamp()).isEmpty();
    }

    @Test
    void verifiesABatchWhoseEveryItemIsSignedAndNamesEachItemInTheId() {
        VerifiedWebhook webhook = verifier(KEY)
                .verify(notification(
                        item(KEY, "PSP1", "AUTHORISATION", 1000, "ok"), item(KEY, "PSP2", "CAPTURE", 500, "ok")));

        assertThat(webhook.id()).contains("PSP1:AUTHORISATION,PSP2:CAPTURE");
        assertThat(webhook.eventType()).contains("AUTHORISATION");
    }

    @Test
    void refusesABatchWithOneItemSignedByAnotherKey() {
        WebhookRequest batch = notification(
                item(KEY, "PSP1", "AUTHORISATION", 1000, "ok"), item(OTHER_KEY, "PSP2", "CAPTURE", 500, "ok"));

        assertThat(refusal(verifier(KEY), batch).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier(OTHER_KEY), batch).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesASignedFieldChanged() {
        String body = new String(
                notification(item(KEY, "PSP1", "AUTHORISATION", 1000, "ok")).body(), StandardCharsets.UTF_8);

        WebhookRequest tampered = notification().toBuilder()
                .body(body.replace("\"value\":1000", "\"value\":100000"))
                .build();

        assertThat(refusal(verifier(KEY), tampered).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void acceptsAChangeToAFieldAdyenDoesNotSign() {
        // Adyen's signature covers eight fields of the item, not the reason or the rest of additionalData
        String body = new String(
                notification(item(KEY, "PSP1", "AUTHORISATION", 1000, "ok")).body(), StandardCharsets.UTF_8);

        WebhookRequest changed = notification().toBuilder()
                .body(body.replace("\"reason\":\"ok\"", "\"reason\":\"changed\""))
                .build();

        assertThat(verifier(KEY).verify(changed).id()).contains("PSP1:AUTHORISATION");
    }

    @Test
    void refusesANotificationSignedWithAnotherKey() {
        WebhookRequest request = notification(item(OTHER_KEY, "PSP1", "AUTHORISATION", 1000, "ok"));

        assertThat(refusal(verifier(KEY), request).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesBodiesThatAreNotSignedNotifications() {
        WebhookVerifier verifier = verifier(KEY);
        String unsigned = "{\"NotificationRequestItem\":{\"pspReference\":\"PSP1\",\"eventCode\":\"AUTHORISATION\"}}";

        assertThat(refusal(verifier, notification(unsigned)).reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(refusal(verifier, notification()).reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(refusal(verifier, WebhookRequest.builder().body("not json").build())
                        .reason())
                .isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(refusal(verifier, notification("[]")).reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
    }

    @Test
    void signsEveryItemOfTheMessage() {
        String unsigned = "{\"live\":\"false\",\"notificationItems\":["
                + "{\"NotificationRequestItem\":{\"pspReference\":\"PSP1\",\"eventCode\":\"AUTHORISATION\","
                + "\"amount\":{\"currency\":\"EUR\",\"value\":1000},\"success\":\"true\"}},"
                + "{\"NotificationRequestItem\":{\"pspReference\":\"PSP2\",\"eventCode\":\"REFUND\","
                + "\"additionalData\":{\"a\":\"b\"},\"success\":\"false\"}}]}";

        WebhookRequest signed = WebhookSigner.builder()
                .scheme(Schemes.adyen())
                .secret(KEY)
                .build()
                .sign(WebhookMessage.body(unsigned).build());

        String body = new String(signed.body(), StandardCharsets.UTF_8);
        assertThat(body).contains(mac(KEY, "PSP1::::1000:EUR:AUTHORISATION:true"));
        assertThat(body).contains(mac(KEY, "PSP2::::::REFUND:false"));
        assertThat(verifier(KEY).verify(signed).id()).contains("PSP1:AUTHORISATION,PSP2:REFUND");
    }

    @Test
    void refusesAKeyThatIsNotHex() {
        assertThatThrownBy(() -> verifier("not-a-hex-hmac-key-at-all"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not valid hex");
    }

    static WebhookVerifier platformVerifier(String key) {
        return WebhookVerifier.builder()
                .scheme(Schemes.adyenPlatform())
                .secret(key)
                .clock(SchemeCase.CLOCK)
                .build();
    }

    @Test
    void platformWebhookVerifiesItsHeaderAndReadsItsType() {
        String body =
                "{\"data\":{\"id\":\"BA1\"},\"environment\":\"test\",\"type\":\"balancePlatform.balanceAccount.updated\"}";

        VerifiedWebhook webhook = platformVerifier(KEY)
                .verify(WebhookRequest.builder()
                        .header("HmacSignature", mac(KEY, body))
                        .body(body)
                        .build());

        assertThat(webhook.schemeId()).isEqualTo("adyen-platform");
        assertThat(webhook.eventType()).contains("balancePlatform.balanceAccount.updated");
    }

    @Test
    void platformWebhookRefusesATamperedBodyAndAnotherKey() {
        String body = "{\"data\":{\"id\":\"BA1\"},\"type\":\"balancePlatform.balanceAccount.updated\"}";
        WebhookRequest signed = WebhookRequest.builder()
                .header("HmacSignature", mac(KEY, body))
                .body(body)
                .build();

        assertThat(refusal(
                                platformVerifier(KEY),
                                signed.toBuilder()
                                        .body(body.replace("BA1", "BA2"))
                                        .build())
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(platformVerifier(OTHER_KEY), signed).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(platformVerifier(KEY), TestRequests.withoutHeader(signed, "HmacSignature"))
                        .reason())
                .isEqualTo(Reason.MISSING_HEADER);
    }
}
