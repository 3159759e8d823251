package io.hookwarden.samples.webflux;

import io.hookwarden.samples.support.ErrorAnswer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses {@code TRACE} at every path with a bare {@code 405}, echoing nothing of the request (issue 12): WebFlux
 * would answer it 404 or 405 by route, and an application's handler might echo it. First of all filters. Thread-safe.
 */
final class TraceRefusal implements WebFilter, Ordered {
    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!HttpMethod.TRACE.equals(exchange.getRequest().getMethod())) {
            return chain.filter(exchange);
        }
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.METHOD_NOT_ALLOWED);
        response.getHeaders().setContentType(MediaType.parseMediaType(ErrorAnswer.CONTENT_TYPE));
        byte[] body = ErrorAnswer.bytes(405);
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
