package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** A real application start with a too short secret: Spring Boot's failure report names the property, not the value. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTest {
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {}

    @Test
    void theFailureReportNamesThePropertyAndWhatToDo(CapturedOutput output) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties(
                        "server.port=0",
                        "hookwarden.endpoints.stripe.scheme=stripe",
                        "hookwarden.endpoints.stripe.secrets[0]=tiny7ch");

        assertThatThrownBy(app::run).isInstanceOf(Exception.class);

        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("hookwarden.endpoints.stripe.secrets[0]: secret secrets[0] for scheme stripe is too short")
                .contains("hookwarden.endpoints.stripe.secrets[0]=${STRIPE_WEBHOOK_SECRET}")
                .doesNotContain("tiny7ch");
    }
}
