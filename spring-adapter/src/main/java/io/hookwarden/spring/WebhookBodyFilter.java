package io.hookwarden.spring;

import io.hookwarden.CappedBody;
import io.hookwarden.HttpAnswer;
import io.hookwarden.Reason;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.servlet.VerifiedRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.WebUtils;

/**
 * Reads the body of a request to a webhook endpoint with the endpoint's size cap, before Spring MVC or anything else
 * reads it, and passes the request on in a wrapper that replays the same bytes to {@code getInputStream()}, {@code
 * getReader()} and so {@code @RequestBody}. Requests to other paths pass untouched; another spelling of an endpoint's
 * configured path ({@code ;params}, percent escapes, dot or empty segments, a trailing '/', another case) is answered
 * {@code 400 AMBIGUOUS_REQUEST} here, and a method no endpoint receives on (OPTIONS, a CORS preflight, PUT, ...) {@code
 * 405 METHOD_NOT_ALLOWED}, before anything is read or claimed (see {@link WebhookHandlers#routeOf}). A request to an
 * endpoint framed by both {@code Content-Length} and {@code Transfer-Encoding} is answered {@code 400
 * AMBIGUOUS_REQUEST} with {@code Connection: close}, where the container passes it on with both (Tomcat drops the
 * {@code Content-Length}, frames the body as chunked and closes the connection itself).
 *
 * <p>A body over the cap is never buffered: a declared {@code Content-Length} over it is refused unread, a chunked body
 * is read one byte past it; the interceptor then answers {@code PAYLOAD_TOO_LARGE} (413). The answer to a webhook
 * request is held until the handler has finished and the claim was completed or released, so a provider that retries
 * at once never finds its own failed attempt still holding the claim.
 *
 * <p>Registered by the auto-configuration ({@link #ORDER}, every dispatcher type); thread-safe.
 */
public final class WebhookBodyFilter extends OncePerRequestFilter implements Ordered {
    /** Early: before any filter that might read the body (form handling, security), after character encoding. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

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
            chain.doFilter(request, response);
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
            WebhookInterceptor.write(route.refusal(), response);
            return;
        }
        if (request.getHeader("Content-Length") != null && request.getHeader("Transfer-Encoding") != null) {
            // RFC 9112, section 6.1: a request with both may be rejected, and the connection must close after the
            // answer; the bytes after its body, framed one way or the other, are never read as a next request.
            response.setHeader("Connection", "close");
            WebhookInterceptor.write(FRAMED_TWICE, response);
            return;
        }
        String endpoint = route.endpoint();
        WebhookReceiver receiver = endpoints.receiver(endpoint);
        request.setAttribute(Attributes.ENDPOINT, endpoint);
        byte[] body = NO_BODY;
        try {
            body = CappedBody.read(
                    request.getInputStream(),
                    request.getContentLengthLong(),
                    receiver.verifier().maxBodyBytes());
        } catch (WebhookVerificationException e) {
            request.setAttribute(Attributes.REFUSAL, e);
        }
        request.setAttribute(Attributes.BODY, body);
        ContentCachingResponseWrapper held = new ContentCachingResponseWrapper(response);
        chain.doFilter(new VerifiedRequest(request, body), held);
        release(request, held);
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
