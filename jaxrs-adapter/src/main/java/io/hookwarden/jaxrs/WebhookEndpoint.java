package io.hookwarden.jaxrs;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method, or every resource method of a class, as a webhook endpoint: {@link HookwardenFeature}
 * verifies and claims each request before the method runs, and completes or releases the claim from the method's
 * answer. A method's annotation wins over its class's.
 *
 * <pre>{@code
 * @POST
 * @Path("/webhooks/stripe")
 * @WebhookEndpoint("stripe")
 * public void stripe(VerifiedWebhook webhook) { ... }
 * }</pre>
 *
 * <p>The value names an endpoint registered with {@link HookwardenFeature.Builder#endpoint(String,
 * io.hookwarden.WebhookReceiver)}; an unknown name fails the application at start-up. It is a {@link NameBinding}, so
 * an application may bind its own filters to webhook methods as well.
 */
@NameBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface WebhookEndpoint {
    /** The endpoint's name, as registered with {@link HookwardenFeature.Builder#endpoint}. */
    String value();
}
