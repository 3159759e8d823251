package io.hookwarden.spring;

import io.hookwarden.HttpAnswer;
import io.hookwarden.Reason;
import io.hookwarden.servlet.ServletExchange;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * For webhook requests only, what the application's {@code @ExceptionHandler}s left unresolved: a body that does not
 * bind to a {@code @RequestBody} is {@code MALFORMED_PAYLOAD} (400), a {@link WebhookRejectedException} is its own
 * answer, and any other exception from the handler is {@code HANDLER_FAILED} (500, {@code Retry-After}), logged here
 * and never shown to the sender. Spring's own status exceptions ({@link ErrorResponse}, {@link ResponseStatus}) are
 * left to Spring. Runs right after the {@code @ExceptionHandler} resolver. Thread-safe.
 */
final class WebhookHandlerExceptionResolver implements HandlerExceptionResolver {
    private static final System.Logger LOG = System.getLogger(WebhookHandlerExceptionResolver.class.getName());

    private final WebhookEndpoints endpoints;

    WebhookHandlerExceptionResolver(WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public ModelAndView resolveException(
            HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        String endpoint = (String) request.getAttribute(Attributes.ENDPOINT);
        if (endpoint == null || response.isCommitted()) {
            return null;
        }
        HttpAnswer answer;
        if (ex instanceof WebhookRejectedException rejected) {
            answer = rejected.answer();
        } else if (ex instanceof HttpMessageNotReadableException) {
            LOG.log(Level.DEBUG, "webhook body at endpoint {0} does not bind to the handler''s @RequestBody", endpoint);
            answer = endpoints.receiver(endpoint).answer(Reason.MALFORMED_PAYLOAD);
        } else if (ex instanceof ErrorResponse
                || AnnotatedElementUtils.hasAnnotation(ex.getClass(), ResponseStatus.class)) {
            return null;
        } else {
            LOG.log(
                    Level.WARNING,
                    "webhook handler failed at endpoint " + endpoint
                            + "; the claim is released for the provider's retry",
                    ex);
            answer = endpoints.receiver(endpoint).handlerFailed();
        }
        try {
            response.resetBuffer();
            ServletExchange.write(answer, response);
        } catch (IOException e) {
            return null;
        }
        return new ModelAndView();
    }
}
