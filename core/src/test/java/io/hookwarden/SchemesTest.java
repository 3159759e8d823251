package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in schemes by id, and the generic HMAC scheme's builder refusing what cannot work. */
class SchemesTest {

    @Test
    void listsTheBuiltInIdsInAStableOrder() {
        assertThat(Schemes.ids())
                .containsExactly(
                        "standard-webhooks",
                        "svix",
                        "stripe",
                        "github",
                        "slack",
                        "shopify",
                        "twilio",
                        "paddle",
                        "square",
                        "zoom",
                        "linear",
                        "mailgun",
                        "meta",
                        "gitlab",
                        "discord",
                        "sendgrid",
                        "sns",
                        "x",
                        "openai",
                        "replicate",
                        "clerk",
                        "resend",
                        "polar",
                        "telegram",
                        "okta",
                        "event-grid",
                        "microsoft-graph",
                        "bitbucket",
                        "typeform",
                        "sentry",
                        "lemonsqueezy",
                        "vercel",
                        "woocommerce",
                        "line",
                        "coinbase",
                        "intercom",
                        "xero",
                        "jira",
                        "dropbox",
                        "mux",
                        "calendly",
                        "trello",
                        "box",
                        "hubspot",
                        "hubspot-legacy",
                        "docusign",
                        "adyen",
                        "adyen-platform",
                        "braintree",
                        "zendesk",
                        "intuit",
                        "contentful",
                        "twitch",
                        "token",
                        "hmac");
    }

    @Test
    void findsEveryBuiltInSchemeByItsId() {
        for (String id : Schemes.ids()) {
            // when
            Scheme scheme = Schemes.byId(id);

            // then
            assertThat(scheme.id()).isEqualTo(id);
            assertThat(scheme.toString()).isEqualTo("Scheme[" + id + "]");
        }
        assertThat(Schemes.byId("standard-webhooks")).isSameAs(Schemes.standardWebhooks());
        assertThat(Schemes.byId("svix")).isSameAs(Schemes.svix());
        assertThat(Schemes.byId("stripe")).isSameAs(Schemes.stripe());
        assertThat(Schemes.byId("github")).isSameAs(Schemes.github());
        assertThat(Schemes.byId("slack")).isSameAs(Schemes.slack());
        assertThat(Schemes.byId("shopify")).isSameAs(Schemes.shopify());
        assertThat(Schemes.byId("twilio")).isSameAs(Schemes.twilio());
        assertThat(Schemes.byId("paddle")).isSameAs(Schemes.paddle());
        assertThat(Schemes.byId("square")).isSameAs(Schemes.square());
        assertThat(Schemes.byId("zoom")).isSameAs(Schemes.zoom());
        assertThat(Schemes.byId("linear")).isSameAs(Schemes.linear());
        assertThat(Schemes.byId("mailgun")).isSameAs(Schemes.mailgun());
        assertThat(Schemes.byId("meta")).isSameAs(Schemes.meta());
        assertThat(Schemes.byId("gitlab")).isSameAs(Schemes.gitlab());
        assertThat(Schemes.byId("discord")).isSameAs(Schemes.discord());
        assertThat(Schemes.byId("sendgrid")).isSameAs(Schemes.sendgrid());
        assertThat(Schemes.byId("sns")).isSameAs(Schemes.sns());
        assertThat(Schemes.byId("x")).isSameAs(Schemes.x());
        assertThat(Schemes.byId("openai")).isSameAs(Schemes.openai());
        assertThat(Schemes.byId("replicate")).isSameAs(Schemes.replicate());
        assertThat(Schemes.byId("clerk")).isSameAs(Schemes.clerk());
        assertThat(Schemes.byId("resend")).isSameAs(Schemes.resend());
        assertThat(Schemes.byId("polar")).isSameAs(Schemes.polar());
        assertThat(Schemes.byId("telegram")).isSameAs(Schemes.telegram());
        assertThat(Schemes.byId("okta")).isSameAs(Schemes.okta());
        assertThat(Schemes.byId("bitbucket")).isSameAs(Schemes.bitbucket());
        assertThat(Schemes.byId("typeform")).isSameAs(Schemes.typeform());
        assertThat(Schemes.byId("sentry")).isSameAs(Schemes.sentry());
        assertThat(Schemes.byId("lemonsqueezy")).isSameAs(Schemes.lemonSqueezy());
        assertThat(Schemes.byId("vercel")).isSameAs(Schemes.vercel());
        assertThat(Schemes.byId("woocommerce")).isSameAs(Schemes.wooCommerce());
        assertThat(Schemes.byId("line")).isSameAs(Schemes.line());
        assertThat(Schemes.byId("coinbase")).isSameAs(Schemes.coinbase());
        assertThat(Schemes.byId("intercom")).isSameAs(Schemes.intercom());
        assertThat(Schemes.byId("xero")).isSameAs(Schemes.xero());
        assertThat(Schemes.byId("jira")).isSameAs(Schemes.jira());
        assertThat(Schemes.byId("dropbox")).isSameAs(Schemes.dropbox());
        assertThat(Schemes.byId("mux")).isSameAs(Schemes.mux());
        assertThat(Schemes.byId("calendly")).isSameAs(Schemes.calendly());
        assertThat(Schemes.byId("trello")).isSameAs(Schemes.trello());
        assertThat(Schemes.byId("box")).isSameAs(Schemes.box());
        assertThat(Schemes.byId("hubspot")).isSameAs(Schemes.hubspot());
        assertThat(Schemes.byId("hubspot-legacy")).isSameAs(Schemes.hubspotLegacy());
        assertThat(Schemes.byId("docusign")).isSameAs(Schemes.docusign());
        assertThat(Schemes.byId("adyen")).isSameAs(Schemes.adyen());
        assertThat(Schemes.byId("adyen-platform")).isSameAs(Schemes.adyenPlatform());
        assertThat(Schemes.byId("braintree")).isSameAs(Schemes.braintree());
        assertThat(Schemes.byId("zendesk")).isSameAs(Schemes.zendesk());
        assertThat(Schemes.byId("intuit")).isSameAs(Schemes.intuit());
        assertThat(Schemes.byId("contentful")).isSameAs(Schemes.contentful());
        assertThat(Schemes.byId("twitch")).isSameAs(Schemes.twitch());
    }

