package io.hookwarden.spring;

import io.hookwarden.Delivery;
import io.hookwarden.HttpAnswer;
import io.hookwarden.Outcome;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.servlet.HookwardenFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.AsyncHandlerInterceptor;

/**
 * Verifies and claims a captured delivery before its handler runs, and completes or releases the claim after it.
 *
 * <ul>
 *   <li>Accepted: the {@link io.hookwarden.VerifiedWebhook} goes to the handler's arguments; after the handler, a 2xx
 *       answer completes the claim, any other answer or an exception releases it.
 *   <li>Rejected (and a body over the cap): {@link WebhookRejectedException}, answered as {@code
 *       application/problem+json} by the default advice or the application's own.
 *   <li>Duplicate and handshake: the core's answer, verbatim; the handler does not run.
 * </ul>
 *
 * Thread-safe.
 */
final class WebhookInterceptor implements AsyncHandlerInterceptor {
    private static final System.Logger LOG = System.getLogger(WebhookInterceptor.class.getName());

    private final WebhookEndpoints endpoints;
    private final WebhookHandlers handlers;
    private final WebhookMetrics metrics;

    WebhookInterceptor(WebhookEndpoints endpoints, WebhookHandlers handlers, WebhookMetrics metrics) {
        this.endpoints = endpoints;
        this.handlers = handlers;
        this.metrics = metrics;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        String endpoint = (String) request.getAttribute(Attributes.ENDPOINT);
        if (endpoint == null) {
            if (handler instanceof HandlerMethod method && handlers.endpointOf(method) != null) {
                // Fail closed: without the filter the body was never capped or captured.
                throw new IllegalStateException("request to webhook handler " + method
                        + " was not captured by WebhookBodyFilter; register the filter before the DispatcherServlet");
            }
            return true;
        }
        if (request.getAttribute(Attributes.DELIVERY) != null) {
            return true; // the async dispatch of a delivery already claimed
        }
        if (request.getAttribute(Attributes.REFUSAL) instanceof WebhookVerificationException refusal) {
            metrics.delivery(
                    endpoint, WebhookMetrics.Result.REJECTED, refusal.reason().name());
            throw new WebhookRejectedException(endpoint, refusal.reason(), refusal.getMessage());
        }
        byte[] body = (byte[]) request.getAttribute(Attributes.BODY);
        WebhookReceiver receiver = endpoints.receiver(endpoint);
        long start = System.nanoTime();
        Outcome outcome = receiver.receive(HookwardenFilter.toWebhookRequest(request, body));
        metrics.verification(endpoint, System.nanoTime() - start);
        if (outcome instanceof Outcome.Accepted accepted) {
            request.setAttribute(Attributes.DELIVERY, accepted.delivery());
            request.setAttribute(
                    Attributes.VERIFIED_WEBHOOK, accepted.delivery().webhook());
            return true;
        }
        if (outcome instanceof Outcome.Rejected rejected) {
            metrics.delivery(
                    endpoint, WebhookMetrics.Result.REJECTED, rejected.reason().name());
            LOG.log(Level.DEBUG, "webhook refused at endpoint {0}: {1}", endpoint, rejected);
            throw new WebhookRejectedException(endpoint, rejected);
        }
        if (outcome instanceof Outcome.Duplicate) {
            metrics.delivery(endpoint, WebhookMetrics.Result.DUPLICATE, "DUPLICATE");
        } else {
            metrics.delivery(endpoint, WebhookMetrics.Result.HANDSHAKE, "none");
        }
        write(outcome.answer(), response);
        return false;
    }

    @Override
    public void afterCompletion(
            HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (!(request.getAttribute(Attributes.DELIVERY) instanceof Delivery delivery)) {
            return;
        }
        request.removeAttribute(Attributes.DELIVERY);
        String endpoint = (String) request.getAttribute(Attributes.ENDPOINT);
        int status = response.getStatus();
        if (ex == null && status >= 200 && status < 300) {
            delivery.complete();
            metrics.delivery(endpoint, WebhookMetrics.Result.PROCESSED, "none");
        } else {
            delivery.release();
            metrics.delivery(
                    endpoint, WebhookMetrics.Result.RELEASED, ex != null || status >= 500 ? "HANDLER_FAILED" : "none");
        }
    }

    /** Copies an answer out verbatim: status, headers, body. */
    static void write(HttpAnswer answer, HttpServletResponse response) throws IOException {
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        byte[] body = answer.body();
        response.setContentLength(body.length);
        if (body.length > 0) {
            response.getOutputStream().write(body);
        }
    }
}
