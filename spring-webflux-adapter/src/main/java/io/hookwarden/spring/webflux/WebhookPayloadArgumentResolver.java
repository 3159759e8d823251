package io.hookwarden.spring.webflux;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Reason;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.spring.WebhookEndpoints;
import io.hookwarden.spring.WebhookPayload;
import io.hookwarden.spring.WebhookRejectedException;
import java.io.IOException;
import java.util.function.Supplier;
import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.SyncHandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * Binds a {@link WebhookPayload} parameter from the verified body: {@code String}, {@code byte[]}, or Jackson binding
 * with the application's {@link ObjectMapper}. A body that does not bind is refused with the endpoint's {@code
 * MALFORMED_PAYLOAD} (400); the claim is released. Thread-safe.
 */
final class WebhookPayloadArgumentResolver implements SyncHandlerMethodArgumentResolver {
    private final WebhookEndpoints endpoints;
    private final Supplier<ObjectMapper> mapper;

    WebhookPayloadArgumentResolver(WebhookEndpoints endpoints, Supplier<ObjectMapper> mapper) {
        this.endpoints = endpoints;
        this.mapper = mapper;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(WebhookPayload.class);
    }

    @Override
    public Object resolveArgumentValue(
            MethodParameter parameter, BindingContext bindingContext, ServerWebExchange exchange) {
        if (!(exchange.getAttribute(WebFluxAttributes.VERIFIED_WEBHOOK) instanceof VerifiedWebhook webhook)) {
            throw new IllegalStateException("a @WebhookPayload parameter needs @WebhookEndpoint on "
                    + parameter.getExecutable().toGenericString());
        }
        Class<?> type = parameter.getParameterType();
        if (type == String.class) {
            return webhook.bodyText();
        }
        if (type == byte[].class) {
            return webhook.body();
        }
        ObjectMapper m = mapper.get();
        JavaType javaType = m.constructType(parameter.getGenericParameterType());
        try {
            return m.readValue(webhook.body(), javaType);
        } catch (JsonProcessingException e) {
            String endpoint = exchange.getAttribute(WebFluxAttributes.ENDPOINT);
            throw new WebhookRejectedException(
                    endpoint, endpoints.receiver(endpoint).answer(Reason.MALFORMED_PAYLOAD), describe(e, javaType));
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail", e);
        }
    }

    /** Where binding failed (location and field path), never the payload's values: Jackson's message may quote them. */
    private static String describe(JsonProcessingException e, JavaType type) {
        StringBuilder sb = new StringBuilder("body does not bind to ").append(type.toCanonical());
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            sb.append(" at ").append(mapping.getPathReference());
        }
        if (e.getLocation() != null) {
            sb.append(" (line ")
                    .append(e.getLocation().getLineNr())
                    .append(", column ")
                    .append(e.getLocation().getColumnNr())
                    .append(')');
        }
        return sb.toString();
    }
}
