package io.hookwarden.spring;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The default answer to a {@link WebhookRejectedException}: its {@link ProblemDetail} as {@code
 * application/problem+json}, with its headers ({@code Retry-After} when the provider should retry). Ordered last, so
 * an application's own {@code @ControllerAdvice} for the exception, ordered before it, wins; or declare a bean of this
 * type to replace it. Thread-safe.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class WebhookProblemAdvice {
    /** Creates the advice. */
    public WebhookProblemAdvice() {}

    /**
     * The problem answer.
     *
     * @param e the refusal
     * @return its status, headers and problem document
     */
    @ExceptionHandler(WebhookRejectedException.class)
    public ResponseEntity<ProblemDetail> rejected(WebhookRejectedException e) {
        return ResponseEntity.status(e.getStatusCode()).headers(e.getHeaders()).body(e.getBody());
    }
}
