package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every published vector in {@code vectors/vectors.json} (a verbatim copy of the shared research file; its README is
 * beside it) for the schemes of the core, checked at the vector's own clock and tolerance.
 *
 * <p>How the README's caveats are honoured: Twilio and Mailgun vectors give form parameters rather than a body, so the
 * body is built from them (a form for Twilio, the JSON {@code signature} object for Mailgun); Linear's derived vectors
 * use Linear's 60-second window where they give a clock; toy secrets shorter than the built-in schemes' 8-byte floor
 * (Twilio's {@code 12345}, Zoom's {@code secret}, Linear's {@code SECRET}) are replayed with that floor lifted, and
 * {@link #toySecretsAreRefusedByTheBuiltInSchemes} proves the built-ins refuse them.
 */
class PublishedVectorsTest {
    private static final Set<String> SCHEMES = Set.of(
            "standard-webhooks",
            "svix",
            "stripe",
            "github",
            "slack",
            "twilio",
            "paddle",
            "square",
            "sendgrid",
            "zoom",
            "discord",
            "mailgun",
            "linear",
            "shopify");
    /** Schemes whose published vectors use secrets shorter than the built-in floor of 8 bytes. */
    private static final Set<String> TOY_SECRETS = Set.of("twilio", "zoom", "linear");
    /**
     * Confirmed vectors this library refuses on purpose. {@code zoom-seguri-empty} signs an empty {@code
     * x-zm-request-timestamp}: a third-party library's degenerate case (the README calls it so) that Zoom never sends,
     * and accepting it would let a signature without a time through the freshness check. {@code
     * stripe-java-derived-future} is signed 11 s ahead of a 10 s tolerance: stripe-java checks only the age, this
     * library bounds the future for every timestamped scheme (issue 13).
     */
    private static final Set<String> REFUSED_ON_PURPOSE = Set.of("zoom-seguri-empty", "stripe-java-derived-future");

    private static final String PLACEHOLDER_SECRET = "placeholder-secret-for-malformed-headers";

    static List<JsonNode> vectors() throws IOException {
        try (InputStream in = PublishedVectorsTest.class.getResourceAsStream("/vectors/vectors.json")) {
            JsonNode all = new ObjectMapper().readTree(in);
            List<JsonNode> out = new ArrayList<>();
            all.forEach(v -> {
                if (SCHEMES.contains(v.get("scheme").asText())) {
                    out.add(v);
                }
            });
            return out;
        }
    }

    static Stream<Arguments> valid() throws IOException {
        return vectors().stream()
                .filter(v -> v.get("expected_valid").asBoolean())
                .filter(v -> !REFUSED_ON_PURPOSE.contains(v.get("id").asText()))
                .map(PublishedVectorsTest::named);
    }

    /**
     * Valid vectors whose signature can be re-made: HMAC ones, and Ed25519 ones that publish the private key. Not
     * Discord and SendGrid (only public keys are published; ECDSA is randomised anyway), not Mailgun (the signer draws
     * a fresh token), not Zoom (its vectors carry millisecond timestamps; the signer writes seconds, as Zoom does).
     */
    static Stream<Arguments> resignable() throws IOException {
        Set<String> notResignable = Set.of("discord", "sendgrid", "mailgun", "zoom");
        return vectors().stream()
                .filter(v -> v.get("expected_valid").asBoolean())
                .filter(v -> !REFUSED_ON_PURPOSE.contains(v.get("id").asText()))
                .filter(v -> !notResignable.contains(v.get("scheme").asText()))
                .filter(v -> !v.get("secret").asText().startsWith("whpk_") || v.hasNonNull("secret_private"))
                .map(PublishedVectorsTest::named);
    }

    static Stream<Arguments> invalid() throws IOException {
        return vectors().stream()
                .filter(v -> !v.get("expected_valid").asBoolean())
                .map(PublishedVectorsTest::named);
    }

    private static Arguments named(JsonNode v) {
        String label = v.get("id").asText() + (v.get("confirmed").asBoolean() ? "" : " (derived)");
        return Arguments.of(Named.of(label, v));
    }

    @Test
    void coversEveryVectorOfTheCoreSchemes() throws IOException {
        // 67 standard-webhooks + 1 svix + 14 stripe + 11 github + 7 slack + 21 twilio + 20 paddle + 7 square
        // + 6 sendgrid + 4 zoom + 4 discord + 3 mailgun + 3 linear + 2 shopify, per the vectors' README; the two
        // handshake vectors (zoom-url-validation, twitter-crc) have their own tests below.
        assertThat(vectors()).hasSize(170);
    }

    @Test
    void refusesTheEmptyZoomTimestampOnPurpose() throws IOException {
        JsonNode v = vector("zoom-seguri-empty");

        WebhookVerificationException e = catchThrowableOfType(
                WebhookVerificationException.class,
                () -> verifier(v, v.get("secret").asText()).verify(request(v)));

        assertThat(v.get("expected_valid").asBoolean()).isTrue();
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(e.getMessage()).contains("x-zm-request-timestamp");
    }

    @Test
    void refusesAStripeTimestampBeyondTheToleranceAheadOnPurposeThoughItsSignatureIsRight() throws IOException {
        JsonNode v = vector("stripe-java-derived-future");

        WebhookVerificationException e = catchThrowableOfType(
                WebhookVerificationException.class,
                () -> verifier(v, v.get("secret").asText()).verify(request(v)));
        VerifiedWebhook withSkew = WebhookVerifier.builder()
                .scheme(Schemes.stripe())
                .secret(v.get("secret").asText())
                .maxAge(Duration.ofSeconds(10))
                .futureSkew(Duration.ofSeconds(11))
                .clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
                .build()
                .verify(request(v));

        assertThat(v.get("expected_valid").asBoolean()).isTrue();
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        assertThat(withSkew.timestamp()).contains(Instant.ofEpochSecond(11));
    }

    @Test
    void toySecretsAreRefusedByTheBuiltInSchemes() throws IOException {
        for (JsonNode v : vectors()) {
            String id = v.get("scheme").asText();
            String secret = v.get("secret").asText();
            if (!TOY_SECRETS.contains(id) || secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 8) {
                continue;
            }
            assertThatThrownBy(() -> WebhookVerifier.builder()
                            .scheme(Schemes.byId(id))
                            .secret(secret)
                            .build())
                    .as(v.get("id").asText())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("secret key-1 for scheme " + id + " is too short: " + secret.length()
                            + " bytes, at least 8 required");
        }
    }

    @Test
    void answersTheZoomUrlValidationVector() throws IOException {
        // given: the published validation event, signed as Zoom signs it (the handshake is answered after the check)
        JsonNode v = vector("zoom-url-validation-beats");
        String secret = v.get("secret").asText();
        WebhookRequest request = WebhookSigner.builder()
                .scheme(Schemes.zoom())
                .secret(secret)
                .clock(SchemeCase.CLOCK)
                .build()
                .sign(WebhookMessage.body(body(v)).build());
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.zoom())
                        .secret(secret)
                        .clock(SchemeCase.CLOCK)
                        .build())
                .build();

        // when
        Outcome outcome = receiver.receive(request);

        // then
        assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
        JsonNode answer = new ObjectMapper().readTree(outcome.answer().body());
        assertThat(answer.get("plainToken").asText())
                .isEqualTo(v.get("params").get("plainToken").asText());
        assertThat(answer.get("encryptedToken").asText())
                .isEqualTo(v.get("expected_signature").asText());
        assertThat(outcome.answer().headers()).containsEntry("Content-Type", "application/json");
    }

    @Test
    void answersTheTwitterCrcVector() throws IOException {
        // given: the toy consumer secret 12345, so with the floor lifted
        JsonNode v = vector("twitter-crc-talkpay");
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.x(1))
                        .secret(v.get("secret").asText())
                        .build())
                .build();
        WebhookRequest crc = WebhookRequest.builder()
                .method("GET")
                .url("https://hooks.example.com/x?crc_token="
                        + v.get("params").get("crc_token").asText())
                .build();

        // when
        Outcome outcome = receiver.receive(crc);

        // then
        assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
        assertThat(new ObjectMapper()
                        .readTree(outcome.answer().body())
                        .get("response_token")
                        .asText())
                .isEqualTo(v.get("expected_signature").asText());
    }

    private static JsonNode vector(String id) throws IOException {
        try (InputStream in = PublishedVectorsTest.class.getResourceAsStream("/vectors/vectors.json")) {
            for (JsonNode v : new ObjectMapper().readTree(in)) {
                if (v.get("id").asText().equals(id)) {
                    return v;
                }
            }
        }
        throw new IllegalStateException("no vector " + id);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void acceptsValidVector(JsonNode v) {
        VerifiedWebhook webhook = verifier(v, v.get("secret").asText()).verify(request(v));

        assertThat(webhook.schemeId()).isEqualTo(scheme(v).id());
        assertThat(webhook.matchedKey()).isEqualTo("key-1");
        assertThat(webhook.body()).isEqualTo(body(v));
        if (!v.get("timestamp").isNull()) {
            assertThat(webhook.timestamp()).contains(timestamp(v));
        }
    }

    /** The vector's timestamp: seconds, or milliseconds from 12 digits on (Zoom's and Linear's vectors). */
    static Instant timestamp(JsonNode v) {
        long value = Long.parseLong(v.get("timestamp").asText());
        return value >= 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resignable")
    void signingReproducesThePublishedSignature(JsonNode v) {
        String secret = v.hasNonNull("secret_private")
                ? v.get("secret_private").asText()
                : v.get("secret").asText();
        WebhookSigner signer =
                WebhookSigner.builder().scheme(scheme(v)).secret(secret).build();
        // Twilio: the signature may be over the URL with the port toggled or normalised; sign over each of them.
        List<String> urls = !v.hasNonNull("url")
                ? java.util.Collections.singletonList(null)
                : v.get("scheme").asText().equals("twilio")
                        ? TwilioScheme.urls(v.get("url").asText())
                        : List.of(v.get("url").asText());
        List<String> values = new ArrayList<>();
        for (String url : urls) {
            WebhookMessage.Builder message = WebhookMessage.body(body(v));
            headerValue(v, "webhook-id", "svix-id").ifPresent(message::id);
            if (!v.get("timestamp").isNull()) {
                message.timestamp(timestamp(v));
            }
            if (url != null) {
                message.url(url);
            }
            signer.headers(message.build()).toMap().values().forEach(values::addAll);
        }

        String expected = v.get("expected_signature").asText();
        assertThat(values)
                .as("signature headers %s", values)
                .anyMatch(value -> value.equals(expected)
                        || value.contains("v1=" + expected)
                        || value.contains("h1=" + expected)
                        || value.equals("sha256=" + expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesInvalidVector(JsonNode v) {
        String secret = v.get("secret").asText();
        if (secret.isEmpty()) {
            // The Stripe malformed-header vectors carry no secret: building a verifier with one must fail loudly...
            assertThatThrownBy(() -> verifier(v, secret))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is empty");
            // ...and with a real secret, the header alone is refused as malformed.
            WebhookVerificationException e =
                    catchThrowableOfType(WebhookVerificationException.class, () -> verifier(v, PLACEHOLDER_SECRET)
                            .verify(request(v)));
            assertThat(e).isNotNull();
            assertThat(e.reason()).isIn(Reason.MALFORMED_HEADER, Reason.MISSING_HEADER);
            return;
        }
        WebhookVerifier verifier;
        try {
            verifier = verifier(v, secret);
        } catch (IllegalArgumentException tooShort) {
            // octokit's wrong-secret vector uses "foo": refused at build time, before any delivery.
            assertThat(tooShort).hasMessageContaining("too short").hasMessageNotContaining(secret);
            return;
        }
        WebhookVerificationException e =
                catchThrowableOfType(WebhookVerificationException.class, () -> verifier.verify(request(v)));
        assertThat(e).as("vector %s must be refused", v.get("id").asText()).isNotNull();
        assertThat(e.reason())
                .isIn(
                        Reason.MISSING_HEADER,
                        Reason.MALFORMED_HEADER,
                        Reason.MALFORMED_PAYLOAD,
                        Reason.SIGNATURE_MISMATCH,
                        Reason.TIMESTAMP_TOO_OLD,
                        Reason.TIMESTAMP_IN_FUTURE);
        assertThat(e.getMessage()).doesNotContain(secret);
    }

    static Scheme scheme(JsonNode v) {
        String id = v.get("scheme").asText();
        if (id.equals("github") && v.get("headers").has("X-Hub-Signature")) {
            return Schemes.githubAcceptingSha1(); // the legacy SHA-1 vectors, with SHA-1 explicitly enabled
        }
        if (TOY_SECRETS.contains(id)
                && v.get("secret").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 8) {
            return switch (id) {
                case "twilio" -> new TwilioScheme(PublicUrl.DIRECT, 1);
                case "zoom" -> new ZoomScheme(1);
                default -> new LinearScheme(1);
            };
        }
        return Schemes.byId(id);
    }

    static WebhookVerifier verifier(JsonNode v, String secret) {
        WebhookVerifier.Builder builder =
                WebhookVerifier.builder().scheme(scheme(v)).keys(Keys.of(secret));
        long now = v.get("now").isNull() ? 0 : v.get("now").asLong();
        builder.clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
        if (v.get("scheme").asText().equals("linear") && !v.get("now").isNull()) {
            builder.tolerance(Duration.ofSeconds(60)); // the README: Linear checks webhookTimestamp within 60 s
        } else if (v.get("tolerance_seconds").isNull()) {
            builder.ignoreTimestamp();
        } else {
            builder.tolerance(Duration.ofSeconds(v.get("tolerance_seconds").asLong()));
        }
        return builder.build();
    }

    static WebhookRequest request(JsonNode v) {
        WebhookRequest.Builder builder = WebhookRequest.builder().body(body(v));
        v.get("headers")
                .properties()
                .forEach(h -> builder.header(h.getKey(), h.getValue().asText()));
        if (v.hasNonNull("url")) {
            builder.url(v.get("url").asText());
        }
        return builder.build();
    }

    /**
     * The body's exact bytes; for vectors that give form parameters instead, the body they arrive in: a form for
     * Twilio (repeated names for arrays), the JSON {@code signature} object for Mailgun.
     */
    static byte[] body(JsonNode v) {
        JsonNode params = v.get("params");
        if (v.get("body").isNull() && params != null && !params.isNull()) {
            if (v.get("scheme").asText().equals("mailgun")) {
                return ("{\"signature\":" + params + ",\"event-data\":{\"event\":\"delivered\"}}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            List<String> pairs = new ArrayList<>();
            params.properties().forEach(p -> {
                for (JsonNode value : p.getValue().isArray() ? p.getValue() : List.of(p.getValue())) {
                    pairs.add(FormBody.encode(p.getKey()) + "=" + FormBody.encode(value.asText()));
                }
            });
            return String.join("&", pairs).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return v.get("body").isNull()
                ? new byte[0]
                : v.get("body").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static java.util.Optional<String> headerValue(JsonNode v, String... names) {
        Headers headers = request(v).headers();
        for (String name : names) {
            if (headers.contains(name)) {
                return headers.first(name);
            }
        }
        return java.util.Optional.empty();
    }
}
