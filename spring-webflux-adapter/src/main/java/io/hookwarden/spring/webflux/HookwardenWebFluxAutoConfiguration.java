package io.hookwarden.spring.webflux;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hookwarden.spring.HookwardenEndpointsConfiguration;
import io.hookwarden.spring.WebhookEndpoints;
import java.util.function.Supplier;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.DispatcherHandler;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Spring Boot auto-configuration for Spring WebFlux: the same {@code hookwarden.*} properties, endpoints, dedupe
 * store, inbox workers, metrics and health as the Spring MVC adapter ({@link HookwardenEndpointsConfiguration}), and
 * what is WebFlux's own: the {@link WebhookWebFilter} for {@code @WebhookEndpoint} handlers and the endpoints' {@code
 * paths} (functional routes), the {@code VerifiedWebhook} and {@code @WebhookPayload} argument resolvers, and the
 * {@link WebhookProblemHandler}.
 *
 * <p>The receiver runs on {@link Schedulers#boundedElastic()} when a store may block, or on a {@link Scheduler} bean
 * named {@value #SCHEDULER} when the application declares one. Start-up fails on a missing, empty or too short secret,
 * an unknown scheme, or a {@code @WebhookEndpoint} naming no endpoint; the message names the property, never a
 * secret's value.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"
        })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({DispatcherHandler.class, HookwardenEndpointsConfiguration.class})
@Import(HookwardenEndpointsConfiguration.class)
public class HookwardenWebFluxAutoConfiguration {
    /** The name of a {@link Scheduler} bean that replaces the bounded elastic one. */
    public static final String SCHEDULER = "hookwardenScheduler";

    /** Created by Spring. */
    public HookwardenWebFluxAutoConfiguration() {}

    @Bean
    AnnotatedHandlers hookwardenAnnotatedHandlers(ListableBeanFactory beans, WebhookEndpoints endpoints) {
        return new AnnotatedHandlers(beans, endpoints);
    }

    @Bean
    @ConditionalOnMissingBean
    WebhookWebFilter webhookWebFilter(
            WebhookEndpoints endpoints,
            AnnotatedHandlers annotated,
            @Qualifier(SCHEDULER) ObjectProvider<Scheduler> scheduler) {
        WebhookWebFilter.Builder builder =
                WebhookWebFilter.builder().endpoints(endpoints).annotated(annotated);
        Scheduler chosen = scheduler.getIfAvailable();
        if (chosen != null) {
            builder.scheduler(chosen);
        }
        return builder.build();
    }

    @Bean
    HookwardenWebFluxConfigurer hookwardenWebFluxConfigurer(
            WebhookEndpoints endpoints, ObjectProvider<ObjectMapper> mappers) {
        return new HookwardenWebFluxConfigurer(endpoints, mapper(mappers));
    }

    @Bean
    @ConditionalOnMissingBean
    WebhookProblemHandler webhookProblemHandler() {
        return new WebhookProblemHandler();
    }

    /** The application's ObjectMapper, else one of Jackson's defaults with the modules it finds. */
    private static Supplier<ObjectMapper> mapper(ObjectProvider<ObjectMapper> mappers) {
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
}
