package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 18: mistakes that passed silently and are legal enough not to stop an application now warn at start-up: an
 * endpoint that nothing receives, and a Stripe secret that is not a Stripe signing secret (never showing it).
 */
@ExtendWith(OutputCaptureExtension.class)
class StartUpWarningsTest {
    private static final String NOT_A_SIGNING_SECRET = "sk_test_51NotASigningSecret0123456789";

    @RestController
    static class Hooks {
        @PostMapping("/webhooks/stripe")
        @WebhookEndpoint("stripe")
        void stripe() {}
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class App {}

    private static SpringApplicationBuilder app(String... properties) {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties("server.port=0")
                .properties(properties);
    }

    @Test
    @SuppressWarnings("try") // the application runs for the try block's duration; its log is what is read
    void anEndpointNothingReceivesIsWarnedOfAndTheOthersAreNot(CapturedOutput output) {
        try (var context = app(
                        "hookwarden.endpoints.stripe.scheme=stripe",
                        "hookwarden.endpoints.stripe.secrets[0]=" + Secrets.STRIPE,
                        "hookwarden.endpoints.github.scheme=github",
                        "hookwarden.endpoints.github.secrets[0]=github-secret-0123456789",
                        "hookwarden.endpoints.standard.scheme=standard-webhooks",
                        "hookwarden.endpoints.standard.secrets[0]=" + Secrets.STANDARD,
                        "hookwarden.endpoints.standard.paths[0]=/hooks/standard")
                .run()) {
            assertThat(output.getAll())
                    .contains("Webhook endpoint github (hookwarden.endpoints.github.*) is configured but never used:"
                            + " no handler carries @WebhookEndpoint(\"github\") and"
                            + " hookwarden.endpoints.github.paths is empty")
                    .doesNotContain("Webhook endpoint stripe (")
                    .doesNotContain("Webhook endpoint standard (");
        }
    }

    @Test
    @SuppressWarnings("try") // the application runs for the try block's duration; its log is what is read
    void aStripeSecretWithoutWhsecIsWarnedOfWithoutShowingIt(CapturedOutput output) {
        try (var context = app(
                        "hookwarden.endpoints.stripe.scheme=stripe",
                        "hookwarden.endpoints.stripe.secrets[0]=" + Secrets.STRIPE,
                        "hookwarden.endpoints.stripe.secrets[1]=" + NOT_A_SIGNING_SECRET)
                .run()) {
            assertThat(output.getAll())
                    .contains("hookwarden.endpoints.stripe.secrets[1] for scheme stripe does not start with whsec_")
                    .contains("an API key (sk_..., rk_...) is not it")
                    .doesNotContain("hookwarden.endpoints.stripe.secrets[0] for scheme stripe")
                    .doesNotContain(NOT_A_SIGNING_SECRET)
                    .doesNotContain("51NotASigningSecret");
        }
    }
}
