package io.hookwarden.samples.support.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Scheme;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The checks DESIGN.md "Samples" asks of every sample, over real HTTP with deliveries the test kit signs, as a
 * provider would send them: a valid delivery at each endpoint is processed and listed once in {@code GET /events}, a
 * replay is a duplicate, a forged delivery is a 401 problem+json, a Stripe invoice that breaks its schema is a 422, and
 * a handler failure is a 500 whose retry is processed once. No answer carries a secret.
 *
 * <p>A sample's test extends this class, starts its sample on a free port with {@link #settings()} verifying on
 * {@link #clock()}, and gives the sample's {@link #baseUri()}; it adds only what is particular to its sample.
 *
 * <p>Not thread-safe: JUnit runs one test of an instance at a time.
 */
public abstract class SampleContractTest {
    /** The Standard Webhooks secret of {@link #TEST_ENVIRONMENT}: a {@code whsec_} key, for tests only. */
    public static final String STANDARD_SECRET = "whsec_dGhlIHNhbXBsZSBjb250cmFjdCB0ZXN0IGtleSE=";
    /** The GitHub secret of {@link #TEST_ENVIRONMENT}. */
    public static final String GITHUB_SECRET = "sample-contract-github-test-secret";
    /** The Stripe secret of {@link #TEST_ENVIRONMENT}. */
    public static final String STRIPE_SECRET = "whsec_sample_contract_stripe_test_secret";
    /** A sample's environment for tests: a free port ({@code PORT=0}) and the three test secrets. */
    public static final Map<String, String> TEST_ENVIRONMENT = Map.of(
            "PORT", "0",
            "HOOKWARDEN_STANDARD_SECRET", STANDARD_SECRET,
            "HOOKWARDEN_GITHUB_SECRET", GITHUB_SECRET,
            "HOOKWARDEN_STRIPE_SECRET", STRIPE_SECRET);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Creates the contract; the sample is started by the subclass. */
    protected SampleContractTest() {}

    /** Where the running sample answers, such as {@code http://localhost:8080}. */
    protected abstract URI baseUri();

    /** The clock the sample's verifiers run on; the deliveries are signed on it. */
    protected abstract MutableClock clock();

    /** The settings the sample was started with; {@link #TEST_ENVIRONMENT} unless overridden. */
    protected SampleSettings settings() {
        return SampleSettings.from(TEST_ENVIRONMENT);
    }

    /** A fresh Stripe event id, unique in this JVM. */
    protected static String freshEventId() {
        return "evt_" + IDS.incrementAndGet();
    }

    /** A Stripe {@code invoice.paid} event with {@code id} in {@code currency}, which the schema wants as 3 letters. */
    protected static String invoicePaid(String id, String currency) {
        return "{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"id\":\"in_"
                + IDS.incrementAndGet() + "\",\"amount_paid\":1999,\"currency\":\"" + currency + "\"}}}";
    }

    /** The test kit signing for the Stripe endpoint with the sample's secret on {@link #clock()}. */
    protected WebhookFixtures stripeFixtures() {
        return fixtures(Schemes.stripe(), settings().stripeSecret());
    }

    /**
     * Sends {@code delivery} to {@code path} over HTTP and checks the answer carries none of the sample's secrets.
     *
     * @throws Exception if the request fails
     */
    protected HttpResponse<String> send(URI base, WebhookRequest delivery, String path) throws Exception {
        return checked(client.send(
                WebhookRequests.toHttpRequest(delivery, base.resolve(path)), HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code response}, after checking that neither its body nor a header carries one of the sample's secrets. */
    protected HttpResponse<String> checked(HttpResponse<String> response) {
        SampleSettings settings = settings();
        for (String secret : List.of(settings.standardSecret(), settings.githubSecret(), settings.stripeSecret())) {
            assertThat(response.body()).doesNotContain(secret);
            response.headers().map().forEach((name, values) -> assertThat(values)
                    .allSatisfy(value -> assertThat(value).doesNotContain(secret)));
        }
        return response;
    }

    /** The {@code reason} member of a JSON answer. */
    protected static String reason(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).path("reason").asText();
    }

    private WebhookFixtures fixtures(Scheme scheme, String secret) {
        return WebhookFixtures.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(clock())
                .build();
    }

    private HttpResponse<String> send(WebhookRequest delivery, String path) throws Exception {
        return send(baseUri(), delivery, path);
    }

    private static String order(boolean failFirstAttempt) {
        return "{\"type\":\"order.created\",\"data\":{\"order_id\":\"ord_" + IDS.incrementAndGet() + "\",\"total\":42.5"
                + (failFirstAttempt ? ",\"fail_first_attempt\":true" : "") + "}}";
    }

    /** The events {@code GET /events} lists for delivery {@code id}, as {@code endpoint/type} strings. */
    private List<String> eventsFor(String id) throws Exception {
        HttpResponse<String> response = checked(client.send(
                HttpRequest.newBuilder(baseUri().resolve(SampleEndpoints.EVENTS))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString()));
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
        WebhookRequest delivery = fixtures(
                        Schemes.standardWebhooks(), settings().standardSecret())
                .signed(order(false));

        HttpResponse<String> response = send(delivery, SampleEndpoints.STANDARD);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(eventsFor(standardId(delivery))).containsExactly("standard/order.created");
    }

    @Test
    void processesAValidGithubPushAndListsItUnderItsDeliveryId() throws Exception {
        String deliveryId = UUID.randomUUID().toString();
        WebhookRequest delivery = fixtures(Schemes.github(), settings().githubSecret())
                .signed(WebhookMessage.body(
                                "{\"ref\":\"refs/heads/main\",\"after\":\"9f2c1e\",\"repository\":{\"full_name\":\"acme/shop\"}}")
                        .id(deliveryId)
                        .eventType("push")
                        .build());

        HttpResponse<String> response = send(delivery, SampleEndpoints.GITHUB);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(eventsFor(deliveryId)).containsExactly("github/push");
    }

    @Test
    void processesAValidStripeInvoiceBoundToItsTypedEventAndListsItUnderItsEventId() throws Exception {
        String id = freshEventId();

        HttpResponse<String> response = send(stripeFixtures().signed(invoicePaid(id, "eur")), SampleEndpoints.STRIPE);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(eventsFor(id)).containsExactly("stripe/invoice.paid");
    }

    @Test
    void aReplayedDeliveryIsAnsweredAsADuplicateAndNotProcessedTwice() throws Exception {
        String id = freshEventId();
        WebhookRequest delivery = stripeFixtures().signed(invoicePaid(id, "usd"));

        HttpResponse<String> first = send(delivery, SampleEndpoints.STRIPE);
        HttpResponse<String> replay = send(delivery, SampleEndpoints.STRIPE);

        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(reason(replay)).isEqualTo("DUPLICATE");
        assertThat(eventsFor(id)).containsExactly("stripe/invoice.paid");
    }

    @Test
    void aForgedDeliveryIsRefusedWith401ProblemJsonAndNotProcessed() throws Exception {
        WebhookRequest forged = fixtures(Schemes.standardWebhooks(), settings().standardSecret())
                .forged(order(false));

        HttpResponse<String> response = send(forged, SampleEndpoints.STANDARD);

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode problem = problem(response);
        assertThat(problem.get("reason").asText()).isEqualTo("SIGNATURE_MISMATCH");
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(eventsFor(standardId(forged))).isEmpty();
    }

    @Test
    void aStripeInvoiceThatBreaksItsSchemaIsRefusedWith422AndNotProcessed() throws Exception {
        String id = freshEventId();

        HttpResponse<String> response = send(stripeFixtures().signed(invoicePaid(id, "EURO")), SampleEndpoints.STRIPE);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(problem(response).get("reason").asText()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(eventsFor(id)).isEmpty();
    }

    @Test
    void aHandlerFailureIsA500WithRetryAfterAndTheProvidersRetryIsProcessedOnce() throws Exception {
        WebhookRequest delivery = fixtures(
                        Schemes.standardWebhooks(), settings().standardSecret())
                .signed(order(true));

        HttpResponse<String> failed = send(delivery, SampleEndpoints.STANDARD);

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("Retry-After")).isPresent();
        assertThat(problem(failed).get("reason").asText()).isEqualTo("HANDLER_FAILED");
        assertThat(failed.body()).doesNotContain("simulated");
        assertThat(eventsFor(standardId(delivery))).isEmpty();

        HttpResponse<String> retry = send(delivery, SampleEndpoints.STANDARD);
        HttpResponse<String> replay = send(delivery, SampleEndpoints.STANDARD);

        assertThat(retry.statusCode()).isEqualTo(204);
        assertThat(reason(replay)).isEqualTo("DUPLICATE");
        assertThat(eventsFor(standardId(delivery))).containsExactly("standard/order.created");
    }
}
