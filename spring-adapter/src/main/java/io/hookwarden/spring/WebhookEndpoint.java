package io.hookwarden.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Spring MVC handler method, or every handler method of a controller, as a webhook endpoint: its body is read
 * with the endpoint's size cap before Spring MVC sees it, verified and claimed by the endpoint's {@link
 * io.hookwarden.WebhookReceiver} before the method runs, and the claim is completed when the method answers 2xx and
 * released otherwise.
 *
 * <pre>{@code
 * @PostMapping("/webhooks/stripe")
 * @WebhookEndpoint("stripe")                 // hookwarden.endpoints.stripe.*
 * void stripe(@WebhookPayload StripeEvent event, VerifiedWebhook webhook) { ... }
 * }</pre>
 *
 * <p>A method's annotation wins over its class's. Start-up fails when the name has no endpoint.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WebhookEndpoint {
    /** The endpoint's name, as in {@code hookwarden.endpoints.<name>.*}. */
    String value();
}
