package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.jwt.JwtFixtures;
import io.hookwarden.jwt.JwtSchemes;
import io.hookwarden.test.MutableClock;
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
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 16: the JWT scheme's remaining options as {@code hookwarden.endpoints.<name>.jwt.*} properties ({@code
 * id-pointer}, {@code event-type-pointers}, {@code jwks-ttl}, {@code jwks-min-interval}, {@code jwks-timeout}), over
 * real HTTP on an embedded Tomcat with a loopback JWKS that counts its fetches. The JWKS times run on the application's
 * {@link MutableClock}, advanced explicitly; each value is chosen so that the default would behave otherwise.
 */
@SpringBootTest(
        classes = JwtOptionsHttpTest.JwtApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.events.scheme=jwt",
            "hookwarden.endpoints.events.jwt.issuers[0]=" + JwtOptionsHttpTest.ISSUER,
            "hookwarden.endpoints.events.jwt.audiences[0]=" + JwtOptionsHttpTest.AUDIENCE,
            "hookwarden.endpoints.events.jwt.id-pointer=/id",
            "hookwarden.endpoints.events.jwt.event-type-pointers[0]=/kind",
            "hookwarden.endpoints.events.jwt.event-type-pointers[1]=/type",
            "hookwarden.endpoints.events.jwt.jwks-ttl=10m",
            "hookwarden.endpoints.events.jwt.jwks-min-interval=2m",
            "hookwarden.endpoints.slow.scheme=jwt",
            "hookwarden.endpoints.slow.jwt.issuers[0]=" + JwtOptionsHttpTest.ISSUER,
            "hookwarden.endpoints.slow.jwt.audiences[0]=" + JwtOptionsHttpTest.AUDIENCE,
            "hookwarden.endpoints.slow.jwt.jwks-timeout=300ms"
        })
class JwtOptionsHttpTest {
    static final String ISSUER = "https://issuer.test";
    static final String AUDIENCE = "https://hooks.test";

    static final JwtFixtures.SigningKey KEY = JwtFixtures.rsaKey("test-key");
    static final JwtFixtures.SigningKey ROTATED = JwtFixtures.rsaKey("rotated-key");
    static final AtomicInteger FETCHES = new AtomicInteger();
    static final HttpServer JWKS = jwks();
    static final MutableClock CLOCK = MutableClock.at(Instant.now());

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class JwtApp {
        @Bean
        MutableClock clock() {
            return CLOCK;
        }
    }

    @DynamicPropertySource
    static void urls(DynamicPropertyRegistry registry) {
        String base = "http://127.0.0.1:" + JWKS.getAddress().getPort();
        registry.add("hookwarden.endpoints.events.jwt.jwks-url", () -> base + "/jwks.json");
        registry.add("hookwarden.endpoints.slow.jwt.jwks-url", () -> base + "/slow.json");
    }

    @RestController
    static class Hooks {
        static final List<String> HANDLED = new CopyOnWriteArrayList<>();

        @PostMapping("/webhooks/events")
        @WebhookEndpoint("events")
        Map<String, Object> events(VerifiedWebhook webhook) {
            HANDLED.add(webhook.id().orElse(""));
            return seen(webhook);
        }

        @PostMapping("/webhooks/slow")
        @WebhookEndpoint("slow")
        Map<String, Object> slow(VerifiedWebhook webhook) {
            return seen(webhook);
        }