    @ParameterizedTest
    @ValueSource(strings = {"magento", "Stripe", " github", ""})
    void unknownIdIsRefusedListingTheKnownIds(String id) {
        // when
        Throwable e = catchThrowable(() -> Schemes.byId(id));

        // then
        assertThat(e)
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown scheme " + id + "; known schemes: " + Schemes.ids());
    }

    @Test
    void nullIdIsRefused() {
        assertThatThrownBy(() -> Schemes.byId(null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("scheme id cannot be null");
    }

    @Test
    void everyBuiltInSchemeBoundsTheFutureStripeIncludedAndOnlyAnExplicitGenericSchemeIsPastOnly() {
        for (String id : Schemes.ids()) {
            assertThat(Schemes.byId(id).boundsFuture()).as(id).isTrue();
        }
        assertThat(Schemes.hmac()
                        .timestampHeader("X-Timestamp")
                        .pastOnlyWindow()
                        .build()
                        .boundsFuture())
                .isFalse();
    }

    @Test
    void genericHmacDefaultsSignTheBodyWithSha256HexInXSignature() {
        // given
        Scheme hmac = Schemes.byId("hmac");
        WebhookRequest request = WebhookSigner.builder()
                .scheme(hmac)
                .secret("generic-secret")
                .build()
                .sign(WebhookMessage.body("hello").build());

        // when
        VerifiedWebhook webhook = WebhookVerifier.builder()
                .scheme(hmac)
                .secret("generic-secret")
                .build()
                .verify(request);

        // then: HMAC-SHA256("generic-secret", "hello") in lower-case hex
        assertThat(request.headers().first("X-Signature")).contains(hmacSha256Hex("generic-secret", "hello"));
        assertThat(webhook.timestamp()).isEmpty();
        assertThat(((HmacScheme) hmac).signatureHeader()).isEqualTo("X-Signature");
    }

    @Test
    void pastOnlyGenericSchemeAcceptsFarFutureTimestamps() {
        // given
        HmacScheme scheme = Schemes.hmac()
                .timestampHeader("X-Ts")
                .signedContent("{timestamp}.{body}")
                .pastOnlyWindow()
                .build();
        WebhookRequest request = WebhookSigner.builder()
                .scheme(scheme)
                .secret("generic-secret")
                .build()
                .sign(WebhookMessage.body("{}")
                        .timestamp(SchemeCase.NOW.plus(Duration.ofDays(30)))
                        .build());

        // when
        VerifiedWebhook webhook = WebhookVerifier.builder()
                .scheme(scheme)
                .secret("generic-secret")
                .clock(SchemeCase.CLOCK)
                .build()
                .verify(request);

        // then
        assertThat(webhook.timestamp()).contains(SchemeCase.NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void minSecretBytesIsEnforcedWhenAVerifierIsBuilt() {
        // given
        HmacScheme scheme = Schemes.hmac().minSecretBytes(32).build();

        // when
        Throwable e = catchThrowable(() ->
                WebhookVerifier.builder().scheme(scheme).secret("x".repeat(31)).build());

        // then
        assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("31 bytes, at least 32");
    }

    // ---- the generic builder's refusals

    @Test
    void refusesAnUnknownTemplateToken() {
        assertThatThrownBy(() -> Schemes.hmac().signedContent("{nonce}.{body}"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "signed content template has unknown token {nonce}; known: {id}, {timestamp}, {body}, {url}");
    }

    @Test
    void refusesAnUnclosedBrace() {
        assertThatThrownBy(() -> Schemes.hmac().signedContent("{timestamp.{body}"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown token {timestamp.{body}");
        assertThatThrownBy(() -> Schemes.hmac().signedContent("{body}.{id"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unclosed { at 7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{id}.{timestamp}", "{timestamp}", "", "static text"})
    void refusesATemplateThatSignsNeitherBodyNorUrl(String template) {
        assertThatThrownBy(() -> Schemes.hmac().signedContent(template))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must include {body} or {url}");
    }

    @Test
    void refusesTimestampInTheTemplateWithoutATimestampHeader() {
        // given
        HmacScheme.Builder builder = Schemes.hmac().signedContent("{timestamp}.{body}");

        // when / then
        assertThatThrownBy(builder::build)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("signed content uses {timestamp} but no timestampHeader or signatureItems is configured");
    }

    @Test
    void refusesIdInTheTemplateWithoutAnIdHeader() {
        // given
        HmacScheme.Builder builder = Schemes.hmac().signedContent("{id}.{body}");

        // when / then
        assertThatThrownBy(builder::build)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("signed content uses {id} but no idHeader is configured");
    }

    @Test
    void refusesBlankNamesBadPointersAndATinyMinimum() {
        assertThatThrownBy(() -> Schemes.hmac().signatureHeader(" "))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("signatureHeader cannot be blank");
        assertThatThrownBy(() -> Schemes.hmac().id(""))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("id cannot be blank");
        assertThatThrownBy(() -> Schemes.hmac().idPointer("id"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("a JSON pointer starts with / but was id");
        assertThatThrownBy(() -> Schemes.hmac().eventTypePointers("/type", "type"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("a JSON pointer starts with / but was type");
        assertThatThrownBy(() -> Schemes.hmac().minSecretBytes(0))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("minSecretBytes must be at least 1 but was 0");
        assertThatThrownBy(() -> Schemes.hmac().signedContent(null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("signed content template cannot be null");
    }

    static Stream<Arguments> hmacOptionsSetTwice() {
        return Stream.of(
                twice("id", b -> b.id("a").id("b")),
                twice("signatureHeader", b -> b.signatureHeader("A").signatureHeader("B")),
                twice("prefix", b -> b.prefix("a=").prefix("b=")),
                twice("algorithm", b -> b.algorithm(HmacAlgorithm.SHA1).algorithm(HmacAlgorithm.SHA512)),
                twice("encoding", b -> b.encoding(SignatureEncoding.HEX).encoding(SignatureEncoding.BASE64)),
                twice("signedContent", b -> b.signedContent("{body}").signedContent("{url}")),
                twice("idHeader", b -> b.idHeader("A").idHeader("B")),
                twice("timestampHeader", b -> b.timestampHeader("A").timestampHeader("B")),
                twice("timestampInMillis", b -> b.timestampInMillis().timestampInMillis()),
                twice("pastOnlyWindow", b -> b.pastOnlyWindow().pastOnlyWindow()),
                twice("eventTypeHeader", b -> b.eventTypeHeader("A").eventTypeHeader("B")),
                twice("idPointer", b -> b.idPointer("/a").idPointer("/b")),
                twice("eventTypePointers", b -> b.eventTypePointers("/a").eventTypePointers("/b")),
                twice("secretEncoding", b -> b.secretEncoding(SecretEncoding.HEX)
                        .secretEncoding(SecretEncoding.UTF8)),
                twice("minSecretBytes", b -> b.minSecretBytes(8).minSecretBytes(16)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hmacOptionsSetTwice")
    void refusesAnHmacOptionSetTwice(String option, Consumer<HmacScheme.Builder> setTwice) {
        // given
        HmacScheme.Builder builder = Schemes.hmac();

        // when
        Throwable e = catchThrowable(() -> setTwice.accept(builder));

        // then
        assertThat(e).isExactlyInstanceOf(IllegalStateException.class).hasMessage(option + " was already set");
    }

    @Test
    void urlSchemeRefusesToSignWithoutAUrl() {
        // given
        WebhookSigner signer =
                SchemeCase.GENERIC_URL.signer(SchemeCase.GENERIC_URL.sample().signing());

        // when
        Throwable e = catchThrowable(() -> signer.sign(WebhookMessage.body("{}").build()));

        // then
        assertThat(e)
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give the message a url");
    }

    private static Arguments twice(String option, Consumer<HmacScheme.Builder> setTwice) {
        return Arguments.of(option, Named.of(option + " twice", setTwice));
    }

    private static String hmacSha256Hex(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
