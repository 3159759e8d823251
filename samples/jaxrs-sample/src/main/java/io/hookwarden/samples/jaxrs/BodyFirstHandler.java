package io.hookwarden.samples.jaxrs;

import io.hookwarden.WebhookVerifier;
import io.hookwarden.samples.support.ErrorAnswer;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.ReadHandler;
import org.glassfish.grizzly.http.io.NIOInputStream;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.Header;

/**
 * Puts Grizzly's non-blocking reads in front of Jersey, whose resources read a body by blocking a worker thread: a
 * request's body is first received asynchronously (no thread waits for it), and only a complete body is handed to
 * {@code next}. A body that has not arrived within the deadline is answered 408 and its connection closed, so slow
 * senders hold neither a thread nor a connection for longer than the deadline (issue 12: four senders that stalled
 * after one byte blocked the sample's four workers for 30 s).
 *
 * <p>Bodies larger than the verifier's limit are not buffered: the request goes to {@code next} at once, and
 * Hookwarden answers it 413. A request whose URI Jersey could not parse is answered 400 here, rather than as a 500
 * with Grizzly's error page. Thread-safe.
 */
final class BodyFirstHandler extends HttpHandler {
    private static final Logger LOG = Logger.getLogger(BodyFirstHandler.class.getName());
    /** The most this handler buffers: a webhook body up to the verifier's default limit, and one byte more. */
    private static final long BUFFER_LIMIT = WebhookVerifier.DEFAULT_MAX_BODY_BYTES + 1;

    private final HttpHandler next;
    private final Duration deadline;

    BodyFirstHandler(HttpHandler next, Duration deadline) {
        super("hookwarden-body-first");
        this.next = next;
        this.deadline = deadline;
    }

    @Override
    public void start() {
        next.start();
    }

    @Override
    public void destroy() {
        next.destroy();
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        if (!parsableUri(request)) {
            answer(response, 400);
            return;
        }
        long length = request.getContentLengthLong();
        boolean chunked = request.getRequest().isChunked();
        if ((length <= 0 && !chunked) || length > BUFFER_LIMIT) {
            next.service(request, response);
            return;
        }
        AtomicBoolean settled = new AtomicBoolean();
        Connection<?> connection = request.getContext().getConnection();
        response.suspend(deadline.toMillis(), TimeUnit.MILLISECONDS, null, timedOut -> {
            if (settled.compareAndSet(false, true)) {
                refuse(timedOut, 408, connection);
            }
            return false; // resumed above, or already handed to next
        });
        NIOInputStream in = request.getNIOInputStream();
        int wanted = (int) (length > 0 ? length : BUFFER_LIMIT);
        in.notifyAvailable(
                new ReadHandler() {
                    @Override
                    public void onDataAvailable() {
                        if (in.readyData() >= BUFFER_LIMIT) {
                            dispatch(); // too large to buffer: Hookwarden refuses it with 413
                        }
                    }

                    @Override
                    public void onAllDataRead() {
                        dispatch();
                    }

                    @Override
                    public void onError(Throwable error) {
                        if (settled.compareAndSet(false, true)) {
                            refuse(response, 400, connection);
                        }
                    }

                    private void dispatch() {
                        if (!settled.compareAndSet(false, true)) {
                            return;
                        }
                        try {
                            next.service(request, response);
                        } catch (Exception e) {
                            LOG.log(Level.WARNING, "the application failed on " + request.getRequestURI(), e);
                            if (!response.isCommitted()) {
                                answer(response, 500);
                            }
                        } finally {
                            if (response.isSuspended()) {
                                response.resume();
                            }
                        }
                    }
                },
                wanted);
    }

    /** Whether Jersey can turn the request's URI into a {@link URI}; it throws a 500 for one it cannot. */
    private static boolean parsableUri(Request request) {
        String query = request.getQueryString();
        try {
            new URI(request.getRequestURI() + (query == null ? "" : "?" + query));
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Answers the suspended {@code response} with {@code status} and closes the connection once the answer is sent,
     * rather than wait for the rest of a body that is not coming.
     */
    private static void refuse(Response response, int status, Connection<?> connection) {
        try {
            answer(response, status);
        } finally {
            try {
                response.resume();
            } finally {
                connection.closeSilently();
            }
        }
    }

    /** Answers {@code status} with {@link ErrorAnswer} and closes the connection after it. */
    private static void answer(Response response, int status) {
        try {
            response.reset();
            response.setStatus(status);
            response.setHeader(Header.Connection, "close");
            response.setContentType(ErrorAnswer.CONTENT_TYPE);
            byte[] body = ErrorAnswer.bytes(status);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "cannot answer " + status, e);
        }
    }
}
