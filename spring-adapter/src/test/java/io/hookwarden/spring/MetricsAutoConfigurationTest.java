package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.DeliveryListener;
import io.hookwarden.Outcome;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.micrometer.MicrometerDeliveryListener;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Issue 13: metrics come from the core's {@link DeliveryListener}, registered on every endpoint's receiver; the
 * adapter counts nothing itself, and starts the same without Micrometer.
 */
class MetricsAutoConfigurationTest {
    private static final MutableClock CLOCK = MutableClock.atEpochSecond(1_700_000_000L);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HookwardenAutoConfiguration.class))
            .withBean(
                    WebhookEndpointCustomizer.class,
                    () -> WebhookEndpointCustomizer.verifier("stripe", v -> v.clock(CLOCK)))
            .withPropertyValues(
                    "hookwarden.endpoints.stripe.scheme=stripe",
                    "hookwarden.endpoints.stripe.secrets[0]=" + Secrets.STRIPE,
                    "hookwarden.endpoints.other.scheme=stripe",
                    "hookwarden.endpoints.other.secrets[0]=" + Secrets.STRIPE);

    private final WebhookFixtures stripe = WebhookFixtures.builder()
            .scheme(Schemes.stripe())
            .secret(Secrets.STRIPE)
            .clock(CLOCK)
            .build();

    private WebhookRequest forged() {
        return stripe.delivery("{\"id\":\"evt_1\"}").forged();
    }

    @Test
    void withAMeterRegistryEveryEndpointIsMeteredByMicrometersListener() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(DeliveryListener.class)).isInstanceOf(MicrometerDeliveryListener.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            WebhookEndpoints endpoints = context.getBean(WebhookEndpoints.class);

            endpoints.receiver("stripe").receive(forged());
            endpoints.receiver("other").receive(forged());

            assertThat(meters.find("hookwarden.deliveries")
                            .tags("scheme", "stripe", "outcome", "rejected", "reason", "SIGNATURE_MISMATCH")
                            .counters())
                    .extracting(c -> c.getId().getTag("endpoint"))
                    .containsExactlyInAnyOrder("stripe", "other");
        });
    }

    @Test
    void withoutMicrometerOnTheClassPathTheEndpointsStartUnmetered() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer.", "io.hookwarden.micrometer."))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DeliveryListener.class);
                    assertThat(context.getBean(WebhookEndpoints.class)
                                    .receiver("stripe")
                                    .receive(forged()))
                            .isInstanceOf(Outcome.Rejected.class);
                });
    }

    @Test
    void withMicrometerButWithoutHookwardenMicrometerNothingIsRegistered() {
        runner.withClassLoader(new FilteredClassLoader("io.hookwarden.micrometer."))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DeliveryListener.class);
                });
    }

    @Test
    void withoutAMeterRegistryNothingIsRegistered() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(DeliveryListener.class);
        });
    }

    @Test
    void theApplicationsOwnListenerReplacesMicrometersOnEveryEndpoint() {
        List<String> heard = new CopyOnWriteArrayList<>();
        DeliveryListener own = (endpoint, scheme, request) -> {
            heard.add(endpoint);
            return DeliveryListener.Observer.NONE;
        };
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(DeliveryListener.class, () -> own)
                .run(context -> {
                    assertThat(context.getBean(DeliveryListener.class)).isSameAs(own);
                    WebhookEndpoints endpoints = context.getBean(WebhookEndpoints.class);

                    endpoints.receiver("stripe").receive(forged());
                    endpoints.receiver("other").receive(forged());

                    assertThat(heard).containsExactly("stripe", "other");
                    assertThat(context.getBean(MeterRegistry.class)
                                    .find("hookwarden.deliveries")
                                    .counters())
                            .isEmpty();
                });
    }

    @Test
    void twoListenerBeansFailStartUpRatherThanObserveNothing() {
        runner.withBean("one", DeliveryListener.class, () -> (e, scheme, r) -> DeliveryListener.Observer.NONE)
                .withBean("two", DeliveryListener.class, () -> (e, scheme, r) -> DeliveryListener.Observer.NONE)
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void aCustomizerSettingAListenerWhereOneIsRegisteredFailsStartUpNamingTheEndpoint() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(
                        "ownListener",
                        WebhookEndpointCustomizer.class,
                        () -> WebhookEndpointCustomizer.receiver(
                                "other", r -> r.listener((e, scheme, q) -> DeliveryListener.Observer.NONE)))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("listener was already set");
                    WebhookConfigurationException failure = null;
                    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                        if (t instanceof WebhookConfigurationException e) {
                            failure = e;
                        }
                    }
                    assertThat(failure).isNotNull();
                    assertThat(failure.property()).isEqualTo("hookwarden.endpoints.other.*");
                    assertThat(failure.action()).contains("declare yours as that bean");
                });
    }
}
