package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static io.hookwarden.TestRequests.withHeader;
import static io.hookwarden.TestRequests.withUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Static tokens (issue 16): every location, rotation, the refusals, the digest comparison and the URL kept clean. */
class TokenSchemeTest {
    static final String TOKEN = "tok_live_8f3Kq2vXz9Lm";
    static final String OLD_TOKEN = "tok_live_old_77Hh2pQa";
    static final String URL = "https://hooks.example.com/in?tenant=7";
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    final TestClock clock = new TestClock(NOW);

    static WebhookVerifier verifier(Scheme scheme, Keys keys) {
        return WebhookVerifier.builder().scheme(scheme).keys(keys).build();
    }

    static WebhookRequest signed(Scheme scheme, String token) {
        return WebhookSigner.builder()
                .scheme(scheme)
                .secret(token)
                .build()
                .sign(WebhookMessage.body("{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}")
                        .id("del_1")
                        .eventType("invoice.paid")
                        .url(URL)
                        .build());
    }

    /** Each location, the token as the key set takes it, and what the signed request carries. */
    static Stream<Arguments> locations() {
        return Stream.of(
                Arguments.of("header", Schemes.token().header("X-Webhook-Token").build(), TOKEN),
                Arguments.of("bearer", Schemes.token().bearer().build(), TOKEN),
                Arguments.of("basic", Schemes.token().basic().build(), "acme:" + TOKEN),
                Arguments.of("basic user", Schemes.token().basicUser().build(), TOKEN),
                Arguments.of("basic password", Schemes.token().basicPassword().build(), TOKEN),
                Arguments.of("query", Schemes.token().query("token").build(), TOKEN));
    }

