package io.hookwarden.spring;

/** Request attributes the filter, interceptor and argument resolvers share. */
final class Attributes {
    /** The endpoint's name, set by the filter for a request it captured. */
    static final String ENDPOINT = "io.hookwarden.spring.endpoint";
    /** The captured body bytes. */
    static final String BODY = "io.hookwarden.spring.body";
    /** The WebhookVerificationException of a body over the cap. */
    static final String REFUSAL = "io.hookwarden.spring.refusal";
    /** The Delivery holding the claim, between the interceptor's preHandle and afterCompletion. */
    static final String DELIVERY = "io.hookwarden.spring.delivery";
    /** The VerifiedWebhook of an accepted delivery. */
    static final String VERIFIED_WEBHOOK = "io.hookwarden.spring.VerifiedWebhook";

    private Attributes() {}
}
