package io.hookwarden.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.samples.support.SampleStore;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The sample started by Spring Boot on a free port, driven over real HTTP by {@code java.net.http} with deliveries the
 * test kit signs, as a provider would send them. The test's secrets come in as properties under the environment
 * variables' names; the endpoints verify on the test's {@link MutableClock}. Every answer is checked for the secrets.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "HOOKWARDEN_STANDARD_SECRET=" + SpringBootSampleTest.STANDARD_SECRET,
            "HOOKWARDEN_GITHUB_SECRET=" + SpringBootSampleTest.GITHUB_SECRET,
            "HOOKWARDEN_STRIPE_SECRET=" + SpringBootSampleTest.STRIPE_SECRET,
            "HOOKWARDEN_STORE=memory"
        })
class SpringBootSampleTest {
    static final String STANDARD_SECRET = "whsec_dGhlIHNwcmluZyBzYW1wbGUncyB0ZXN0IGtleSE=";
    static final String GITHUB_SECRET = "spring-sample-github-test-secret";
    static final String STRIPE_SECRET = "whsec_spring_sample_stripe_test_secret";
    private static final List<String> SECRETS = List.of(STANDARD_SECRET, GITHUB_SECRET, STRIPE_SECRET);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final MutableClock CLOCK = MutableClock.atEpochSecond(1_700_000_000);

