package io.hookwarden.spring.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.DeliveryListener;
import io.hookwarden.micrometer.MicrometerDeliveryListener;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spring.HookwardenAutoConfiguration;
import io.hookwarden.spring.WebhookConfigurationException;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookEndpoints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** What the auto-configuration registers, and when it refuses to start. */
class AutoConfigurationTest {
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
    static class Misnamed {
        @PostMapping("/hooks/misnamed")
        @WebhookEndpoint("no-such-endpoint")
        void misnamed() {}
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnProblemHandler {
        static final WebhookProblemHandler HANDLER = new WebhookProblemHandler();

        @Bean
        WebhookProblemHandler webhookProblemHandler() {
            return HANDLER;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnScheduler {
        @Bean(name = HookwardenWebFluxAutoConfiguration.SCHEDULER, destroyMethod = "dispose")
        Scheduler hookwardenScheduler() {
            return Schedulers.newBoundedElastic(2, 16, "hookwarden-test");
        }
    }

    private static Throwable innermost(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void aReactiveApplicationGetsTheFilterTheProblemHandlerAndTheSharedEndpointsButNothingOfSpringMvc() {
        reactive.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(WebhookWebFilter.class);
            assertThat(context).hasSingleBean(WebhookProblemHandler.class);
            assertThat(context).hasSingleBean(DedupeStore.class);
            assertThat(context.getBean(WebhookEndpoints.class).names()).containsExactly("standard");
            assertThat(context).doesNotHaveBean("webhookBodyFilter");
        });
    }

    @Test
    void anAnnotationNamingNoEndpointFailsStartUpNamingTheProperty() {
        reactive.withUserConfiguration(Misnamed.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(innermost(context.getStartupFailure()))
                    .isInstanceOf(WebhookConfigurationException.class)
                    .hasMessageContaining("hookwarden.endpoints.no-such-endpoint")
                    .hasMessageContaining("Misnamed#misnamed");
        });
    }

    @Test
    void aMissingSecretFailsStartUpNamingThePropertyAndNoSecret() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(WebFluxAutoConfiguration.class, HookwardenWebFluxAutoConfiguration.class))
                .withPropertyValues("hookwarden.endpoints.standard.scheme=standard-webhooks")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(innermost(context.getStartupFailure()))
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("hookwarden.endpoints.standard.secrets[0]");
                });
    }

    @Test
    void theApplicationsProblemHandlerReplacesTheDefault() {
        reactive.withUserConfiguration(OwnProblemHandler.class)
                .run(context ->
                        assertThat(context.getBean(WebhookProblemHandler.class)).isSameAs(OwnProblemHandler.HANDLER));
    }

    @Test
    void aSchedulerBeanNamedHookwardenSchedulerRunsTheBlockingStores() {
        reactive.withUserConfiguration(OwnScheduler.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(WebhookWebFilter.class).scheduler())
                    .isSameAs(context.getBean(HookwardenWebFluxAutoConfiguration.SCHEDULER));
        });
    }

    @Test
    void withAMeterRegistryEveryEndpointReportsToMicrometerAndTheStoreHasAHealthIndicator() {
        reactive.withBean(SimpleMeterRegistry.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(DeliveryListener.class)).isInstanceOf(MicrometerDeliveryListener.class);
            assertThat(context.getBean("hookwardenHealthIndicator", HealthIndicator.class)
                            .health()
                            .getStatus())
                    .isEqualTo(Status.UP);
        });
    }

    @Test
    void anApplicationThatIsNotReactiveGetsNoneOfIt() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HookwardenWebFluxAutoConfiguration.class))
                .withPropertyValues(
                        "hookwarden.endpoints.standard.scheme=standard-webhooks",
                        "hookwarden.endpoints.standard.secrets[0]=" + SECRET)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(WebhookWebFilter.class);
                    assertThat(context).doesNotHaveBean(WebhookEndpoints.class);
                });
    }
}
