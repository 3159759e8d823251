package io.hookwarden.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hookwarden.DeliveryListener;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.InboxListener;
import io.hookwarden.micrometer.InboxMetrics;
import io.hookwarden.micrometer.MicrometerDeliveryListener;
import io.hookwarden.micrometer.MicrometerInboxListener;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.Inbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * What every Hookwarden web adapter for Spring shares, whatever the web stack: the {@code hookwarden.*} properties, the
 * dedupe store from {@code hookwarden.dedupe.store} (unless the application declares a {@link DedupeStore}), the
 * endpoints from {@code hookwarden.endpoints.*} (adjusted by {@link WebhookEndpointCustomizer} beans), the inbox
 * workers, and, when their libraries are present, the Micrometer listener and inbox meters, the inbox's Actuator
 * endpoint and health, and the dedupe store's health. Imported by {@link HookwardenAutoConfiguration} (Spring MVC) and
 * by the Spring WebFlux adapter's auto-configuration; it references no servlet or reactive type.
 *
 * <p>Start-up fails on a missing, empty or too short secret or an unknown scheme; the message names the property, never
 * a secret's value.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HookwardenProperties.class)
@Import({
    DedupeStores.Jdbc.class,
    DedupeStores.Redis.class,
    DedupeStores.SpringDataRedis.class,
    InboxStores.Redis.class,
    InboxStores.RedisMissing.class,
    InboxStores.SpringDataRedis.class,
    InboxStores.Kafka.class,
    InboxStores.KafkaMissing.class
})
public class HookwardenEndpointsConfiguration {
    /** Created by Spring. */
    public HookwardenEndpointsConfiguration() {}

    /**
     * The dedupe store chosen by {@code hookwarden.dedupe.store}; the in-memory one unless configured otherwise.
     *
     * @throws WebhookConfigurationException if redis or jdbc is chosen without its module on the class path
     */
    @Bean
    @ConditionalOnMissingBean
    DedupeStore hookwardenDedupeStore(HookwardenProperties properties) {
        HookwardenProperties.Dedupe dedupe = properties.getDedupe();
        return switch (dedupe.getStore()) {
            case MEMORY -> {
                InMemoryDedupeStore.Builder b = InMemoryDedupeStore.builder();
                if (dedupe.getMemory().getMaximumSize() != null) {
                    b.maximumSize(dedupe.getMemory().getMaximumSize());
                }
                yield b.build();
            }
            case REDIS, JDBC -> {
                String kind = dedupe.getStore().name().toLowerCase(java.util.Locale.ROOT);
                throw new WebhookConfigurationException(
                        "hookwarden.dedupe.store",
                        kind + " needs io.hookwarden:hookwarden-dedupe-" + kind + " on the class path",
                        "Add the dependency io.hookwarden:hookwarden-dedupe-" + kind
                                + ", declare a DedupeStore bean, or set hookwarden.dedupe.store=memory for a single"
                                + " instance.",
                        null);
            }
        };
    }

    /**
     * With {@code hookwarden.dedupe.fail-fast=true}, probes the dedupe store once every bean is created.
     *
     * @throws DedupeStoreProbe.UnreachableException if the store does not answer
     */
    @Bean
    @ConditionalOnProperty(prefix = "hookwarden.dedupe", name = "fail-fast", havingValue = "true")
    DedupeStoreProbe hookwardenDedupeStoreProbe(DedupeStore store) {
        return new DedupeStoreProbe(store);
    }

    /**
     * The endpoints. The application's {@link Clock} bean (the only one, or the primary one), when it has one, is every
     * endpoint's verifier clock, so a test's fixed clock reaches every endpoint; a {@link WebhookEndpointCustomizer}
     * that sets an endpoint's clock wins for that endpoint.
     *
     * @throws WebhookConfigurationException if a {@code hookwarden.*} property binds to nothing (a typo such as {@code
     *     max-bdy}), or an endpoint's configuration is refused
     */
    @Bean
    @ConditionalOnMissingBean
    WebhookEndpoints webhookEndpoints(
            HookwardenProperties properties,
            DedupeStore store,
            ListableBeanFactory beans,
            ObjectProvider<WebhookEndpointCustomizer> customizers,
            ObjectProvider<DeliveryListener> listener,
            ObjectProvider<Clock> clock,
            Environment environment,
            org.springframework.core.io.ResourceLoader resources) {
        UnknownProperties.check(environment);
        return EndpointFactory.build(
                resources.getClassLoader(),
                properties,
                store,
                beans.getBeansOfType(Inbox.class),
                beans.getBeansOfType(java.net.http.HttpClient.class),
                beans.getBeansOfType(TenantSecrets.class),
                customizers.orderedStream().toList(),
                listener.getIfAvailable(),
                clock.getIfUnique());
    }