    @Nested
    class Locations {
        @ParameterizedTest(name = "{0}")
        @MethodSource("io.hookwarden.TokenSchemeTest#locations")
        void aDeliveryWithTheTokenVerifiesAndNamesTheMatchedToken(String where, TokenScheme scheme, String token) {
            // given
            WebhookRequest request = signed(scheme, token);

            // when
            VerifiedWebhook webhook = verifier(
                            scheme, Keys.builder().add("current", token).build())
                    .verify(request);

            // then
            assertThat(webhook.matchedKey()).isEqualTo("current");
            assertThat(webhook.schemeId()).isEqualTo("token");
            assertThat(webhook.eventType())
                    .as("no type header or pointer configured")
                    .isEmpty();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.hookwarden.TokenSchemeTest#locations")
        void aDeliveryWithAnotherTokenIsASignatureMismatch(String where, TokenScheme scheme, String token) {
            // given
            String other = token.replace("8f3K", "8f3J");
            WebhookRequest request = signed(scheme, other);

            // when
            WebhookVerificationException e = refusal(verifier(scheme, Keys.of(token)), request);

            // then
            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(e.reason().httpStatus()).isEqualTo(401);
            assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain("8f3J");
        }

        @Test
        void theBearerTokenIsSentAsRfc6750SaysAndTheSchemeNameIsCaseInsensitive() {
            // given
            TokenScheme scheme = Schemes.token().bearer().build();
            WebhookRequest request = signed(scheme, TOKEN);

            // when
            VerifiedWebhook webhook =
                    verifier(scheme, Keys.of(TOKEN)).verify(withHeader(request, "Authorization", "bearer " + TOKEN));

            // then
            assertThat(request.headers().first("Authorization")).contains("Bearer " + TOKEN);
            assertThat(webhook.matchedKey()).isEqualTo("key-1");
        }

        @Test
        void basicCredentialsAreBase64OfUserColonPasswordAndBothPartsAreCompared() {
            // given
            TokenScheme scheme = Schemes.token().basic().build();
            WebhookVerifier verifier = verifier(scheme, Keys.of("acme:" + TOKEN));
            String right = basic("acme:" + TOKEN);
            String otherUser = basic("acmf:" + TOKEN);

            // when
            VerifiedWebhook webhook =
                    verifier.verify(withHeader(signed(scheme, "acme:" + TOKEN), "Authorization", right));
            WebhookVerificationException e =
                    refusal(verifier, withHeader(signed(scheme, "acme:" + TOKEN), "Authorization", otherUser));

            // then
            assertThat(webhook.matchedKey()).isEqualTo("key-1");
            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void basicPasswordAcceptsAnyUserAndBasicUserAnyPassword() {
            // given
            WebhookVerifier byPassword =
                    verifier(Schemes.token().basicPassword().build(), Keys.of(TOKEN));
            WebhookVerifier byUser = verifier(Schemes.token().basicUser().build(), Keys.of(TOKEN));
            WebhookRequest bare = WebhookRequest.builder().url(URL).body("{}").build();

            // when / then
            assertThat(byPassword
                            .verify(withHeader(bare, "Authorization", basic("anyone:" + TOKEN)))
                            .matchedKey())
                    .isEqualTo("key-1");
            assertThat(byUser.verify(withHeader(bare, "Authorization", basic(TOKEN + ":whatever")))
                            .matchedKey())
                    .isEqualTo("key-1");
            assertThat(refusal(byPassword, withHeader(bare, "Authorization", basic(TOKEN + ":x")))
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void aQueryTokenIsReadDecodedWhereverTheParameterStands() {
            // given
            TokenScheme scheme = Schemes.token().query("token").build();
            String token = "t+k/=&% ü-token";
            WebhookRequest request = WebhookRequest.builder()
                    .url("https://hooks.example.com/in?a=1&token=" + FormBody.encode(token) + "&b=2#frag")
                    .body("{}")
                    .build();

            // when
            VerifiedWebhook webhook = verifier(scheme, Keys.of(token)).verify(request);

            // then
            assertThat(webhook.matchedKey()).isEqualTo("key-1");
        }
    }

    @Nested
    class Rotation {
        @Test
        void eitherOfTwoActiveTokensIsAcceptedAndTheMatchedOneIsNamed() {
            // given
            TokenScheme scheme = Schemes.token().header("X-Webhook-Token").build();
            WebhookVerifier verifier = verifier(
                    scheme,
                    Keys.builder()
                            .add("2026-q3", TOKEN)
                            .add("2026-q2", OLD_TOKEN)
                            .build());

            // when
            VerifiedWebhook byNew = verifier.verify(signed(scheme, TOKEN));
            VerifiedWebhook byOld = verifier.verify(signed(scheme, OLD_TOKEN));
            WebhookVerificationException byNeither = refusal(verifier, signed(scheme, "tok_live_retired_000"));

            // then
            assertThat(byNew.matchedKey()).isEqualTo("2026-q3");
            assertThat(byOld.matchedKey()).isEqualTo("2026-q2");
            assertThat(byNeither.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(byNeither.getMessage())
                    .isEqualTo("the token in header X-Webhook-Token matches none of the 2 active token(s) of scheme"
                            + " token");
        }
    }

    @Nested
    class Refusals {
        final WebhookRequest bare = WebhookRequest.builder().url(URL).body("{}").build();

        static Stream<Arguments> missing() {
            return Stream.of(
                    Arguments.of(
                            Schemes.token().header("X-Webhook-Token").build(), "header X-Webhook-Token is missing"),
                    Arguments.of(Schemes.token().bearer().build(), "header Authorization is missing"),
                    Arguments.of(Schemes.token().basic().build(), "header Authorization is missing"),
                    Arguments.of(Schemes.token().query("token").build(), "query parameter token is missing"));
        }

        @ParameterizedTest
        @MethodSource("missing")
        void aMissingTokenIsAMissingHeaderAnswered400(TokenScheme scheme, String message) {
            // given
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier(scheme, Keys.of("acme:" + TOKEN)))
                    .build();

            // when
            WebhookVerificationException e = refusal(verifier(scheme, Keys.of("acme:" + TOKEN)), bare);
            HttpAnswer answer = receiver.handle(bare, webhook -> {});

            // then
            assertThat(e.reason()).isEqualTo(Reason.MISSING_HEADER);
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.bodyText()).contains("MISSING_HEADER");
        }

        @Test
        void aWrongTokenIsAnswered401() {
            // given
            TokenScheme scheme = Schemes.token().bearer().build();
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier(scheme, Keys.of(TOKEN)))
                    .build();

            // when
            HttpAnswer answer = receiver.handle(withHeader(bare, "Authorization", "Bearer " + OLD_TOKEN), w -> {});

            // then
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.bodyText()).contains("SIGNATURE_MISMATCH").doesNotContain(OLD_TOKEN);
        }

        static Stream<Arguments> malformed() {
            return Stream.of(
                    Arguments.of(Schemes.token().bearer().build(), "Basic " + TOKEN),
                    Arguments.of(Schemes.token().bearer().build(), "Bearer"),
                    Arguments.of(Schemes.token().bearer().build(), "Bearer    "),
                    Arguments.of(Schemes.token().bearer().build(), "Bearertok"),
                    Arguments.of(Schemes.token().basic().build(), "Bearer " + TOKEN),
                    Arguments.of(Schemes.token().basic().build(), "Basic !!!notbase64"),
                    Arguments.of(
                            Schemes.token().basic().build(),
                            "Basic "
                                    + Base64.getEncoder()
                                            .encodeToString("no-colon-here".getBytes(StandardCharsets.UTF_8))));
        }

        @ParameterizedTest
        @MethodSource("malformed")
        void anUnreadableAuthorizationIsAMalformedHeader(TokenScheme scheme, String authorization) {
            // when
            WebhookVerificationException e = refusal(
                    verifier(scheme, Keys.of("acme:" + TOKEN)), withHeader(bare, "Authorization", authorization));

            // then
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED_HEADER);
            assertThat(e.getMessage()).doesNotContain(TOKEN);
        }

