package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * HubSpot's v3 signature, computed here with the JDK's {@link Mac} as HubSpot's documentation describes it (method +
 * URI + body + timestamp, base64 HMAC-SHA256 with the client secret). HubSpot's SDKs publish no fixed v3 vector (their
 * test signs at run time), so these are the cases.
 */
class HubSpotSchemeTest {
    private static final String SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    private static final String URL = "https://www.example.com/webhook_uri?portal=62515";
    private static final String BODY = "[{\"eventId\":1,\"subscriptionId\":12345,\"portalId\":62515,"
            + "\"subscriptionType\":\"contact.creation\",\"objectId\":123}]";
    private static final Instant NOW = SchemeCase.NOW;

    static String sign(String method, String uri, String body, long millis) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder()
                    .encodeToString(mac.doFinal((method + uri + body + millis).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static WebhookRequest delivery(String url, String signature, long millis) {
        return WebhookRequest.builder()
                .url(url)
                .header("X-HubSpot-Signature-v3", signature)
                .header("X-HubSpot-Request-Timestamp", Long.toString(millis))
                .header("X-HubSpot-Signature-Version", "v1")
                .body(BODY)
                .build();
    }

    static WebhookVerifier verifier(Scheme scheme) {
        return WebhookVerifier.builder()
                .scheme(scheme)
                .secret(SECRET)
                .clock(new TestClock(NOW))
                .build();
    }

    @Test
    void verifiesMethodUriBodyAndTimestamp() {
        // given
        long millis = NOW.toEpochMilli();
        WebhookRequest request = delivery(URL, sign("POST", URL, BODY, millis), millis);

        // when
        VerifiedWebhook webhook = verifier(Schemes.hubspot()).verify(request);

        // then
        assertThat(Schemes.byId("hubspot")).isSameAs(Schemes.hubspot());
        assertThat(webhook.schemeId()).isEqualTo("hubspot");
        assertThat(webhook.timestamp()).contains(NOW);
        assertThat(webhook.eventType()).contains("contact.creation");
        assertThat(refusal(
                                verifier(Schemes.hubspot()),
                                request.toBuilder().method("PUT").build())
                        .reason())
                .as("the method is signed")
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(
                                verifier(Schemes.hubspot()),
                                request.toBuilder().url(URL + "&x=1").build())
                        .reason())
                .as("the URI is signed")
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier(Schemes.hubspot()), delivery(URL, sign("POST", URL, BODY, millis), millis + 1))
                        .reason())
                .as("the timestamp is signed")
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void theListedEscapesAreDecodedBeforeSigningAndTheUrlAsReceivedIsAlsoAccepted() {
        // given: HubSpot calls ...?next=https%3A%2F%2Fa.example%2Fb%20c and signs it decoded (but not %20)
        long millis = NOW.toEpochMilli();
        String received = "https://www.example.com/hook?next=https%3A%2F%2Fa.example%2Fb%20c%2a";
        String decoded = "https://www.example.com/hook?next=https://a.example/b%20c*";
        WebhookRequest signedDecoded = delivery(received, sign("POST", decoded, BODY, millis), millis);
        WebhookRequest signedAsReceived = delivery(received, sign("POST", received, BODY, millis), millis);

        // then
        assertThat(HubSpotScheme.decoded(received)).isEqualTo(decoded);
        assertThat(verifier(Schemes.hubspot()).verify(signedDecoded).matchedKey())
                .isEqualTo("key-1");
        assertThat(verifier(Schemes.hubspot()).verify(signedAsReceived).matchedKey())
                .isEqualTo("key-1");
    }

    @Test
    void theWindowIsFiveMinutesBothWaysInMilliseconds() {
        long old = NOW.minusMillis(300_001).toEpochMilli();
        long ahead = NOW.plusMillis(300_001).toEpochMilli();
        long seconds = NOW.getEpochSecond();

        assertThat(refusal(verifier(Schemes.hubspot()), delivery(URL, sign("POST", URL, BODY, old), old))
                        .reason())
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        assertThat(refusal(verifier(Schemes.hubspot()), delivery(URL, sign("POST", URL, BODY, ahead), ahead))
                        .reason())
                .isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        assertThat(refusal(verifier(Schemes.hubspot()), delivery(URL, sign("POST", URL, BODY, seconds), seconds))
                        .reason())
                .as("seconds read as milliseconds are 1970")
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    }

    @Test
    void theConfiguredUrlOrTheForwardedOneStandsForTheProxysUrl() {
        // given
        long millis = NOW.toEpochMilli();
        WebhookRequest behindProxy = WebhookRequest.builder()
                .url("http://app:8080/webhook_uri?portal=62515")
                .remoteAddress("10.9.8.7")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "www.example.com")
                .header("X-HubSpot-Signature-v3", sign("POST", URL, BODY, millis))
                .header("X-HubSpot-Request-Timestamp", Long.toString(millis))
                .body(BODY)
                .build();

        // then
        assertThat(refusal(verifier(Schemes.hubspot()), behindProxy).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(verifier(Schemes.hubspot().webhookUrl(URL))
                        .verify(behindProxy)
                        .matchedKey())
                .isEqualTo("key-1");
        assertThat(verifier(Schemes.hubspot().trustedProxies("10.0.0.0/8"))
                        .verify(behindProxy)
                        .matchedKey())
                .isEqualTo("key-1");
        assertThat(refusal(
                                verifier(Schemes.hubspot().trustedProxies("10.0.0.0/8")),
                                behindProxy.toBuilder()
                                        .remoteAddress("198.51.100.4")
                                        .build())
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void theSignerWritesWhatHubSpotSends() {
        // when
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(Schemes.hubspot())
                .secret(SECRET)
                .clock(new TestClock(NOW))
                .build()
                .sign(WebhookMessage.body(BODY).url(URL).build());

        // then
        long millis = NOW.toEpochMilli();
        assertThat(signed.headers().first("X-HubSpot-Request-Timestamp")).contains(Long.toString(millis));
        assertThat(signed.headers().first("X-HubSpot-Signature-v3")).contains(sign("POST", URL, BODY, millis));
        assertThat(verifier(Schemes.hubspot()).verify(signed).eventType()).contains("contact.creation");
    }

    @Test
    void refusesWhatHubSpotDoesNotSend() {
        long millis = NOW.toEpochMilli();

        assertThat(refusal(
                                verifier(Schemes.hubspot()),
                                WebhookRequest.builder().url(URL).body(BODY).build())
                        .reason())
                .isEqualTo(Reason.MISSING_HEADER);
        assertThat(refusal(
                                verifier(Schemes.hubspot()),
                                WebhookRequest.builder()
                                        .header("X-HubSpot-Signature-v3", sign("POST", URL, BODY, millis))
                                        .header("X-HubSpot-Request-Timestamp", Long.toString(millis))
                                        .body(BODY)
                                        .build())
                        .reason())
                .isEqualTo(Reason.MALFORMED_HEADER);
        assertThatThrownBy(() -> Schemes.hubspot().webhookUrl("example.com/hook"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhookUrl must be an absolute http(s) URL but was example.com/hook");
        assertThatThrownBy(() -> WebhookSigner.builder()
                        .scheme(Schemes.hubspot())
                        .secret(SECRET)
                        .build()
                        .sign(WebhookMessage.body(BODY).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scheme hubspot signs the request URI: give the message a url");
    }
}
