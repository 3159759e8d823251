package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.hookwarden.Scheme;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.jwt.JwtFixtures;
import io.hookwarden.jwt.JwtSchemes;
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
import java.util.Map;
import java.util.UUID;
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
 * Issue 16's JWT schemes configured by {@code hookwarden.endpoints.<name>.jwt.*} alone (hookwarden-jwt on the class
 * path), over real HTTP on an embedded Tomcat: one endpoint whose keys come from a JWKS served on loopback, one whose
 * public key is its {@code secrets[0]}; the issuer, audience and required claims are the properties'.
 */
@SpringBootTest(
        classes = JwtPropertiesHttpTest.JwtApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.jwks.scheme=jwt",
            "hookwarden.endpoints.jwks.jwt.issuers[0]=" + JwtPropertiesHttpTest.ISSUER,
            "hookwarden.endpoints.jwks.jwt.audiences[0]=" + JwtPropertiesHttpTest.AUDIENCE,
            "hookwarden.endpoints.jwks.jwt.algorithms[0]=RS256",
            "hookwarden.endpoints.jwks.jwt.clock-skew=30s",
            "hookwarden.endpoints.jwks.jwt.required-claims.tenant=acme",
            "hookwarden.endpoints.keys.scheme=jwt",
            "hookwarden.endpoints.keys.jwt.issuers[0]=" + JwtPropertiesHttpTest.ISSUER,
            "hookwarden.endpoints.keys.jwt.audiences[0]=" + JwtPropertiesHttpTest.AUDIENCE
        })
class JwtPropertiesHttpTest {
    static final String ISSUER = "https://issuer.test";
    static final String AUDIENCE = "https://hooks.test";

    static final JwtFixtures.SigningKey KEY = JwtFixtures.rsaKey("test-key");
    static final JwtFixtures.SigningKey OTHER = JwtFixtures.rsaKey("other-key");
    static final HttpServer JWKS = jwks();

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class JwtApp {}

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry registry) {
        registry.add(
                "hookwarden.endpoints.jwks.jwt.jwks-url",
                () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks.json");
        registry.add("hookwarden.endpoints.keys.secrets[0]", KEY::publicJwk);
    }

    @RestController
    static class Hooks {
        @PostMapping("/webhooks/jwks")
        @WebhookEndpoint("jwks")
        Map<String, Object> jwks(VerifiedWebhook webhook) {
            return seen(webhook);
        }

        @PostMapping("/webhooks/keys")
        @WebhookEndpoint("keys")
        Map<String, Object> keys(VerifiedWebhook webhook) {
            return seen(webhook);
        }

        private static Map<String, Object> seen(VerifiedWebhook webhook) {
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("scheme", webhook.schemeId());
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

    /** A token signed by {@code key} as a scheme built with these options would sign it. */
    private static WebhookRequest signed(JwtFixtures.SigningKey key, JwtSchemes.Builder options) {
        Scheme scheme = options.build();
        return WebhookFixtures.builder()
                .scheme(scheme)
                .secret(key.privateJwk())
                .build()
                .delivery("{\"id\":\"" + UUID.randomUUID() + "\"}")
                .signed();
    }

    private HttpResponse<String> send(WebhookRequest request, String path) throws Exception {
        return CLIENT.send(
                WebhookRequests.toHttpRequest(request, URI.create("http://localhost:" + port + path)),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertRefused(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(json(response).path("reason").asText()).isNotBlank();
    }

    @Test
    void aTokenSignedByAKeyOfTheJwksWithTheRequiredClaimIsAccepted() throws Exception {
        HttpResponse<String> answer = send(
                signed(
                        KEY,
                        JwtSchemes.bearer().issuers(ISSUER).audiences(AUDIENCE).requireClaim("tenant", "acme")),
                "/webhooks/jwks");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer).path("scheme").asText()).isEqualTo("jwt");
    }

    @Test
    void aTokenWithoutTheRequiredClaimOrForAnotherAudienceOrByAnotherKeyIsRefused() throws Exception {
        assertRefused(send(signed(KEY, JwtSchemes.bearer().issuers(ISSUER).audiences(AUDIENCE)), "/webhooks/jwks"));
        assertRefused(send(
                signed(
                        KEY,
                        JwtSchemes.bearer()
                                .issuers(ISSUER)
                                .audiences("https://elsewhere.test")
                                .requireClaim("tenant", "acme")),
                "/webhooks/jwks"));
        assertRefused(send(
                signed(
                        OTHER,
                        JwtSchemes.bearer().issuers(ISSUER).audiences(AUDIENCE).requireClaim("tenant", "acme")),
                "/webhooks/jwks"));
    }

    @Test
    void withoutAJwksUrlTheSecretsAreThePublicKeys() throws Exception {
        HttpResponse<String> accepted =
                send(signed(KEY, JwtSchemes.bearer().issuers(ISSUER).audiences(AUDIENCE)), "/webhooks/keys");
        HttpResponse<String> otherKey =
                send(signed(OTHER, JwtSchemes.bearer().issuers(ISSUER).audiences(AUDIENCE)), "/webhooks/keys");
        HttpResponse<String> otherIssuer = send(
                signed(
                        KEY,
                        JwtSchemes.bearer().issuers("https://other-issuer.test").audiences(AUDIENCE)),
                "/webhooks/keys");

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertRefused(otherKey);
        assertRefused(otherIssuer);
    }
}
