package io.hookwarden.spring.webflux.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookEndpoints;
import io.hookwarden.spring.WebhookPayload;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Issue 18 on Spring Boot 4.0 (Spring Framework 7, Reactor Netty, Jackson 3): a WebFlux application loads the
 * adapter's auto-configuration, and over real HTTP an annotated handler and a functional route get only verified
 * deliveries, once each, with problem answers for the rest.
 */
@SpringBootTest(
        classes = Boot4WebFluxApplicationTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + Boot4WebFluxApplicationTest.SECRET,
            "hookwarden.endpoints.stripe.max-body=1KB",
            "hookwarden.endpoints.routed.scheme=stripe",
            "hookwarden.endpoints.routed.secrets[0]=" + Boot4WebFluxApplicationTest.SECRET,
            "hookwarden.endpoints.routed.paths[0]=/routed/stripe"
        })
class Boot4WebFluxApplicationTest {
    static final String SECRET = "whsec_stripe_webflux_boot4_0123456789ab";
    static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class App {
        /** The application's clock: every endpoint's verifier reads it, with no customizer. */
        @Bean
        MutableClock clock() {
            return MutableClock.atEpochSecond(1_700_000_000L);
        }

        @Bean
        List<String> handled() {
            return new CopyOnWriteArrayList<>();
        }

        /** A functional route: the filter guards it by the endpoint's configured path. */
        @Bean
        RouterFunction<ServerResponse> routed(List<String> handled) {
            return RouterFunctions.route()
                    .POST("/routed/stripe", request -> request.bodyToMono(String.class)
                            .flatMap(body -> {
                                handled.add("routed:" + body);
                                return ServerResponse.ok().bodyValue("routed");
                            }))
                    .build();
        }
    }

    record Event(String id, String type) {}

    @RestController
    static class Hooks {
        private final List<String> handled;

        Hooks(List<String> handled) {
            this.handled = handled;
        }

        @PostMapping("/webhooks/stripe")
        @WebhookEndpoint("stripe")
        Mono<Map<String, Object>> stripe(
                @RequestBody String body, VerifiedWebhook webhook, @WebhookPayload Event event) {
            handled.add(webhook.id().orElseThrow());
            return Mono.just(Map.of("sameBody", body.equals(webhook.bodyText()), "type", event.type()));
        }
    }

    @Autowired
    Environment environment;

    @Autowired
    ApplicationContext context;

    @Autowired
    MutableClock clock;

    @Autowired
    List<String> handled;

    @Autowired
    WebhookEndpoints endpoints;

    HttpResponse<String> send(WebhookRequest request, String path) throws Exception {
        URI uri = URI.create("http://localhost:" + environment.getProperty("local.server.port") + path);
        return CLIENT.send(WebhookRequests.toHttpRequest(request, uri), HttpResponse.BodyHandlers.ofString());
    }

    WebhookFixtures fixtures() {
        return WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .clock(clock)
                .build();
    }

    @Test
    void runsOnSpringBoot4WithReactorNetty() {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.0.");
        assertThat(context.getClass().getSimpleName()).contains("Reactive");
        assertThat(endpoints.names()).containsExactlyInAnyOrder("stripe", "routed");
    }

    @Test
    void aValidDeliveryReachesTheAnnotatedHandlerOnceWithItsBytes() throws Exception {
        String id = "evt_" + UUID.randomUUID();
        WebhookRequest delivery =
                fixtures().delivery("{\"id\":\"" + id + "\",\"type\":\"a.b\"}").signed();

        HttpResponse<String> first = send(delivery, "/webhooks/stripe");
        HttpResponse<String> replay = send(delivery, "/webhooks/stripe");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"sameBody\":true").contains("\"type\":\"a.b\"");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"reason\":\"DUPLICATE\"");
        assertThat(handled).containsOnlyOnce(id);
    }

    @Test
    void aForgedDeliveryIsAProblemWithItsReasonAndNoSecret() throws Exception {
        HttpResponse<String> response =
                send(fixtures().delivery("{\"id\":\"evt_forged\"}").forged(), "/webhooks/stripe");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body())
                .contains("\"reason\":\"SIGNATURE_MISMATCH\"")
                .doesNotContain(SECRET);
        assertThat(handled).doesNotContain("evt_forged");
    }

    @Test
    void aBodyOverTheCapIs413() throws Exception {
        HttpResponse<String> response = send(
                fixtures()
                        .delivery("{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(2048) + "\"}")
                        .signed(),
                "/webhooks/stripe");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"reason\":\"PAYLOAD_TOO_LARGE\"");
    }

    @Test
    void aFunctionalRouteGetsOnlyVerifiedDeliveries() throws Exception {
        String body = "{\"id\":\"evt_routed_" + UUID.randomUUID() + "\",\"type\":\"a.b\"}";

        HttpResponse<String> signed = send(fixtures().delivery(body).signed(), "/routed/stripe");
        HttpResponse<String> forged = send(fixtures().delivery(body).forged(), "/routed/stripe");

        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(signed.body()).isEqualTo("routed");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(handled).containsOnlyOnce("routed:" + body);
    }
}
