package io.hookwarden.samples.servlet;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code TRACE} with 405 before any servlet sees it. A servlet's default {@code doTrace} echoes the request,
 * its cookies and authorization headers included (issue 12), and Jetty has no setting to turn it off. Thread-safe.
 */
final class TraceRefusal extends Handler.Wrapper {
    TraceRefusal(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (HttpMethod.TRACE.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
