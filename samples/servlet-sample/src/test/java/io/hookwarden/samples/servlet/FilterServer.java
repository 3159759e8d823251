package io.hookwarden.samples.servlet;

import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.servlet.HookwardenFilter;
import io.hookwarden.test.WebhookRequests;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real HTTP server for the inbox's proofs: embedded Jetty on 127.0.0.1 and a free port, with {@link
 * HookwardenFilter} in front of the given receivers under {@code /webhooks/}. Behind the filter is a servlet that
 * answers 500: a queued delivery must never reach the application, so a call to it fails the test's status checks.
 * Thread-safe.
 */
@SuppressWarnings("try") // close() may be interrupted while it stops what it started
final class FilterServer implements AutoCloseable {
    private final Server server;
    private final URI uri;

    private FilterServer(Server server, URI uri) {
        this.server = server;
        this.uri = uri;
    }

    /** Starts a server with each receiver at {@code /webhooks/<name>}. */
    static FilterServer start(Map<String, WebhookReceiver> receivers) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        HookwardenFilter.Builder filter = HookwardenFilter.builder();
        receivers.forEach((name, receiver) -> filter.endpoint("/webhooks/" + name, receiver));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(filter.build()), "/webhooks/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new NeverCalled()), "/webhooks/*");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the test server did not start", e);
        }
        return new FilterServer(server, URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/"));
    }

    /** Posts {@code request} to the endpoint {@code name}. */
    HttpResponse<String> send(HttpClient client, String name, WebhookRequest request) {
        try {
            return client.send(
                    WebhookRequests.toHttpRequest(request, uri.resolve("webhooks/" + name)),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class NeverCalled extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) {
            response.setStatus(500);
        }
    }
}