        @Test
        void aTokenHeaderOrQueryParameterGivenTwiceIsMalformed() {
            // given
            TokenScheme header = Schemes.token().header("X-Webhook-Token").build();
            TokenScheme query = Schemes.token().query("token").build();

            // when
            WebhookVerificationException twiceInHeader =
                    refusal(verifier(header, Keys.of(TOKEN)), withHeader(bare, "X-Webhook-Token", TOKEN, TOKEN));
            WebhookVerificationException twiceInQuery = refusal(
                    verifier(query, Keys.of(TOKEN)),
                    withUrl(bare, "https://h.example/in?token=" + TOKEN + "&token=" + TOKEN));
            WebhookVerificationException empty =
                    refusal(verifier(query, Keys.of(TOKEN)), withUrl(bare, "https://h.example/in?token="));

            // then
            assertThat(twiceInHeader.reason()).isEqualTo(Reason.MALFORMED_HEADER);
            assertThat(twiceInQuery.reason()).isEqualTo(Reason.MALFORMED_HEADER);
            assertThat(empty.reason()).isEqualTo(Reason.MALFORMED_HEADER);
            assertThat(twiceInQuery.getMessage()).doesNotContain(TOKEN);
        }
    }

    @Nested
    class WeakTokens {
        @Test
        void aTokenShorterThanEightBytesIsRefusedWhenTheVerifierIsBuiltNamingItsLabelOnly() {
            // when
            Throwable e = catchThrowable(() -> WebhookVerifier.builder()
                    .scheme(Schemes.token().bearer().build())
                    .keys(Keys.builder().add("legacy", "s3cr3t!").build())
                    .build());

            // then
            assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("secret legacy for scheme token is too short: 7 bytes, at least 8 required")
                    .hasMessageNotContaining("s3cr3t!");
        }

        @Test
        void aShortTokenIsAcceptedOnlyWhenTheKeySetAllowsWeakSecretsAndAnEmptyOneNever() {
            // given
            TokenScheme scheme = Schemes.token().header("X-Token").build();

            // when
            WebhookVerifier weak = WebhookVerifier.builder()
                    .scheme(scheme)
                    .keys(Keys.builder().allowWeakSecrets().add("legacy", "abc").build())
                    .build();
            Throwable empty = catchThrowable(() -> WebhookVerifier.builder()
                    .scheme(scheme)
                    .keys(Keys.builder().allowWeakSecrets().add("legacy", "").build())
                    .build());

            // then
            assertThat(weak.verify(withHeader(
                                    WebhookRequest.builder().body("{}").build(), "X-Token", "abc"))
                            .matchedKey())
                    .isEqualTo("legacy");
            assertThat(empty).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is empty");
        }

