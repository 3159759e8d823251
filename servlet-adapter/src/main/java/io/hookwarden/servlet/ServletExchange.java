package io.hookwarden.servlet;

import io.hookwarden.HttpAnswer;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import java.util.Objects;

/**
 * The servlet side of the exchange with the core, for every adapter built on the Servlet API (the filter, the Spring
 * adapter, yours): a servlet request as the core's {@link WebhookRequest}, and an {@link HttpAnswer} written out to a
 * servlet response verbatim. Stateless and thread-safe.
 *
 * <pre>{@code
 * Outcome outcome = receiver.receive(ServletExchange.head(request), request.getInputStream(),
 *         request.getContentLengthLong());
 * if (!(outcome instanceof Outcome.Accepted accepted)) {
 *     ServletExchange.write(outcome.answer(), response);
 * }
 * }</pre>
 */
public final class ServletExchange {
    private ServletExchange() {}

    /**
     * The request without its body, for {@link WebhookReceiver#receive(WebhookRequest.Builder, java.io.InputStream,
     * long)}: method, full URL with query, remote address, every header value in order.
     *
     * @throws NullPointerException if request is null
     */
    public static WebhookRequest.Builder head(HttpServletRequest request) {
        Objects.requireNonNull(request, "request cannot be null");
        WebhookRequest.Builder b = WebhookRequest.builder()
                .method(request.getMethod())
                .url(fullUrl(request))
                .remoteAddress(request.getRemoteAddr());
        Enumeration<String> names = request.getHeaderNames();
        while (names != null && names.hasMoreElements()) {
            String name = names.nextElement();
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements()) {
                b.header(name, values.nextElement());
            }
        }
        return b;
    }

    /**
     * The request with a body already read (with the cap for this request).
     *
     * @param body taken over without a copy ({@link WebhookRequest.Builder#wrapBody(byte[])}): the caller must not
     *     change it afterwards
     * @throws NullPointerException if request or body is null
     */
    public static WebhookRequest request(HttpServletRequest request, byte[] body) {
        Objects.requireNonNull(body, "body cannot be null");
        return head(request).wrapBody(body).build();
    }

    /**
     * Writes an answer out verbatim: status, headers, body (with its length).
     *
     * @throws IOException if writing fails (the sender went away)
     * @throws NullPointerException if answer or response is null
     */
    public static void write(HttpAnswer answer, HttpServletResponse response) throws IOException {
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        byte[] body = answer.body();
        response.setContentLength(body.length);
        if (body.length > 0) {
            response.getOutputStream().write(body);
        }
    }

    /**
     * Answers a request whose body the receiver did not finish reading (a 413) so that the sender receives the answer:
     * {@code Connection: close}, the status and headers sent at once, then the rest of the body read and dropped within
     * the endpoint's bounds ({@link WebhookReceiver#drain}), then the answer's body. A sender that writes everything
     * before it reads gets the 413 instead of a reset (which it would retry, again and again); one that reads while it
     * writes sees the status at once and stops. The body goes last because some containers (Tomcat 11) close the
     * request's body as soon as a response is flushed complete.
     *
     * @param rest the request's body stream, where the receiver stopped reading
     * @throws IOException if writing fails (the sender went away)
     */
    public static void writeAfterDraining(
            HttpAnswer answer, HttpServletResponse response, WebhookReceiver receiver, java.io.InputStream rest)
            throws IOException {
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        response.setHeader("Connection", "close");
        response.flushBuffer(); // the head only: with no Content-Length, the answer is not complete yet
        receiver.drain(rest);
        byte[] body = answer.body();
        if (body.length > 0) {
            response.getOutputStream().write(body);
        }
    }

    private static String fullUrl(HttpServletRequest request) {
        StringBuffer url = request.getRequestURL();
        String query = request.getQueryString();
        if (query != null) {
            url.append('?').append(query);
        }
        return url.toString();
    }
}
