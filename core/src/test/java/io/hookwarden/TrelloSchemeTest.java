package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Trello: base64 HMAC-SHA1 over the body and the callback URL, computed here with the JDK's {@link Mac} as Trello's
 * documentation describes it, the callback URL behind a proxy, the "binary" signing of text beyond ASCII, and the
 * {@code HEAD} check of a new callback URL.
 */
class TrelloSchemeTest {
    private static final String SECRET = "trello-oauth-application-secret-0f3a";
    private static final String CALLBACK = "https://hooks.example.com/trello?board=5f1a";
    private static final String BODY =
            "{\"action\":{\"id\":\"5f1a2b3c4d5e\",\"type\":\"updateCard\",\"data\":{}},\"model\":{\"id\":\"5f1a\"}}";

    /** Base64 HMAC-SHA1 over {@code content}, one byte per UTF-16 unit (its low 8 bits), as Trello's signer does. */
    static String trelloSignature(String secret, String content) {
        byte[] binary = new byte[content.length()];
        for (int i = 0; i < content.length(); i++) {
            binary[i] = (byte) content.charAt(i);
        }
        return base64Sha1(secret, binary);
    }

    static String base64Sha1(String secret, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static WebhookVerifier verifier(Scheme scheme) {
        return WebhookVerifier.builder()
                .scheme(scheme)
                .secret(SECRET)
                .clock(SchemeCase.CLOCK)
                .build();
    }

    @Test
    void verifiesADeliverySignedOverTheBodyAndTheRequestsUrl() {
        // given
        WebhookRequest request = WebhookRequest.builder()
                .url(CALLBACK)
                .header("X-Trello-Webhook", trelloSignature(SECRET, BODY + CALLBACK))
                .body(BODY)
                .build();

        // when
        VerifiedWebhook webhook = verifier(Schemes.trello()).verify(request);

        // then
        assertThat(Schemes.byId("trello")).isSameAs(Schemes.trello());
        assertThat(webhook.schemeId()).isEqualTo("trello");
        assertThat(webhook.id()).contains("5f1a2b3c4d5e");
        assertThat(webhook.eventType()).contains("updateCard");
        assertThat(webhook.timestamp()).isEmpty();
        assertThat(refusal(
                                verifier(Schemes.trello()),
                                request.toBuilder().url(CALLBACK + "&x=1").build())
                        .reason())
                .as("the URL is signed")
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void theConfiguredCallbackUrlStandsForTheUrlTheApplicationSees() {
        // given: a proxy forwards to http://app:8080/trello
        WebhookRequest request = WebhookRequest.builder()
                .url("http://app:8080/trello")
                .header("X-Trello-Webhook", trelloSignature(SECRET, BODY + CALLBACK))
                .body(BODY)
                .build();

        // then
        assertThat(refusal(verifier(Schemes.trello()), request).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(verifier(Schemes.trello().callbackUrl(CALLBACK))
                        .verify(request)
                        .id())
                .contains("5f1a2b3c4d5e");
    }

    @Test
    void forwardedHeadersAreBelievedOnlyFromTrustedProxies() {
        // given
        WebhookRequest forwarded = WebhookRequest.builder()
                .url("http://app:8080/trello?board=5f1a")
                .remoteAddress("10.1.2.3")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "hooks.example.com")
                .header("X-Trello-Webhook", trelloSignature(SECRET, BODY + CALLBACK))
                .body(BODY)
                .build();
        WebhookRequest fromElsewhere =
                forwarded.toBuilder().remoteAddress("203.0.113.9").build();
        WebhookVerifier behindProxy = verifier(Schemes.trello().trustedProxies("10.0.0.0/8"));

        // then
        assertThat(behindProxy.verify(forwarded).matchedKey()).isEqualTo("key-1");
        assertThat(refusal(behindProxy, fromElsewhere).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void textBeyondAsciiIsSignedAsTrellosBinaryStringsOrAsUtf8() {
        // given: an en dash (U+2013) in a card name, signed both ways
        String body = "{\"action\":{\"id\":\"a1\",\"type\":\"updateCard\",\"data\":{\"name\":\"Q3 \u2013 plan\"}}}";
        WebhookRequest binary = WebhookRequest.builder()
                .url(CALLBACK)
                .header("X-Trello-Webhook", trelloSignature(SECRET, body + CALLBACK))
                .body(body)
                .build();
        WebhookRequest utf8 = WebhookRequest.builder()
                .url(CALLBACK)
                .header("X-Trello-Webhook", base64Sha1(SECRET, (body + CALLBACK).getBytes(StandardCharsets.UTF_8)))
                .body(body)
                .build();
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(Schemes.trello())
                .secret(SECRET)
                .build()
                .sign(WebhookMessage.body(body).url(CALLBACK).build());

        // then
        assertThat(verifier(Schemes.trello()).verify(binary).eventType()).contains("updateCard");
        assertThat(verifier(Schemes.trello()).verify(utf8).eventType()).contains("updateCard");
        assertThat(signed.headers().first("X-Trello-Webhook"))
                .isEqualTo(binary.headers().first("X-Trello-Webhook"));
    }

    @Test
    void theBinaryFormCannotTellApartCharactersWithTheSameLowByteAsTrellosDocumentationImplies() {
        // given: U+2013 signed the binary way, then replaced by U+3013 (the same low byte, 0x13)
        String body = "{\"name\":\"\u2013\"}";
        WebhookRequest signed = WebhookRequest.builder()
                .url(CALLBACK)
                .header("X-Trello-Webhook", trelloSignature(SECRET, body + CALLBACK))
                .body(body)
                .build();
        WebhookRequest swapped =
                signed.toBuilder().body("{\"name\":\"\u3013\"}").build();
        WebhookRequest otherLowByte =
                signed.toBuilder().body("{\"name\":\"\u2014\"}").build();

        // then: Trello's limitation, pinned here so that a change of it is noticed
        assertThat(verifier(Schemes.trello()).verify(swapped).matchedKey()).isEqualTo("key-1");
        assertThat(refusal(verifier(Schemes.trello()), otherLowByte).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void aBodyThatIsNotUtf8IsSignedAsItsBytesSoEveryByteCounts() {
        // given: two invalid UTF-8 bodies that a lenient decoder would both read as U+FFFD
        byte[] first = {'{', (byte) 0x80, '}'};
        byte[] second = {'{', (byte) 0x81, '}'};
        byte[] content = new byte[first.length + CALLBACK.length()];
        System.arraycopy(first, 0, content, 0, first.length);
        System.arraycopy(CALLBACK.getBytes(StandardCharsets.US_ASCII), 0, content, first.length, CALLBACK.length());
        WebhookRequest signed = WebhookRequest.builder()
                .url(CALLBACK)
                .header("X-Trello-Webhook", base64Sha1(SECRET, content))
                .body(first)
                .build();

        // then
        assertThat(verifier(Schemes.trello()).verify(signed).matchedKey()).isEqualTo("key-1");
        assertThat(refusal(
                                verifier(Schemes.trello()),
                                signed.toBuilder().body(second).build())
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void answersTheHeadCheckOfANewCallbackUrlWith200() {
        // given
        WebhookReceiver receiver =
                WebhookReceiver.builder().verifier(verifier(Schemes.trello())).build();
        WebhookRequest head =
                WebhookRequest.builder().method("HEAD").url(CALLBACK).build();

        // when
        Outcome outcome = receiver.receive(head);

        // then
        assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
        assertThat(outcome.answer().status()).isEqualTo(200);
        assertThat(outcome.answer().body()).isEmpty();
    }

    @Test
    void refusesARequestWithoutItsUrlAndAMessageWithoutOne() {
        // given
        WebhookRequest noUrl = WebhookRequest.builder()
                .header("X-Trello-Webhook", trelloSignature(SECRET, BODY + CALLBACK))
                .body(BODY)
                .build();
        WebhookSigner signer =
                WebhookSigner.builder().scheme(Schemes.trello()).secret(SECRET).build();

        // then
        assertThat(refusal(verifier(Schemes.trello()), noUrl).reason()).isEqualTo(Reason.MALFORMED_HEADER);
        assertThatThrownBy(() -> signer.sign(WebhookMessage.body(BODY).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scheme trello signs the callback URL: give the message a url");
    }

    @Test
    void refusesACallbackUrlThatIsNotAbsoluteAndASecondConfiguration() {
        assertThatThrownBy(() -> Schemes.trello().callbackUrl("/trello"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("callbackUrl must be an absolute http(s) URL but was /trello");
        assertThatThrownBy(() -> Schemes.trello().callbackUrl(CALLBACK).trustedProxies("10.0.0.0/8"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Schemes.trello().trustedProxies("10.0.0.0/8").callbackUrl(CALLBACK))
                .isInstanceOf(IllegalStateException.class);
    }
}
