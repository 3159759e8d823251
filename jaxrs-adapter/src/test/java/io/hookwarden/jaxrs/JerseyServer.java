package io.hookwarden.jaxrs;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** A Jersey application on the JDK's HTTP server, on a free port, with a thread pool so requests run concurrently. */
final class JerseyServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final URI base;

    private JerseyServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        this.base = URI.create("http://localhost:" + server.getAddress().getPort());
    }

    static JerseyServer start(ResourceConfig app) {
        HttpServer server = JdkHttpServerFactory.createHttpServer(URI.create("http://localhost:0/"), app, false);
        ExecutorService executor = Executors.newFixedThreadPool(16);
        server.setExecutor(executor);
        server.start();
        return new JerseyServer(server, executor);
    }

    /** The absolute URI of a path (and query) on this server. */
    URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
