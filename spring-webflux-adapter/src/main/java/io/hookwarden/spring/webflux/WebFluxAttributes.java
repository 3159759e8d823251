package io.hookwarden.spring.webflux;

/** Exchange attributes the filter sets for the argument resolvers. */
final class WebFluxAttributes {
    /** The endpoint's name, for a request the filter accepted. */
    static final String ENDPOINT = "io.hookwarden.spring.webflux.endpoint";
    /** The VerifiedWebhook of an accepted delivery. */
    static final String VERIFIED_WEBHOOK = "io.hookwarden.spring.webflux.VerifiedWebhook";

    private WebFluxAttributes() {}
}
