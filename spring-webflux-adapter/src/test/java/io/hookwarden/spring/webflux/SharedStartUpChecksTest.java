package io.hookwarden.spring.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Outcome;
import io.hookwarden.Schemes;
import io.hookwarden.spring.HookwardenAutoConfiguration;
import io.hookwarden.spring.WebhookConfigurationException;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookEndpoints;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 18's start-up checks live in the configuration both Spring adapters import, so a WebFlux application has them
 * too: the application's Clock bean is every endpoint's clock, an unknown {@code hookwarden.*} property fails start-up,
 * and an endpoint nothing receives is warned of.
 */
@ExtendWith(OutputCaptureExtension.class)
class SharedStartUpChecksTest {
    private static final String SECRET = "whsec_c3RhbmRhcmQtd2ViZmx1eC1rZXktMDEyMzQ1Njc4OQ==";

    private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    WebFluxAutoConfiguration.class,
                    HookwardenWebFluxAutoConfiguration.class,
                    HookwardenAutoConfiguration.class))
            .withPropertyValues(
                    "hookwarden.endpoints.standard.scheme=standard-webhooks",
                    "hookwarden.endpoints.standard.secrets[0]=" + SECRET);

    @RestController
    static class Hooks {
        @PostMapping("/webhooks/standard")
        @WebhookEndpoint("standard")
        void standard() {}
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class App {}

    @Test
    void theApplicationsClockBeanIsTheEndpointsClock() {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000L);
        reactive.withBean(MutableClock.class, () -> clock).run(context -> {
            assertThat(context).hasNotFailed();
            WebhookFixtures fixtures = WebhookFixtures.builder()
                    .scheme(Schemes.standardWebhooks())
                    .secret(SECRET)
                    .clock(clock)
                    .build();

            Outcome outcome = context.getBean(WebhookEndpoints.class)
                    .receiver("standard")
                    .receive(fixtures.delivery("{}").signed());

            assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        });
    }

    @Test
    void anUnknownPropertyFailsStartUpNamingIt() {
        reactive.withPropertyValues("hookwarden.endpoints.standard.max-bdy=2MB").run(context -> {
            assertThat(context).hasFailed();
            Throwable t = context.getStartupFailure();
            while (!(t instanceof WebhookConfigurationException) && t.getCause() != null) {
                t = t.getCause();
            }
            assertThat(t)
                    .isInstanceOfSatisfying(WebhookConfigurationException.class, e -> assertThat(e.property())
                            .isEqualTo("hookwarden.endpoints.standard.max-bdy"))
                    .hasMessageContaining("did you mean hookwarden.endpoints.standard.max-body?");
        });
    }

    @Test
    @SuppressWarnings("try") // the application runs for the try block's duration; its log is what is read
    void anEndpointNothingReceivesIsWarnedOf(CapturedOutput output) {
        try (var context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.REACTIVE)
                .properties(
                        "server.port=0",
                        "hookwarden.endpoints.standard.scheme=standard-webhooks",
                        "hookwarden.endpoints.standard.secrets[0]=" + SECRET,
                        "hookwarden.endpoints.github.scheme=github",
                        "hookwarden.endpoints.github.secrets[0]=github-secret-0123456789")
                .run()) {
            assertThat(output.getAll())
                    .contains("Webhook endpoint github (hookwarden.endpoints.github.*) is configured but never used")
                    .doesNotContain("Webhook endpoint standard (");
        }
    }
}