        private static Map<String, Object> seen(VerifiedWebhook webhook) {
            Map<String, Object> seen = new LinkedHashMap<>();
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
                FETCHES.incrementAndGet();
                answer(exchange, body);
            });
            server.createContext("/slow.json", exchange -> {
                try {
                    Thread.sleep(2_000); // far past jwks-timeout, well within the default 5 s
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer(exchange, body);
            });
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @AfterAll
    static void stop() {
        JWKS.stop(0);
    }

    private static WebhookRequest signed(JwtFixtures.SigningKey key, String body) {
        return WebhookFixtures.builder()
                .scheme(JwtSchemes.bearer().issuers(ISSUER).audiences(AUDIENCE).build())
                .secret(key.privateJwk())
                .build()
                .delivery(body)
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

    @Test
    void theIdAndTheEventTypeComeFromThePointersAndTheIdIsTheDedupeKey() throws Exception {
        HttpResponse<String> typed =
                send(signed(KEY, "{\"id\":\"evt_1\",\"type\":\"order.paid\"}"), "/webhooks/events");
        HttpResponse<String> kind =
                send(signed(KEY, "{\"id\":\"evt_2\",\"kind\":\"order.first\",\"type\":\"x\"}"), "/webhooks/events");
        HttpResponse<String> sameId =
                send(signed(KEY, "{\"id\":\"evt_1\",\"type\":\"order.paid\",\"retry\":1}"), "/webhooks/events");

        assertThat(typed.statusCode()).as(typed.body()).isEqualTo(200);
        assertThat(json(typed).path("id").asText()).isEqualTo("evt_1");
        assertThat(json(typed).path("type").asText()).isEqualTo("order.paid");
        assertThat(json(kind).path("type").asText()).isEqualTo("order.first");
        // another body, another token, the same id: a duplicate, not handled again
        assertThat(sameId.statusCode()).isEqualTo(200);
        assertThat(json(sameId).path("reason").asText()).isEqualTo("DUPLICATE");
        assertThat(Hooks.HANDLED).containsOnlyOnce("evt_1");
    }

    @Test
    void theJwksIsFetchedAgainAsItsTtlAndMinimumIntervalSay() throws Exception {
        int before = FETCHES.get();
        String body = "{\"id\":\"evt_jwks_%d\",\"type\":\"order.paid\"}";

        // a first token fetches the keys, unless an earlier test already did so at this clock time
        assertThat(send(signed(KEY, body.formatted(1)), "/webhooks/events").statusCode())
                .isEqualTo(200);
        int base = FETCHES.get();
        assertThat(base - before).isLessThanOrEqualTo(1);

        // 3 minutes on, a token of a rotated key (an unknown kid): past the 2-minute interval, fetched again
        CLOCK.advance(Duration.ofMinutes(3));
        assertThat(send(signed(ROTATED, body.formatted(2)), "/webhooks/events").statusCode())
                .isEqualTo(401);
        assertThat(FETCHES.get()).isEqualTo(base + 1);

        // 1 minute on, another unknown kid: within the interval (the default 30 s would have let it fetch)
        CLOCK.advance(Duration.ofMinutes(1));
        assertThat(send(signed(ROTATED, body.formatted(3)), "/webhooks/events").statusCode())
                .isEqualTo(401);
        assertThat(FETCHES.get()).isEqualTo(base + 1);

        // 6 minutes after the last fetch, a known key: fresh for 10 minutes (the default 5 would have fetched)
        CLOCK.advance(Duration.ofMinutes(5));
        assertThat(send(signed(KEY, body.formatted(4)), "/webhooks/events").statusCode())
                .isEqualTo(200);
        assertThat(FETCHES.get()).isEqualTo(base + 1);

        // 11 minutes after it: stale, fetched again
        CLOCK.advance(Duration.ofMinutes(5));
        assertThat(send(signed(KEY, body.formatted(5)), "/webhooks/events").statusCode())
                .isEqualTo(200);
        assertThat(FETCHES.get()).isEqualTo(base + 2);
    }

    @Test
    void aJwksSlowerThanItsTimeoutIsA503NotAWait() throws Exception {
        HttpResponse<String> answer = send(signed(KEY, "{\"id\":\"evt_slow\"}"), "/webhooks/slow");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(json(answer).path("reason").asText()).isEqualTo("KEYS_UNAVAILABLE");
    }
}
