package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Contentful's request verification: the canonical request (method, normalised path, signed headers, body) as {@code
 * verifyRequest} in contentful/node-apps-toolkit builds it.
 *
 * <p>The toolkit's own tests sign at run time and publish no fixed signature, so the two reference signatures here were
 * computed by the toolkit's {@code signRequest} itself (its {@code sign-request.ts} and {@code utils.ts} at commit
 * 42bf35ea1397612aa0377b68492c651492e18e90, run under Node 20 with the type declarations and argument validators left
 * out), with the toolkit tests' secret (64 times {@code a}) and timestamp ({@code 1603379941037}).
 */
class ContentfulSchemeTest {
    static final String TOOLKIT_SECRET = "a".repeat(64);
    static final long TOOLKIT_TIMESTAMP = 1603379941037L;
    static final Instant AT = Instant.ofEpochMilli(TOOLKIT_TIMESTAMP);
    static final String BODY = "{\"sys\":{\"id\":\"5KsDBWseXY6QegucYAoacS\",\"type\":\"Entry\"}}";

    static WebhookVerifier verifier(String secret, Instant now) {
        return WebhookVerifier.builder()
                .scheme(Schemes.contentful())
                .secret(secret)
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
    }

    /** The toolkit's first reference request: two headers of the request signed besides its own two. */
    static WebhookRequest toolkitRequest() {
        return WebhookRequest.builder()
                .url("https://hooks.example.com/webhooks/contentful")
                .header("Content-Type", "application/vnd.contentful.management.v1+json")
                .header("X-Contentful-Topic", "ContentManagement.Entry.publish")
                .header("x-contentful-timestamp", Long.toString(TOOLKIT_TIMESTAMP))
                .header(
                        "x-contentful-signed-headers",
                        "content-type,x-contentful-signed-headers,x-contentful-timestamp,x-contentful-topic")
                .header("x-contentful-signature", "4886b437221ca93adfe55ec2c8457cc99473ad8e1ff3f52f1c03ae8e003ddf69")
                .body(BODY)
                .build();
    }

    @Test
    void verifiesTheToolkitsSignatureOfARequestWithSignedHeaders() {
        VerifiedWebhook webhook = verifier(TOOLKIT_SECRET, AT).verify(toolkitRequest());

        assertThat(webhook.schemeId()).isEqualTo("contentful");
        assertThat(webhook.eventType()).contains("ContentManagement.Entry.publish");
        assertThat(webhook.timestamp()).contains(AT);
    }

    @Test
    void verifiesTheToolkitsSignatureOfAQueryNormalisedTwiceAndABodyOutsideAscii() {
        // given: the toolkit signs querystring.escape then encodeURI of the query: /hooks/in?tenant%253D7%2526q...
        WebhookRequest request = WebhookRequest.builder()
                .url("https://hooks.example.com/hooks/in?tenant=7&q=a%20b")
                .header("X-Contentful-Topic", "ContentManagement.Entry.publish")
                .header("x-contentful-timestamp", Long.toString(TOOLKIT_TIMESTAMP))
                .header(
                        "x-contentful-signed-headers",
                        "x-contentful-signed-headers,x-contentful-timestamp,x-contentful-topic")
                .header("x-contentful-signature", "6860f9fa0f524c2033d0c72b16a450a49cc2d50c3d832e46ffd77038c7f3f4f7")
                .body("{\"sys\":{\"id\":\"é\"}}")
                .build();

        assertThat(ContentfulScheme.path("https://hooks.example.com/hooks/in?tenant=7&q=a%20b"))
                .isEqualTo("/hooks/in?tenant%253D7%2526q%253Da%252520b");
        assertThat(verifier(TOOLKIT_SECRET, AT).verify(request).schemeId()).isEqualTo("contentful");
    }

