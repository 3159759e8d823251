package io.hookwarden.spring.webflux;

import io.hookwarden.spring.WebhookRejectedException;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * WebFlux's answer to a {@link WebhookRejectedException}: the core's answer verbatim, {@code application/problem+json}
 * with the {@code reason} code and {@code Retry-After} where the provider should retry. Any other exception is left to
 * the next handler.
 *
 * <p>Ordered before Spring Boot's error handler ({@link #ORDER}). To answer refusals your own way, declare a bean of
 * this type (the auto-configuration then registers none), or a {@link WebExceptionHandler} ordered before it; inside
 * an annotated controller, an {@code @ExceptionHandler} for the exception (in the controller or a {@code
 * @ControllerAdvice}) takes precedence over both. Thread-safe.
 */
public class WebhookProblemHandler implements WebExceptionHandler, Ordered {
    /** Before Spring Boot's {@code ErrorWebExceptionHandler} (-1). */
    public static final int ORDER = -2;

    /** Creates the handler. */
    public WebhookProblemHandler() {}

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (!(ex instanceof WebhookRejectedException rejected)
                || exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        return ReactiveExchange.write(rejected.answer(), exchange.getResponse());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
