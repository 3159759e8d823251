package io.hookwarden.spring.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 12: every other spelling of an endpoint's path, sent unsigned over a raw socket to a real Boot application,
 * is refused or not found: never a 2xx or a 5xx, never a handler run. The spellings are the test kit's ({@code
 * RawHttp.otherSpellingsOfWebhooksStripe()}, as for the servlet and JAX-RS adapters), for the endpoint given by {@code
 * @WebhookEndpoint} and the one given by {@code paths}; each subclass runs them in one configuration of Spring Boot.
 */
abstract class PathSpellingsContract {
    @LocalServerPort
    int port;

    @Autowired
    EdgeApp.Runs runs;

    @Autowired
    MutableClock clock;

    WebhookFixtures fixtures;

    /** The context path the application runs under, {@code ""} for none. */
    abstract String contextPath();

    @BeforeEach
    void fixtures() {
        runs.handled.clear();
        fixtures = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(EdgeApp.SECRET)
                .clock(clock)
                .build();
    }

    /** Each spelling for both endpoints: {@code /webhooks/stripe} (annotated) and {@code /hooks/stripe} (paths). */
    static Stream<String> spellings() {
        return io.hookwarden.test.RawHttp.otherSpellingsOfWebhooksStripe().stream()
                .flatMap(s -> Stream.of(s, s.replace("webhooks", "hooks").replace("Webhooks", "Hooks")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void neverLetsAnUnsignedDeliveryReachAHandlerThroughAnotherSpellingOfTheEndpoint(String spelling) throws Exception {
        // given: an unsigned delivery, sent byte for byte as written
        String path = contextPath() + spelling;
        String body = "{\"id\":\"evt_forged\",\"object\":\"event\",\"type\":\"invoice.paid\"}";

        // when
        RawHttp.Answer answer = new RawHttp(port).send("POST", path, body, Map.of());

        // then: refused or not found, never processed, never a 2xx or a 5xx
        assertThat(answer.status()).as("status for %s", path).isBetween(400, 499);
        assertThat(runs.handled).as("handler runs for %s", path).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exactPaths")
    void processesASignedDeliveryAtTheExactPathOverTheSameSocket(String exact) throws Exception {
        // given: the control, so that the refusals above are not those of a server that refuses everything
        String body = "{\"id\":\"evt_signed\",\"object\":\"event\",\"type\":\"invoice.paid\"}";
        WebhookRequest delivery = fixtures.delivery(body).signed();

        // when
        RawHttp.Answer answer = new RawHttp(port)
                .send(
                        "POST",
                        contextPath() + exact,
                        new String(delivery.body(), StandardCharsets.UTF_8),
                        delivery.headers().toMap());

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(runs.handled).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/hooks/stripe;x=1",
                "/hooks;x=1/stripe",
                "/hooks/%73tripe",
                "/hooks/./stripe",
                "/hooks/x/../stripe",
                "/hooks//stripe",
                "/hooks/stripe/",
                "/hooks/stripe.",
                "/hooks/Stripe"
            })
    void refusesASignedDeliveryToAnotherSpellingOfAConfiguredPathAsAmbiguous(String spelling) throws Exception {
        // given: a correctly signed delivery, so that only the spelling of the path is wrong
        WebhookRequest delivery = fixtures.delivery(
                        "{\"id\":\"evt_spelled\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                .signed();

        // when
        RawHttp.Answer answer = new RawHttp(port)
                .send(
                        "POST",
                        contextPath() + spelling,
                        new String(delivery.body(), StandardCharsets.UTF_8),
                        delivery.headers().toMap());

        // then: refused as ambiguous before anything is claimed, whichever handler the spelling might reach
        assertThat(answer.status()).as("status for %s", spelling).isEqualTo(400);
        assertThat(answer.raw()).contains("\"reason\":\"AMBIGUOUS_REQUEST\"");
        assertThat(runs.handled).isEmpty();
    }

    @Test
    void passesARequestToAPathOfNoEndpointUntouched() throws Exception {
        // given: with the AntPathMatcher, the body filter used to fail every request of the application with 500
        RawHttp.Answer answer = new RawHttp(port).send("POST", contextPath() + "/plain", "abc", Map.of());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.raw()).endsWith("plain 3");
    }

    static Stream<String> exactPaths() {
        return Stream.of("/webhooks/stripe", "/hooks/stripe");
    }
}
