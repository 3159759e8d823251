package io.hookwarden.spring;

import io.hookwarden.Delivery;
import io.hookwarden.HttpAnswer;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.servlet.ServletExchange;
import io.hookwarden.servlet.VerifiedRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.WebUtils;

/**
 * Hands a request to a webhook endpoint to the endpoint's {@link WebhookReceiver} before Spring MVC or anything else
 * reads it, and settles the claim by the status the application answered. Requests to other paths pass untouched;
 * another spelling of an endpoint's configured path ({@code ;params}, percent escapes, dot or empty segments, a
 * trailing '/', another case) is answered {@code 400 AMBIGUOUS_REQUEST} here, and a method no endpoint receives on
 * (OPTIONS, a CORS preflight, PUT, ...) {@code 405 METHOD_NOT_ALLOWED}, before anything is read or claimed (see {@link
 * WebhookHandlers#routeOf}). A request to an endpoint framed by both {@code Content-Length} and {@code
 * Transfer-Encoding} is answered {@code 400 AMBIGUOUS_REQUEST} with {@code Connection: close}, where the container
 * passes it on with both (Tomcat drops the {@code Content-Length}, frames the body as chunked and closes the connection
 * itself).
 *
 * <p>A delivery an endpoint with an inbox stored ({@link Outcome.Queued}), or holds already, is answered here with the
 * core's answer; nothing of the application runs in the request (its {@link InboxHandler} methods run on a worker).
 *
 * <p>For an endpoint's request the receiver reads the body under its cap ({@link WebhookReceiver#receive(
 * io.hookwarden.WebhookRequest.Builder, java.io.InputStream, long)}), verifies and claims it; the {@link Outcome} goes
 * on as a request attribute for the interceptor to translate into Spring MVC (the handler's arguments, a {@link
 * WebhookRejectedException}, or the core's answer), and an accepted delivery's request replays the verified bytes to
 * {@code getInputStream()}, {@code getReader()} and so {@code @RequestBody}, without a copy. The answer to it is held
 * until the last dispatch of the request is over and the claim completed or released ({@link Delivery#finish(int)}), so
 * a provider that retries at once never finds its own failed attempt still holding the claim.
 *
 * <ul>
 *   <li>A body over the cap ({@code 413 PAYLOAD_TOO_LARGE}) is never buffered; its answer goes out with {@code
 *       Connection: close}, and the rest of the body is read and dropped ({@link WebhookReceiver#drain}) so a sender
 *       that writes its whole body before it reads gets the 413 rather than a connection reset.
 *   <li>A body that cannot be read as sent (a malformed chunk) is the sender's fault, never a handler failure: the
 *       container's own answer where it gives one (Tomcat: 400, or 408 for a read timeout), else {@code 400
 *       MALFORMED_PAYLOAD}; with {@code Connection: close}, and nothing is claimed.
 * </ul>
 *
 * <p>Registered by the auto-configuration ({@link #ORDER}, every dispatcher type); thread-safe.
 */
public final class WebhookBodyFilter extends OncePerRequestFilter implements Ordered {
    /** Early: before any filter that might read the body (form handling, security), after character encoding. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    private static final System.Logger LOG = System.getLogger(WebhookBodyFilter.class.getName());

    /** What a request whose delivery was not accepted replays downstream: nothing of the sender's body. */
    private static final byte[] NO_BODY = new byte[0];

    /** The answer to a request framed by both Content-Length and Transfer-Encoding, rendered once. */
    private static final HttpAnswer FRAMED_TWICE = HttpAnswer.problem(
            Reason.AMBIGUOUS_REQUEST, null, Map.of("detail", "both Content-Length and Transfer-Encoding are present"));

    private final WebhookEndpoints endpoints;
    private final WebhookHandlers handlers;

