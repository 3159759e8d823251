package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * DocuSign Connect: numbered signature headers, one per active HMAC key, computed here with the JDK's {@link Mac} as
 * DocuSign's {@code ComputeHash} example does (the key's text as UTF-8, base64 of HMAC-SHA256 over the body).
 */
class DocuSignSchemeTest {
    private static final String OLD_KEY = "hmac-key-one-QUJDREVGR0g=";
    private static final String NEW_KEY = "hmac-key-two-SUpLTE1OT1A=";
    private static final String BODY =
            "{\"event\":\"envelope-completed\",\"apiVersion\":\"v2.1\",\"data\":{\"envelopeId\":\"93be49ab\"}}";

    static String sign(String key, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static WebhookVerifier verifier(Keys keys) {
        return WebhookVerifier.builder()
                .scheme(Schemes.docusign())
                .keys(keys)
                .clock(SchemeCase.CLOCK)
                .build();
    }

    @Test
    void anyNumberedSignatureMatchingAnyKeyVerifies() {
        // given: the account has two keys; the endpoint knows only the new one
        WebhookRequest request = WebhookRequest.builder()
                .header("X-DocuSign-Signature-1", sign(OLD_KEY, BODY))
                .header("x-docusign-signature-2", sign(NEW_KEY, BODY))
                .header("X-Authorization-Digest", "HMACSHA256")
                .body(BODY)
                .build();

        // when
        VerifiedWebhook webhook =
                verifier(Keys.builder().add("new", NEW_KEY).build()).verify(request);

        // then
        assertThat(Schemes.byId("docusign")).isSameAs(Schemes.docusign());
        assertThat(webhook.schemeId()).isEqualTo("docusign");
        assertThat(webhook.matchedKey()).isEqualTo("new");
        assertThat(webhook.eventType()).contains("envelope-completed");
        assertThat(webhook.timestamp()).isEmpty();
        assertThat(refusal(verifier(Keys.of("another-key-entirely")), request).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(
                                verifier(Keys.of(NEW_KEY)),
                                request.toBuilder()
                                        .body(BODY.replace("completed", "voided"))
                                        .build())
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void onlyNumberedHeadersCountAndTheirNumberIsBounded() {
        // given
        WebhookRequest unnumbered = WebhookRequest.builder()
                .header("X-DocuSign-Signature", sign(NEW_KEY, BODY))
                .header("X-DocuSign-Signature-x", sign(NEW_KEY, BODY))
                .header("X-DocuSign-Signature-1000", sign(NEW_KEY, BODY))
                .body(BODY)
                .build();
        WebhookRequest.Builder many = WebhookRequest.builder().body(BODY);
        for (int i = 1; i <= 101; i++) {
            many.header("X-DocuSign-Signature-" + i, sign(NEW_KEY, BODY));
        }

        // then
        assertThat(refusal(verifier(Keys.of(NEW_KEY)), unnumbered).reason()).isEqualTo(Reason.MISSING_HEADER);
        assertThat(refusal(verifier(Keys.of(NEW_KEY)), many.build()).reason()).isEqualTo(Reason.MALFORMED_HEADER);
    }

    @Test
    void theSignerWritesTheFirstHeader() {
        // when
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(Schemes.docusign())
                .secret(NEW_KEY)
                .build()
                .sign(WebhookMessage.body(BODY).build());

        // then
        assertThat(signed.headers().first("X-DocuSign-Signature-1")).contains(sign(NEW_KEY, BODY));
        assertThat(verifier(Keys.of(NEW_KEY)).verify(signed).matchedKey()).isEqualTo("key-1");
    }
}
