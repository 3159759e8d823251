package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Issue 15: bad {@code hookwarden.inbox.kafka.*} values, or {@code hookwarden.inbox.store=kafka} without the module,
 * stop start-up naming the property at fault, as data ({@link WebhookConfigurationException#property()}) and through
 * the failure analyzer. No broker is needed: the producer connects lazily, and the values are refused before.
 */
class KafkaInboxPropertiesStartUpTest {
    private static final String K = "hookwarden.inbox.kafka.";

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    HookwardenAutoConfiguration.class,
                    WebMvcAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class))
            .withBean(Handlers.class)
            .withPropertyValues(
                    "hookwarden.endpoints.orders.scheme=standard-webhooks",
                    "hookwarden.endpoints.orders.secrets[0]=" + KafkaInboxPropertiesTest.SECRET,
                    "hookwarden.endpoints.orders.inbox.enabled=true");

    private final WebApplicationContextRunner kafka = runner.withPropertyValues("hookwarden.inbox.store=kafka");

    static class Handlers {
        @InboxHandler(endpoint = "orders")
        void any(io.hookwarden.VerifiedWebhook webhook) {}
    }

    private static WebhookConfigurationException refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WebhookConfigurationException e) {
                return e;
            }
        }
        throw new AssertionError("no WebhookConfigurationException in the start-up failure", failure);
    }

    static Stream<Arguments> badValues() {
        String servers = K + "bootstrap-servers=127.0.0.1:9";
        return Stream.of(
                Arguments.of(List.of(), K + "bootstrap-servers", "is missing"),
                Arguments.of(List.of(K + "bootstrap-servers= "), K + "bootstrap-servers", "is missing"),
                Arguments.of(
                        List.of(K + "bootstrap-servers=no port here"), K + "bootstrap-servers", "could not be created"),
                Arguments.of(List.of(servers, K + "write-timeout=0s"), K + "write-timeout", "must be positive"),
                Arguments.of(List.of(servers, K + "properties.acks=1"), K + "properties", "acks must be all"),
                Arguments.of(List.of(servers, K + "topic=web hooks {endpoint}"), K + "topic", "is refused"),
                Arguments.of(List.of(servers, K + "topics.orders=a/b"), K + "topics.orders", "is refused"),
                Arguments.of(List.of(servers, K + "topics.refunds=refunds"), K + "topics.refunds", "names no endpoint"),
                Arguments.of(List.of(servers, K + "consumers=0"), K + "consumers", "at least 1 but was 0"),
                Arguments.of(List.of(servers, K + "group-id= "), K + "group-id", "groupId"),
                Arguments.of(List.of(servers, K + "poll-timeout=0s"), K + "poll-timeout", "must be positive"),
                Arguments.of(
                        List.of(servers, K + "properties.enable.auto.commit=true"),
                        K + "properties",
                        "enable.auto.commit must be false"),
                Arguments.of(
                        List.of(servers, "hookwarden.inbox.worker.retry.max-attempts=0"),
                        "hookwarden.inbox.worker.retry.max-attempts",
                        "maxAttempts"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badValues")
    void aBadKafkaValueFailsStartUpNamingTheProperty(List<String> set, String property, String problem) {
        kafka.withPropertyValues(set.toArray(String[]::new)).run(context -> {
            assertThat(context).hasFailed();
            WebhookConfigurationException e = refusal(context.getStartupFailure());

            assertThat(e.property()).isEqualTo(property);
            assertThat(e.getMessage()).startsWith(property + ": ").contains(problem);
            FailureAnalysis analysis = new WebhookConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains(property);
        });
    }

    @Test
    void theStoreKafkaWithoutTheModuleNamesTheDependencyToAdd() {
        kafka.withClassLoader(new FilteredClassLoader("io.hookwarden.inbox.kafka"))
                .withPropertyValues(K + "bootstrap-servers=127.0.0.1:9")
                .run(context -> {
                    assertThat(context).hasFailed();
                    WebhookConfigurationException e = refusal(context.getStartupFailure());

                    assertThat(e.property()).isEqualTo("hookwarden.inbox.store");
                    assertThat(e.getMessage()).contains("kafka needs io.hookwarden:hookwarden-inbox-kafka");
                    assertThat(e.action()).contains("io.hookwarden:hookwarden-inbox-kafka");
                });
    }

    @Test
    void anApplicationsOwnKafkaInboxWithWorkersOnIsRefusedAsTheCoreWorkersCannotClaimFromIt() {
        runner.withBean(
                        "myKafkaInbox",
                        io.hookwarden.inbox.kafka.KafkaInbox.class,
                        () -> io.hookwarden.inbox.kafka.KafkaInbox.builder()
                                .bootstrapServers("127.0.0.1:9")
                                .topic("mine")
                                .build())
                .run(context -> {
                    assertThat(context).hasFailed();
                    WebhookConfigurationException e = refusal(context.getStartupFailure());

                    assertThat(e.property()).isEqualTo("hookwarden.endpoints.orders.inbox.enabled");
                    assertThat(e.getMessage()).contains("KafkaInbox, which only writes");
                    assertThat(e.action()).contains("hookwarden.inbox.worker.enabled=false");
                });
    }

    @Test
    void anApplicationsOwnKafkaInboxIsWrittenToWhenThisInstanceOnlyReceives() {
        runner.withPropertyValues("hookwarden.inbox.worker.enabled=false")
                .withBean(
                        "myKafkaInbox",
                        io.hookwarden.inbox.kafka.KafkaInbox.class,
                        () -> io.hookwarden.inbox.kafka.KafkaInbox.builder()
                                .bootstrapServers("127.0.0.1:9")
                                .topic("mine")
                                .build())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(WebhookEndpoints.class)
                                    .receiver("orders")
                                    .inbox())
                            .containsSame(context.getBean(io.hookwarden.inbox.kafka.KafkaInbox.class));
                    assertThat(HealthReport.inboxes(
                                            context.getBean(WebhookEndpoints.class), java.time.Clock.systemUTC())
                                    .details())
                            .extractingByKey("orders")
                            .asString()
                            .contains("skipped");
                });
    }
}