    WebhookBodyFilter(WebhookEndpoints endpoints, WebhookHandlers handlers) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints cannot be null");
        this.handlers = Objects.requireNonNull(handlers, "handlers cannot be null");
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isAsyncDispatch(request)) {
            try {
                chain.doFilter(request, response);
            } catch (IOException | ServletException | RuntimeException e) {
                settle(request, response, e);
                throw e;
            }
            settle(request, response, null);
            release(request, response);
            return;
        }
        WebhookHandlers.Route route = handlers.routeOf(request);
        if (route == null) {
            chain.doFilter(request, response);
            return;
        }
        if (route.refusal() != null) {
            // Issue 12: another spelling of an endpoint's path, or a method no endpoint receives on, is answered here,
            // before the body is read and anything claimed, and never passed on.
            ServletExchange.write(
                    route.endpoint() == null
                            ? WebhookHandlers.Route.AMBIGUOUS_ANSWER
                            : endpoints.receiver(route.endpoint()).answer(route.refusal()),
                    response);
            return;
        }
        if (request.getHeader("Content-Length") != null && request.getHeader("Transfer-Encoding") != null) {
            // RFC 9112, section 6.1: a request with both may be rejected, and the connection must close after the
            // answer; the bytes after its body, framed one way or the other, are never read as a next request.
            response.setHeader("Connection", "close");
            ServletExchange.write(FRAMED_TWICE, response);
            return;
        }
        String endpoint = route.endpoint();
        WebhookReceiver receiver = endpoints.receiver(endpoint);
        Outcome outcome;
        try {
            outcome = receiver.receive(
                    ServletExchange.head(request), request.getInputStream(), request.getContentLengthLong());
        } catch (IOException e) {
            // The body could not be read as framed (a malformed chunk), or the sender went away: either way the
            // sender's doing, not the handler's, so never a 5xx that would make the provider retry it as sent.
            LOG.log(Level.DEBUG, "webhook body at endpoint {0} could not be read: {1}", endpoint, e.toString());
            response.setHeader("Connection", "close");
            ServletExchange.write(receiver.answer(Reason.MALFORMED_PAYLOAD), response);
            return;
        }
        if (outcome instanceof Outcome.Queued
                || (outcome instanceof Outcome.Duplicate && receiver.inbox().isPresent())) {
            // Issue 14: the delivery is stored (or was already) and no application code runs in the request, so the
            // core's answer goes out here; an inbox endpoint needs only its paths, no handler method.
            ServletExchange.write(outcome.answer(), response);
            return;
        }
        request.setAttribute(Attributes.ENDPOINT, endpoint);
        request.setAttribute(Attributes.OUTCOME, outcome);
        HttpServletRequest passed;
        if (outcome instanceof Outcome.Accepted accepted) {
            request.setAttribute(Attributes.DELIVERY, accepted.delivery());
            passed = new VerifiedRequest(request, accepted.delivery().webhook());
        } else {
            passed = new VerifiedRequest(request, NO_BODY);
        }
        boolean tooLarge =
                outcome instanceof Outcome.Rejected rejected && rejected.reason() == Reason.PAYLOAD_TOO_LARGE;
        if (tooLarge) {
            // Set before anything can commit the answer: the rest of the body is never read as a next request.
            response.setHeader("Connection", "close");
        }
        ContentCachingResponseWrapper held = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(passed, held);
        } catch (IOException | ServletException | RuntimeException e) {
            settle(request, held, e);
            throw e;
        }
        settle(request, held, null);
        if (tooLarge) {
            drainAfterTheHead(request, response, receiver);
        }
        release(request, held);
    }

    /**
     * Sends the 413's status and headers, then reads and drops what the sender still writes (within the endpoint's
     * bounds) before the body of the answer completes it, so a sender that writes everything before it reads gets the
     * 413, not a reset that makes it retry a delivery that will never fit; a sender that reads while it writes sees the
     * 413 at once and stops. The body follows the drain: Tomcat 11 closes the request's body as soon as a response is
     * flushed complete (its {@code Content-Length} written), after which nothing could be drained.
     */
    private static void drainAfterTheHead(
            HttpServletRequest request, HttpServletResponse response, WebhookReceiver receiver) throws IOException {
        response.flushBuffer();
        receiver.drain(request.getInputStream());
    }

    /**
     * Completes or releases the claim once the last dispatch of the request is over, by the status the application
     * answered with ({@link Delivery#finish(int)}); an exception that left the application unanswered counts as the
     * endpoint's {@code HANDLER_FAILED}. Does nothing while an async cycle runs, or when no claim is open.
     */
    private void settle(HttpServletRequest request, HttpServletResponse response, Exception failure) {
        if (request.isAsyncStarted() || !(request.getAttribute(Attributes.DELIVERY) instanceof Delivery delivery)) {
            return;
        }
        request.removeAttribute(Attributes.DELIVERY);
        if (failure == null) {
            delivery.finish(response.getStatus());
            return;
        }
        // The exception goes on to the container, which logs it and answers 500.
        delivery.finish(endpoints
                .receiver((String) request.getAttribute(Attributes.ENDPOINT))
                .handlerFailed()
                .status());
    }

    /** Sends the held answer once the last dispatch of the request is over. */
    private static void release(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.isAsyncStarted()) {
            return;
        }
        ContentCachingResponseWrapper held = WebUtils.getNativeResponse(response, ContentCachingResponseWrapper.class);
        if (held != null) {
            held.copyBodyToResponse();
        }
    }

    @Override
    public String toString() {
        return "WebhookBodyFilter" + endpoints.names();
    }
}
