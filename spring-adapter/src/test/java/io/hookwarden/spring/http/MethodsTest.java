package io.hookwarden.spring.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 12: a signed delivery sent first with another method (a CORS preflight, a TRACE, a PUT, ...) is refused before
 * anything is claimed, so the provider's genuine POST of the same delivery is still processed, once. Over raw sockets
 * to Tomcat, for a POST-only handler, a handler Spring routes every method to, and an endpoint given by {@code paths}.
 */
@SpringBootTest(
        classes = EdgeApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + EdgeApp.SECRET,
            "hookwarden.endpoints.configured.scheme=stripe",
            "hookwarden.endpoints.configured.secrets[0]=" + EdgeApp.SECRET,
            "hookwarden.endpoints.configured.paths[0]=/hooks/stripe"
        })
class MethodsTest {
    @LocalServerPort
    int port;

    @Autowired
    EdgeApp.Runs runs;

    @Autowired
    MutableClock clock;

    WebhookFixtures fixtures;

    @BeforeEach
    void fixtures() {
        runs.handled.clear();
        fixtures = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(EdgeApp.SECRET)
                .clock(clock)
                .build();
    }

    static Stream<Arguments> methodsAndPaths() {
        return Stream.of("OPTIONS", "TRACE", "PUT", "PATCH", "DELETE")
                .flatMap(method -> Stream.of("/webhooks/stripe", "/webhooks/any", "/hooks/stripe")
                        .map(path -> Arguments.of(method, path)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("methodsAndPaths")
    void aSignedDeliverySentFirstWithAnotherMethodIsRefusedAndThePostIsStillProcessed(String method, String path)
            throws Exception {
        // given: a captured delivery, replayed with another method before the provider's POST
        String body = "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"object\":\"event\",\"type\":\"invoice.paid\"}";
        WebhookRequest delivery = fixtures.delivery(body).signed();
        RawHttp http = new RawHttp(port);

        // when
        RawHttp.Answer first = http.send(method, path, body, delivery.headers().toMap());
        RawHttp.Answer genuine =
                http.send("POST", path, body, delivery.headers().toMap());

        // then: 405 (TRACE: the container's own 405), nothing claimed, and the POST processed once
        assertThat(first.status()).as("%s %s", method, path).isEqualTo(405);
        assertThat(first.headers().get("allow"))
                .as("Allow of %s %s", method, path)
                .contains("POST");
        assertThat(genuine.status()).as("the POST after %s %s", method, path).isEqualTo(200);
        assertThat(genuine.raw()).endsWith("processed");
        assertThat(runs.handled).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void aCorsPreflightCarryingASignedDeliveryClaimsNothing(String path) throws Exception {
        // given: issue 12's preflight, which Spring MVC answers itself unless the adapter does first
        String body = "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"object\":\"event\",\"type\":\"invoice.paid\"}";
        WebhookRequest delivery = fixtures.delivery(body).signed();
        Map<String, List<String>> headers = new HashMap<>(delivery.headers().toMap());
        headers.put("Origin", List.of("https://evil.example"));
        headers.put("Access-Control-Request-Method", List.of("POST"));
        RawHttp http = new RawHttp(port);

        // when
        RawHttp.Answer preflight = http.send("OPTIONS", path, body, headers);
        RawHttp.Answer genuine =
                http.send("POST", path, body, delivery.headers().toMap());

        // then
        assertThat(preflight.status()).as("preflight to %s", path).isEqualTo(405);
        assertThat(genuine.status()).isEqualTo(200);
        assertThat(runs.handled).hasSize(1);
    }

    static Stream<String> paths() {
        return Stream.of("/webhooks/stripe", "/webhooks/any", "/hooks/stripe");
    }
}
