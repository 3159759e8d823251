package io.hookwarden.test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.hookwarden.Delivery;
import io.hookwarden.HttpAnswer;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * A user's own adapter, the one docs/testing.md tests with {@link AdapterContractTest}: one endpoint for the JDK's
 * {@code com.sun.net.httpserver}, in front of the application's handler. It only translates: the exchange to a
 * request head and a body stream for the receiver, the outcome to the answer, the application's status to {@link
 * Delivery#finish(int)}.
 */
final class WebhookHttpHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(WebhookHttpHandler.class.getName());

    private final String path;
    private final WebhookReceiver receiver;
    private final HttpHandler application;

    WebhookHttpHandler(String path, WebhookReceiver receiver, HttpHandler application) {
        this.path = Objects.requireNonNull(path, "path cannot be null");
        this.receiver = Objects.requireNonNull(receiver, "receiver cannot be null");
        this.application = Objects.requireNonNull(application, "application cannot be null");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getRawPath().equals(path)) {
                exchange.sendResponseHeaders(404, -1); // a context matches by prefix; an endpoint is one exact path
                return;
            }
            Outcome outcome = receiver.receive(head(exchange), exchange.getRequestBody(), declaredLength(exchange));
            if (!(outcome instanceof Outcome.Accepted accepted)) {
                boolean tooLarge =
                        outcome instanceof Outcome.Rejected rejected && rejected.reason() == Reason.PAYLOAD_TOO_LARGE;
                if (tooLarge) {
                    exchange.getResponseHeaders().set("Connection", "close");
                }
                write(outcome.answer(), exchange);
                if (tooLarge) {
                    // the sender may write its whole body before reading: read and drop it (bounded), or it gets a
                    // reset
                    receiver.drain(exchange.getRequestBody());
                }
                return;
            }
            try (Delivery delivery = accepted.delivery()) {
                exchange.setStreams(new ByteArrayInputStream(delivery.webhook().body()), null);
                try {
                    application.handle(exchange);
                    delivery.finish(exchange.getResponseCode());
                } catch (IOException | RuntimeException e) {
                    delivery.finish(receiver.handlerFailed().status());
                    LOG.log(Level.WARNING, "handler failed on " + delivery.webhook() + "; claim released", e);
                    if (exchange.getResponseCode() == -1) {
                        write(receiver.handlerFailed(), exchange);
                    }
                }
            }
        }
    }

    private static WebhookRequest.Builder head(HttpExchange exchange) {
        WebhookRequest.Builder head = WebhookRequest.builder()
                .method(exchange.getRequestMethod())
                .url("http://" + exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI())
                .remoteAddress(exchange.getRemoteAddress().getAddress().getHostAddress());
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(value -> head.header(name, value)));
        return head;
    }

    private static long declaredLength(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void write(HttpAnswer answer, HttpExchange exchange) throws IOException {
        answer.headers().forEach(exchange.getResponseHeaders()::set);
        byte[] body = answer.body();
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }
}