    @Test
    void refusesTheToolkitRequestWithAChangedBodyPathMethodOrSignedHeader() {
        WebhookVerifier verifier = verifier(TOOLKIT_SECRET, AT);
        WebhookRequest original = toolkitRequest();

        assertThat(refusal(
                                verifier,
                                original.toBuilder()
                                        .body(BODY.replace("Entry", "Asset"))
                                        .build())
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier, TestRequests.withUrl(original, "https://hooks.example.com/webhooks/other"))
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier, original.toBuilder().method("PUT").build()).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(
                                verifier,
                                TestRequests.withHeader(
                                        original, "X-Contentful-Topic", "ContentManagement.Entry.delete"))
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void ignoresAHeaderThatIsNotSigned() {
        WebhookRequest request = TestRequests.withHeader(toolkitRequest(), "X-Forwarded-For", "203.0.113.9");

        assertThat(verifier(TOOLKIT_SECRET, AT).verify(request).schemeId()).isEqualTo("contentful");
    }

    @Test
    void refusesTheToolkitRequestWithAnotherSecret() {
        assertThat(refusal(verifier("b".repeat(64), AT), toolkitRequest()).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesATimestampOutsideTheWindowBothWays() {
        WebhookVerifier late = WebhookVerifier.builder()
                .scheme(Schemes.contentful())
                .secret(TOOLKIT_SECRET)
                .tolerance(Duration.ofSeconds(30))
                .clock(Clock.fixed(AT.plusSeconds(31), ZoneOffset.UTC))
                .build();
        WebhookVerifier early = WebhookVerifier.builder()
                .scheme(Schemes.contentful())
                .secret(TOOLKIT_SECRET)
                .tolerance(Duration.ofSeconds(30))
                .clock(Clock.fixed(AT.minusSeconds(31), ZoneOffset.UTC))
                .build();

        assertThat(refusal(late, toolkitRequest()).reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        assertThat(refusal(early, toolkitRequest()).reason()).isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
    }

    @Test
    void refusesMissingOrMalformedSigningHeaders() {
        WebhookVerifier verifier = verifier(TOOLKIT_SECRET, AT);
        WebhookRequest original = toolkitRequest();

        assertThat(refusal(verifier, TestRequests.withoutHeader(original, "x-contentful-signature"))
                        .reason())
                .isEqualTo(Reason.MISSING_HEADER);
        assertThat(refusal(verifier, TestRequests.withoutHeader(original, "x-contentful-timestamp"))
                        .reason())
                .isEqualTo(Reason.MISSING_HEADER);
        assertThat(refusal(verifier, TestRequests.withHeader(original, "x-contentful-signed-headers", "content-type"))
                        .reason())
                .isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(refusal(verifier, TestRequests.withHeader(original, "x-contentful-timestamp", "1500000000000"))
                        .reason())
                .isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(refusal(verifier, TestRequests.withHeader(original, "x-contentful-signature", "abc"))
                        .reason())
                .isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(refusal(verifier, original.toBuilder().url(null).build()).reason())
                .isEqualTo(Reason.MALFORMED_HEADER);
    }

    @Test
    void signsWhatItVerifiesAndTheToolkitWouldAccept() {
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(Schemes.contentful())
                .secret(TOOLKIT_SECRET)
                .clock(Clock.fixed(AT, ZoneOffset.UTC))
                .build()
                .sign(WebhookMessage.body(BODY)
                        .eventType("ContentManagement.Entry.publish")
                        .url("https://hooks.example.com/webhooks/contentful")
                        .build());

        assertThat(signed.headers().first("x-contentful-signed-headers"))
                .contains("x-contentful-signed-headers,x-contentful-timestamp,x-contentful-topic");
        assertThat(signed.headers().first("x-contentful-timestamp")).contains(Long.toString(TOOLKIT_TIMESTAMP));
        assertThat(verifier(TOOLKIT_SECRET, AT).verify(signed).eventType()).contains("ContentManagement.Entry.publish");
    }

    @Test
    void theSignerNeedsAUrl() {
        WebhookSigner signer = WebhookSigner.builder()
                .scheme(Schemes.contentful())
                .secret(TOOLKIT_SECRET)
                .build();

        assertThatThrownBy(() -> signer.sign(WebhookMessage.body(BODY).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give the message a url");
    }
}
