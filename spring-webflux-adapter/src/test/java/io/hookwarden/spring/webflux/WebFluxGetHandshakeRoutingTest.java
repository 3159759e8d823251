package io.hookwarden.spring.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.spring.WebhookEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A provider's GET handshake (here X's CRC check) reaches a {@code @PostMapping}-only {@code @WebhookEndpoint}
 * handler's endpoint and is answered by the core, where WebFlux alone would answer 405; a GET the application maps
 * to a handler of its own on the same path is still that handler's.
 */
@SpringBootTest(
        classes = WebFluxGetHandshakeRoutingTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.x.scheme=x",
            "hookwarden.endpoints.x.secrets[0]=" + WebFluxGetHandshakeRoutingTest.SECRET,
            "hookwarden.endpoints.paged.scheme=x",
            "hookwarden.endpoints.paged.secrets[0]=" + WebFluxGetHandshakeRoutingTest.SECRET
        })
class WebFluxGetHandshakeRoutingTest {
    static final String SECRET = "x-consumer-secret-0123456789";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class App {}

    @RestController
    static class Hooks {
        @PostMapping("/webhooks/x")
        @WebhookEndpoint("x")
        Mono<Void> x() {
            return Mono.empty();
        }

        @PostMapping("/webhooks/paged")
        @WebhookEndpoint("paged")
        Mono<Void> paged() {
            return Mono.empty();
        }

        /** The application's own page on the same path as an endpoint's POST handler. */
        @GetMapping("/webhooks/paged")
        Mono<String> page() {
            return Mono.just("the application's page");
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String crcAnswer(String token) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aGetHandshakeReachesAPostOnlyEndpointAndIsAnswered() throws Exception {
        HttpResponse<String> response = get("/webhooks/x?crc_token=challenge-42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"response_token\":\"" + crcAnswer("challenge-42") + "\"}");
    }

    @Test
    void aGetThatIsNoHandshakeIsRefusedByTheEndpointNotPassedOn() throws Exception {
        HttpResponse<String> response = get("/webhooks/x");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.body()).contains("\"reason\":\"METHOD_NOT_ALLOWED\"");
    }

    @Test
    void aGetTheApplicationMapsItselfStaysTheApplications() throws Exception {
        HttpResponse<String> response = get("/webhooks/paged?crc_token=challenge-42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("the application's page");
    }
}