    /** The clock the sample's verifiers run on, so deliveries signed on it are fresh. */
    @TestConfiguration
    static class FixedClock {
        @Bean
        MutableClock clock() {
            return CLOCK;
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    SampleEndpoints endpoints;

    @Autowired
    SampleStore store;

    @Autowired
    DedupeStore dedupeStore;

    private final WebhookFixtures standard = fixtures(Schemes.standardWebhooks(), STANDARD_SECRET);
    private final WebhookFixtures github = fixtures(Schemes.github(), GITHUB_SECRET);
    private final WebhookFixtures stripe = fixtures(Schemes.stripe(), STRIPE_SECRET);
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static WebhookFixtures fixtures(io.hookwarden.Scheme scheme, String secret) {
        return WebhookFixtures.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(CLOCK)
                .build();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String order(boolean failFirstAttempt) {
        return "{\"type\":\"order.created\",\"data\":{\"order_id\":\"ord_" + IDS.incrementAndGet() + "\",\"total\":42.5"
                + (failFirstAttempt ? ",\"fail_first_attempt\":true" : "") + "}}";
    }

    private static String invoicePaid(String id, String currency) {
        return "{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"id\":\"in_"
                + IDS.incrementAndGet() + "\",\"amount_paid\":1999,\"currency\":\"" + currency + "\"}}}";
    }

    private static String freshEventId() {
        return "evt_spring_" + IDS.incrementAndGet();
    }

    private HttpResponse<String> send(WebhookRequest delivery, String path) throws Exception {
        return checked(
                client.send(WebhookRequests.toHttpRequest(delivery, uri(path)), HttpResponse.BodyHandlers.ofString()));
    }

    private static HttpResponse<String> checked(HttpResponse<String> response) {
        for (String secret : SECRETS) {
            assertThat(response.body()).doesNotContain(secret);
            response.headers().map().forEach((name, values) -> assertThat(values)
                    .allSatisfy(value -> assertThat(value).doesNotContain(secret)));
        }
        return response;
    }

    /** The events {@code GET /events} lists for delivery {@code id}, as {@code endpoint/type} strings. */
    private List<String> eventsFor(String id) throws Exception {
        HttpResponse<String> response = checked(client.send(
                HttpRequest.newBuilder(uri("/events")).GET().build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode events = JSON.readTree(response.body());
        assertThat(events.isArray()).as("GET /events is a JSON array").isTrue();
        List<String> matching = new ArrayList<>();
        for (JsonNode event : events) {
            if (event.get("id").asText().equals(id)) {
                matching.add(
                        event.get("endpoint").asText() + "/" + event.get("type").asText());
            }
        }
        return matching;
    }

    private static String standardId(WebhookRequest delivery) {
        return delivery.headers().first("webhook-id").orElseThrow();
    }

    private static JsonNode problem(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        return JSON.readTree(response.body());
    }

    @Test
    void processesAValidStandardWebhooksDeliveryAndListsItsTypedEvent() throws Exception {
        WebhookRequest delivery = standard.signed(order(false));

        HttpResponse<String> response = send(delivery, "/webhooks/standard");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(eventsFor(standardId(delivery))).containsExactly("standard/order.created");
    }

    @Test
    void processesAValidGithubPushAndListsItUnderItsDeliveryId() throws Exception {
        String deliveryId = UUID.randomUUID().toString();
        WebhookRequest delivery = github.signed(WebhookMessage.body(
                        "{\"ref\":\"refs/heads/main\",\"after\":\"9f2c1e\",\"repository\":{\"full_name\":\"acme/shop\"}}")
                .id(deliveryId)
                .eventType("push")
                .build());

        HttpResponse<String> response = send(delivery, "/webhooks/github");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(eventsFor(deliveryId)).containsExactly("github/push");
    }

    @Test
    void processesAValidStripeInvoiceBoundToItsTypedEventAndListsItUnderItsEventId() throws Exception {
        String id = freshEventId();

        HttpResponse<String> response = send(stripe.signed(invoicePaid(id, "eur")), "/webhooks/stripe");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(eventsFor(id)).containsExactly("stripe/invoice.paid");
    }

    @Test
    void aReplayedDeliveryIsAnsweredAsADuplicateAndNotProcessedTwice() throws Exception {
        String id = freshEventId();
        WebhookRequest delivery = stripe.signed(invoicePaid(id, "usd"));

        HttpResponse<String> first = send(delivery, "/webhooks/stripe");
        HttpResponse<String> replay = send(delivery, "/webhooks/stripe");

        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).get("reason").asText()).isEqualTo("DUPLICATE");
        assertThat(eventsFor(id)).containsExactly("stripe/invoice.paid");
    }

    @Test
    void aForgedDeliveryIsRefusedWith401ProblemJsonAndNotProcessed() throws Exception {
        WebhookRequest forged = standard.forged(order(false));

        HttpResponse<String> response = send(forged, "/webhooks/standard");

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode problem = problem(response);
        assertThat(problem.get("reason").asText()).isEqualTo("SIGNATURE_MISMATCH");
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(eventsFor(standardId(forged))).isEmpty();
    }

    @Test
    void aStripeInvoiceThatBreaksItsSchemaIsRefusedWith422AndNotProcessed() throws Exception {
        String id = freshEventId();

        HttpResponse<String> response = send(stripe.signed(invoicePaid(id, "EURO")), "/webhooks/stripe");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(problem(response).get("reason").asText()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(eventsFor(id)).isEmpty();
    }

    @Test
    void aHandlerFailureIsA500WithRetryAfterAndTheProvidersRetryIsProcessedOnce() throws Exception {
        WebhookRequest delivery = standard.signed(order(true));

        HttpResponse<String> failed = send(delivery, "/webhooks/standard");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("Retry-After")).isPresent();
        assertThat(problem(failed).get("reason").asText()).isEqualTo("HANDLER_FAILED");
        assertThat(failed.body()).doesNotContain("simulated");
        assertThat(eventsFor(standardId(delivery))).isEmpty();

        HttpResponse<String> retry = send(delivery, "/webhooks/standard");
        HttpResponse<String> replay = send(delivery, "/webhooks/standard");

        assertThat(retry.statusCode()).isEqualTo(204);
        assertThat(JSON.readTree(replay.body()).get("reason").asText()).isEqualTo("DUPLICATE");
        assertThat(eventsFor(standardId(delivery))).containsExactly("standard/order.created");
    }

    @Test
    void theAdapterSharesTheSamplesStoreAndItsDedupeStoreBeanIsThatStore() {
        assertThat(dedupeStore).isSameAs(store.store());
    }

    @Test
    void theBannerPrintsTheDemoDefaultsTheStoreAndTheUrl() {
        SampleSettings defaults = SampleSettings.from(Map.of());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        SpringBootSample.printBanner(defaults, store, port, new PrintStream(buffer, true, StandardCharsets.UTF_8));

        assertThat(buffer.toString(StandardCharsets.UTF_8))
                .contains("HOOKWARDEN_STANDARD_SECRET=" + SampleSettings.DEMO_STANDARD_SECRET)
                .contains("HOOKWARDEN_GITHUB_SECRET=" + SampleSettings.DEMO_GITHUB_SECRET)
                .contains("HOOKWARDEN_STRIPE_SECRET=" + SampleSettings.DEMO_STRIPE_SECRET)
                .contains("dedupe store: in-memory")
                .contains("listening on http://localhost:" + port)
                .contains("POST /webhooks/standard", "POST /webhooks/github", "POST /webhooks/stripe")
                .contains("GET  /events");
    }

    @Test
    void theBannerNeverPrintsSecretsGivenInTheEnvironment(@Autowired SampleSettings settings) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        SpringBootSample.printBanner(settings, store, port, new PrintStream(buffer, true, StandardCharsets.UTF_8));

        String banner = buffer.toString(StandardCharsets.UTF_8);
        assertThat(banner).contains("listening on").doesNotContain("demo default");
        SECRETS.forEach(secret -> assertThat(banner).doesNotContain(secret));
    }
}
