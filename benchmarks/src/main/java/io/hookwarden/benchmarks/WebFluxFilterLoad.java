package io.hookwarden.benchmarks;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spring.WebhookEndpoints;
import io.hookwarden.spring.webflux.WebhookProblemHandler;
import io.hookwarden.spring.webflux.WebhookWebFilter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Requests per second through {@link WebhookWebFilter} on Reactor Netty against the same WebFlux handler without it, in
 * the same run, from the same load generator as {@link ServletFilterLoad} (its requests, rounds, medians and CPU view).
 *
 * <p>One Reactor Netty server on a free port serves one functional WebFlux handler that reads the whole body and
 * answers 200 with no content, at two paths, each its own WebFlux application ({@link WebHttpHandlerBuilder}, as {@code
 * RouterFunctions.toHttpHandler} builds one): {@code /hooked}, where the filter (Standard Webhooks, a {@link
 * WebhookReceiver} with an in-memory store, so the receiver runs on the event loop) and its {@link
 * WebhookProblemHandler} sit in front of the handler, and {@code /plain}, without either. Every request carries a 2 KiB
 * JSON body and its own signed {@code webhook-id}; both paths get byte-for-byte the same requests apart from the path.
 * Defaults: 8 connections, 5000 requests per path per round, 40 rounds, 4 warm-up. Run:
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.hookwarden.benchmarks.WebFluxFilterLoad [connections] [requests] [rounds] [warmup]
 * </pre>
 */
public final class WebFluxFilterLoad {
    private WebFluxFilterLoad() {}

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 4;

        Clock clock = Clock.fixed(ServletFilterLoad.SIGNED_AT, ZoneOffset.UTC);
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(ServletFilterLoad.SECRET)
                        .clock(clock)
                        .build())
                // big enough to hold every delivery of the run: measure the filter, not the store's eviction
                .dedupeStore(InMemoryDedupeStore.builder()
                        .maximumSize(requests * (rounds + 1) + 1)
                        .build())
                .build();
        WebhookEndpoints endpoints = WebhookEndpoints.builder()
                .endpoint("hooked", receiver)
                .paths("hooked", List.of("/hooked"))
                .build();

        HandlerFunction<ServerResponse> reading = request ->
                request.bodyToMono(byte[].class).then(ServerResponse.ok().build());
        HttpHandler hooked = WebHttpHandlerBuilder.webHandler(
                        RouterFunctions.toWebHandler(route(POST("/hooked"), reading)))
                .filter(WebhookWebFilter.of(endpoints))
                .exceptionHandler(new WebhookProblemHandler())
                .build();
        HttpHandler plain = WebHttpHandlerBuilder.webHandler(
                        RouterFunctions.toWebHandler(route(POST("/plain"), reading)))
                .build();
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.post("/hooked", new ReactorHttpHandlerAdapter(hooked))
                        .post("/plain", new ReactorHttpHandlerAdapter(plain)))
                .bindNow();
        int port = server.port();
        System.out.printf(
                Locale.ROOT,
                "Reactor Netty on port %d; %d connections, %d requests per path per round, %d rounds (%d warm-up),"
                        + " %d-byte bodies%n",
                port,
                connections,
                requests,
                rounds,
                warmup,
                ServletFilterLoad.BODY_SIZE);

        WebhookSigner signer = WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(ServletFilterLoad.SECRET)
                .clock(clock)
                .build();
        try {
            ServletFilterLoad.compare(port, signer, connections, requests, rounds, warmup);
        } finally {
            server.disposeNow();
        }
    }
}
