package io.hookwarden.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.ExceptionHandlerExceptionResolver;

/** Adds the interceptor, the argument resolvers and the exception resolver to Spring MVC. */
final class HookwardenWebMvcConfigurer implements WebMvcConfigurer {
    private final WebhookEndpoints endpoints;
    private final WebhookHandlers handlers;
    private final Supplier<ObjectMapper> mapper;

    HookwardenWebMvcConfigurer(WebhookEndpoints endpoints, WebhookHandlers handlers, Supplier<ObjectMapper> mapper) {
        this.endpoints = endpoints;
        this.handlers = handlers;
        this.mapper = mapper;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new WebhookInterceptor(handlers));
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new VerifiedWebhookArgumentResolver());
        resolvers.add(new WebhookPayloadArgumentResolver(endpoints, mapper));
    }

    @Override
    public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
        int at = 0;
        for (int i = 0; i < resolvers.size(); i++) {
            if (resolvers.get(i) instanceof ExceptionHandlerExceptionResolver) {
                at = i + 1;
            }
        }
        resolvers.add(at, new WebhookHandlerExceptionResolver(endpoints));
    }
}
