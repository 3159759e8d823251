package io.hookwarden.spring.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.jwt.JwtFixtures;
import io.hookwarden.jwt.JwtSchemes;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 16: scheme {@code jwt} configured by {@code hookwarden.endpoints.<name>.jwt.*} alone, end to end over real HTTP
 * on Reactor Netty (the properties both Spring adapters share): the keys fetched from a JWKS served on loopback, the
 * issuer, audience and required claim checked, the id and event type read by the configured pointers, the id the
 * dedupe key; another key's token, another audience's are 401 and a request without a token 400, before the handler.
 */
@SpringBootTest(
        classes = JwtPropertiesWebFluxTest.JwtApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.events.scheme=jwt",
            "hookwarden.endpoints.events.jwt.issuers[0]=" + JwtPropertiesWebFluxTest.ISSUER,
            "hookwarden.endpoints.events.jwt.audiences[0]=" + JwtPropertiesWebFluxTest.AUDIENCE,
            "hookwarden.endpoints.events.jwt.algorithms[0]=RS256",
            "hookwarden.endpoints.events.jwt.required-claims.tenant=acme",
            "hookwarden.endpoints.events.jwt.id-pointer=/id",
            "hookwarden.endpoints.events.jwt.event-type-pointers[0]=/type",
            "hookwarden.endpoints.events.jwt.jwks-timeout=3s"
        })
class JwtPropertiesWebFluxTest {
    static final String ISSUER = "https://issuer.test";
    static final String AUDIENCE = "https://hooks.test";

    static final JwtFixtures.SigningKey KEY = JwtFixtures.rsaKey("test-key");
    static final JwtFixtures.SigningKey OTHER = JwtFixtures.rsaKey("other-key");
    static final HttpServer JWKS = jwks();

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class JwtApp {}

    @DynamicPropertySource
    static void jwksUrl(DynamicPropertyRegistry registry) {
        registry.add(
                "hookwarden.endpoints.events.jwt.jwks-url",
                () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks.json");
    }

    @RestController
    static class Hooks {
        static final List<String> HANDLED = new CopyOnWriteArrayList<>();

        @PostMapping("/webhooks/events")
        @WebhookEndpoint("events")
        Map<String, Object> events(VerifiedWebhook webhook) {
            HANDLED.add(webhook.id().orElse(""));
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("scheme", webhook.schemeId());
            seen.put("id", webhook.id().orElse(""));
            seen.put("type", webhook.eventType().orElse(""));
            return seen;
        }
    }

    private static HttpServer jwks() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] body = JwtFixtures.jwks(KEY).getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks.json", exchange -> {
                try (exchange) {
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        JWKS.stop(0);
    }

    private static WebhookFixtures fixtures(JwtFixtures.SigningKey key, String audience) {
        return WebhookFixtures.builder()
                .scheme(JwtSchemes.bearer()
                        .issuers(ISSUER)
                        .audiences(audience)
                        .requireClaim("tenant", "acme")
                        .build())
                .secret(key.privateJwk())
                .build();
    }

    private static WebhookRequest signed(JwtFixtures.SigningKey key, String audience, String body) {
        return fixtures(key, audience).delivery(body).signed();
    }

    private HttpResponse<String> send(WebhookRequest request) throws Exception {
        return CLIENT.send(
                WebhookRequests.toHttpRequest(request, URI.create("http://localhost:" + port + "/webhooks/events")),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void aTokenSignedByAKeyOfTheJwksIsAcceptedWithItsIdAndTypeAndItsRetryIsADuplicate() throws Exception {
        String body = "{\"id\":\"evt_netty_1\",\"type\":\"invoice.paid\"}";

        HttpResponse<String> first = send(signed(KEY, AUDIENCE, body));
        HttpResponse<String> retry = send(signed(KEY, AUDIENCE, body));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(json(first).path("scheme").asText()).isEqualTo("jwt");
        assertThat(json(first).path("id").asText()).isEqualTo("evt_netty_1");
        assertThat(json(first).path("type").asText()).isEqualTo("invoice.paid");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json(retry).path("reason").asText()).isEqualTo("DUPLICATE");
        assertThat(Hooks.HANDLED).containsOnlyOnce("evt_netty_1");
    }

    @Test
    void anotherKeysTokenAnotherAudiencesAndNoTokenAreRefusedBeforeTheHandler() throws Exception {
        HttpResponse<String> otherKey = send(signed(OTHER, AUDIENCE, "{\"id\":\"evt_netty_2\"}"));
        HttpResponse<String> otherAudience = send(signed(KEY, "https://elsewhere.test", "{\"id\":\"evt_netty_3\"}"));
        HttpResponse<String> noToken = send(
                fixtures(KEY, AUDIENCE).delivery("{\"id\":\"evt_netty_4\"}").withoutHeader("Authorization"));

        for (HttpResponse<String> refused : List.of(otherKey, otherAudience)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            assertThat(json(refused).path("reason").asText()).isNotBlank();
        }
        assertThat(noToken.statusCode()).as(noToken.body()).isEqualTo(400);
        assertThat(json(noToken).path("reason").asText()).isEqualTo("MISSING_HEADER");
        assertThat(Hooks.HANDLED).doesNotContain("evt_netty_2", "evt_netty_3", "evt_netty_4");
    }
}
