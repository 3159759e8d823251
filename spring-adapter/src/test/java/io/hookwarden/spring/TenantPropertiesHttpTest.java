package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.reactive.context.ReactiveWebApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 16's per-tenant keys configured by {@code hookwarden.endpoints.<name>.tenants.*}, over real HTTP on an
 * embedded Tomcat: the tenant named in the path with its secrets in properties, and named in a header with its secrets
 * from a {@link TenantSecrets} bean; each tenant verifies with its own secrets only, an unknown tenant is 401.
 */
@SpringBootTest(
        classes = TenantPropertiesHttpTest.TenantApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.by-path.scheme=github",
            "hookwarden.endpoints.by-path.tenants.from=path:/hooks/{tenant}",
            "hookwarden.endpoints.by-path.tenants.secrets.acme[0]=" + TenantPropertiesHttpTest.ACME,
            "hookwarden.endpoints.by-path.tenants.secrets.globex[0]=" + TenantPropertiesHttpTest.GLOBEX_OLD,
            "hookwarden.endpoints.by-path.tenants.secrets.globex[1]=" + TenantPropertiesHttpTest.GLOBEX,
            "hookwarden.endpoints.by-path.tenants.refresh-after=1m",
            "hookwarden.endpoints.by-path.tenants.unknown-for=10s",
            "hookwarden.endpoints.by-header.scheme=github",
            "hookwarden.endpoints.by-header.tenants.from=header:X-Account-Id",
            "hookwarden.endpoints.by-header.tenants.bean=accountSecrets"
        })
class TenantPropertiesHttpTest {
    static final String ACME = "acme-secret-0123456789abcdef";
    static final String GLOBEX = "globex-secret-0123456789abcdef";
    static final String GLOBEX_OLD = "globex-old-secret-0123456789ab";
    static final String INITECH = "initech-secret-0123456789abcdef";

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class TenantApp {
        /** The secrets of the header endpoint's tenants, as a secret manager would give them. */
        @Bean
        TenantSecrets accountSecrets() {
            Map<String, List<String>> secrets = Map.of("initech", List.of(INITECH), "acme", List.of(ACME));
            return tenant -> Optional.ofNullable(secrets.get(tenant));
        }
    }

    @RestController
    static class Hooks {
        @PostMapping("/hooks/{tenant}")
        @WebhookEndpoint("by-path")
        Map<String, Object> byPath(@PathVariable String tenant, VerifiedWebhook webhook) {
            return seen(webhook);
        }

        @PostMapping("/accounts/hooks")
        @WebhookEndpoint("by-header")
        Map<String, Object> byHeader(VerifiedWebhook webhook) {
            return seen(webhook);
        }

        private static Map<String, Object> seen(VerifiedWebhook webhook) {
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("key", webhook.matchedKey());
            return seen;
        }
    }

    private static WebhookRequest signed(String secret) {
        return WebhookFixtures.builder()
                .scheme(Schemes.github())
                .secret(secret)
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

    private static void assertAccepted(HttpResponse<String> response, String key) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("key").asText()).isEqualTo(key);
    }

    private static void assertRefused(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(json(response).path("reason").asText()).isEqualTo("SIGNATURE_MISMATCH");
    }

    @Autowired
    ApplicationContext context;

    /**
     * This class runs twice: here on Tomcat, and in spring-webflux-adapter on Reactor Netty, whose build names the
     * stack it expects ({@code hookwarden.test.web-stack}); so each run proves the stack it was meant for.
     */
    @Test
    void runsOnTheWebStackItsModuleExpects() {
        String expected = System.getProperty("hookwarden.test.web-stack", "servlet");

        assertThat(context instanceof ReactiveWebApplicationContext ? "reactive" : "servlet")
                .isEqualTo(expected);
    }

    @Test
    void eachTenantInThePathVerifiesWithItsOwnSecretsFromProperties() throws Exception {
        assertAccepted(send(signed(ACME), "/hooks/acme"), "acme/secrets[0]");
        assertAccepted(send(signed(GLOBEX), "/hooks/globex"), "globex/secrets[1]");
        assertAccepted(send(signed(GLOBEX_OLD), "/hooks/globex"), "globex/secrets[0]");
    }

    @Test
    void aTenantsSecretDoesNotVerifyAnotherTenantsDelivery() throws Exception {
        assertRefused(send(signed(ACME), "/hooks/globex"));
        assertRefused(send(signed(GLOBEX), "/hooks/acme"));
    }

    @Test
    void anUnknownTenantIsRefusedAsAWrongSignature() throws Exception {
        assertRefused(send(signed(ACME), "/hooks/initech"));
    }

    @Test
    void tenantsNamedInAHeaderVerifyWithTheSecretsTheBeanGives() throws Exception {
        assertAccepted(
                send(
                        signed(INITECH).toBuilder()
                                .header("X-Account-Id", "initech")
                                .build(),
                        "/accounts/hooks"),
                "initech/secrets[0]");
        assertAccepted(
                send(signed(ACME).toBuilder().header("X-Account-Id", "acme").build(), "/accounts/hooks"),
                "acme/secrets[0]");
        assertRefused(
                send(signed(ACME).toBuilder().header("X-Account-Id", "initech").build(), "/accounts/hooks"));
        assertRefused(
                send(signed(ACME).toBuilder().header("X-Account-Id", "globex").build(), "/accounts/hooks"));
    }
}
