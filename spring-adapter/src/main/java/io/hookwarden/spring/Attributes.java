package io.hookwarden.spring;

/** Request attributes the filter, interceptor and argument resolvers share. */
final class Attributes {
    /** The endpoint's name, set by the filter for a request it captured. */
    static final String ENDPOINT = "io.hookwarden.spring.endpoint";
    /** The receiver's Outcome, set by the filter, taken by the interceptor to translate it into Spring MVC. */
    static final String OUTCOME = "io.hookwarden.spring.outcome";
    /** The Delivery holding the claim, until the filter settles it after the last dispatch. */
    static final String DELIVERY = "io.hookwarden.spring.delivery";
    /** The VerifiedWebhook of an accepted delivery. */
    static final String VERIFIED_WEBHOOK = "io.hookwarden.spring.VerifiedWebhook";

    private Attributes() {}
}
