package io.hookwarden.spring.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookEndpointCustomizer;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.RawHttp;
import io.hookwarden.test.WebhookFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Issue 12 on Reactor Netty: every other spelling of an endpoint's path, sent byte for byte over a socket to a real
 * Boot application on a random port, is refused, or verified as the endpoint's: never a handler run for an unsigned
 * delivery, never a 2xx or a 5xx. The spellings are the test kit's ({@link RawHttp#otherSpellingsOfWebhooksStripe()},
 * as for the servlet, JAX-RS and Spring MVC adapters), for an annotated handler ({@code /webhooks/stripe}) and for a
 * functional route behind its endpoint's {@code paths} ({@code /hooks/stripe}), the route declared as loosely as
 * {@code /hooks/**} so that every spelling the filter let through would reach it.
 */
@SpringBootTest(
        classes = PathSpellingsTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + PathSpellingsTest.SECRET,
            "hookwarden.endpoints.configured.scheme=stripe",
            "hookwarden.endpoints.configured.secrets[0]=" + PathSpellingsTest.SECRET,
            "hookwarden.endpoints.configured.paths[0]=/hooks/stripe"
        })
class PathSpellingsTest {
    static final String SECRET = "whsec_path-spellings-webflux-0123456789";
    private static final String BODY = "{\"id\":\"evt_spelled\",\"object\":\"event\",\"type\":\"invoice.paid\"}";

    /** A body with its own event id, the Stripe dedupe key: no delivery of a test is another's duplicate. */
    private static String unique() {
        return BODY.replace("evt_spelled", "evt_" + UUID.randomUUID());
    }

    @LocalServerPort
    int port;

    @Autowired
    Runs runs;

    @Autowired
    MutableClock clock;

    WebhookFixtures fixtures;

    @BeforeEach
    void fixtures() {
        runs.handled.clear();
        fixtures = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .clock(clock)
                .build();
    }

    /** The kit's spellings of {@code /webhooks/stripe} (annotated handler). */
    static Stream<String> annotatedSpellings() {
        return RawHttp.otherSpellingsOfWebhooksStripe().stream();
    }

    /** The same spellings of {@code /hooks/stripe} (the functional route behind {@code paths}). */
    static Stream<String> routedSpellings() {
        return annotatedSpellings().map(s -> s.replace("webhooks", "hooks").replace("Webhooks", "Hooks"));
    }

