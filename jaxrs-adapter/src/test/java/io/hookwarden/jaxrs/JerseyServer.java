package io.hookwarden.jaxrs;

import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** A Jersey application on a real HTTP server, on a free port, serving requests concurrently. */
abstract class JerseyServer implements AutoCloseable {
    private static final URI ANY_PORT = URI.create("http://localhost:0/");

    /** The HTTP servers Jersey runs on in these tests. */
    enum Container {
        /** The JDK's own {@code com.sun.net.httpserver}: no asynchronous processing. */
        JDK_HTTP,
        /** Grizzly, Jersey's reference container: asynchronous processing supported. */
        GRIZZLY,
        /** Grizzly with {@link StrictFramingAddOn}, which refuses a request framed both by length and by chunks. */
        GRIZZLY_STRICT_FRAMING
    }

    private final URI base;

    private JerseyServer(int port) {
        this.base = URI.create("http://localhost:" + port);
    }

    static JerseyServer start(Container container, ResourceConfig app) {
        return switch (container) {
            case JDK_HTTP -> jdk(app);
            case GRIZZLY -> grizzly(app, false);
            case GRIZZLY_STRICT_FRAMING -> grizzly(app, true);
        };
    }

    private static JerseyServer jdk(ResourceConfig app) {
        com.sun.net.httpserver.HttpServer server = JdkHttpServerFactory.createHttpServer(ANY_PORT, app, false);
        ExecutorService executor = Executors.newFixedThreadPool(16);
        server.setExecutor(executor);
        server.start();
        return new JerseyServer(server.getAddress().getPort()) {
            @Override
            public void close() {
                server.stop(0);
                executor.shutdownNow();
                try {
                    executor.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private static JerseyServer grizzly(ResourceConfig app, boolean strictFraming) {
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(ANY_PORT, app, false);
        if (strictFraming) {
            server.getListeners().forEach(listener -> listener.registerAddOn(new StrictFramingAddOn()));
        }
        try {
            server.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new JerseyServer(server.getListeners().iterator().next().getPort()) {
            @Override
            public void close() {
                server.shutdownNow();
            }
        };
    }

    /** The absolute URI of a path (and query) on this server. */
    URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    /** Stops the server; an interrupt while waiting for its threads is kept on the thread's flag. */
    @Override
    public abstract void close();
}
