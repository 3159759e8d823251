package io.hookwarden.spring;

import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.Inbox;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The dedupe store's and the inbox's Actuator health on Spring Boot 4, whose health API moved to {@code
 * spring-boot-health} ({@code org.springframework.boot.health.contributor}); on Boot 3, {@link
 * HookwardenAutoConfiguration} registers the same checks with Boot 3's API. Same bean names, same properties
 * ({@code management.health.hookwarden.enabled}, {@code management.health.hookwarden-inbox.enabled}).
 */
@AutoConfiguration(
        after = HookwardenAutoConfiguration.class,
        afterName = "io.hookwarden.spring.webflux.HookwardenWebFluxAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
public class HookwardenBoot4HealthAutoConfiguration {
    /** The dedupe store's health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(DedupeStore.class)
    @ConditionalOnProperty(prefix = "management.health.hookwarden", name = "enabled", matchIfMissing = true)
    static class Store {
        @Bean
        @ConditionalOnMissingBean(name = "hookwardenHealthIndicator")
        Boot4HealthIndicator hookwardenHealthIndicator(DedupeStore store) {
            return new Boot4HealthIndicator(() -> HealthReport.dedupeStore(store));
        }
    }

    /** The inbox endpoints' health, when the application has an {@link Inbox}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean({Inbox.class, WebhookEndpoints.class})
    @ConditionalOnProperty(prefix = "management.health.hookwarden-inbox", name = "enabled", matchIfMissing = true)
    static class Inboxes {
        @Bean
        @ConditionalOnMissingBean(name = "hookwardenInboxHealthIndicator")
        Boot4HealthIndicator hookwardenInboxHealthIndicator(WebhookEndpoints endpoints) {
            return new Boot4HealthIndicator(() -> HealthReport.inboxes(endpoints, Clock.systemUTC()));
        }
    }
}