    static Stream<String> spellings() {
        return Stream.concat(annotatedSpellings(), routedSpellings());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void neverLetsAnUnsignedDeliveryReachAHandlerThroughAnotherSpellingOfTheEndpoint(String spelling) throws Exception {
        // given: an unsigned delivery, sent byte for byte as written
        // when
        Answer answer = send(spelling, BODY, Map.of());

        // then: refused or not found, never processed, never a 2xx or a 5xx
        assertThat(answer.status()).as("status for %s", spelling).isBetween(400, 499);
        assertThat(runs.handled).as("handler runs for %s", spelling).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routedSpellings")
    void refusesASignedDeliveryToAnotherSpellingOfAConfiguredPathAsAmbiguousBeforeTheRoute(String spelling)
            throws Exception {
        // given: a correctly signed delivery, so that only the spelling of the path is wrong
        String body = unique();
        WebhookRequest delivery = fixtures.delivery(body).signed();

        // when
        Answer answer = send(spelling, body, delivery.headers().toMap());

        // then: refused as ambiguous, a problem answer, though the route /hooks/** would have taken most of them
        assertThat(answer.status()).as("status for %s", spelling).isEqualTo(400);
        assertThat(answer.head()).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer.body()).contains("\"reason\":\"AMBIGUOUS_REQUEST\"");
        assertThat(runs.handled).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("annotatedSpellings")
    void aSignedDeliveryToAnotherSpellingOfAnAnnotatedHandlerIsVerifiedAsItsEndpointOrRefused(String spelling)
            throws Exception {
        // given: a correctly signed delivery
        String body = unique();
        WebhookRequest delivery = fixtures.delivery(body).signed();

        // when
        Answer answer = send(spelling, body, delivery.headers().toMap());

        // then: a spelling WebFlux's mapping reads as the handler's is the endpoint's, verified; any other not found
        if (answer.status() == 200) {
            assertThat(runs.handled).as("runs for %s", spelling).containsExactly("annotated " + body);
        } else {
            assertThat(answer.status()).as("status for %s", spelling).isBetween(400, 499);
            assertThat(runs.handled).as("runs for %s", spelling).isEmpty();
        }
    }

    @Test
    void aSpellingWebFluxReadsAsTheAnnotatedHandlersIsVerifiedAndAForgedOneRefused() throws Exception {
        // given: ";x=1" is matched by WebFlux's pattern as /webhooks/stripe
        String body = unique();
        WebhookRequest forged = fixtures.delivery(body).forged();
        WebhookRequest signed = fixtures.delivery(body).signed();

        // when
        Answer refused = send("/webhooks/stripe;x=1", body, forged.headers().toMap());
        Answer verified = send("/webhooks/stripe;x=1", body, signed.headers().toMap());

        // then: the filter verified both as the handler's endpoint's
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("\"reason\":\"SIGNATURE_MISMATCH\"");
        assertThat(verified.status()).isEqualTo(200);
        assertThat(runs.handled).containsExactly("annotated " + body);
    }

    @Test
    void processesASignedDeliveryAtEachExactPathOverTheSameSocket() throws Exception {
        // given: the control, so that the refusals above are not those of a server that refuses everything
        for (String exact : List.of("/webhooks/stripe", "/hooks/stripe")) {
            WebhookRequest delivery = fixtures.delivery(unique()).signed();

            // when
            Answer answer = send(
                    exact,
                    new String(delivery.body(), StandardCharsets.UTF_8),
                    delivery.headers().toMap());

            // then
            assertThat(answer.status()).as("status for %s", exact).isEqualTo(200);
        }
        assertThat(runs.handled).hasSize(2);
    }

    @Test
    void passesARequestToAPathOfNoEndpointUntouched() throws Exception {
        // when: a path that folds to no endpoint's, under the loose route
        Answer answer = send("/hooks/other", "abc", Map.of());

        // then: the route ran, unverified, as it should for a path no endpoint has
        assertThat(answer.status()).isEqualTo(200);
        assertThat(runs.handled).containsExactly("routed abc");
    }

    record Answer(int status, String head, String body) {}

    /** POSTs the path byte for byte over a socket, {@code Connection: close}, and reads the whole answer. */
    private Answer send(String path, String body, Map<String, List<String>> headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n")
                    .append("Content-Type: application/json\r\nConnection: close\r\n")
                    .append("Content-Length: ")
                    .append(bytes.length)
                    .append("\r\n");
            headers.forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                    values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
                }
            });
            head.append("\r\n");
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            request.writeBytes(bytes);
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray()); // one write: a refusal sent before the body was read still reaches us
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketException reset) {
                if (received.size() == 0) {
                    throw reset;
                }
                // the answer was read first; a reset after it is the server closing with the body unread
            }
            String raw = received.toString(StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            return new Answer(
                    Integer.parseInt(raw.substring(9, 12)), raw.substring(0, split), raw.substring(split + 4));
        }
    }

    /** What the handlers ran for. */
    static final class Runs {
        final List<String> handled = new CopyOnWriteArrayList<>();
    }

    @RestController
    static class Annotated {
        private final Runs runs;

        Annotated(Runs runs) {
            this.runs = runs;
        }

        @PostMapping("/webhooks/stripe")
        @WebhookEndpoint("stripe")
        Mono<String> stripe(@RequestBody String body) {
            runs.handled.add("annotated " + body);
            return Mono.just("ok");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Annotated.class)
    static class App {
        @Bean
        Runs runs() {
            return new Runs();
        }

        @Bean
        MutableClock clock() {
            return MutableClock.atEpochSecond(1_700_000_000);
        }

        @Bean
        WebhookEndpointCustomizer stripeClock(MutableClock clock) {
            return WebhookEndpointCustomizer.verifier("stripe", verifier -> verifier.clock(clock));
        }

        @Bean
        WebhookEndpointCustomizer configuredClock(MutableClock clock) {
            return WebhookEndpointCustomizer.verifier("configured", verifier -> verifier.clock(clock));
        }

        /** As loose as a route may be: every path under /hooks, so that only the filter stands before it. */
        @Bean
        RouterFunction<ServerResponse> routes(Runs runs) {
            return route(POST("/hooks/**"), request -> request.bodyToMono(String.class)
                    .defaultIfEmpty("")
                    .flatMap(body -> {
                        runs.handled.add("routed " + body);
                        return ServerResponse.ok().bodyValue("routed");
                    }));
        }
    }
}
