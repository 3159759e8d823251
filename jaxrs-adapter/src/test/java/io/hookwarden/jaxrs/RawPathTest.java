package io.hookwarden.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RawPathTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/webhooks/stripe;x=1",
                "/webhooks;x=1/stripe",
                "/webhooks/%73tripe",
                "/webhooks/%2573tripe",
                "/webhooks/./stripe",
                "/webhooks/%2e/stripe",
                "/webhooks/x/../stripe",
                "/webhooks%2Fstripe",
                "/webhooks/stripe%2F",
                "/webhooks/stripe%5C",
                "/webhooks\\stripe",
                "//webhooks/stripe",
                "/webhooks//stripe",
                "/webhooks/stripe/",
                "/webhooks/stripe.",
                "/webhooks/stripe%3Bx=1",
                "/webhooks/stripe%",
                "/webhooks/stripe%zz"
            })
    void refusesEveryPathThatCanBeReadAsAnother(String path) {
        assertThat(RawPath.isAmbiguous(path)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {"/webhooks/stripe", "/", "/webhooks/tenant/acme%20corp", "/webhooks/caf%C3%A9", "/v1.2/hooks"})
    void leavesThePlainSpellingAndNecessaryEscapesAlone(String path) {
        assertThat(RawPath.isAmbiguous(path)).isFalse();
    }
}
