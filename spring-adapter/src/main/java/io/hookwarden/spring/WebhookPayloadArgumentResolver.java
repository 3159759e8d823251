package io.hookwarden.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.VerifiedWebhook;
import java.util.function.Supplier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Binds a {@link WebhookPayload} parameter from the verified body: {@code String}, {@code byte[]}, or Jackson
 * binding with the application's {@link ObjectMapper}. Thread-safe.
 */
final class WebhookPayloadArgumentResolver implements HandlerMethodArgumentResolver {
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
    public Object resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mavContainer,
            NativeWebRequest request,
            WebDataBinderFactory binderFactory) {
        if (!(request.getAttribute(Attributes.VERIFIED_WEBHOOK, RequestAttributes.SCOPE_REQUEST)
                instanceof VerifiedWebhook webhook)) {
            throw new IllegalStateException("a @WebhookPayload parameter needs @WebhookEndpoint on "
                    + parameter.getExecutable().toGenericString());
        }
        return WebhookPayloadBinding.bind(parameter, webhook, mapper.get(), endpoints, () ->
                (String) request.getAttribute(Attributes.ENDPOINT, RequestAttributes.SCOPE_REQUEST));
    }
}
