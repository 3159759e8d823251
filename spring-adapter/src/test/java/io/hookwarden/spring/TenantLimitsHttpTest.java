package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 16: the tenant limits of {@code TenantKeys} as {@code hookwarden.endpoints.<name>.tenants.*} properties
 * ({@code maximum-loads-per-second}, {@code maximum-tenants}, {@code maximum-unknown}, {@code load-timeout}), over real
 * HTTP on an embedded Tomcat. The application's fixed {@link Clock} is the endpoints' clock, so "one second" is the
 * same second for every request and nothing depends on the wall clock.
 */
@SpringBootTest(
        classes = TenantLimitsHttpTest.LimitsApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.limited.scheme=github",
            "hookwarden.endpoints.limited.tenants.from=header:X-Account-Id",
            "hookwarden.endpoints.limited.tenants.bean=limitedSecrets",
            "hookwarden.endpoints.limited.tenants.maximum-loads-per-second=1",
            "hookwarden.endpoints.limited.tenants.load-timeout=2s",
            "hookwarden.endpoints.small.scheme=github",
            "hookwarden.endpoints.small.tenants.from=header:X-Account-Id",
            "hookwarden.endpoints.small.tenants.bean=smallSecrets",
            "hookwarden.endpoints.small.tenants.maximum-tenants=1",
            "hookwarden.endpoints.small.tenants.maximum-unknown=1"
        })
class TenantLimitsHttpTest {
    static final String ACME = "acme-secret-0123456789abcdef";
    static final String GLOBEX = "globex-secret-0123456789abcdef";

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("limitedSecrets")
    CountingSecrets limitedSecrets;

    @Autowired
    @Qualifier("smallSecrets")
    CountingSecrets smallSecrets;

    /** Counts the reads of each tenant's secrets. */
    static final class CountingSecrets implements TenantSecrets {
        final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
        private final Map<String, List<String>> secrets = Map.of("acme", List.of(ACME), "globex", List.of(GLOBEX));

        @Override
        public Optional<List<String>> secrets(String tenant) {
            loads.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
            return Optional.ofNullable(secrets.get(tenant));
        }

        int loads(String tenant) {
            AtomicInteger n = loads.get(tenant);
            return n == null ? 0 : n.get();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class LimitsApp {
        @Bean
        Clock clock() {
            return Clock.fixed(Instant.parse("2026-03-01T12:00:00.250Z"), ZoneOffset.UTC);
        }

        @Bean
        CountingSecrets limitedSecrets() {
            return new CountingSecrets();
        }

        @Bean
        CountingSecrets smallSecrets() {
            return new CountingSecrets();
        }
    }

    @RestController
    static class Hooks {
        @PostMapping("/limited")
        @WebhookEndpoint("limited")
        Map<String, Object> limited(VerifiedWebhook webhook) {
            return Map.of("key", webhook.matchedKey());
        }

        @PostMapping("/small")
        @WebhookEndpoint("small")
        Map<String, Object> small(VerifiedWebhook webhook) {
            return Map.of("key", webhook.matchedKey());
        }
    }

    private HttpResponse<String> send(String secret, String tenant, String path) throws Exception {
        WebhookRequest request = WebhookFixtures.builder()
                .scheme(Schemes.github())
                .secret(secret)
                .build()
                .delivery("{\"id\":\"" + UUID.randomUUID() + "\"}")
                .signed()
                .toBuilder()
                .header("X-Account-Id", tenant)
                .build();
        return CLIENT.send(
                WebhookRequests.toHttpRequest(request, URI.create("http://localhost:" + port + path)),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String reason(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("reason").asText();
    }

    @Test
    void pastTheMostLoadsPerSecondANewTenantIsAnswered503WhileACachedOneIsServed() throws Exception {
        HttpResponse<String> first = send(ACME, "acme", "/limited");
        HttpResponse<String> second = send(GLOBEX, "globex", "/limited");
        HttpResponse<String> again = send(ACME, "acme", "/limited");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(503);
        assertThat(reason(second)).isEqualTo("KEYS_UNAVAILABLE");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(limitedSecrets.loads("acme")).isEqualTo(1);
        assertThat(limitedSecrets.loads("globex")).isZero();
    }

    @Test
    void pastTheMostTenantsAndUnknownTenantsTheOldestAreForgottenAndReadAgain() throws Exception {
        assertThat(send(ACME, "acme", "/small").statusCode()).isEqualTo(200);
        assertThat(send(GLOBEX, "globex", "/small").statusCode()).isEqualTo(200);
        assertThat(send(ACME, "acme", "/small").statusCode()).isEqualTo(200);
        assertThat(send(ACME, "initech", "/small").statusCode()).isEqualTo(401);
        assertThat(send(ACME, "umbrella", "/small").statusCode()).isEqualTo(401);
        assertThat(send(ACME, "initech", "/small").statusCode()).isEqualTo(401);

        // one tenant cached: acme was forgotten for globex, then read again
        assertThat(smallSecrets.loads("acme")).isEqualTo(2);
        assertThat(smallSecrets.loads("globex")).isEqualTo(1);
        // one unknown tenant remembered: initech was forgotten for umbrella, then asked again
        assertThat(smallSecrets.loads("initech")).isEqualTo(2);
        assertThat(smallSecrets.loads("umbrella")).isEqualTo(1);
    }
}
