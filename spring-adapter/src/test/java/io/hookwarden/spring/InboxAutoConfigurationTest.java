package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.InMemoryInbox;
import io.hookwarden.InboxListener;
import io.hookwarden.InboxWorker;
import io.hookwarden.Outcome;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.test.WebhookFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Issue 14: the inbox properties bind and are validated, handlers are found, workers live with the context. */
class InboxAutoConfigurationTest {
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    HookwardenAutoConfiguration.class,
                    WebMvcAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class))
            .withPropertyValues(orders("scheme=standard-webhooks"), orders("secrets[0]=" + Secrets.STANDARD));

    private static String orders(String property) {
        return "hookwarden.endpoints.orders." + property;
    }

    private static String messages(AssertableWebApplicationContext context) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class WithInbox {
        @Bean
        InMemoryInbox inbox() {
            return InMemoryInbox.create();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WithHandler {
        @Bean
        Handler handler() {
            return new Handler();
        }
    }

    static class Handler {
        final List<String> seen = new ArrayList<>();

        @InboxHandler(endpoint = "orders")
        void on(VerifiedWebhook webhook) {
            seen.add(webhook.id().orElseThrow());
        }
    }

    @Test
    void inboxPropertiesBindIntoTheReceiverWhichGetsNoDedupeStore() {
        runner.withUserConfiguration(WithInbox.class, WithHandler.class)
                .withPropertyValues(
                        orders("inbox.enabled=true"),
                        orders("inbox.accept-status=202"),
                        orders("inbox.ordering=strict"),
                        orders("inbox.ordering-key-pointer=/data/id"),
                        orders("inbox.sequence-pointer=/seq"),
                        orders("inbox.worker.concurrency=2"),
                        "hookwarden.inbox.worker.prefetch=3",
                        "hookwarden.inbox.worker.retry.max-attempts=3",
                        "hookwarden.inbox.worker.shutdown-grace=1s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WebhookReceiver receiver =
                            context.getBean(WebhookEndpoints.class).receiver("orders");
                    assertThat(receiver.inbox()).containsSame(context.getBean(InMemoryInbox.class));
                    WebhookFixtures fixtures = WebhookFixtures.builder()
                            .scheme(Schemes.standardWebhooks())
                            .secret(Secrets.STANDARD)
                            .build();
                    Outcome outcome = receiver.receive(fixtures.delivery("{\"data\":{\"id\":\"o1\"},\"seq\":1}")
                            .signed());
                    assertThat(outcome).isInstanceOf(Outcome.Queued.class);
                    assertThat(outcome.answer().status()).isEqualTo(202);
                    assertThat(context.getBean(InboxWorkers.class).workers())
                            .singleElement()
                            .extracting(InboxWorker::name)
                            .isEqualTo("orders");
                    assertThat(context.getBean(InboxWorkers.class)
                                    .workers()
                                    .get(0)
                                    .toString())
                            .contains("concurrency=2", "batchSize=5", "prefetch=3");
                });
    }

    @Test
    void withAMeterRegistryTheWorkersAreMeteredAndEachInboxGetsItsGauges() {
        runner.withUserConfiguration(WithInbox.class, WithHandler.class)
                .withBean(io.micrometer.core.instrument.simple.SimpleMeterRegistry.class)
                .withPropertyValues(orders("inbox.enabled=true"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(io.hookwarden.InboxListener.class))
                            .isInstanceOf(io.hookwarden.micrometer.MicrometerInboxListener.class);
                    io.micrometer.core.instrument.MeterRegistry registry =
                            context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
                    context.getBean(io.micrometer.core.instrument.binder.MeterBinder.class)
                            .bindTo(registry);
                    WebhookFixtures fixtures = WebhookFixtures.builder()
                            .scheme(Schemes.standardWebhooks())
                            .secret(Secrets.STANDARD)
                            .build();
                    context.getBean(WebhookEndpoints.class)
                            .receiver("orders")
                            .receive(fixtures.delivery("{}").signed());
                    assertThat(registry.get("hookwarden.inbox.deliveries")
                                    .tags("endpoint", "orders", "state", "pending")
                                    .gauge()
                                    .value())
                            .isBetween(0.0, 1.0);
                    assertThat(registry.find("hookwarden.inbox.oldest.pending.age")
                                    .tags("endpoint", "orders")
                                    .gauge())
                            .isNotNull();
                });
    }

    @Test
    void theNamedInboxBeanIsUsedWhenThereAreSeveral() {
        runner.withUserConfiguration(WithHandler.class)
                .withBean("first", InMemoryInbox.class, InMemoryInbox::create)
                .withBean("second", InMemoryInbox.class, InMemoryInbox::create)
                .withPropertyValues(orders("inbox.bean=second"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(WebhookEndpoints.class)
                                    .receiver("orders")
                                    .inbox())
                            .containsSame(context.getBean("second", InMemoryInbox.class));
                });
    }

    @Test
    void anAcceptStatusOtherThan200Or202FailsStartUpNamingTheProperty() {
        runner.withUserConfiguration(WithInbox.class, WithHandler.class)
                .withPropertyValues(orders("inbox.enabled=true"), orders("inbox.accept-status=201"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context))
                            .contains("hookwarden.endpoints.orders.inbox.accept-status")
                            .contains("201");
                    FailureAnalysis analysis =
                            new WebhookConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("hookwarden.endpoints.orders.inbox.accept-status");
                });
    }

    @Test
    void anEnabledInboxWithoutAnInboxBeanFailsStartUpClearly() {
        runner.withUserConfiguration(WithHandler.class)
                .withPropertyValues(orders("inbox.enabled=true"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis =
                            new WebhookConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("hookwarden.endpoints.orders.inbox.enabled")
                            .contains("no Inbox bean");
                    assertThat(analysis.getAction()).contains("InMemoryInbox");
                });
    }

    @Test
    void anInboxBeanNameThatIsNoBeanFailsStartUp() {
        runner.withUserConfiguration(WithInbox.class, WithHandler.class)
                .withPropertyValues(orders("inbox.bean=missing"))
                .run(context -> assertThat(messages(context))
                        .contains("hookwarden.endpoints.orders.inbox.bean")
                        .contains("missing")
                        .contains("[inbox]"));
    }

    @Test
    void orderingWithoutAKeyFailsStartUp() {
        runner.withUserConfiguration(WithInbox.class, WithHandler.class)
                .withPropertyValues(orders("inbox.enabled=true"), orders("inbox.ordering=latest"))
                .run(context -> assertThat(messages(context))
                        .contains("hookwarden.endpoints.orders.inbox.ordering-key-pointer")
                        .contains("needs a key"));
    }

    @Test
    void inboxOptionsWithoutAnInboxFailStartUp() {
        runner.withUserConfiguration(WithInbox.class)
                .withPropertyValues(orders("inbox.accept-status=202"))
                .run(context -> assertThat(messages(context))
                        .contains("hookwarden.endpoints.orders.inbox.accept-status")
                        .contains("has no inbox"));
    }

    @Test
    void anInboxEndpointWithoutAHandlerFailsStartUpUnlessThisInstanceRunsNoWorkers() {
        runner.withUserConfiguration(WithInbox.class)
                .withPropertyValues(orders("inbox.enabled=true"))
                .run(context -> assertThat(messages(context))
                        .contains("hookwarden.endpoints.orders.inbox.enabled")
                        .contains("no @InboxHandler method"));
        runner.withUserConfiguration(WithInbox.class)
                .withPropertyValues(orders("inbox.enabled=true"), "hookwarden.inbox.worker.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(InboxWorkers.class).workers()).isEmpty();
                });
    }

    @Test
    void aHandlerNamingAnEndpointWithoutAnInboxFailsStartUp() {
        runner.withUserConfiguration(WithInbox.class, WithHandler.class).run(context -> assertThat(messages(context))
                .contains("@InboxHandler(endpoint = \"orders\")")
                .contains("without an inbox"));
    }

    @Test
    void aBadWorkerPropertyFailsStartUpNamingIt() {
        runner.withUserConfiguration(WithInbox.class, WithHandler.class)
                .withPropertyValues(orders("inbox.enabled=true"), "hookwarden.inbox.worker.concurrency=0")
                .run(context -> assertThat(messages(context))
                        .contains("hookwarden.inbox.worker.concurrency")
                        .contains("0"));
    }

    @Test
    void aNegativePrefetchFailsStartUpNamingIt() {
        runner.withUserConfiguration(WithInbox.class, WithHandler.class)
                .withPropertyValues(orders("inbox.enabled=true"), orders("inbox.worker.prefetch=-1"))
                .run(context -> assertThat(messages(context))
                        .contains("hookwarden.endpoints.orders.inbox.worker.prefetch")
                        .contains("-1"));
    }

    @Test
    void anInboxSetByACustomizerGetsNoDedupeStoreAndNoConflict() {
        InMemoryInbox inbox = InMemoryInbox.create();
        runner.withUserConfiguration(WithHandler.class)
                .withBean(
                        WebhookEndpointCustomizer.class,
                        () -> WebhookEndpointCustomizer.receiver("orders", r -> r.inbox(inbox)))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(WebhookEndpoints.class)
                                    .receiver("orders")
                                    .inbox())
                            .containsSame(inbox);
                });
    }

    @Test
    void theInboxListenerBeanHearsTheWorkersAndTheWorkersStopWithTheContext() {
        List<InboxListener.Result> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        runner.withUserConfiguration(WithInbox.class, WithHandler.class)
                .withBean(
                        InboxListener.class, () -> (endpoint, delivery, result, handling, failure) -> heard.add(result))
                .withPropertyValues(orders("inbox.enabled=true"), "hookwarden.inbox.worker.poll-interval=20ms")
                .run(context -> {
                    List<InboxWorker> workers =
                            context.getBean(InboxWorkers.class).workers();
                    assertThat(workers).allMatch(InboxWorker::isRunning);
                    WebhookFixtures fixtures = WebhookFixtures.builder()
                            .scheme(Schemes.standardWebhooks())
                            .secret(Secrets.STANDARD)
                            .build();
                    context.getBean(WebhookEndpoints.class)
                            .receiver("orders")
                            .receive(fixtures.delivery("{}").signed());
                    org.awaitility.Awaitility.await()
                            .atMost(java.time.Duration.ofSeconds(10))
                            .untilAsserted(() -> assertThat(heard).contains(InboxListener.Result.COMPLETED));

                    context.close();

                    assertThat(workers).noneMatch(InboxWorker::isRunning);
                });
    }

    interface Orders {
        void on(VerifiedWebhook webhook);
    }

    static class ProxiedHandler implements Orders {
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        @InboxHandler(endpoint = "orders")
        public void on(VerifiedWebhook webhook) {
            seen.add(webhook.id().orElseThrow());
        }
    }

    @Test
    void aHandlerOnAnInterfaceProxiedBeanRunsThroughItsProxy() {
        ProxiedHandler target = new ProxiedHandler();
        runner.withUserConfiguration(WithInbox.class)
                .withBean("orders", Orders.class, () -> {
                    org.springframework.aop.framework.ProxyFactory proxy =
                            new org.springframework.aop.framework.ProxyFactory(target);
                    proxy.setInterfaces(Orders.class);
                    return (Orders) proxy.getProxy();
                })
                .withPropertyValues(orders("inbox.enabled=true"), "hookwarden.inbox.worker.poll-interval=20ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WebhookFixtures fixtures = WebhookFixtures.builder()
                            .scheme(Schemes.standardWebhooks())
                            .secret(Secrets.STANDARD)
                            .build();
                    context.getBean(WebhookEndpoints.class)
                            .receiver("orders")
                            .receive(fixtures.delivery("{}").id("msg_proxied").signed());
                    org.awaitility.Awaitility.await()
                            .atMost(java.time.Duration.ofSeconds(10))
                            .untilAsserted(() -> assertThat(target.seen).containsExactly("msg_proxied"));
                });
    }

    @Test
    void theActuatorEndpointAndHealthExistOnlyWithAnInboxBean() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(HookwardenInboxEndpoint.class);
            assertThat(context).doesNotHaveBean("hookwardenInboxHealthIndicator");
        });
        runner.withUserConfiguration(WithInbox.class)
                .withPropertyValues(orders("inbox.enabled=true"), "hookwarden.inbox.worker.enabled=false")
                .run(context -> {
                    assertThat(context).hasSingleBean(HookwardenInboxEndpoint.class);
                    assertThat(context).hasBean("hookwardenInboxHealthIndicator");
                });
    }
}
