package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The providers that sign an HMAC in a header, added by name with issue 16: each preset verifies a delivery made the
 * way its provider documents it, with the MAC computed here with the JDK's {@link Mac} (not the library's signer), and
 * reads the delivery id, event type and timestamp where the provider puts them. Published vectors are in {@link
 * ProviderVectorsTest}; the sign-then-verify and single-byte-change properties in {@link
 * ProviderRoundTripPropertiesTest}; the handshakes in {@link ProviderHandshakesTest}.
 */
class HmacProviderPresetsTest {
    static final Instant NOW = SchemeCase.NOW;
    static final String SECRET = "provider-signing-secret-4f1c9a";

    /**
     * How one provider documents its signature.
     *
     * @param id the scheme id
     * @param scheme the preset
     * @param header the signature header
     * @param prefix text before the encoded MAC ({@code sha256=}), empty for none
     * @param algorithm the JCA MAC name
     * @param base64 whether the MAC is base64 (else hex)
     * @param timestamped whether the header is {@code t=..,v1=..} over {@code t.body}
     * @param idHeader the header carrying the delivery id, or null
     * @param typeHeader the header carrying the event type, or null
     * @param body a body of the provider's shape
     * @param expectedId the delivery id the preset reads, or null
     * @param expectedType the event type the preset reads
     */
    record Preset(
            String id,
            HmacScheme scheme,
            String header,
            String prefix,
            String algorithm,
            boolean base64,
            boolean timestamped,
            String idHeader,
            String typeHeader,
            String body,
            String expectedId,
            String expectedType) {
        @Override
        public String toString() {
            return id;
        }

        /** The delivery as the provider sends it, signed here at {@code timestamp}. */
        WebhookRequest request(String secret, Instant timestamp) {
            WebhookRequest.Builder request = WebhookRequest.builder().body(body);
            if (timestamped) {
                long t = timestamp.getEpochSecond();
                request.header(header, "t=" + t + ",v1=" + encode(mac(secret, t + "." + body)));
            } else {
                request.header(header, prefix + encode(mac(secret, body)));
            }
            if (idHeader != null) {
                request.header(idHeader, "7c5f3d2a-9c1e-4b7a-8f00-1b2c3d4e5f60");
            }
            if (typeHeader != null) {
                request.header(typeHeader, expectedType);
            }
            return request.build();
        }

        private byte[] mac(String secret, String content) {
            try {
                Mac mac = Mac.getInstance(algorithm);
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
                return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private String encode(byte[] mac) {
            return base64
                    ? Base64.getEncoder().encodeToString(mac)
                    : HexFormat.of().formatHex(mac);
        }
    }

    static final String HEADER_ID = "7c5f3d2a-9c1e-4b7a-8f00-1b2c3d4e5f60";

    static Stream<Preset> presets() {
        return Stream.of(
                new Preset(
                        "bitbucket",
                        Schemes.bitbucket(),
                        "X-Hub-Signature",
                        "sha256=",
                        "HmacSHA256",
                        false,
                        false,
                        "X-Request-UUID",
                        "X-Event-Key",
                        "{\"push\":{\"changes\":[]},\"repository\":{\"full_name\":\"team/repo\"}}",
                        HEADER_ID,
                        "repo:push"),
                new Preset(
                        "typeform",
                        Schemes.typeform(),
                        "Typeform-Signature",
                        "sha256=",
                        "HmacSHA256",
                        true,
                        false,
                        null,
                        null,
                        "{\"event_id\":\"01HXYZ7Q2K\",\"event_type\":\"form_response\",\"form_response\":{}}",
                        "01HXYZ7Q2K",
                        "form_response"),
                new Preset(
                        "sentry",
                        Schemes.sentry(),
                        "Sentry-Hook-Signature",
                        "",
                        "HmacSHA256",
                        false,
                        false,
                        "Request-ID",
                        "Sentry-Hook-Resource",
                        "{\"action\":\"created\",\"data\":{\"issue\":{\"id\":\"1170820242\"}}}",
                        HEADER_ID,
                        "issue"),
                new Preset(
                        "lemonsqueezy",
                        Schemes.lemonSqueezy(),
                        "X-Signature",
                        "",
                        "HmacSHA256",
                        false,
                        false,
                        null,
                        "X-Event-Name",
                        "{\"meta\":{\"event_name\":\"order_created\"},\"data\":{\"id\":\"1\"}}",
                        null,
                        "order_created"),
                new Preset(
                        "vercel",
                        Schemes.vercel(),
                        "x-vercel-signature",
                        "",
                        "HmacSHA1",
                        false,
                        false,
                        null,
                        null,
                        "{\"id\":\"evt_QhGfy7\",\"type\":\"deployment.created\",\"payload\":{}}",
                        "evt_QhGfy7",
                        "deployment.created"),
                new Preset(
                        "woocommerce",
                        Schemes.wooCommerce(),
                        "X-WC-Webhook-Signature",
                        "",
                        "HmacSHA256",
                        true,
                        false,
                        "X-WC-Webhook-Delivery-ID",
                        "X-WC-Webhook-Topic",
                        "{\"id\":727,\"status\":\"processing\",\"total\":\"29.35\"}",
                        HEADER_ID,
                        "order.created"),
                new Preset(
                        "line",
                        Schemes.line(),
                        "x-line-signature",
                        "",
                        "HmacSHA256",
                        true,
                        false,
                        null,
                        null,
                        "{\"destination\":\"U0123\",\"events\":[{\"type\":\"message\",\"webhookEventId\":\"01FZ74A0\"}]}",
                        null,
                        "message"),
                new Preset(
                        "coinbase",
                        Schemes.coinbase(),
                        "X-CC-Webhook-Signature",
                        "",
                        "HmacSHA256",
                        false,
                        false,
                        null,
                        null,
                        "{\"id\":1,\"attempt_number\":1,\"event\":{\"id\":\"24934862-d980\",\"type\":\"charge:confirmed\"}}",
                        "24934862-d980",
                        "charge:confirmed"),
                new Preset(
                        "intercom",
                        Schemes.intercom(),
                        "X-Hub-Signature",
                        "sha1=",
                        "HmacSHA1",
                        false,
                        false,
                        null,
                        null,
                        "{\"type\":\"notification_event\",\"id\":\"notif_78c122d0\",\"topic\":\"user.created\"}",
                        "notif_78c122d0",
                        "user.created"),
                new Preset(
                        "xero",
                        Schemes.xero(),
                        "x-xero-signature",
                        "",
                        "HmacSHA256",
                        true,
                        false,
                        null,
                        null,
                        "{\"events\":[{\"resourceId\":\"a1\",\"eventCategory\":\"INVOICE\",\"eventType\":\"UPDATE\"}],"
                                + "\"firstEventSequence\":1,\"lastEventSequence\":1,\"entropy\":\"QWERTY\"}",
                        null,
                        "UPDATE"),
                new Preset(
                        "jira",
                        Schemes.jira(),
                        "X-Hub-Signature",
                        "sha256=",
                        "HmacSHA256",
                        false,
                        false,
                        "X-Atlassian-Webhook-Identifier",
                        null,
                        "{\"timestamp\":1764700000000,\"webhookEvent\":\"jira:issue_created\",\"issue\":{}}",
                        HEADER_ID,
                        "jira:issue_created"),
                new Preset(
                        "dropbox",
                        Schemes.dropbox(),
                        "X-Dropbox-Signature",
                        "",
                        "HmacSHA256",
                        false,
                        false,
                        null,
                        null,
                        "{\"list_folder\":{\"accounts\":[\"dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc\"]}}",
                        null,
                        null),
                new Preset(
                        "mux",
                        Schemes.mux(),
                        "Mux-Signature",
                        "",
                        "HmacSHA256",
                        false,
                        true,
                        null,
                        null,
                        "{\"type\":\"video.asset.ready\",\"id\":\"3a56ac3d-33da-4366\",\"data\":{}}",
                        "3a56ac3d-33da-4366",
                        "video.asset.ready"),
                new Preset(
                        "calendly",
                        Schemes.calendly(),
                        "Calendly-Webhook-Signature",
                        "",
                        "HmacSHA256",
                        false,
                        true,
                        null,
                        null,
                        "{\"event\":\"invitee.created\",\"payload\":{\"uri\":\"https://api.calendly.com/x\"}}",
                        null,
                        "invitee.created"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void verifiesADeliverySignedAsTheProviderDocuments(Preset p) {
        // given
        WebhookRequest request = p.request(SECRET, NOW);

        // when
        VerifiedWebhook webhook = WebhookVerifier.builder()
                .scheme(p.scheme())
                .keys(Keys.builder().add("dashboard", SECRET).build())
                .clock(new TestClock(NOW))
                .build()
                .verify(request);

        // then
        assertThat(p.scheme().id()).isEqualTo(p.id());
        assertThat(Schemes.byId(p.id())).isSameAs(p.scheme());
        assertThat(Schemes.ids()).contains(p.id());
        assertThat(p.scheme().signatureHeader()).isEqualTo(p.header());
        assertThat(webhook.schemeId()).isEqualTo(p.id());
        assertThat(webhook.matchedKey()).isEqualTo("dashboard");
        assertThat(webhook.id()).isEqualTo(java.util.Optional.ofNullable(p.expectedId()));
        assertThat(webhook.eventType()).isEqualTo(java.util.Optional.ofNullable(p.expectedType()));
        assertThat(webhook.timestamp())
                .isEqualTo(p.timestamped() ? java.util.Optional.of(NOW) : java.util.Optional.empty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void refusesTheDeliverySignedWithAnotherSecretOrAnotherBody(Preset p) {
        // given
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(p.scheme())
                .secret(SECRET)
                .clock(new TestClock(NOW))
                .build();
        WebhookRequest otherSecret = p.request(SECRET + "x", NOW);
        WebhookRequest signed = p.request(SECRET, NOW);
        WebhookRequest otherBody =
                signed.toBuilder().body(p.body().replace('{', '[')).build();

        // then
        assertThat(refusal(verifier, otherSecret).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier, otherBody).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void theSignerWritesWhatTheProviderSends(Preset p) {
        // given: the library's signer, as the test kit and `hookwarden sign` use it
        WebhookRequest expected = p.request(SECRET, NOW);

        // when
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(p.scheme())
                .secret(SECRET)
                .clock(new TestClock(NOW))
                .build()
                .sign(WebhookMessage.body(p.body())
                        .id(HEADER_ID)
                        .eventType(p.expectedType() == null ? "t" : p.expectedType())
                        .build());

        // then: the same signature header, byte for byte, and the id and type headers the provider sends
        assertThat(signed.headers().first(p.header()))
                .isEqualTo(expected.headers().first(p.header()));
        if (p.idHeader() != null) {
            assertThat(signed.headers().first(p.idHeader())).contains(HEADER_ID);
        }
        if (p.typeHeader() != null) {
            assertThat(signed.headers().first(p.typeHeader())).contains(p.expectedType());
        }
        assertThat(signed.body()).isEqualTo(p.body().getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void aMissingSignatureHeaderIsAMissingHeader(Preset p) {
        // given
        WebhookRequest unsigned = WebhookRequest.builder().body(p.body()).build();
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(p.scheme())
                .secret(SECRET)
                .clock(new TestClock(NOW))
                .build();

        // when
        WebhookVerificationException e = refusal(verifier, unsigned);

        // then
        assertThat(e.reason()).isEqualTo(Reason.MISSING_HEADER);
        assertThat(e.getMessage()).contains(p.header()).doesNotContain(SECRET);
    }

    static Stream<Preset> timestamped() {
        return presets().filter(Preset::timestamped);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamped")
    void timestampedPresetsRefuseASignatureOlderOrFurtherAheadThanTheTolerance(Preset p) {
        // given: the default tolerance, five minutes each way
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(p.scheme())
                .secret(SECRET)
                .clock(new TestClock(NOW))
                .build();

        // then
        assertThat(verifier.verify(p.request(SECRET, NOW.minusSeconds(300))).matchedKey())
                .isEqualTo("key-1");
        assertThat(refusal(verifier, p.request(SECRET, NOW.minusSeconds(301))).reason())
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        assertThat(refusal(verifier, p.request(SECRET, NOW.plusSeconds(301))).reason())
                .isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamped")
    void timestampedPresetsTakeAnyV1AndRefuseASecondTimestamp(Preset p) {
        // given
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(p.scheme())
                .secret(SECRET)
                .clock(new TestClock(NOW))
                .build();
        String signed = p.request(SECRET, NOW).headers().first(p.header()).orElseThrow();
        String v1 = signed.substring(signed.indexOf(",v1=") + 4);
        long t = NOW.getEpochSecond();

        // then: rotation (an old v1 first), unknown versions skipped, blanks ignored
        assertThat(verifier.verify(withSignature(p, "t=" + t + ",v1=" + "0".repeat(64) + ", v1=" + v1))
                        .matchedKey())
                .isEqualTo("key-1");
        assertThat(verifier.verify(withSignature(p, "v0=abc,t=" + t + ",v2=ff,v1=" + v1))
                        .timestamp())
                .contains(NOW);
        assertThat(refusal(verifier, withSignature(p, "t=" + t + ",t=" + (t - 1) + ",v1=" + v1))
                        .reason())
                .isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(refusal(verifier, withSignature(p, "t=" + t)).reason()).isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(refusal(verifier, withSignature(p, v1)).reason()).isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(refusal(verifier, withSignature(p, "t=" + (t - 1) + ",v1=" + v1))
                        .reason())
                .as("the timestamp is signed")
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    private static WebhookRequest withSignature(Preset p, String value) {
        return WebhookRequest.builder().header(p.header(), value).body(p.body()).build();
    }
}
