package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * Issue 18: with {@code hookwarden.dedupe.fail-fast=true}, a Redis that is down at start-up stops the application, and
 * Spring Boot's failure report says what is wrong and what to do instead of a raw exception chain, without the
 * password.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisFailFastTest {
    private static final String PASSWORD = "f4st-Pa55word";

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {}

    @Test
    void aRedisDownAtStartUpWithFailFastIsReportedWithWhatToDoAndNoPassword(CapturedOutput output) throws IOException {
        // given: nothing listens on Redis's port, and the application asks to fail fast
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SpringApplicationBuilder app = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties(
                        "server.port=0",
                        "hookwarden.endpoints.stripe.scheme=stripe",
                        "hookwarden.endpoints.stripe.secrets[0]=" + Secrets.STRIPE,
                        "hookwarden.endpoints.stripe.paths[0]=/webhooks/stripe",
                        "hookwarden.dedupe.store=redis",
                        "hookwarden.dedupe.redis.uri=redis://:" + PASSWORD + "@127.0.0.1:" + port,
                        "hookwarden.dedupe.fail-fast=true");

        // when
        Throwable failure = catchThrowable(app::run);

        // then: the analysis names the store, its address and the property, and says what to do
        FailureAnalysis analysis = new DedupeStoreProbeFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription())
                .startsWith("Hookwarden's dedupe store (RedisDedupeStore) did not answer at start-up, and"
                        + " hookwarden.dedupe.fail-fast=true stops the application: Redis dedupe store redis://127.0.0.1:"
                        + port + " failed to connect")
                .doesNotContain(PASSWORD);
        assertThat(analysis.getAction())
                .contains("Start the store")
                .contains("hookwarden.dedupe.redis.uri")
                .contains("remove hookwarden.dedupe.fail-fast")
                .doesNotContain(PASSWORD);
        // and: Spring Boot printed it, and neither the report nor the exception chain shows the password
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("did not answer at start-up")
                .doesNotContain(PASSWORD);
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void withoutFailFastTheSameApplicationStarts() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SpringApplicationBuilder app = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties(
                        "server.port=0",
                        "hookwarden.endpoints.stripe.scheme=stripe",
                        "hookwarden.endpoints.stripe.secrets[0]=" + Secrets.STRIPE,
                        "hookwarden.endpoints.stripe.paths[0]=/webhooks/stripe",
                        "hookwarden.dedupe.store=redis",
                        "hookwarden.dedupe.redis.uri=redis://127.0.0.1:" + port);

        try (var context = app.run()) {
            assertThat(context.isRunning()).isTrue();
            assertThat(context.getBeansOfType(DedupeStoreProbe.class)).isEmpty();
        }
    }
}
