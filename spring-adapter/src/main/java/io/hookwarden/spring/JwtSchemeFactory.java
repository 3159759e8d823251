package io.hookwarden.spring;

import io.hookwarden.Scheme;
import io.hookwarden.jwt.JwtSchemes;
import java.util.List;

/**
 * {@code jwt.*}: the scheme {@code jwt} or {@code google-pubsub} as the properties configure it. Loaded only when
 * hookwarden-jwt is on the class path ({@link EndpointFactory} checks first), so the adapter runs without it.
 */
final class JwtSchemeFactory {
    static final String CLASS = "io.hookwarden.jwt.JwtSchemes";

    private JwtSchemeFactory() {}

    /**
     * @param prefix {@code hookwarden.endpoints.<name>.jwt.}
     * @param id {@code jwt} or {@code google-pubsub}
     */
    static Scheme scheme(String prefix, String id, HookwardenProperties.Jwt p) {
        JwtSchemes.Builder b = "google-pubsub".equals(id) ? JwtSchemes.googlePubSub() : JwtSchemes.bearer();
        if (p.getJwksUrl() != null) {
            call(prefix + "jwks-url", () -> b.jwksUrl(p.getJwksUrl()));
        }
        List<String> issuers = p.getIssuers();
        if (issuers != null && !issuers.isEmpty()) {
            each(prefix + "issuers", issuers, one -> JwtSchemes.bearer().issuers(one));
            call(prefix + "issuers[0]", () -> b.issuers(issuers.toArray(String[]::new)));
        } else if ("jwt".equals(id)) {
            throw new WebhookConfigurationException(
                    prefix + "issuers[0]",
                    "is missing: the iss a token must carry",
                    "Give " + prefix + "issuers[0]=https://issuer.example",
                    null);
        }
        List<String> audiences = p.getAudiences();
        if (audiences == null || audiences.isEmpty()) {
            throw new WebhookConfigurationException(
                    prefix + "audiences[0]",
                    "is missing: the aud a token must name",
                    "Give " + prefix + "audiences[0]: for Pub/Sub, the subscription's audience (by default the push"
                            + " endpoint's URL).",
                    null);
        }
        each(prefix + "audiences", audiences, one -> JwtSchemes.bearer().audiences(one));
        call(prefix + "audiences[0]", () -> b.audiences(audiences.toArray(String[]::new)));
        List<String> algorithms = p.getAlgorithms();
        if (algorithms != null && !algorithms.isEmpty()) {
            each(prefix + "algorithms", algorithms, one -> JwtSchemes.bearer().algorithms(one));
            call(prefix + "algorithms[0]", () -> b.algorithms(algorithms.toArray(String[]::new)));
        }
        if (p.getClockSkew() != null) {
            call(prefix + "clock-skew", () -> b.clockSkew(p.getClockSkew()));
        }
        if (p.getRequiredClaims() != null) {
            p.getRequiredClaims()
                    .forEach((claim, value) -> call(prefix + "required-claims." + claim, () -> {
                        if ("true".equals(value) || "false".equals(value)) {
                            b.requireClaim(claim, Boolean.parseBoolean(value));
                        } else {
                            b.requireClaim(claim, value);
                        }
                    }));
        }
        if (p.getServiceAccount() != null) {
            call(prefix + "service-account", () -> b.serviceAccount(p.getServiceAccount()));
        }
        if (p.getIdPointer() != null) {
            call(prefix + "id-pointer", () -> b.idPointer(p.getIdPointer()));
        }
        List<String> typePointers = p.getEventTypePointers();
        if (typePointers != null && !typePointers.isEmpty()) {
            each(prefix + "event-type-pointers", typePointers, one -> JwtSchemes.bearer()
                    .eventTypePointers(one));
            call(prefix + "event-type-pointers[0]", () -> b.eventTypePointers(typePointers.toArray(String[]::new)));
        }
        if (p.getJwksUrl() == null && "jwt".equals(id)) {
            for (String timing : p.set()) {
                if (timing.startsWith("jwks-")) {
                    throw new WebhookConfigurationException(
                            prefix + timing,
                            "is set, but " + prefix + "jwks-url is not: the keys are the endpoint's secrets, nothing is"
                                    + " fetched",
                            "Set " + prefix + "jwks-url, or remove " + prefix + timing + ".",
                            null);
                }
            }
        }
        if (p.getJwksTtl() != null) {
            call(prefix + "jwks-ttl", () -> b.jwksTtl(p.getJwksTtl()));
        }
        if (p.getJwksMinInterval() != null) {
            call(prefix + "jwks-min-interval", () -> b.jwksMinInterval(p.getJwksMinInterval()));
        }
        if (p.getJwksTimeout() != null) {
            call(prefix + "jwks-timeout", () -> b.jwksTimeout(p.getJwksTimeout()));
        }
        return b.build();
    }

    /** Each value on a builder of its own first, so a refused one is named by its index. */
    private static void each(String property, List<String> values, java.util.function.Consumer<String> check) {
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            call(property + "[" + i + "]", () -> check.accept(value));
        }
    }

    private static void call(String property, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new WebhookConfigurationException(property, e.getMessage(), "Fix the value of " + property + ".", e);
        }
    }
}