    /** The workers of the endpoints with an inbox, running their {@link InboxHandler} methods. */
    @Bean
    InboxWorkers hookwardenInboxWorkers(
            ListableBeanFactory beans,
            WebhookEndpoints endpoints,
            HookwardenProperties properties,
            ObjectProvider<ObjectMapper> mappers,
            ObjectProvider<WebhookEndpointCustomizer> customizers,
            ObjectProvider<InboxListener> listener,
            ObjectProvider<InboxWorkers.External> external) {
        return new InboxWorkers(
                beans,
                endpoints,
                properties,
                mapper(mappers),
                customizers.orderedStream().toList(),
                listener.getIfAvailable(),
                external.getIfUnique());
    }

    /** The application's ObjectMapper, else one of Jackson's defaults with the modules it finds. */
    static Supplier<ObjectMapper> mapper(ObjectProvider<ObjectMapper> mappers) {
        return new Supplier<>() {
            private volatile ObjectMapper fallback;

            @Override
            public ObjectMapper get() {
                ObjectMapper m = mappers.getIfUnique();
                if (m != null) {
                    return m;
                }
                if (fallback == null) {
                    fallback = JsonMapper.builder().findAndAddModules().build();
                }
                return fallback;
            }
        };
    }

    /**
     * Micrometer meters and observations for every endpoint, when {@code hookwarden-micrometer} is on the class path
     * and the context has a {@link MeterRegistry}; a {@link DeliveryListener} bean of the application's replaces it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {"io.micrometer.core.instrument.MeterRegistry", "io.hookwarden.micrometer.MicrometerDeliveryListener"
            })
    @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        DeliveryListener hookwardenDeliveryListener(
                MeterRegistry meters, ObjectProvider<ObservationRegistry> observations) {
            ObservationRegistry observation = observations.getIfUnique();
            return observation == null
                    ? MicrometerDeliveryListener.of(meters)
                    : MicrometerDeliveryListener.of(meters, observation);
        }

        /** What the inbox workers did with each attempt; an {@link InboxListener} bean of the application's replaces it. */
        @Bean
        @ConditionalOnMissingBean
        InboxListener hookwardenInboxListener(MeterRegistry meters) {
            return MicrometerInboxListener.of(meters);
        }

        /**
         * The depth per state and the oldest pending delivery of every inbox the endpoints write to, each inbox read at
         * most every 10 s whatever the scrape rate; Spring Boot binds it to the registry.
         */
        @Bean
        MeterBinder hookwardenInboxMetrics(WebhookEndpoints endpoints) {
            Map<Inbox, List<String>> byInbox = new IdentityHashMap<>();
            endpoints.forEach((name, receiver) -> receiver.inbox()
                    .filter(inbox -> !WriteOnlyInbox.is(inbox)) // no counts: the consumer group's lag is Kafka's
                    .ifPresent(inbox -> byInbox.computeIfAbsent(inbox, i -> new ArrayList<>())
                            .add(name)));
            List<MeterBinder> binders = new ArrayList<>();
            byInbox.forEach((inbox, names) -> binders.add(InboxMetrics.builder()
                    .inbox(inbox)
                    .endpoints(names.toArray(String[]::new))
                    .build()));
            return registry -> binders.forEach(binder -> binder.bindTo(registry));
        }
    }

    /**
     * Masks the endpoints' secrets and Redis passwords in the Actuator's {@code configprops} and {@code env}
     * endpoints, even when the application shows their values.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
    static class Sanitizing {
        @Bean
        @ConditionalOnMissingBean(name = "hookwardenSanitizingFunction")
        HookwardenSanitizingFunction hookwardenSanitizingFunction() {
            return new HookwardenSanitizingFunction();
        }
    }

    /**
     * The inbox's Actuator endpoint, when the application has an {@link Inbox} or {@code hookwarden.inbox.store} builds one: exposed over HTTP or JMX only when the
     * application says so, like any but health. The same annotations in Spring Boot 3 and 4.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    @Conditional(OnInbox.class)
    static class InboxActuator {
        @Bean
        @ConditionalOnMissingBean
        HookwardenInboxEndpoint hookwardenInboxEndpoint(WebhookEndpoints endpoints) {
            return new HookwardenInboxEndpoint(endpoints);
        }
    }

    /**
     * The inbox's health (Spring Boot 3's health API; {@link HookwardenBoot4HealthAutoConfiguration} registers it on
     * Boot 4), when the application has an {@link Inbox} or {@code hookwarden.inbox.store} builds one.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @Conditional(OnInbox.class)
    static class InboxHealth {
        @Bean
        @ConditionalOnMissingBean(name = "hookwardenInboxHealthIndicator")
        @ConditionalOnProperty(prefix = "management.health.hookwarden-inbox", name = "enabled", matchIfMissing = true)
        HealthIndicator hookwardenInboxHealthIndicator(WebhookEndpoints endpoints) {
            return new InboxHealthIndicator(endpoints, Clock.systemUTC());
        }
    }

    /** The dedupe store's Actuator health (Spring Boot 3's health API). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.hookwarden", name = "enabled", matchIfMissing = true)
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "hookwardenHealthIndicator")
        HealthIndicator hookwardenHealthIndicator(DedupeStore store) {
            return new DedupeStoreHealthIndicator(store);
        }
    }
}
