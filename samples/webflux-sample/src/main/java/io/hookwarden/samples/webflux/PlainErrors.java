package io.hookwarden.samples.webflux;

import io.hookwarden.samples.support.ErrorAnswer;
import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The sample's answer to an error of WebFlux's own (no route, a method a route does not serve, a request it cannot
 * read), replacing Spring Boot's: {@link ErrorAnswer}'s status and title, nothing of the request, the server or the
 * exception. Hookwarden's refusals never get here: its {@code WebhookProblemHandler} answers them first. Thread-safe.
 */
final class PlainErrors implements ErrorWebExceptionHandler {
    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        int status = ex instanceof ErrorResponse error
                ? error.getStatusCode().value()
                : HttpStatus.INTERNAL_SERVER_ERROR.value();
        response.setStatusCode(HttpStatus.valueOf(status));
        response.getHeaders().clear();
        response.getHeaders().setContentType(MediaType.parseMediaType(ErrorAnswer.CONTENT_TYPE));
        byte[] body = ErrorAnswer.bytes(status);
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