        @Test
        void theMinimumIsConfigurableAndAppliesToTheBasicPassword() {
            // when
            Throwable longer = catchThrowable(
                    () -> verifier(Schemes.token().minSecretBytes(32).build(), Keys.of("t".repeat(31))));
            Throwable shortPassword =
                    catchThrowable(() -> verifier(Schemes.token().basic().build(), Keys.of("a-long-user-name:pw")));
            Throwable noColon =
                    catchThrowable(() -> verifier(Schemes.token().basic().build(), Keys.of(TOKEN)));
            Throwable colonInUser =
                    catchThrowable(() -> verifier(Schemes.token().basicUser().build(), Keys.of("a:" + TOKEN)));
            Throwable placeholder =
                    catchThrowable(() -> verifier(Schemes.token().build(), Keys.of("${WEBHOOK_TOKEN}")));

            // then
            assertThat(longer).hasMessageContaining("at least 32 required");
            assertThat(shortPassword).hasMessageContaining("too short: 2 bytes").hasMessageNotContaining(":pw");
            assertThat(noColon).hasMessageContaining("is not user:password").hasMessageNotContaining(TOKEN);
            assertThat(colonInUser).hasMessageContaining("contains ':'").hasMessageNotContaining(TOKEN);
            assertThat(placeholder).hasMessageContaining("unresolved placeholder");
        }
    }

    @Nested
    class ConstantTime {
        @Test
        void tokensAreComparedByTheirSha256DigestsWithMessageDigestIsEqual() {
            // given
            byte[] token = TOKEN.getBytes(StandardCharsets.UTF_8);
            byte[] digest = Codec.sha256().digest(token);

            // then: equal only for the very bytes, whatever the offered length
            assertThat(Codec.digestEquals(digest, token)).isTrue();
            assertThat(Codec.digestEquals(digest, (TOKEN + "x").getBytes(StandardCharsets.UTF_8)))
                    .isFalse();
            assertThat(Codec.digestEquals(digest, TOKEN.substring(1).getBytes(StandardCharsets.UTF_8)))
                    .isFalse();
            assertThat(Codec.digestEquals(digest, new byte[0])).isFalse();
            assertThat(Codec.digestEquals(digest, digest))
                    .as("the digest is not the token")
                    .isFalse();
        }

        @Test
        void theTokenKeyMatchesThroughItsDigest() {
            // given
            KeyMaterial.Token key = new KeyMaterial.Token("k", TOKEN.getBytes(StandardCharsets.UTF_8));

            // then
            assertThat(key.matchesDigestOf(TOKEN.getBytes(StandardCharsets.UTF_8)))
                    .isTrue();
            assertThat(key.matchesDigestOf(OLD_TOKEN.getBytes(StandardCharsets.UTF_8)))
                    .isFalse();
            assertThat(key.matchesDigestOf(Codec.sha256().digest(TOKEN.getBytes(StandardCharsets.UTF_8))))
                    .isFalse();
            assertThat(key.toString()).isEqualTo("Token[k]");
        }
    }

    /** A token in the query never leaves the verifier: every place the URL goes, with the known token absent. */
    @Nested
    class QueryTokenRedaction {
        final TokenScheme scheme =
                Schemes.token().query("token").idHeader("X-Delivery-Id").build();
        final WebhookRequest request = signed(scheme, TOKEN);

        @Test
        void theSignedRequestCarriesTheTokenInItsQuery() {
            assertThat(request.url()).contains(URL + "&token=" + TOKEN);
        }

        @Test
        void theVerifiedDeliverySeesTheUrlWithTheTokenMasked() {
            // when
            VerifiedWebhook webhook = verifier(scheme, Keys.of(TOKEN)).verify(request);

            // then
            assertThat(webhook.request().url()).contains(URL + "&token=***");
            assertThat(webhook.toString()).doesNotContain(TOKEN);
            assertThat(webhook.request().toString()).doesNotContain(TOKEN);
        }

