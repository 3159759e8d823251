package io.hookwarden.samples.webflux;

import io.hookwarden.VerifiedWebhook;
import io.hookwarden.samples.support.Payloads;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookPayload;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The sample's controller: the three webhook methods, each behind the {@code hookwarden-spring-webflux} endpoint
 * its {@link WebhookEndpoint} names, and the event log. A webhook method runs only for a verified delivery it is the first to
 * claim; its Mono completes with 204, which completes the claim, or errors, which releases it so the provider's retry is processed
 * (the adapter answers 500 {@code HANDLER_FAILED} with {@code Retry-After}). Thread-safe.
 */
@RestController
public class WebhookController {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookController.class);

    private final SampleEndpoints endpoints;

    /**
     * A controller handing deliveries to {@code endpoints}' handlers.
     *
     * @throws NullPointerException if endpoints is null
     */
    public WebhookController(SampleEndpoints endpoints) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints cannot be null");
    }

    /** {@code POST /webhooks/standard}: a Standard Webhooks delivery. */
    @PostMapping(SampleEndpoints.STANDARD)
    @WebhookEndpoint("standard")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> standard(VerifiedWebhook webhook) {
        return Mono.fromRunnable(() -> endpoints.handle(SampleEndpoints.STANDARD, webhook));
    }

    /** {@code POST /webhooks/github}: a GitHub delivery. */
    @PostMapping(SampleEndpoints.GITHUB)
    @WebhookEndpoint("github")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> github(VerifiedWebhook webhook) {
        return Mono.fromRunnable(() -> endpoints.handle(SampleEndpoints.GITHUB, webhook));
    }

    /**
     * {@code POST /webhooks/stripe}: a Stripe delivery, its verified body bound to a typed event by the adapter (a
     * body that does not bind is answered 400 {@code MALFORMED_PAYLOAD} before this runs).
     */
    @PostMapping(SampleEndpoints.STRIPE)
    @WebhookEndpoint("stripe")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> stripe(@WebhookPayload Payloads.StripeEvent event, VerifiedWebhook webhook) {
        LOG.debug("stripe event {} of type {}, signed by {}", event.id(), event.type(), webhook.matchedKey());
        return Mono.fromRunnable(() -> endpoints.handle(SampleEndpoints.STRIPE, webhook));
    }

    /** {@code GET /events}: the deliveries the handlers processed, in order, as a JSON array. */
    @GetMapping(path = SampleEndpoints.EVENTS, produces = MediaType.APPLICATION_JSON_VALUE)
    public String events() {
        return endpoints.log().toJson();
    }
}
