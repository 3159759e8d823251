package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Per-tenant keys under any input (issue 16): whatever a sender puts where the tenant is named (a header, a path, a
 * body field), the answer is a verified delivery for a tenant that exists and signed it, and a typed refusal otherwise;
 * never another exception, and never a key function called with a name outside the safe characters.
 */
class TenantKeysPropertiesTest {
    static final String ACME = "whsec_" + Base64.getEncoder().encodeToString("acme-secret-0123456789".getBytes());
    static final TestClock CLOCK = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    static final Map<String, String> SECRETS = Map.of("acme", ACME);

    static WebhookVerifier verifier(TenantKeys.Builder tenants) {
        return WebhookVerifier.builder()
                .scheme(Schemes.standardWebhooks())
                .tenantKeys(tenants.keys(name -> {
                            assertThat(TenantKeys.validName(name)).as(name).isTrue();
                            return Optional.ofNullable(SECRETS.get(name)).map(Keys::of);
                        })
                        .maximumLoadsPerSecond(1_000_000)
                        .build())
                .clock(CLOCK)
                .build();
    }

    static final WebhookVerifier BY_HEADER = verifier(TenantKeys.builder().tenantFromHeader("X-Tenant"));
    static final WebhookVerifier BY_PATH = verifier(TenantKeys.builder().tenantFromPath("/hooks/{tenant}"));
    static final WebhookVerifier BY_BODY = verifier(TenantKeys.builder().tenantFromBody("/account"));

    static WebhookRequest signed(String url, String body) {
        return WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(ACME)
                .clock(CLOCK)
                .build()
                .sign(WebhookMessage.body(body).url(url).build());
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.of("acme", "ACME", "acme ", " acme", "acme/", "..", ".", "", "acme%20", "acme\u0000"),
                Arbitraries.strings().ofMaxLength(140),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20));
    }

    @Property(tries = 300)
    void aHeaderNamesATenantOrIsRefusedTyped(@ForAll("names") String name) {
        WebhookRequest request = TestRequests.withHeader(signed("https://h.example.com/in", "{}"), "X-Tenant", name);

        check(BY_HEADER, request, name.equals("acme"));
    }

    @Property(tries = 300)
    void aPathNamesATenantOrIsRefusedTyped(@ForAll("names") String name) {
        String url = "https://h.example.com/hooks/" + name;
        boolean parsable;
        try {
            java.net.URI.create(url);
            parsable = true;
        } catch (IllegalArgumentException e) {
            parsable = false;
        }
        WebhookRequest request = signed(parsable ? url : "https://h.example.com/hooks/x", "{}");
        if (!parsable) {
            request = TestRequests.withUrl(request, url);
        }

        check(BY_PATH, request, parsable && name.equals("acme"));
    }

    @Property(tries = 300)
    void aBodyFieldNamesATenantOrIsRefusedTyped(@ForAll("names") String name, @ForAll boolean asJson) {
        String body = asJson
                ? "{\"account\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(name) + "}"
                : "{\"account\":" + name + "}";

        check(BY_BODY, signed("https://h.example.com/in", body), asJson && name.equals("acme"));
    }

    private static void check(WebhookVerifier verifier, WebhookRequest request, boolean verifies) {
        try {
            VerifiedWebhook webhook = verifier.verify(request);
            assertThat(verifies).as("verified %s", webhook.matchedKey()).isTrue();
            assertThat(webhook.matchedKey()).isEqualTo("acme/key-1");
        } catch (WebhookVerificationException e) {
            assertThat(verifies).as("refused %s", e.getMessage()).isFalse();
            assertThat(e.reason()).isIn(Reason.SIGNATURE_MISMATCH, Reason.MISSING_HEADER, Reason.MALFORMED_HEADER);
        }
    }
}
