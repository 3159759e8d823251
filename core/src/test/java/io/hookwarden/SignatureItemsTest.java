package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@link HmacScheme.Builder#signatureItems}: a {@code key=value} signature header for any provider, configured rather
 * than coded (Mux and Calendly are two instances), and the builder's refusals of what it cannot mean.
 */
class SignatureItemsTest {
    private static final String SECRET = "items-signing-secret-2026";

    @Test
    void aSemicolonSeparatedHeaderWithItsOwnKeysSignsAndVerifies() {
        // given: Paddle's shape, ts=..;h1=.. over ts:body, as a generic scheme
        HmacScheme scheme = Schemes.hmac()
                .id("acme")
                .signatureHeader("Acme-Signature")
                .signatureItems(';', "ts", "h1")
                .signedContent("{timestamp}:{body}")
                .idHeader("Acme-Delivery")
                .build();
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(scheme)
                .secret(SECRET)
                .clock(SchemeCase.CLOCK)
                .build()
                .sign(WebhookMessage.body("{\"a\":1}").id("d-1").build());
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(scheme)
                .secret(SECRET)
                .clock(SchemeCase.CLOCK)
                .build();

        // when
        VerifiedWebhook webhook = verifier.verify(signed);

        // then
        String header = signed.headers().first("Acme-Signature").orElseThrow();
        assertThat(header).startsWith("ts=" + SchemeCase.NOW.getEpochSecond() + ";h1=");
        assertThat(webhook.timestamp()).contains(SchemeCase.NOW);
        assertThat(webhook.id()).contains("d-1");
        assertThat(refusal(verifier, signed.toBuilder().body("{\"a\":2}").build())
                        .reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void aPastOnlyWindowAppliesToTheItemsTimestamp() {
        // given
        HmacScheme scheme = Schemes.hmac()
                .signatureItems(',', "t", "v1")
                .signedContent("{timestamp}.{body}")
                .pastOnlyWindow()
                .build();
        WebhookRequest ahead = WebhookSigner.builder()
                .scheme(scheme)
                .secret(SECRET)
                .clock(new TestClock(SchemeCase.NOW.plusSeconds(3600)))
                .build()
                .sign(WebhookMessage.body("{}").build());

        // when
        VerifiedWebhook webhook = WebhookVerifier.builder()
                .scheme(scheme)
                .secret(SECRET)
                .clock(SchemeCase.CLOCK)
                .build()
                .verify(ahead);

        // then
        assertThat(scheme.boundsFuture()).isFalse();
        assertThat(webhook.timestamp()).contains(SchemeCase.NOW.plusSeconds(3600));
    }

    @Test
    void refusesWhatItCannotMean() {
        assertThatThrownBy(() -> Schemes.hmac()
                        .signatureItems(',', "t", "v1")
                        .signedContent("{timestamp}.{body}")
                        .timestampHeader("X-Timestamp")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("conflicts with timestampHeader and prefix");
        assertThatThrownBy(() -> Schemes.hmac()
                        .signatureItems(',', "t", "v1")
                        .signedContent("{timestamp}.{body}")
                        .prefix("sha256=")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("conflicts with timestampHeader and prefix");
        assertThatThrownBy(() -> Schemes.hmac().signatureItems(',', "t", "v1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("signatureItems reads a signed timestamp, but the signed content does not use {timestamp}");
        assertThatThrownBy(() -> Schemes.hmac()
                        .signatureItems(',', "t", "v1")
                        .signedContent("{timestamp}.{body}")
                        .timestampInMillis()
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("timestampInMillis");
        assertThatThrownBy(() -> Schemes.hmac().signatureItems('=', "t", "v1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signatureItems separator must not be = or a blank but was '='");
        assertThatThrownBy(() -> Schemes.hmac().signatureItems(',', "t,x", "v1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signatureItems key must not contain ',', = or surrounding blanks but was t,x");
        assertThatThrownBy(() -> Schemes.hmac().signatureItems(',', "v1", "v1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signatureItems needs two different keys but both were v1");
        assertThatThrownBy(() -> Schemes.hmac().signatureItems(',', " ", "v1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schemes.hmac().signatureItems(',', "t", "v1").signatureItems(';', "ts", "h1"))
                .isInstanceOf(IllegalStateException.class);
    }
}
