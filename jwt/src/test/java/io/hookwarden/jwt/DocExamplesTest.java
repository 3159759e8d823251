package io.hookwarden.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookwarden.HttpAnswer;
import io.hookwarden.Keys;
import io.hookwarden.Reason;
import io.hookwarden.Scheme;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of docs/jwt.md, as written there, run: so they keep compiling and mean what they say. */
class DocExamplesTest {
    @Test
    void testingYourHandlers() throws Exception {
        JwtFixtures.SigningKey key = JwtFixtures.rsaKey("test-kid"); // or ecKey(..) for ES256
        MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));

        try (JwtFixtures.JwksServer jwks = JwtFixtures.JwksServer.start(JwtFixtures.jwks(key))) {
            Scheme scheme = JwtSchemes.googlePubSub()
                    .jwksUrl(jwks.url()) // http://127.0.0.1:PORT/jwks.json
                    .audiences("https://hooks.example.com/pubsub")
                    .serviceAccount("pusher@my-project.iam.gserviceaccount.com")
                    .build();
            WebhookVerifier verifier =
                    WebhookVerifier.builder().scheme(scheme).clock(clock).build();
            WebhookFixtures fixtures = WebhookFixtures.builder()
                    .scheme(scheme)
                    .secret(key.privateJwk())
                    .clock(clock)
                    .build();

            WebhookRequest push = fixtures.delivery(
                            "{\"message\":{\"data\":\"e30=\",\"messageId\":\"42\"},\"subscription\":\"projects/p/subscriptions/s\"}")
                    .signed();
            assertEquals("42", verifier.verify(push).id().orElseThrow());

            jwks.down(true); // an outage: cached keys keep verifying; jwks.fetches() counts the fetches
            jwks.serve(JwtFixtures.jwks(key, JwtFixtures.rsaKey("next-kid"))); // a rotation

            assertThat(verifier.verify(push).matchedKey()).isEqualTo("test-kid");
            assertThat(jwks.fetches()).isEqualTo(1);

            String expired = JwtFixtures.token(key)
                    .issuer("https://accounts.google.com")
                    .audience("https://hooks.example.com/pubsub")
                    .claim("email", "pusher@my-project.iam.gserviceaccount.com")
                    .claim("email_verified", true)
                    .issuedAt(clock.instant().minusSeconds(7200)) // exp is one hour after iat by default
                    .sign();
            WebhookRequest old = WebhookRequest.builder()
                    .header("Authorization", "Bearer " + expired)
                    .body(push.body())
                    .build();
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                                    WebhookVerificationException.class, () -> verifier.verify(old))
                            .reason())
                    .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        }
    }

    @Test
    void configuredKeysAndThePubSubHandler() throws Exception {
        JwtFixtures.SigningKey current = JwtFixtures.ecKey("current");
        JwtFixtures.SigningKey old = JwtFixtures.rsaKey("old");
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(JwtSchemes.bearer()
                        .issuers("https://issuer.example")
                        .audiences("my-client-id")
                        .build())
                .keys(Keys.builder()
                        .add("2026-q3", current.publicKeyPem())
                        .add("2026-q2", old.publicJwk())
                        .build())
                .build();
        String token = JwtFixtures.token(old)
                .issuer("https://issuer.example")
                .audience("my-client-id")
                .sign();

        assertThat(verifier.verify(WebhookRequest.builder()
                                .header("Authorization", "Bearer " + token)
                                .body(new byte[0])
                                .build())
                        .matchedKey())
                .isEqualTo("2026-q2");

        try (JwtFixtures.JwksServer google = JwtFixtures.JwksServer.start(JwtFixtures.jwks(current))) {
            Scheme scheme = JwtSchemes.googlePubSub()
                    .jwksUrl(google.url())
                    .algorithms("ES256")
                    .audiences("https://hooks.example.com/pubsub")
                    .serviceAccount("pusher@my-project.iam.gserviceaccount.com")
                    .build();
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(WebhookVerifier.builder().scheme(scheme).build())
                    .build();
            WebhookRequest request = WebhookFixtures.builder()
                    .scheme(scheme)
                    .secret(current.privateJwk())
                    .build()
                    .delivery("{\"message\":{\"data\":\"aGVsbG8=\",\"messageId\":\"7\",\"attributes\":{\"k\":\"v\"}}}")
                    .signed();
            List<String> seen = new ArrayList<>();

            HttpAnswer answer = receiver.handle(request, webhook -> {
                byte[] event = PubSubPush.data(webhook);
                Map<String, String> attributes = PubSubPush.attributes(webhook);
                seen.add(webhook.id().orElseThrow() + " " + new String(event, StandardCharsets.UTF_8) + " "
                        + attributes);
            });

            assertThat(answer.status()).isEqualTo(200);
            assertThat(seen).containsExactly("7 hello {k=v}");
        }
    }
}
