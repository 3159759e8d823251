package io.hookwarden.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.samples.support.SampleBackend;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.samples.support.testing.SampleContractTest;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.test.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The WebFlux sample started by Spring Boot on Reactor Netty, on a free port, and held to {@link SampleContractTest} over real HTTP. The test's
 * secrets come in as properties under the environment variables' names; the endpoints verify on the test's
 * {@link MutableClock}. Below, what is particular to it: the store bean and its banner.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "HOOKWARDEN_STANDARD_SECRET=" + SampleContractTest.STANDARD_SECRET,
            "HOOKWARDEN_GITHUB_SECRET=" + SampleContractTest.GITHUB_SECRET,
            "HOOKWARDEN_STRIPE_SECRET=" + SampleContractTest.STRIPE_SECRET,
            "HOOKWARDEN_STORE=memory",
            "HOOKWARDEN_BODY_TIMEOUT=" + SampleContractTest.TEST_BODY_TIMEOUT
        })
class WebFluxSampleTest extends SampleContractTest {
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
    SampleBackend backend;

    @Autowired
    DedupeStore dedupeStore;

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + port);
    }

    @Override
    protected MutableClock clock() {
        return CLOCK;
    }

    @Test
    void theAdapterSharesTheSamplesStoreAndItsDedupeStoreBeanIsThatStore() {
        assertThat(dedupeStore).isSameAs(backend.store());
    }

    @Test
    void theBannerPrintsTheDemoDefaultsTheStoreAndTheUrl() {
        SampleSettings defaults = SampleSettings.from(Map.of());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        WebFluxSample.printBanner(defaults, backend, port, new PrintStream(buffer, true, StandardCharsets.UTF_8));

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

        WebFluxSample.printBanner(settings, backend, port, new PrintStream(buffer, true, StandardCharsets.UTF_8));

        assertThat(buffer.toString(StandardCharsets.UTF_8))
                .contains("listening on")
                .doesNotContain("demo default")
                .doesNotContain(STANDARD_SECRET, GITHUB_SECRET, STRIPE_SECRET);
    }
}