        @Test
        void theRequestsToStringMasksEveryQueryValue() {
            assertThat(request.toString())
                    .contains("https://hooks.example.com/in?tenant=***&token=***")
                    .doesNotContain(TOKEN);
        }

        @Test
        void theDeliveryListenerAndTheHandlerSeeTheMaskedUrl() {
            // given
            List<String> seen = new ArrayList<>();
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier(scheme, Keys.of(TOKEN)))
                    .listener((endpoint, schemeId, received) -> {
                        seen.add(received.url().orElseThrow());
                        seen.add(received.toString());
                        return DeliveryListener.Observer.NONE;
                    })
                    .build();

            // when
            HttpAnswer answer = receiver.handle(
                    request, webhook -> seen.add(webhook.request().url().orElseThrow()));

            // then
            assertThat(answer.status()).isEqualTo(200);
            assertThat(seen).hasSize(3).allSatisfy(text -> assertThat(text).doesNotContain(TOKEN));
            assertThat(seen.get(0)).isEqualTo(URL + "&token=***");
        }

        @Test
        void refusalsAndTheirAnswersNeverCarryTheToken() {
            // given
            WebhookRequest wrong = withUrl(request, URL + "&token=" + OLD_TOKEN);
            WebhookRequest twice = withUrl(request, URL + "&token=" + TOKEN + "&token=" + OLD_TOKEN);
            List<String> heard = new ArrayList<>();
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier(scheme, Keys.of(TOKEN)))
                    .listener((endpoint, schemeId, received) -> {
                        heard.add(received.url().orElseThrow());
                        return DeliveryListener.Observer.NONE;
                    })
                    .build();

