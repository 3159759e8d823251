package io.hookwarden.spring;

import io.hookwarden.Outcome;
import io.hookwarden.servlet.ServletExchange;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.AsyncHandlerInterceptor;

/**
 * Translates the receiver's {@link Outcome}, which {@link WebhookBodyFilter} obtained, into Spring MVC before the
 * handler runs; it decides nothing itself.
 *
 * <ul>
 *   <li>Accepted: the {@link io.hookwarden.VerifiedWebhook} goes to the handler's arguments; the filter completes or
 *       releases the claim by the answer's status once the handler is done.
 *   <li>Rejected (a body over the cap included): {@link WebhookRejectedException}, answered as {@code
 *       application/problem+json} by the default advice or the application's own.
 *   <li>Duplicate and handshake: the core's answer, verbatim; the handler does not run.
 * </ul>
 *
 * Thread-safe.
 */
final class WebhookInterceptor implements AsyncHandlerInterceptor {
    private final WebhookHandlers handlers;

    WebhookInterceptor(WebhookHandlers handlers) {
        this.handlers = handlers;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        String endpoint = (String) request.getAttribute(Attributes.ENDPOINT);
        if (endpoint == null) {
            if (handler instanceof HandlerMethod method && handlers.endpointOf(method) != null) {
                // Fail closed: without the filter the body was never capped or verified.
                throw new IllegalStateException("request to webhook handler " + method
                        + " was not captured by WebhookBodyFilter; register the filter before the DispatcherServlet");
            }
            return true;
        }
        if (!(request.getAttribute(Attributes.OUTCOME) instanceof Outcome outcome)) {
            return true; // a later dispatch (async, error) of a delivery already translated
        }
        request.removeAttribute(Attributes.OUTCOME);
        if (outcome instanceof Outcome.Accepted accepted) {
            request.setAttribute(
                    Attributes.VERIFIED_WEBHOOK, accepted.delivery().webhook());
            return true;
        }
        if (outcome instanceof Outcome.Rejected rejected) {
            throw new WebhookRejectedException(endpoint, rejected);
        }
        ServletExchange.write(outcome.answer(), response);
        return false;
    }
}
