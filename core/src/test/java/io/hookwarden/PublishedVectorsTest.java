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
 */
class PublishedVectorsTest {
    private static final Set<String> SCHEMES = Set.of("standard-webhooks", "svix", "stripe", "github", "slack");
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
                .map(PublishedVectorsTest::named);
    }

    /** Valid vectors whose signature can be re-made: HMAC ones, and Ed25519 ones that publish the private key. */
    static Stream<Arguments> resignable() throws IOException {
        return vectors().stream()
                .filter(v -> v.get("expected_valid").asBoolean())
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
        // 67 standard-webhooks + 1 svix + 14 stripe + 11 github + 7 slack, per the vectors' README
        assertThat(vectors()).hasSize(100);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void acceptsValidVector(JsonNode v) {
        VerifiedWebhook webhook = verifier(v, v.get("secret").asText()).verify(request(v));

        assertThat(webhook.scheme()).isEqualTo(scheme(v).id());
        assertThat(webhook.matchedKey()).isEqualTo("key-1");
        assertThat(webhook.body()).isEqualTo(body(v));
        if (!v.get("timestamp").isNull()) {
            assertThat(webhook.timestamp())
                    .contains(Instant.ofEpochSecond(v.get("timestamp").asLong()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resignable")
    void signingReproducesThePublishedSignature(JsonNode v) {
        String secret = v.hasNonNull("secret_private")
                ? v.get("secret_private").asText()
                : v.get("secret").asText();
        WebhookMessage.Builder message = WebhookMessage.body(body(v));
        headerValue(v, "webhook-id", "svix-id").ifPresent(message::id);
        if (!v.get("timestamp").isNull()) {
            message.timestamp(Instant.ofEpochSecond(v.get("timestamp").asLong()));
        }

        Headers signed =
                WebhookSigner.builder().scheme(scheme(v)).secret(secret).build().headers(message.build());

        String expected = v.get("expected_signature").asText();
        assertThat(signed.toMap().values().stream().flatMap(List::stream))
                .as("signature headers %s", signed)
                .anyMatch(value -> value.equals(expected) || value.contains("v1=" + expected));
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
                        Reason.SIGNATURE_MISMATCH,
                        Reason.TIMESTAMP_TOO_OLD,
                        Reason.TIMESTAMP_IN_FUTURE);
        assertThat(e.getMessage()).doesNotContain(secret);
    }

    static Scheme scheme(JsonNode v) {
        if (v.get("scheme").asText().equals("github") && v.get("headers").has("X-Hub-Signature")) {
            return Schemes.githubAcceptingSha1(); // the legacy SHA-1 vectors, with SHA-1 explicitly enabled
        }
        return Schemes.byId(v.get("scheme").asText());
    }

    static WebhookVerifier verifier(JsonNode v, String secret) {
        WebhookVerifier.Builder builder =
                WebhookVerifier.builder().scheme(scheme(v)).keys(Keys.of(secret));
        long now = v.get("now").isNull() ? 0 : v.get("now").asLong();
        builder.clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
        if (v.get("tolerance_seconds").isNull()) {
            builder.ignoreTimestamp();
        } else {
            builder.tolerance(Duration.ofSeconds(v.get("tolerance_seconds").asLong()));
        }
        return builder.build();
    }

    static WebhookRequest request(JsonNode v) {
        WebhookRequest.Builder builder = WebhookRequest.builder().body(body(v));
        v.get("headers")
                .fields()
                .forEachRemaining(h -> builder.header(h.getKey(), h.getValue().asText()));
        if (v.hasNonNull("url")) {
            builder.url(v.get("url").asText());
        }
        return builder.build();
    }

    static byte[] body(JsonNode v) {
        return v.get("body").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
