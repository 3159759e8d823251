package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17: for every built-in scheme with a known key, nothing that holds or used the key shows it: {@code toString}
 * of the key set, scheme, verifier, signer and receiver; JSON serialisation of each (and of a verified delivery); the
 * answers and exception messages (with their causes and stack traces) of forged, tampered, expired and unsigned
 * deliveries; and the refusals of a key given with surrounding blanks.
 */
class SecretsNeverShownTest {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    static Stream<FuzzEndpoints.Endpoint> endpoints() {
        return FuzzEndpoints.LIST.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void noObjectHoldingTheKeyShowsItInToStringOrJson(FuzzEndpoints.Endpoint endpoint) {
        // given
        Keys keys = Keys.builder().add("current", endpoint.secret().verifying()).build();
        WebhookVerifier verifier = endpoint.verifier();
        WebhookSigner signer = endpoint.signer();
        WebhookReceiver receiver = receiver(endpoint);
        VerifiedWebhook verified = verifier.verify(endpoint.signed());

        // when
        List<String> shown = new ArrayList<>();
        for (Object o : List.of(keys, endpoint.scheme(), verifier, signer, receiver, verified)) {
            shown.add(o.toString());
            shown.add(json(o));
        }

        // then
        for (String text : shown) {
            assertHidden(text, endpoint);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void noRefusalOfABadDeliveryShowsTheKey(FuzzEndpoints.Endpoint endpoint) {
        // given: the delivery forged with another key, tampered, too old, and stripped of its headers
        WebhookRequest signed = endpoint.signed();
        byte[] tamperedBody = signed.body();
        tamperedBody[tamperedBody.length / 2] ^= 0x01;
        WebhookRequest other = WebhookSigner.builder()
                .scheme(endpoint.scheme())
                .secret(otherSecret(endpoint))
                .clock(SchemeCase.CLOCK)
                .build()
                .sign(WebhookMessage.body(endpoint.body())
                        .id("msg_2Yq5s7")
                        .eventType("invoice.paid")
                        .url(FuzzEndpoints.URL)
                        .build());
        WebhookRequest expired = WebhookSigner.builder()
                .scheme(endpoint.scheme())
                .secret(endpoint.secret().signing())
                .clock(java.time.Clock.offset(SchemeCase.CLOCK, Duration.ofDays(-2)))
                .build()
                .sign(WebhookMessage.body(endpoint.body())
                        .id("msg_2Yq5s7")
                        .url(FuzzEndpoints.URL)
                        .build());
        List<WebhookRequest> bad = List.of(
                other,
                signed.toBuilder().body(tamperedBody).build(),
                expired,
                WebhookRequest.builder()
                        .method("POST")
                        .url(FuzzEndpoints.URL)
                        .body(endpoint.body())
                        .build());
        WebhookReceiver receiver = receiver(endpoint);

        for (WebhookRequest request : bad) {
            // when
            Throwable refusal = catchThrowable(() -> endpoint.verifier().verify(request));
            HttpAnswer answer = receiver.handle(request, webhook -> {});

            // then
            assertHidden(trace(refusal), endpoint);
            assertHidden(answer.toString() + answer.headers() + answer.bodyText(), endpoint);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aKeyRefusedForSurroundingBlanksIsNotEchoed(FuzzEndpoints.Endpoint endpoint) {
        // when
        Throwable verifying = catchThrowable(() -> WebhookVerifier.builder()
                .scheme(endpoint.scheme())
                .secret(endpoint.secret().verifying() + " ")
                .build());
        Throwable signing = catchThrowable(() -> WebhookSigner.builder()
                .scheme(endpoint.scheme())
                .secret(" " + endpoint.secret().signing())
                .build());

        // then
        assertThat(verifying).isInstanceOf(IllegalArgumentException.class);
        assertThat(signing).isInstanceOf(IllegalArgumentException.class);
        assertHidden(trace(verifying), endpoint);
        assertHidden(trace(signing), endpoint);
    }

    @org.junit.jupiter.api.Test
    void aTokenSentInTheQueryIsShownNowhere() {
        // given: a token scheme reading ?token=, a good delivery and one with a wrong token
        String token = "tok_query_9Xv2Lm8Qa4";
        TokenScheme scheme = Schemes.token().query("token").build();
        WebhookRequest good = WebhookSigner.builder()
                .scheme(scheme)
                .secret(token)
                .build()
                .sign(WebhookMessage.body("{}").url(FuzzEndpoints.URL).build());
        WebhookRequest wrong = good.toBuilder()
                .url(FuzzEndpoints.URL + "&token=" + token + "x")
                .build();
        WebhookVerifier verifier =
                WebhookVerifier.builder().scheme(scheme).secret(token).build();
        WebhookReceiver receiver = WebhookReceiver.builder()
                .name("query-token")
                .verifier(verifier)
                .dedupeStore(InMemoryDedupeStore.create())
                .build();

        // when
        VerifiedWebhook verified = verifier.verify(good);
        Throwable refusal = catchThrowable(() -> verifier.verify(wrong));
        HttpAnswer refused = receiver.handle(wrong, webhook -> {});
        List<String> shown = new ArrayList<>();
        for (Object o : List.of(scheme, verifier, receiver, verified, verified.request(), good, wrong)) {
            shown.add(o.toString());
            shown.add(json(o));
        }
        shown.add(trace(refusal));
        shown.add(refused.toString() + refused.headers() + refused.bodyText());

        // then
        assertThat(good.url()).hasValueSatisfying(url -> assertThat(url).contains(token));
        for (String text : shown) {
            assertThat(text).doesNotContain(token);
        }
    }

    private static WebhookReceiver receiver(FuzzEndpoints.Endpoint endpoint) {
        return WebhookReceiver.builder()
                .name(endpoint.label())
                .verifier(endpoint.verifier())
                .dedupeStore(InMemoryDedupeStore.create())
                .build();
    }

    /** Another valid key of the same form: the first key's text with its middle characters rotated. */
    private static String otherSecret(FuzzEndpoints.Endpoint endpoint) {
        return switch (endpoint.label()) {
            case "discord" -> ProviderRoundTripPropertiesTest.discord(7L).signing();
            case "standard-webhooks-ed25519" -> SchemeCase.ed25519(7L).signing();
            case "sendgrid" -> endpoint.secret().signing(); // the P-256 pair is fixed: tamper and expiry cover it
            case "standard-webhooks", "svix", "openai", "replicate", "clerk", "resend" -> "whsec_"
                    + java.util.Base64.getEncoder()
                            .encodeToString(
                                    "another key of 24 bytes!".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case "adyen", "adyen-platform" -> "0D5A2F9C8E7B6A5948372615F4E3D2C1B0A99887766554433221100FFEEDDCCB";
            case "braintree" -> "bt1:another-signing-secret-0123456789";
            default -> "another-signing-secret-0123456789";
        };
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) { // a type Jackson cannot serialise: its refusal must not show the key either
            return trace(e);
        }
    }

    private static String trace(Throwable t) {
        if (t == null) {
            return "";
        }
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** Neither key of the pair, nor a 12-character piece of either (the part after a prefix such as whsec_). */
    private static void assertHidden(String text, FuzzEndpoints.Endpoint endpoint) {
        for (String secret :
                Arrays.asList(endpoint.secret().signing(), endpoint.secret().verifying())) {
            assertThat(text).as("text shown for %s", endpoint.label()).doesNotContain(secret);
            for (int at = 0; at + 12 <= secret.length(); at += 6) {
                String piece = secret.substring(at, at + 12);
                if (!piece.startsWith("whsec_")
                        && !piece.startsWith("MFkwEwYHKoZI")
                        && !piece.startsWith("MEECAQAwEwYH")
                        && !piece.contains("YHKoZIzj0")) { // the key's ASN.1 header is the same for every P-256 key
                    assertThat(text).as("text shown for %s", endpoint.label()).doesNotContain(piece);
                }
            }
        }
    }
}