            for (WebhookRequest bad : List.of(wrong, twice)) {
                // when
                Throwable e =
                        catchThrowable(() -> verifier(scheme, Keys.of(TOKEN)).verify(bad));
                HttpAnswer answer = receiver.handle(bad, webhook -> {});

                // then
                assertThat(e).isInstanceOf(WebhookVerificationException.class);
                assertThat(e.getMessage() + e).doesNotContain(TOKEN).doesNotContain(OLD_TOKEN);
                assertThat(answer.status()).isIn(400, 401);
                assertThat(answer.toString() + answer.headers() + answer.bodyText())
                        .doesNotContain(TOKEN)
                        .doesNotContain(OLD_TOKEN);
            }
            assertThat(heard)
                    .hasSize(2)
                    .allSatisfy(url -> assertThat(url).doesNotContain(TOKEN).doesNotContain(OLD_TOKEN));
        }

        @Test
        void theInboxStoresNeitherTheQueryTokenNorATokenHeader() {
            // given
            InMemoryInbox inbox = InMemoryInbox.builder().clock(clock).build();
            TokenScheme headerScheme = Schemes.token().header("X-Webhook-Token").build();
            WebhookReceiver byQuery = WebhookReceiver.builder()
                    .name("by-query")
                    .verifier(verifier(scheme, Keys.of(TOKEN)))
                    .inbox(inbox)
                    .build();
            WebhookReceiver byHeader = WebhookReceiver.builder()
                    .name("by-header")
                    .verifier(verifier(headerScheme, Keys.of(OLD_TOKEN)))
                    .inbox(inbox)
                    .build();

            // when
            Outcome viaQuery = byQuery.receive(request);
            Outcome viaHeader = byHeader.receive(signed(headerScheme, OLD_TOKEN));

            // then
            assertThat(viaQuery).isInstanceOf(Outcome.Queued.class);
            assertThat(viaHeader).isInstanceOf(Outcome.Queued.class);
            List<InboxEntry> entries = inbox.find(InboxQuery.all()).stream()
                    .map(stored -> stored.entry())
                    .toList();
            assertThat(entries).hasSize(2);
            for (InboxEntry entry : entries) {
                assertThat(String.valueOf(entry.url())).doesNotContain(TOKEN).doesNotContain(OLD_TOKEN);
                assertThat(entry.matchedKey()).isEqualTo("key-1");
                entry.headers()
                        .forEach((name, value) ->
                                assertThat(value).doesNotContain(TOKEN).doesNotContain(OLD_TOKEN));
                assertThat(entry.headers().names()).noneMatch(n -> n.equalsIgnoreCase("X-Webhook-Token"));
            }
        }
    }

    @Nested
    class DedupeKeys {
        @Test
        void theDedupeKeyIsTheDeliveryIdWhenConfiguredElseTheBodyNeverTheToken() {
            // given
            TokenScheme withId =
                    Schemes.token().header("X-Token").idHeader("X-Delivery-Id").build();
            TokenScheme withoutId = Schemes.token().header("X-Token").build();

            // when
            String byId = DedupeKey.schemeDefault()
                    .of(verifier(withId, Keys.of(TOKEN)).verify(signed(withId, TOKEN)));
            String first = DedupeKey.schemeDefault()
                    .of(verifier(withoutId, Keys.of(TOKEN)).verify(signed(withoutId, TOKEN)));
            String other = DedupeKey.schemeDefault()
                    .of(verifier(withoutId, Keys.of(TOKEN))
                            .verify(withHeader(
                                    WebhookRequest.builder()
                                            .url(URL)
                                            .body("{\"id\":\"evt_2\"}")
                                            .build(),
                                    "X-Token",
                                    TOKEN)));

            // then
            assertThat(byId).isEqualTo("del_1");
            assertThat(first).isNotNull().doesNotContain(TOKEN).isNotEqualTo(other);
            assertThat(withId.signsId()).isFalse();
        }

        @Test
        void idAndTypeCanComeFromTheBody() {
            // given
            TokenScheme scheme =
                    Schemes.token().idPointer("/id").eventTypePointers("/type").build();

            // when
            VerifiedWebhook webhook = verifier(scheme, Keys.of(TOKEN)).verify(signed(scheme, TOKEN));

            // then
            assertThat(webhook.id()).contains("evt_1");
            assertThat(webhook.eventType()).contains("invoice.paid");
        }
    }

    @Nested
    class Builder {
        @Test
        void theSchemeTokenIsABearerTokenInAuthorization() {
            TokenScheme token = (TokenScheme) Schemes.byId("token");
            assertThat(token.tokenHeader()).isEqualTo("Authorization");
            assertThat(token.queryParameter()).isNull();
            assertThat(token.toString()).isEqualTo("Scheme[token]");
            assertThat(signed(token, TOKEN).headers().first("Authorization")).contains("Bearer " + TOKEN);
        }

        static Stream<Arguments> twoLocations() {
            return Stream.<Supplier<TokenScheme.Builder>>of(
                            () -> Schemes.token().bearer().header("X-Token"),
                            () -> Schemes.token().header("X-Token").query("t"),
                            () -> Schemes.token().basic().basicPassword(),
                            () -> Schemes.token().query("t").bearer())
                    .map(Arguments::of);
        }

        @ParameterizedTest
        @MethodSource("twoLocations")
        void refusesTwoLocations(Supplier<TokenScheme.Builder> twice) {
            assertThatThrownBy(twice::get)
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("location was already set");
        }

        @Test
        void refusesAuthorizationAsAPlainHeaderAndBlankNames() {
            assertThatThrownBy(() -> Schemes.token().header("authorization"))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("use bearer() or basic()");
            assertThatThrownBy(() -> Schemes.token().query(" "))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("query cannot be blank");
            assertThatThrownBy(() -> Schemes.token().idPointer("id"))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a JSON pointer starts with / but was id");
            assertThatThrownBy(() -> Schemes.token().minSecretBytes(0))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("minSecretBytes must be at least 1 but was 0");
        }

        @Test
        void signingAQueryTokenNeedsAUrl() {
            // given
            WebhookSigner signer = WebhookSigner.builder()
                    .scheme(Schemes.token().query("token").build())
                    .secret(TOKEN)
                    .build();

            // when
            Throwable e =
                    catchThrowable(() -> signer.sign(WebhookMessage.body("{}").build()));

            // then
            assertThat(e)
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("give the message a url");
        }
    }

    static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
