package io.hookwarden.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.DeliveryListener;
import io.hookwarden.micrometer.MicrometerDeliveryListener;
import io.hookwarden.servlet.HookwardenFilter;
import io.hookwarden.spi.DedupeStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Spring Boot auto-configuration for Spring MVC: what {@link HookwardenEndpointsConfiguration} shares with every Spring
 * adapter (the {@code hookwarden.*} properties, the endpoints from {@code hookwarden.endpoints.*} adjusted by {@link
 * WebhookEndpointCustomizer} beans, the dedupe store from {@code hookwarden.dedupe.store} unless the application
 * declares a {@link DedupeStore}, the inbox workers, and with Micrometer and Actuator present a {@link
 * MicrometerDeliveryListener} (with the {@link ObservationRegistry} when there is one), inbox meters and health
 * indicators), plus what is Spring MVC's own: the capturing filter, the interceptor and argument resolvers, and the
 * default problem advice. A {@link DeliveryListener} bean is registered on every endpoint's receiver; {@link
 * MeterRegistry}: the default listener's registry.
 *
 * <p>Start-up fails on a missing, empty or too short secret, an unknown scheme, or a {@link WebhookEndpoint} naming no
 * endpoint; the message names the property, never a secret's value.
 */
@AutoConfiguration(
        afterName = {
            // Spring Boot 3, then 4: the registries exist before the listener is chosen
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
        })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, HookwardenFilter.class})
@Import(HookwardenEndpointsConfiguration.class)
public class HookwardenAutoConfiguration {
    /** Created by Spring. */
    public HookwardenAutoConfiguration() {}

    @Bean
    WebhookHandlers webhookHandlers(ListableBeanFactory beans, WebhookEndpoints endpoints) {
        return new WebhookHandlers(beans, endpoints);
    }

    @Bean
    WebhookBodyFilter webhookBodyFilter(WebhookEndpoints endpoints, WebhookHandlers handlers) {
        return new WebhookBodyFilter(endpoints, handlers);
    }

    @Bean
    HookwardenWebMvcConfigurer hookwardenWebMvcConfigurer(
            WebhookEndpoints endpoints, WebhookHandlers handlers, ObjectProvider<ObjectMapper> mappers) {
        return new HookwardenWebMvcConfigurer(endpoints, handlers, HookwardenEndpointsConfiguration.mapper(mappers));
    }

    @Bean
    @ConditionalOnMissingBean
    WebhookProblemAdvice webhookProblemAdvice() {
        return new WebhookProblemAdvice();
    }
}
