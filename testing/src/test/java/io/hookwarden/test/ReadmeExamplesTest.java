package io.hookwarden.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.Delivery;
import io.hookwarden.EventAttribute;
import io.hookwarden.HmacAlgorithm;
import io.hookwarden.HttpAnswer;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Keys;
import io.hookwarden.Outcome;
import io.hookwarden.PayloadSchema;
import io.hookwarden.Reason;
import io.hookwarden.Router;
import io.hookwarden.SchemaRegistry;
import io.hookwarden.Scheme;
import io.hookwarden.Schemes;
import io.hookwarden.SignatureEncoding;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's examples, kept here so they compile and behave as the README says. */
class ReadmeExamplesTest {
    private static final String SECRET = "whsec_readme_example_secret";

    @Test
    void verifyAWebhook() {
        String url = "https://example.com/webhooks/stripe";
        Instant now = Instant.ofEpochSecond(1_700_000_000);
        WebhookRequest sent = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build()
                .delivery("{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}")
                .signed();
        String signatureHeader = sent.headers().first("Stripe-Signature").orElseThrow();
        byte[] rawBodyBytes = sent.body();

        // README: "Verify a webhook"
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.stripe())
                .keys(Keys.of(SECRET))
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
        WebhookRequest request = WebhookRequest.builder()
                .url(url)
                .header("Stripe-Signature", signatureHeader)
                .body(rawBodyBytes)
                .build();
        VerifiedWebhook webhook = verifier.verify(request);

