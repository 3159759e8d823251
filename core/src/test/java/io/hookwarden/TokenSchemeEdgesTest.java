package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Issue 17: what the static-token scheme's mutation run found untested (its boundaries and its builder's once-only options). */
class TokenSchemeEdgesTest {
    private static WebhookVerifier verifier(TokenScheme scheme, String secret) {
        return WebhookVerifier.builder().scheme(scheme).secret(secret).build();
    }

    @Test
    void basicCredentialsNeedAUserBeforeTheColon() {
        TokenScheme basic = Schemes.token().basic().build();

        assertThatThrownBy(() -> verifier(basic, ":a-long-password"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not user:password");
        assertThat(verifier(basic, "u:a-long-password")).isNotNull();
    }

    @Test
    void aBasicUserNameTokenCannotHoldAColonAnywhere() {
        TokenScheme user = Schemes.token().basicUser().build();

        for (String secret : new String[] {":leading-colon", "trailing-colon:", "in:the-middle"}) {
            assertThatThrownBy(() -> verifier(user, secret))
                    .as(secret)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("contains ':'");
        }
        assertThat(verifier(user, "no-colon-at-all")).isNotNull();
    }

    @Test
    void onlyTheConfiguredTokenHeaderCarriesTheSecret() {
        TokenScheme header = Schemes.token().header("X-Webhook-Token").build();
        TokenScheme bearer = Schemes.token().bearer().build();
        TokenScheme query = Schemes.token().query("token").build();

        assertThat(header.carriesSecret("x-webhook-token")).isTrue();
        assertThat(header.carriesSecret("X-Webhook-Id")).isFalse();
        assertThat(header.carriesSecret("Content-Type")).isFalse();
        assertThat(bearer.carriesSecret("X-Webhook-Token")).isFalse();
        assertThat(query.carriesSecret("token")).isFalse();
    }

    @Test
    void theShortestTokenIsTheConfiguredLengthExactly() {
        TokenScheme scheme =
                Schemes.token().header("X-Token").minSecretBytes(10).build();

        assertThat(verifier(scheme, "0123456789")).isNotNull();
        assertThatThrownBy(() -> verifier(scheme, "012345678")).isInstanceOf(InvalidSecretException.class);
        assertThat(Schemes.token().minSecretBytes(1).build()).isNotNull();
        assertThatThrownBy(() -> Schemes.token().minSecretBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minSecretBytes must be at least 1 but was 0");
    }

    private static WebhookRequest delivery(String header, String value) {
        return WebhookRequest.builder()
                .method("POST")
                .url("https://hooks.example.com/in")
                .header(header, value)
                .body("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();
    }

    @Test
    void aBasicPasswordTokenMayComeWithAnEmptyUserName() {
        TokenScheme password = Schemes.token().basicPassword().build();
        String credentials = java.util.Base64.getEncoder()
                .encodeToString(":a-long-password".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        VerifiedWebhook webhook =
                verifier(password, "a-long-password").verify(delivery("Authorization", "Basic " + credentials));

        assertThat(webhook.matchedKey()).isNotNull();
    }

    @Test
    void aTokenBeyondLatin1MatchesAsTheServerDecodedIt() {
        TokenScheme header = Schemes.token().header("X-Token").build();
        WebhookVerifier verifier = verifier(header, "token-\u20ac-euro");
        // a server that decoded the header as UTF-8 hands on the euro sign itself
        assertThat(verifier.verify(delivery("X-Token", "token-\u20ac-euro"))).isNotNull();
        // one that decoded it as Latin-1 hands on its three UTF-8 bytes as three characters
        assertThat(verifier.verify(delivery("X-Token", "token-\u00e2\u0082\u00ac-euro")))
                .isNotNull();
    }

    @Test
    void aValueWhoseEveryCharacterFitsLatin1IsTakenAsTheLatin1BytesSent() {
        // U+00FF in the value: the byte 0xFF was sent, which no UTF-8 token contains
        WebhookVerifier verifier = verifier(Schemes.token().header("X-Token").build(), "abcdefgh\u00ff");

        assertThatThrownBy(() -> verifier.verify(delivery("X-Token", "abcdefgh\u00ff")))
                .isInstanceOf(WebhookVerificationException.class)
                .extracting(e -> ((WebhookVerificationException) e).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void theSignerWritesTheEventTypeHeaderWhenTheMessageHasAType() {
        TokenScheme scheme = Schemes.token()
                .header("X-Token")
                .eventTypeHeader("X-Event-Type")
                .build();

        WebhookRequest signed = WebhookSigner.builder()
                .scheme(scheme)
                .secret("a-long-token")
                .build()
                .sign(WebhookMessage.body("{}").eventType("invoice.paid").build());

        assertThat(signed.headers().first("X-Event-Type")).contains("invoice.paid");
    }

    @Test
    void theSignerGivesADeliveryWithoutAnIdOneOfItsOwnInTheIdHeader() {
        WebhookSigner signer = WebhookSigner.builder()
                .scheme(Schemes.token().header("X-Token").idHeader("X-Delivery").build())
                .secret("a-long-token")
                .build();

        String first = signer.sign(WebhookMessage.body("{}").build())
                .headers()
                .first("X-Delivery")
                .orElseThrow();
        String second = signer.sign(WebhookMessage.body("{}").build())
                .headers()
                .first("X-Delivery")
                .orElseThrow();

        assertThat(first).isNotBlank().isNotEqualTo(second);
    }

    @Test
    void everyOptionIsSetOnce() {
        assertOnce("id", b -> b.id("a"), b -> b.id("b"));
        assertOnce("location", TokenScheme.Builder::basicUser, TokenScheme.Builder::basic);
        assertOnce("idHeader", b -> b.idHeader("X-Id"), b -> b.idHeader("X-Other-Id"));
        assertOnce("idPointer", b -> b.idPointer("/id"), b -> b.idPointer("/other"));
        assertOnce("eventTypeHeader", b -> b.eventTypeHeader("X-Type"), b -> b.eventTypeHeader("X-Other"));
        assertOnce("eventTypePointers", b -> b.eventTypePointers("/type"), b -> b.eventTypePointers("/kind"));
        assertOnce("minSecretBytes", b -> b.minSecretBytes(12), b -> b.minSecretBytes(16));
    }

    private static void assertOnce(
            String option, UnaryOperator<TokenScheme.Builder> first, UnaryOperator<TokenScheme.Builder> second) {
        TokenScheme.Builder builder = first.apply(Schemes.token());
        assertThat(builder).as(option).isNotNull();
        assertThatThrownBy(() -> second.apply(builder))
                .as(option)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(option);
    }
}
