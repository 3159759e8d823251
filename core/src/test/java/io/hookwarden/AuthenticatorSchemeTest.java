package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.spi.Authenticator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scheme made of an {@link Authenticator} from another module (issue 16, bearer JWTs): the verifier hands it the
 * request, its decoded keys and its clock; keys are left out only when it fetches its own; the signer, the receiver's
 * dedupe key and the body pointers go through it.
 */
class AuthenticatorSchemeTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    /** Accepts {@code X-Auth: <key text>} when the text is one of its keys; {@code X-When} must be the clock's now. */
    static final class Echo implements Authenticator<String> {
        final boolean fetches;
        final List<Clock> clocks = new ArrayList<>();

        Echo(boolean fetches) {
            this.fetches = fetches;
        }

        @Override
        public String id() {
            return "echo";
        }

        @Override
        public boolean fetchesKeys() {
            return fetches;
        }

        @Override
        public String verificationKey(String label, String text) {
            if (text.length() < 4) {
                throw new IllegalArgumentException("key " + label + " is too short");
            }
            return label + "=" + text;
        }

        @Override
        public String signingKey(String label, String text) {
            return label + "=" + text;
        }

        @Override
        public Authentication authenticate(WebhookRequest request, List<String> keys, Clock clock) {
            clocks.add(clock);
            String offered = request.headers()
                    .first("X-Auth")
                    .orElseThrow(() -> new WebhookVerificationException(Reason.MISSING_HEADER, "no X-Auth"));
            if (fetches) {
                return new Authentication("fetched", null, null);
            }
            for (String key : keys) {
                if (key.endsWith("=" + offered)) {
                    return new Authentication(key.substring(0, key.indexOf('=')), null, null);
                }
            }
            throw new WebhookVerificationException(Reason.SIGNATURE_MISMATCH, "no key matches");
        }

        @Override
        public Headers sign(String key, WebhookMessage message, Instant timestamp) {
            return Headers.builder()
                    .add("X-Auth", key.substring(key.indexOf('=') + 1))
                    .build();
        }

        @Override
        public String idPointer() {
            return "/message/id";
        }

        @Override
        public List<String> eventTypePointers() {
            return List.of("/message/type");
        }
    }

    static final String BODY = "{\"message\":{\"id\":\"m-1\",\"type\":\"order.created\"}}";

    @Test
    void verifiesThroughTheAuthenticatorWithItsDecodedKeysAndTheVerifiersClock() {
        Echo echo = new Echo(false);
        Clock clock = Clock.fixed(NOW, java.time.ZoneOffset.UTC);
        Scheme scheme = Schemes.authenticatedBy(echo);
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(scheme)
                .keys(Keys.builder().add("old", "key-old").add("new", "key-new").build())
                .clock(clock)
                .build();
        WebhookRequest request = WebhookSigner.builder()
                .scheme(scheme)
                .secret("key-new")
                .build()
                .sign(WebhookMessage.body(BODY).build());

        VerifiedWebhook webhook = verifier.verify(request);

        assertThat(webhook.matchedKey()).isEqualTo("new");
        assertThat(webhook.schemeId()).isEqualTo("echo");
        assertThat(webhook.id()).contains("m-1");
        assertThat(webhook.eventType()).contains("order.created");
        assertThat(webhook.timestamp()).isEmpty();
        assertThat(echo.clocks).containsExactly(clock);
    }

    @Test
    void theAuthenticatorsRefusalIsTheVerifiersAndTheBodyLimitComesFirst() {
        Scheme scheme = Schemes.authenticatedBy(new Echo(false));
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(scheme)
                .keys(Keys.of("key-one"))
                .maxBodyBytes(10)
                .build();
        WebhookRequest small = WebhookRequest.builder()
                .header("X-Auth", "key-two")
                .body("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();
        WebhookRequest large = WebhookRequest.builder()
                .header("X-Auth", "key-one")
                .body(BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();

        assertThatThrownBy(() -> verifier.verify(small))
                .isInstanceOfSatisfying(WebhookVerificationException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.SIGNATURE_MISMATCH));
        assertThatThrownBy(() -> verifier.verify(large))
                .isInstanceOfSatisfying(WebhookVerificationException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.PAYLOAD_TOO_LARGE));
    }

    @Test
    void aKeyTheAuthenticatorRefusesFailsTheBuildNamingItsLabel() {
        Scheme scheme = Schemes.authenticatedBy(new Echo(false));

        assertThatThrownBy(() -> WebhookVerifier.builder()
                        .scheme(scheme)
                        .keys(Keys.builder().add("tiny", "abc").build())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tiny")
                .hasMessageNotContaining("abc");
    }

    @Test
    void anAuthenticatorThatFetchesItsKeysTakesNoneAndRefusesSome() {
        Scheme scheme = Schemes.authenticatedBy(new Echo(true));

        WebhookVerifier verifier = WebhookVerifier.builder().scheme(scheme).build();
        VerifiedWebhook webhook = verifier.verify(
                WebhookRequest.builder().header("X-Auth", "x").body(new byte[0]).build());

        assertThat(webhook.matchedKey()).isEqualTo("fetched");
        assertThat(WebhookReceiver.builder()
                        .verifier(verifier)
                        .build()
                        .handle(
                                WebhookRequest.builder()
                                        .header("X-Auth", "x")
                                        .body(new byte[0])
                                        .build(),
                                w -> {})
                        .status())
                .isEqualTo(200);
        assertThatThrownBy(() -> WebhookVerifier.builder()
                        .scheme(scheme)
                        .keys(Keys.of("key-one"))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("give the verifier no keys");
        assertThatThrownBy(() -> WebhookVerifier.builder()
                        .scheme(Schemes.authenticatedBy(new Echo(false)))
                        .build())
                .isInstanceOf(MissingOptionException.class);
    }

    @Test
    void theReceiversDedupeKeyIsTheBodysIdNeverTheCredential() {
        Echo echo = new Echo(false);
        Scheme scheme = Schemes.authenticatedBy(echo);
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(scheme)
                        .keys(Keys.of("key-one"))
                        .build())
                .build();
        WebhookRequest first = WebhookRequest.builder()
                .header("X-Auth", "key-one")
                .body(BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();
        WebhookRequest other = WebhookRequest.builder()
                .header("X-Auth", "key-one")
                .body("{\"message\":{\"id\":\"m-2\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();

        assertThat(receiver.handle(first, w -> {}).status()).isEqualTo(200);
        assertThat(receiver.receive(first)).isInstanceOf(Outcome.Duplicate.class);
        Outcome second = receiver.receive(other);
        assertThat(second).isInstanceOf(Outcome.Accepted.class);
        ((Outcome.Accepted) second).delivery().close();
    }

    @Test
    void keysUnavailableIsARetryable503() {
        assertThat(Reason.KEYS_UNAVAILABLE.httpStatus()).isEqualTo(503);
        assertThat(Reason.KEYS_UNAVAILABLE.retryable()).isTrue();
        assertThat(HttpAnswer.problem(Reason.KEYS_UNAVAILABLE, java.time.Duration.ofSeconds(10))
                        .headers())
                .containsEntry("Retry-After", "10");
    }
}
