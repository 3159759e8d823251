package io.hookwarden.samples.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.samples.support.testing.SampleContractTest;
import io.hookwarden.test.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sample started in-process on a free port and held to {@link SampleContractTest} over real HTTP; below, what is
 * particular to it: replicas sharing a JDBC store, its banner, and starting and stopping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JaxrsSampleTest extends SampleContractTest {
    private final MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
    private final SampleSettings settings = settings();
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private JaxrsSample sample;

    @BeforeAll
    void startSample() {
        sample = JaxrsSample.start(settings, clock);
    }

    @AfterAll
    void stopSample() {
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

    @Test
    void twoReplicasSharingAJdbcStoreProcessADeliveryOnce() throws Exception {
        SampleSettings shared = SampleSettings.from(Map.of(
                "PORT", "0",
                "HOOKWARDEN_STORE", "jdbc:h2:mem:jaxrs-replicas;DB_CLOSE_DELAY=-1",
                "HOOKWARDEN_STRIPE_SECRET", STRIPE_SECRET));
        WebhookRequest delivery =
                stripeFixtures().delivery(invoicePaid(freshEventId(), "gbp")).signed();
        try (JaxrsSample a = JaxrsSample.start(shared, clock);
                JaxrsSample b = JaxrsSample.start(shared, clock)) {
            HttpResponse<String> atA = send(a.uri(), delivery, SampleEndpoints.STRIPE);
            HttpResponse<String> atB = send(b.uri(), delivery, SampleEndpoints.STRIPE);

            assertThat(atA.statusCode()).isEqualTo(204);
            assertThat(atB.statusCode()).isEqualTo(200);
            assertThat(reason(atB)).isEqualTo("DUPLICATE");
            assertThat(a.endpoints().log().events()).hasSize(1);
            assertThat(b.endpoints().log().events()).isEmpty();
        }
    }

    @Test
    void theBannerPrintsTheDemoDefaultsTheStoreAndTheUrl() {
        SampleSettings defaults = SampleSettings.from(Map.of("PORT", "0"));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        sample.printBanner(defaults, new PrintStream(buffer, true, StandardCharsets.UTF_8));

        assertThat(buffer.toString(StandardCharsets.UTF_8))
                .contains("HOOKWARDEN_STANDARD_SECRET=" + SampleSettings.DEMO_STANDARD_SECRET)
                .contains("HOOKWARDEN_GITHUB_SECRET=" + SampleSettings.DEMO_GITHUB_SECRET)
                .contains("HOOKWARDEN_STRIPE_SECRET=" + SampleSettings.DEMO_STRIPE_SECRET)
                .contains("dedupe store: in-memory")
                .contains("listening on http://localhost:" + sample.port())
                .contains("POST /webhooks/standard", "POST /webhooks/github", "POST /webhooks/stripe")
                .contains("GET  /events");
    }

    @Test
    void theBannerNeverPrintsSecretsGivenInTheEnvironment() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        sample.printBanner(settings, new PrintStream(buffer, true, StandardCharsets.UTF_8));

        assertThat(buffer.toString(StandardCharsets.UTF_8))
                .contains("listening on")
                .doesNotContain("demo default")
                .doesNotContain(STANDARD_SECRET, GITHUB_SECRET, STRIPE_SECRET);
    }

    @Test
    void startsOnTheFreePortItWasGivenAsZeroAndStopsTwiceWithoutError() throws Exception {
        JaxrsSample other = JaxrsSample.start(settings, clock);
        URI events = other.uri().resolve("/events");
        try {
            assertThat(other.port()).isPositive().isNotEqualTo(sample.port());
            HttpResponse<String> response =
                    client.send(HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("[]");
        } finally {
            other.stop();
            other.stop();
        }
        assertThatThrownBy(
                        () -> client.send(HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }
}
