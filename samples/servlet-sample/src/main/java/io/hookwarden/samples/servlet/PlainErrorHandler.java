package io.hookwarden.samples.servlet;

import io.hookwarden.samples.support.ErrorAnswer;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages replaced by {@link ErrorAnswer}: the status and its title. Jetty's default page repeats the
 * parser's message and the exception (issue 12: {@code java.io.IOException: java.util.concurrent.TimeoutException:
 * Idle timeout expired}); this one shows neither. A request that failed because its body timed out is answered 408
 * Request Timeout rather than 500. Set on the server (errors before a context is reached, such as a bad request line)
 * and on the servlet context (a servlet's {@code sendError} or exception). Thread-safe.
 */
final class PlainErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        int status = timedOut(cause) ? 408 : code;
        byte[] body = ErrorAnswer.bytes(status);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorAnswer.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static boolean timedOut(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
