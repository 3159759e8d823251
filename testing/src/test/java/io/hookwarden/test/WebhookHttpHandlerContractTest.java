package io.hookwarden.test;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A user's own adapter ({@link WebhookHttpHandler}) keeps the contract: the example of docs/testing.md. */
class WebhookHttpHandlerContractTest extends AdapterContractTest {
    @Override
    protected Server start(List<Endpoint> endpoints) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        for (Endpoint endpoint : endpoints) {
            server.createContext(
                    endpoint.path(), new WebhookHttpHandler(endpoint.path(), endpoint.receiver(), exchange -> {
                        Reply reply = endpoint.application()
                                .handle(exchange.getRequestBody().readAllBytes());
                        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
                        exchange.sendResponseHeaders(reply.status(), reply.body().length);
                        exchange.getResponseBody().write(reply.body());
                    }));
        }
        ExecutorService threads = Executors.newFixedThreadPool(32);
        server.setExecutor(threads);
        server.start();
        return Server.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), () -> {
            server.stop(0);
            threads.shutdownNow();
        });
    }
}
