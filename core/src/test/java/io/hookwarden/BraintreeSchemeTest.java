package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Braintree: {@code bt_signature} / {@code bt_payload} form bodies and the {@code bt_challenge} verification, as {@code
 * WebhookNotificationGateway} in braintree/braintree_java checks and answers them. Deliveries are signed here with the
 * JDK ({@code HmacSHA1} keyed with the SHA-1 of the private key, as the SDK's {@code Sha1Hasher} does).
 */
class BraintreeSchemeTest {
    /** The SDK's integration test credentials, and its published challenge answer. */
    static final String SDK_SECRET = "integration_public_key:integration_private_key";

    static final String SECRET = "my_public_key:8c2a6f1e9b4d7a03c5e1f2a9";
    static final String XML = "<notification><kind>check</kind><subject><check type=\"boolean\">true</check>"
            + "</subject></notification>";

    static String hmac(String privateKey, String content) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-1").digest(privateKey.getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static WebhookRequest form(String signature, String payload) {
        return WebhookRequest.builder()
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("bt_signature=" + URLEncoder.encode(signature, StandardCharsets.UTF_8) + "&bt_payload="
                        + URLEncoder.encode(payload, StandardCharsets.UTF_8))
                .build();
    }

    static String payload() {
        return Base64.getEncoder().encodeToString(XML.getBytes(StandardCharsets.UTF_8));
    }

    static WebhookVerifier verifier(String secret) {
        return WebhookVerifier.builder()
                .scheme(Schemes.braintree())
                .secret(secret)
                .clock(SchemeCase.CLOCK)
                .build();
    }

    static WebhookReceiver receiver(String secret) {
        return WebhookReceiver.builder().verifier(verifier(secret)).build();
    }

    @Test
    void answersTheSdksPublishedChallenge() {
        // braintree/braintree_java@264e555a WebhookNotificationIT.createsVerificationString
        Outcome outcome = receiver(SDK_SECRET)
                .receive(WebhookRequest.builder()
                        .method("GET")
                        .url("https://hooks.example.com/braintree?bt_challenge=20f9f8ed05f77439fe955c977e4c8a53")
                        .build());

        assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
        HttpAnswer answer = outcome.answer();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                .isEqualTo("integration_public_key|d9b899556c966b3f06945ec21311865d35df3ce4");
    }

    @Test
    void refusesAChallengeThatIsNotHex() {
        Outcome outcome = receiver(SDK_SECRET)
                .receive(WebhookRequest.builder()
                        .method("GET")
                        .url("https://hooks.example.com/braintree?bt_challenge=bad%20challenge")
                        .build());

        assertThat(outcome.answer().status()).isEqualTo(400);
    }

    @Test
    void refusesAPayloadSignedByTheChallengeAnswer() {
        // given: a forger asks the endpoint's challenge answer for a MAC over hex digits, which are also base64
        String challenge = "0123456789abcdef0123";
        HttpAnswer answer = receiver(SECRET)
                .receive(WebhookRequest.builder()
                        .method("GET")
                        .url("https://hooks.example.com/braintree?bt_challenge=" + challenge)
                        .build())
                .answer();
        String pair = new String(answer.body(), StandardCharsets.UTF_8);
        assertThat(pair).isEqualTo("my_public_key|" + hmac("8c2a6f1e9b4d7a03c5e1f2a9", challenge));

        // when: the answer is sent as the signature of that payload
        WebhookVerificationException e = refusal(verifier(SECRET), form(pair, challenge));

        // then
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(refusal(verifier(SECRET), form(pair, challenge + "\n")).reason())
                .isEqualTo(Reason.MALFORMED_PAYLOAD);
    }

    @Test
    void verifiesAPayloadSignedForItsPublicKeyAmongOthers() {
        String signature = "other_public_key|" + hmac("another-private-key", payload()) + "&my_public_key|"
                + hmac("8c2a6f1e9b4d7a03c5e1f2a9", payload());

        VerifiedWebhook webhook = verifier(SECRET).verify(form(signature, payload()));

        assertThat(webhook.schemeId()).isEqualTo("braintree");
        assertThat(webhook.matchedKey()).isEqualTo("key-1");
        assertThat(webhook.form().get("bt_payload")).containsExactly(payload());
    }

    @Test
    void verifiesTheLegacySignatureOverThePayloadWithATrailingNewline() {
        String signature = "my_public_key|" + hmac("8c2a6f1e9b4d7a03c5e1f2a9", payload() + "\n");

        assertThat(verifier(SECRET).verify(form(signature, payload())).schemeId())
                .isEqualTo("braintree");
    }

    @Test
    void refusesATamperedPayload() {
        String signature = "my_public_key|" + hmac("8c2a6f1e9b4d7a03c5e1f2a9", payload());
        String tampered =
                Base64.getEncoder().encodeToString(XML.replace("true", "fals").getBytes(StandardCharsets.UTF_8));

        assertThat(refusal(verifier(SECRET), form(signature, tampered)).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesASignatureMadeWithAnotherPrivateKeyOrForAnotherPublicKey() {
        String wrongKey = "my_public_key|" + hmac("another-private-key", payload());
        String otherPublicKey = "other_public_key|" + hmac("8c2a6f1e9b4d7a03c5e1f2a9", payload());

        assertThat(refusal(verifier(SECRET), form(wrongKey, payload())).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier(SECRET), form(otherPublicKey, payload())).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesMalformedForms() {
        String signature = "my_public_key|" + hmac("8c2a6f1e9b4d7a03c5e1f2a9", payload());
        WebhookVerifier verifier = verifier(SECRET);

        assertThat(refusal(verifier, form(signature, "not base64!")).reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(refusal(verifier, form("no-pair-here", payload())).reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(refusal(
                                verifier,
                                WebhookRequest.builder()
                                        .body("bt_payload=" + payload())
                                        .build())
                        .reason())
                .isEqualTo(Reason.MALFORMED_PAYLOAD);
    }

    @Test
    void signsAsTheSdksTestingGatewayDoes() {
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(Schemes.braintree())
                .secret(SECRET)
                .build()
                .sign(WebhookMessage.body(XML).build());

        VerifiedWebhook webhook = verifier(SECRET).verify(signed);
        assertThat(webhook.form().get("bt_signature"))
                .containsExactly("my_public_key|" + hmac("8c2a6f1e9b4d7a03c5e1f2a9", payload()));
        assertThat(webhook.form().get("bt_payload")).containsExactly(payload());
    }

    @Test
    void refusesASecretThatIsNotPublicKeyColonPrivateKey() {
        assertThatThrownBy(() -> verifier("only-a-private-key"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not publicKey:privateKey")
                .hasMessageNotContaining("only-a-private-key");
        assertThatThrownBy(() -> verifier("pub:short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too short");
    }
}
