package io.hookwarden.spring.webflux;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import io.hookwarden.spring.WebhookEndpoints;
import io.hookwarden.test.AdapterContractTest;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The adapter contract on Reactor Netty, on a free port: the kit's endpoints as functional routes, each reading its
 * body as an application would ({@code bodyToMono(byte[].class)}), behind {@link WebhookWebFilter} matching the
 * endpoints' paths, with {@link WebhookProblemHandler} answering refusals.
 */
class ReactorNettyAdapterContractTest extends AdapterContractTest {
    @Override
    protected Server start(List<Endpoint> endpoints) {
        WebhookEndpoints.Builder configured = WebhookEndpoints.builder();
        RouterFunction<ServerResponse> routes = null;
        for (Endpoint endpoint : endpoints) {
            configured.endpoint(endpoint.name(), endpoint.receiver()).paths(endpoint.name(), List.of(endpoint.path()));
            RouterFunction<ServerResponse> one =
                    route(POST(endpoint.path()), request -> request.bodyToMono(byte[].class)
                            .defaultIfEmpty(new byte[0])
                            // the kit's application may wait on a latch: off the event loop, as blocking code must be
                            .publishOn(Schedulers.boundedElastic())
                            .map(body -> endpoint.application().handle(body))
                            .flatMap(reply -> ServerResponse.status(reply.status())
                                    .contentType(MediaType.parseMediaType(reply.contentType()))
                                    .bodyValue(reply.body())));
            routes = routes == null ? one : routes.and(one);
        }
        HttpHandler handler = WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(routes))
                .filter(WebhookWebFilter.of(configured.build()))
                .exceptionHandler(new WebhookProblemHandler())
                .build();
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(new ReactorHttpHandlerAdapter(handler))
                .bindNow();
        return Server.of(URI.create("http://127.0.0.1:" + server.port() + "/"), server::disposeNow);
    }
}
