package io.hookwarden.spring.docs;

import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookPayload;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The controller of docs/spring.md ("A controller"), as {@link StripeWebhooksTest} tests it. */
@RestController
class StripeWebhooks {
    @PostMapping("/webhooks/stripe")
    @WebhookEndpoint("stripe")
    void onEvent(@WebhookPayload StripeEvent event) {}

    record StripeEvent(String id, String type) {}
}
