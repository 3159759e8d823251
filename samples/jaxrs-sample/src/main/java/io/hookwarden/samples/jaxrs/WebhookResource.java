package io.hookwarden.samples.jaxrs;

import io.hookwarden.VerifiedWebhook;
import io.hookwarden.jaxrs.WebhookEndpoint;
import io.hookwarden.samples.support.SampleEndpoints;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Objects;

/**
 * The sample's resource: the three webhook methods, each behind the {@code HookwardenFeature} endpoint its
 * {@link WebhookEndpoint} names, and the event log. A webhook method runs only for a verified delivery it is the first
 * to claim; it returns 204, which completes the claim, or throws, which releases it so the provider's retry is
 * processed. Jersey creates it once, injecting the {@link SampleEndpoints} the application binds. Thread-safe.
 */
@Path("/")
@Singleton
public final class WebhookResource {
    private final SampleEndpoints endpoints;

    /**
     * A resource handing deliveries to {@code endpoints}' handlers.
     *
     * @throws NullPointerException if endpoints is null
     */
    @Inject
    public WebhookResource(SampleEndpoints endpoints) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints cannot be null");
    }

    /** {@code POST /webhooks/standard}: a Standard Webhooks delivery. */
    @POST
    @Path("webhooks/standard")
    @WebhookEndpoint("standard")
    public void standard(VerifiedWebhook webhook) {
        endpoints.handle(SampleEndpoints.STANDARD, webhook);
    }

    /** {@code POST /webhooks/github}: a GitHub delivery. */
    @POST
    @Path("webhooks/github")
    @WebhookEndpoint("github")
    public void github(VerifiedWebhook webhook) {
        endpoints.handle(SampleEndpoints.GITHUB, webhook);
    }

    /** {@code POST /webhooks/stripe}: a Stripe delivery. */
    @POST
    @Path("webhooks/stripe")
    @WebhookEndpoint("stripe")
    public void stripe(VerifiedWebhook webhook) {
        endpoints.handle(SampleEndpoints.STRIPE, webhook);
    }

    /** {@code GET /events}: the deliveries the handlers processed, in order, as a JSON array. */
    @GET
    @Path("events")
    @Produces(MediaType.APPLICATION_JSON)
    public String events() {
        return endpoints.log().toJson();
    }
}
