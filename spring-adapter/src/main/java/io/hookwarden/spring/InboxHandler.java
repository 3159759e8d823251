package io.hookwarden.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of an inbox endpoint's events ({@code hookwarden.endpoints.<name>.inbox.*}): the
 * endpoint's worker runs it, after the request was answered, for each stored event whose type matches.
 *
 * <pre>{@code
 * @InboxHandler(endpoint = "stripe", eventType = "invoice.*")
 * void onInvoice(@WebhookPayload Invoice invoice, VerifiedWebhook webhook) { ... }
 * }</pre>
 *
 * <p>Parameters, in any order: {@link io.hookwarden.VerifiedWebhook}, {@link io.hookwarden.WebhookEvent}, and one
 * {@link WebhookPayload} parameter ({@code String} or {@code byte[]}: the body; any other type: the event's JSON bound
 * by the application's {@code ObjectMapper}). The methods of one endpoint form a {@link io.hookwarden.Router}: every
 * method whose pattern matches runs, exact types first, then longer prefixes; an event no method matches is completed
 * without a handler. Returning completes the delivery; throwing {@link io.hookwarden.PoisonDeliveryException}, or a
 * payload that does not bind, makes it dead at once; any other exception retries it with backoff. A delivery may run
 * more than once: keep the method idempotent for effects outside the inbox.
 *
 * <p>Start-up fails when the endpoint does not exist or has no inbox, when a parameter is of another kind, and when an
 * inbox endpoint has no handler while this instance runs workers.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InboxHandler {
    /** The endpoint's name, as in {@code hookwarden.endpoints.<name>.*}. */
    String endpoint();

    /** Event type patterns: exact ({@code invoice.paid}), a prefix ending in {@code *} ({@code invoice.*}), or {@code *}. */
    String[] eventType() default "*";
}
