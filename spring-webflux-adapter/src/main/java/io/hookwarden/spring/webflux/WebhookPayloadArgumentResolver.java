package io.hookwarden.spring.webflux;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.spring.WebhookEndpoints;
import io.hookwarden.spring.WebhookPayload;
import io.hookwarden.spring.WebhookPayloadBinding;
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
        return WebhookPayloadBinding.bind(
                parameter, webhook, mapper.get(), endpoints, () -> exchange.getAttribute(WebFluxAttributes.ENDPOINT));
    }
}
