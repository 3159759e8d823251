package io.hookwarden.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionsRefusalTest {
    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "/webhooks/stripe, /webhooks/stripe, true",
        "/webhooks/stripe, /webhooks/stripe/, true",
        "//webhooks//stripe/, /webhooks/stripe, true",
        "/webhooks/stripe, /webhooks/stripe/string, false",
        "/webhooks/stripe, /webhooks/stripeX, false",
        "/webhooks/stripe/tenant/{tenant}, /webhooks/stripe/tenant/acme%20corp, true",
        "/webhooks/stripe/tenant/{tenant}, /webhooks/stripe/tenant/a/b, false",
        "'/webhooks/{id: [0-9]+}', /webhooks/42, true",
        "'/webhooks/{id: [0-9]+}', /webhooks/x, false",
        "/webhooks/a.b, /webhooks/aXb, false"
    })
    void matchesARequestPathAgainstAJaxRsTemplate(String template, String path, boolean matches) {
        assertThat(OptionsRefusal.regex(template).matcher(path).matches()).isEqualTo(matches);
    }
}
