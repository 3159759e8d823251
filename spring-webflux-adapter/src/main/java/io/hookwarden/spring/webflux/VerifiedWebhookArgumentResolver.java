package io.hookwarden.spring.webflux;

import io.hookwarden.VerifiedWebhook;
import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.SyncHandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/** Resolves a {@link VerifiedWebhook} parameter of a {@code @WebhookEndpoint} handler. Thread-safe. */
final class VerifiedWebhookArgumentResolver implements SyncHandlerMethodArgumentResolver {
    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return VerifiedWebhook.class.equals(parameter.getParameterType());
    }

    @Override
    public Object resolveArgumentValue(
            MethodParameter parameter, BindingContext bindingContext, ServerWebExchange exchange) {
        Object webhook = exchange.getAttribute(WebFluxAttributes.VERIFIED_WEBHOOK);
        if (webhook == null) {
            throw new IllegalStateException("a VerifiedWebhook parameter needs @WebhookEndpoint on "
                    + parameter.getExecutable().toGenericString());
        }
        return webhook;
    }
}
