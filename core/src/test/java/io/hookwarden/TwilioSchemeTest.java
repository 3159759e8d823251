package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Twilio's URL handling: the port toggled, the URL rebuilt behind a trusted proxy and only there, the JSON variant.
 */
class TwilioSchemeTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String PUBLIC_URL = "https://hooks.example.com/twilio/sms?tenant=7";
    private static final String FORM = "MessageSid=SM1&Body=Hello+world&From=%2B14155550100";

    private static WebhookRequest signedFor(String url) {
        return WebhookSigner.builder()
                .scheme(Schemes.twilio())
                .secret(TOKEN)
                .build()
                .sign(WebhookMessage.body(FORM).url(url).build());
    }

    private static WebhookVerifier verifier(Scheme scheme) {
        return WebhookVerifier.builder().scheme(scheme).secret(TOKEN).build();
    }

    /** The request as the application server behind the proxy sees it. */
    private static WebhookRequest behindProxy(WebhookRequest signed, String remote, String... headers) {
        WebhookRequest.Builder b =
                signed.toBuilder().url("http://app:8080/twilio/sms?tenant=7").remoteAddress(remote);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    @Test
    void signsAFormBodyAsAFormAndVerifiesIt() {
        WebhookRequest request = signedFor(PUBLIC_URL);

        assertThat(request.headers().first("Content-Type")).contains("application/x-www-form-urlencoded");
        assertThat(verifier(Schemes.twilio()).verify(request).matchedKey()).isEqualTo("key-1");
    }

    @Test
    void parameterOrderInTheBodyDoesNotMatterButValuesDo() {
        WebhookRequest request = signedFor(PUBLIC_URL);
        WebhookRequest reordered = request.toBuilder()
                .body("From=%2B14155550100&Body=Hello+world&MessageSid=SM1")
                .build();
        WebhookRequest changed = request.toBuilder()
                .body("MessageSid=SM1&Body=Hello+worle&From=%2B14155550100")
                .build();

        assertThat(verifier(Schemes.twilio()).verify(reordered).matchedKey()).isEqualTo("key-1");
        assertThat(refusal(verifier(Schemes.twilio()), changed).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void acceptsTheUrlWithTheDefaultPortAddedOrRemoved() {
        WebhookRequest signedWithPort = signedFor("https://hooks.example.com:443/twilio/sms?tenant=7");
        WebhookRequest receivedWithout =
                signedWithPort.toBuilder().url(PUBLIC_URL).build();
        WebhookRequest signedWithout = signedFor(PUBLIC_URL);
        WebhookRequest receivedWith = signedWithout.toBuilder()
                .url("https://hooks.example.com:443/twilio/sms?tenant=7")
                .build();

        assertThat(verifier(Schemes.twilio()).verify(receivedWithout).matchedKey())
                .isEqualTo("key-1");
        assertThat(verifier(Schemes.twilio()).verify(receivedWith).matchedKey()).isEqualTo("key-1");
    }

    @Test
    void refusesAnotherHostOrPath() {
        WebhookRequest request = signedFor(PUBLIC_URL);

        assertThat(refusal(
                                verifier(Schemes.twilio()),
                                request.toBuilder()
                                        .url("https://evil.example.com/twilio/sms?tenant=7")
                                        .build())
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(
                                verifier(Schemes.twilio()),
                                request.toBuilder()
                                        .url("https://hooks.example.com/twilio/sms?tenant=8")
                                        .build())
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void rebuildsTheUrlFromXForwardedHeadersOfATrustedProxy() {
        WebhookRequest request = behindProxy(
                signedFor(PUBLIC_URL),
                "10.1.2.3",
                "X-Forwarded-Proto",
                "https",
                "X-Forwarded-Host",
                "hooks.example.com");

        VerifiedWebhook webhook =
                verifier(Schemes.twilio().trustedProxies("10.0.0.0/8")).verify(request);

        assertThat(webhook.matchedKey()).isEqualTo("key-1");
    }

    @Test
    void rebuildsTheUrlFromTheForwardedHeaderUsingItsLastElement() {
        WebhookRequest request = behindProxy(
                signedFor(PUBLIC_URL),
                "fd00::7",
                "Forwarded",
                "for=203.0.113.9;proto=http;host=spoofed.example, for=198.51.100.1;proto=https;host=\"hooks.example.com\"");

        VerifiedWebhook webhook =
                verifier(Schemes.twilio().trustedProxies("fd00::/8")).verify(request);

        assertThat(webhook.matchedKey()).isEqualTo("key-1");
    }

    @Test
    void usesTheForwardedPortAndStillTogglesIt() {
        WebhookRequest request = behindProxy(
                signedFor(PUBLIC_URL),
                "10.1.2.3",
                "X-Forwarded-Proto",
                "https",
                "X-Forwarded-Host",
                "hooks.example.com",
                "X-Forwarded-Port",
                "443");

        assertThat(verifier(Schemes.twilio().trustedProxies("10.1.2.3"))
                        .verify(request)
                        .matchedKey())
                .isEqualTo("key-1");
    }

    @Test
    void ignoresForwardingHeadersFromAnUntrustedAddress() {
        WebhookRequest request = behindProxy(
                signedFor(PUBLIC_URL),
                "203.0.113.50",
                "X-Forwarded-Proto",
                "https",
                "X-Forwarded-Host",
                "hooks.example.com");

        assertThat(refusal(verifier(Schemes.twilio().trustedProxies("10.0.0.0/8")), request)
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void ignoresForwardingHeadersWithoutAnyTrustedProxyOrRemoteAddress() {
        WebhookRequest fromProxy = behindProxy(
                signedFor(PUBLIC_URL),
                "10.1.2.3",
                "X-Forwarded-Proto",
                "https",
                "X-Forwarded-Host",
                "hooks.example.com");
        WebhookRequest noRemote = fromProxy.toBuilder().remoteAddress(null).build();

        assertThat(refusal(verifier(Schemes.twilio()), fromProxy).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier(Schemes.twilio().trustedProxies("10.0.0.0/8")), noRemote)
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void ignoresAForwardedHostThatIsNotAHost() {
        WebhookRequest request = behindProxy(
                signedFor("https://hooks.example.com/evil/twilio/sms?tenant=7"),
                "10.1.2.3",
                "X-Forwarded-Proto",
                "https",
                "X-Forwarded-Host",
                "hooks.example.com/evil");

        assertThat(refusal(verifier(Schemes.twilio().trustedProxies("10.0.0.0/8")), request)
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesBadTrustedProxiesAtConfiguration() {
        assertThatThrownBy(() -> Schemes.twilio().trustedProxies("proxy.internal"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("proxy.internal");
        assertThatThrownBy(() -> Schemes.twilio().trustedProxies("10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> Schemes.twilio().trustedProxies()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schemes.twilio().trustedProxies("10.0.0.1").trustedProxies("10.0.0.2"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void signsAJsonBodyThroughBodySha256InTheUrl() {
        byte[] json = "{\"property\":\"value\"}".getBytes(StandardCharsets.UTF_8);
        WebhookRequest request = WebhookSigner.builder()
                .scheme(Schemes.twilio())
                .secret(TOKEN)
                .build()
                .sign(WebhookMessage.body(json).url(PUBLIC_URL).build());

        assertThat(request.url())
                .hasValueSatisfying(url ->
                        assertThat(url).startsWith(PUBLIC_URL + "&bodySHA256=").endsWith(TwilioScheme.sha256Hex(json)));
        assertThat(request.headers().first("Content-Type")).contains("application/json");
        assertThat(verifier(Schemes.twilio()).verify(request).matchedKey()).isEqualTo("key-1");
        assertThat(refusal(
                                verifier(Schemes.twilio()),
                                request.toBuilder()
                                        .body("{\"property\":\"other\"}")
                                        .build())
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesADeliveryWhoseUrlIsUnknown() {
        WebhookRequest request = signedFor(PUBLIC_URL).toBuilder().url(null).build();

        assertThat(refusal(verifier(Schemes.twilio()), request).reason()).isEqualTo(Reason.MALFORMED_HEADER);
    }

    @Test
    void squareUsesTheConfiguredNotificationUrlOverTheRequestUrl() {
        String key = "Ibxx_5AKakO-3qeNVR61Dw";
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(Schemes.square())
                .secret(key)
                .build()
                .sign(WebhookMessage.body("{\"event_id\":\"e1\"}")
                        .url(PUBLIC_URL)
                        .build());
        WebhookRequest internal =
                signed.toBuilder().url("http://app:8080/square").build();

        VerifiedWebhook webhook = WebhookVerifier.builder()
                .scheme(Schemes.square().notificationUrl(PUBLIC_URL))
                .secret(key)
                .build()
                .verify(internal);

        assertThat(webhook.id()).contains("e1");
        assertThat(refusal(
                                WebhookVerifier.builder()
                                        .scheme(Schemes.square())
                                        .secret(key)
                                        .build(),
                                internal)
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }
}
