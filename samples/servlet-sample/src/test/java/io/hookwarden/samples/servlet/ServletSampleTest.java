package io.hookwarden.samples.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Scheme;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.samples.support.testing.SampleContractTest;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sample over real HTTP on a free port, driven as a provider would drive it: held to {@link SampleContractTest}
 * with its demo secrets, and below, what is particular to it, each test on a sample of its own.
 */
class ServletSampleTest extends SampleContractTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ORDER = "{\"type\":\"order.created\",\"data\":{\"order_id\":\"ord_1\",\"total\":42.5}}";
    private static final String PUSH =
            "{\"ref\":\"refs/heads/main\",\"after\":\"9fceb02\",\"repository\":{\"full_name\":\"octo/hello\"}}";

    private final MutableClock clock = MutableClock.atEpochSecond(1_767_225_600);
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ByteArrayOutputStream banner = new ByteArrayOutputStream();
    private SampleSettings settings;
    private ServletSample sample;

    @BeforeEach
    void start() {
        settings = SampleSettings.from(Map.of("PORT", "0", "HOOKWARDEN_BODY_TIMEOUT", TEST_BODY_TIMEOUT));
        sample = ServletSample.start(
                settings, "127.0.0.1", clock, new PrintStream(banner, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        sample.stop();
    }

    @Override
    protected URI baseUri() {
        return sample.uri();
    }

    @Override
    protected MutableClock clock() {
        return clock;
    }

    @Override
    protected SampleSettings settings() {
        return settings;
    }

    @Test
    void processesAValidDeliveryAtEachEndpointAndListsItUnderEvents() throws Exception {
        HttpResponse<String> standard = send(SampleEndpoints.STANDARD, order("msg_1"));
        HttpResponse<String> github = send(
                SampleEndpoints.GITHUB,
                github().delivery(PUSH).id("d-1").eventType("push").signed());
        HttpResponse<String> stripe = send(
                SampleEndpoints.STRIPE,
                stripe().delivery(invoice("evt_1", 4200)).signed());

        assertThat(standard.statusCode()).isEqualTo(204);
        assertThat(github.statusCode()).isEqualTo(204);
        assertThat(stripe.statusCode()).isEqualTo(204);
        assertThat(events())
                .containsExactly("standard msg_1 order.created", "github d-1 push", "stripe evt_1 invoice.paid");
    }

    @Test
    void answersAReplayAsADuplicateWithoutProcessingItTwice() throws Exception {
        WebhookRequest delivery =
                stripe().delivery(invoice("evt_replayed", 100)).signed();

        HttpResponse<String> first = send(SampleEndpoints.STRIPE, delivery);
        HttpResponse<String> replay = send(SampleEndpoints.STRIPE, delivery);

        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(reason(replay)).isEqualTo("DUPLICATE");
        assertThat(events()).containsExactly("stripe evt_replayed invoice.paid");
    }

    @Test
    void refusesAForgedDeliveryWith401AndNeverRunsTheHandler() throws Exception {
        HttpResponse<String> forged =
                send(SampleEndpoints.GITHUB, github().delivery(PUSH).forged());

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(reason(forged)).isEqualTo("SIGNATURE_MISMATCH");
        assertThat(forged.body()).doesNotContain(SampleSettings.DEMO_GITHUB_SECRET);
        assertThat(events()).isEmpty();
    }

    @Test
    void refusesAStripeInvoiceThatBreaksItsSchemaWith422NamingTheField() throws Exception {
        HttpResponse<String> invalid = send(
                SampleEndpoints.STRIPE,
                stripe().delivery(invoice("evt_bad", -5)).signed());

        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(reason(invalid)).isEqualTo("SCHEMA_VIOLATION");
        assertThat(invalid.body()).contains("/data/object/amount_paid");
        assertThat(events()).isEmpty();
    }

    @Test
    void answers500WhenTheHandlerFailsAndProcessesTheProvidersRetryOnce() throws Exception {
        WebhookRequest delivery = standard()
                .delivery("{\"type\":\"order.created\",\"data\":{\"order_id\":\"ord_2\",\"total\":1,"
                        + "\"fail_first_attempt\":true}}")
                .signed();

        HttpResponse<String> failed = send(SampleEndpoints.STANDARD, delivery);
        clock.advance(Duration.ofSeconds(10));
        HttpResponse<String> retried = send(SampleEndpoints.STANDARD, delivery);
        HttpResponse<String> again = send(SampleEndpoints.STANDARD, delivery);

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(reason(failed)).isEqualTo("HANDLER_FAILED");
        assertThat(failed.headers().firstValue("Retry-After")).isPresent();
        assertThat(failed.body()).doesNotContain("IllegalStateException");
        assertThat(retried.statusCode()).isEqualTo(204);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(events())
                .hasSize(1)
                .allMatch(event -> event.startsWith("standard ") && event.endsWith(" order.created"));
    }

    @Test
    void answersEventsAsAJsonArray() throws Exception {
        send(SampleEndpoints.STANDARD, order("msg_json"));

        HttpResponse<String> events = client.send(
                HttpRequest.newBuilder(sample.uri().resolve("/events")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(MAPPER.readTree(events.body()).toString())
                .isEqualTo("[{\"endpoint\":\"standard\",\"id\":\"msg_json\",\"type\":\"order.created\"}]");
    }

    @Test
    void printsTheDemoSecretsTheStoreAndTheUrlItListensOn() {
        String printed = banner.toString(StandardCharsets.UTF_8);

        assertThat(sample.port()).isPositive();
        assertThat(printed)
                .contains("HOOKWARDEN_STANDARD_SECRET=" + SampleSettings.DEMO_STANDARD_SECRET)
                .contains("HOOKWARDEN_GITHUB_SECRET=" + SampleSettings.DEMO_GITHUB_SECRET)
                .contains("HOOKWARDEN_STRIPE_SECRET=" + SampleSettings.DEMO_STRIPE_SECRET)
                .contains("dedupe store: in-memory")
                .contains("listening on http://127.0.0.1:" + sample.port() + "/");
    }

    @Test
    void neverPrintsASecretGivenInTheEnvironment() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SampleSettings own = SampleSettings.from(Map.of(
                "PORT", "0",
                "HOOKWARDEN_STANDARD_SECRET", "whsec_c2VjcmV0LWZyb20tdGhlLWVudmlyb25tZW50",
                "HOOKWARDEN_GITHUB_SECRET", "github-secret-from-the-environment",
                "HOOKWARDEN_STRIPE_SECRET", "whsec_stripe_secret_from_the_environment"));

        try (ServletSample other =
                ServletSample.start(own, "127.0.0.1", clock, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertThat(other.port()).isNotEqualTo(sample.port());
        }

        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("listening on")
                .doesNotContain("secret-from-the-environment")
                .doesNotContain("secret_from_the_environment")
                .doesNotContain("demo default");
    }

    private HttpResponse<String> send(String path, WebhookRequest delivery) throws Exception {
        return send(sample.uri(), delivery, path);
    }

    /** The processed deliveries as "endpoint id type", from GET /events. */
    private java.util.List<String> events() throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(sample.uri().resolve("/events")).build(), HttpResponse.BodyHandlers.ofString());
        java.util.List<String> events = new java.util.ArrayList<>();
        for (JsonNode event : MAPPER.readTree(response.body())) {
            events.add(event.get("endpoint").asText() + " " + event.get("id").asText() + " "
                    + event.get("type").asText());
        }
        return events;
    }

    private WebhookFixtures standard() {
        return fixtures(Schemes.standardWebhooks(), settings.standardSecret());
    }

    private WebhookFixtures github() {
        return fixtures(Schemes.github(), settings.githubSecret());
    }

    private WebhookFixtures stripe() {
        return fixtures(Schemes.stripe(), settings.stripeSecret());
    }

    private WebhookFixtures fixtures(Scheme scheme, String secret) {
        return WebhookFixtures.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(clock)
                .build();
    }

    private WebhookRequest order(String id) {
        return standard().delivery(ORDER).id(id).signed();
    }

    private static String invoice(String id, long amountPaid) {
        return "{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"id\":\"in_1\",\"amount_paid\":"
                + amountPaid + ",\"currency\":\"eur\"}}}";
    }
}