        assertThat(webhook.id()).contains("evt_1");
        assertThat(webhook.eventType()).contains("invoice.paid");
        assertThat(webhook.bodyText()).isEqualTo(new String(rawBodyBytes, StandardCharsets.UTF_8));
    }

    @Test
    void theOneCatchAnswersWithTheReasonsStatus() {
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .build();
        WebhookRequest request = WebhookRequest.builder()
                .header("Stripe-Signature", "t=1,v1=00")
                .body("{}")
                .build();

        int status;
        try {
            verifier.verify(request);
            status = 200;
        } catch (WebhookVerificationException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET);
            status = e.reason().httpStatus();
        }

        assertThat(status).isEqualTo(401);
    }

    @Test
    void aConfiguredHmacSchemeVerifiesWhatItSigns() {
        Scheme acme = Schemes.hmac()
                .id("acme")
                .signatureHeader("X-Acme-Signature")
                .prefix("sha256=")
                .algorithm(HmacAlgorithm.SHA256)
                .encoding(SignatureEncoding.HEX)
                .timestampHeader("X-Acme-Timestamp")
                .signedContent("{timestamp}.{body}")
                .build();
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookRequest request = WebhookFixtures.builder()
                .scheme(acme)
                .secret("acme-secret-123")
                .clock(clock)
                .build()
                .delivery("{}")
                .signed();

        VerifiedWebhook webhook = WebhookVerifier.builder()
                .scheme(acme)
                .secret("acme-secret-123")
                .clock(clock)
                .build()
                .verify(request);

        assertThat(request.headers().first("X-Acme-Signature"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("sha256="));
        assertThat(webhook.timestamp()).contains(clock.instant());
    }

    @Test
    void rotationNamesTheKeyThatMatched() {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookRequest signedWithOld = WebhookFixtures.builder()
                .scheme(Schemes.github())
                .secret("old-github-secret")
                .clock(clock)
                .build()
                .delivery("{}")
                .signed();

        VerifiedWebhook webhook = WebhookVerifier.builder()
                .scheme(Schemes.github())
                .keys(Keys.builder()
                        .add("current", "new-github-secret")
                        .add("previous", "old-github-secret")
                        .build())
                .build()
                .verify(signedWithOld);

        assertThat(webhook.matchedKey()).isEqualTo("previous");
    }

    @Test
    void testYourHandlers() {
        // README: "Test your handlers"
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .clock(clock)
                .build();
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .clock(clock)
                .build();

        assertThat(verifier.verify(fixtures.delivery("{\"id\":\"evt_1\"}").signed())
                        .id())
                .contains("evt_1");
        assertThatThrownBy(() -> verifier.verify(fixtures.delivery("{}").tampered()))
                .extracting("reason")
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        WebhookRequest sixMinutesOld = fixtures.delivery("{}").signed();
        clock.advance(Duration.ofMinutes(6));
        assertThatThrownBy(() -> verifier.verify(sixMinutesOld))
                .extracting("reason")
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    }

    @Test
    void receiveAWebhookExactlyOnce() {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .clock(clock)
                .build();
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .clock(clock)
                .build();
        InMemoryDedupeStore store = InMemoryDedupeStore.create();
        List<String> paid = new ArrayList<>();
        WebhookRequest request = fixtures.delivery("{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}")
                .signed();

        // README: "Receive a webhook, exactly once"
        WebhookReceiver receiver =
                WebhookReceiver.builder().verifier(verifier).dedupeStore(store).build();
        HttpAnswer answer = receiver.handle(request, webhook -> {
            paid.add(webhook.id().orElseThrow());
        });
        HttpAnswer retry =
                receiver.handle(request, webhook -> paid.add(webhook.id().orElseThrow()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.bodyText()).contains("DUPLICATE");
        assertThat(paid).containsExactly("evt_1");
    }

    @Test
    @SuppressWarnings("try") // the README's point: the claim is held, and released, by the try block alone
    void holdTheClaimYourself() {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .clock(clock)
                .build();
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.stripe())
                        .secret(SECRET)
                        .clock(clock)
                        .build())
                .build();
        WebhookRequest request = fixtures.delivery("{\"id\":\"evt_2\",\"type\":\"invoice.paid\"}")
                .signed();
        List<String> handled = new ArrayList<>();

        // README: "Or hold the claim yourself" - a handler that throws leaves the delivery for the retry
        Outcome outcome = receiver.receive(request);
        assertThatThrownBy(() -> {
                    if (outcome instanceof Outcome.Accepted accepted) {
                        try (Delivery delivery = accepted.delivery()) {
                            throw new IllegalStateException("handler failed before complete()");
                        }
                    }
                })
                .isInstanceOf(IllegalStateException.class);
        Outcome retried = receiver.receive(request);
        if (retried instanceof Outcome.Accepted accepted) {
            try (Delivery delivery = accepted.delivery()) {
                handled.add(delivery.webhook().id().orElseThrow());
                delivery.complete();
            }
        }

        assertThat(handled).containsExactly("evt_2");
        assertThat(receiver.receive(request)).isInstanceOf(Outcome.Duplicate.class);
    }

    record Invoice(Data data) {
        record Data(Map<String, Object> object) {}
    }

    @Test
    void validateAndRoutePayloads() {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .clock(clock)
                .build();
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .clock(clock)
                .build();
        List<Object> paid = new ArrayList<>();
        List<String> audited = new ArrayList<>();

        // README: "Validate and route payloads"
        SchemaRegistry schemas = SchemaRegistry.builder()
                .schema("invoice.paid", PayloadSchema.classpath("schemas/invoice.paid.json"))
                .unknownTypes(SchemaRegistry.UnknownTypes.ACCEPT)
                .build();
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(verifier)
                .schemas(schemas)
                .version(EventAttribute.jsonPointer("/api_version"))
                .build();
        Router router = Router.builder()
                .on(
                        "invoice.paid",
                        event ->
                                paid.add(event.as(Invoice.class).data().object().get("amount_paid")))
                .on("invoice.*", event -> audited.add(event.type().orElseThrow()))
                .build();

        HttpAnswer ok = receiver.handle(
                fixtures.delivery("{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"api_version\":\"2024-06-20\","
                                + "\"data\":{\"object\":{\"amount_paid\":900,\"currency\":\"eur\"}}}")
                        .signed(),
                router);
        HttpAnswer invalid = receiver.handle(
                fixtures.delivery("{\"id\":\"evt_2\",\"type\":\"invoice.paid\","
                                + "\"data\":{\"object\":{\"amount_paid\":900,\"currency\":\"EURO\"}}}")
                        .signed(),
                router);

        assertThat(ok.status()).isEqualTo(200);
        assertThat(paid).containsExactly(900);
        assertThat(audited).containsExactly("invoice.paid");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.bodyText())
                .contains("\"pointer\":\"/data/object/currency\"")
                .contains("\"keyword\":\"pattern\"")
                .doesNotContain("EURO");
    }
}
