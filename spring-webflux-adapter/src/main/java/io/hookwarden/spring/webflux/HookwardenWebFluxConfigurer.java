package io.hookwarden.spring.webflux;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.spring.WebhookEndpoints;
import java.util.function.Supplier;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

/** Adds the {@code VerifiedWebhook} and {@code @WebhookPayload} argument resolvers to WebFlux. */
final class HookwardenWebFluxConfigurer implements WebFluxConfigurer {
    private final WebhookEndpoints endpoints;
    private final Supplier<ObjectMapper> mapper;

    HookwardenWebFluxConfigurer(WebhookEndpoints endpoints, Supplier<ObjectMapper> mapper) {
        this.endpoints = endpoints;
        this.mapper = mapper;
    }

    @Override
    public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
        configurer.addCustomResolver(
                new VerifiedWebhookArgumentResolver(), new WebhookPayloadArgumentResolver(endpoints, mapper));
    }
}
