package io.hookwarden.spring;

import io.hookwarden.VerifiedWebhook;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Resolves a {@link VerifiedWebhook} parameter of a {@link WebhookEndpoint} handler. Thread-safe. */
final class VerifiedWebhookArgumentResolver implements HandlerMethodArgumentResolver {
    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return VerifiedWebhook.class.equals(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mavContainer,
            NativeWebRequest request,
            WebDataBinderFactory binderFactory) {
        Object webhook = request.getAttribute(Attributes.VERIFIED_WEBHOOK, RequestAttributes.SCOPE_REQUEST);
        if (webhook == null) {
            throw new IllegalStateException("a VerifiedWebhook parameter needs @WebhookEndpoint on "
                    + parameter.getExecutable().toGenericString());
        }
        return webhook;
    }
}
