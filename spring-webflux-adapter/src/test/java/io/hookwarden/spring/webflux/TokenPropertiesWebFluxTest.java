package io.hookwarden.spring.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Scheme;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spring.HookwardenAutoConfiguration;
import io.hookwarden.spring.WebhookConfigurationException;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The {@code hookwarden.endpoints.<name>.token.*} properties, which both Spring adapters share, on Reactor Netty over
 * real HTTP: a named header, Bearer, HTTP Basic and a query parameter, and a bad option stopping start-up by name.
 */
@SpringBootTest(
        classes = TokenPropertiesWebFluxTest.TokenApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.header.scheme=token",
            "hookwarden.endpoints.header.token.header=X-Webhook-Token",
            "hookwarden.endpoints.header.token.id-header=X-Delivery-Id",
            "hookwarden.endpoints.header.secrets[0]=" + TokenPropertiesWebFluxTest.HEADER_TOKEN,
            "hookwarden.endpoints.bearer.scheme=token",
            "hookwarden.endpoints.bearer.token.bearer=true",
            "hookwarden.endpoints.bearer.token.event-type-pointers[0]=/type",
            "hookwarden.endpoints.bearer.secrets[0]=" + TokenPropertiesWebFluxTest.BEARER_TOKEN,
            "hookwarden.endpoints.basic.scheme=token",
            "hookwarden.endpoints.basic.token.basic=credentials",
            "hookwarden.endpoints.basic.secrets[0]=" + TokenPropertiesWebFluxTest.BASIC_CREDENTIALS,
            "hookwarden.endpoints.query.scheme=token",
            "hookwarden.endpoints.query.token.query=token",
            "hookwarden.endpoints.query.secrets[0]=" + TokenPropertiesWebFluxTest.QUERY_TOKEN,
            "logging.level.io.hookwarden=TRACE"
        })
@ExtendWith(OutputCaptureExtension.class)
class TokenPropertiesWebFluxTest {
    static final String HEADER_TOKEN = "webflux-header-token-0123456789";
    static final String BEARER_TOKEN = "webflux-bearer-token-0123456789";
    static final String BASIC_CREDENTIALS = "acme:webflux-basic-password-0123";
    static final String QUERY_TOKEN = "webflux-query-token-never-logged-0123";

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class TokenApp {}

    @RestController
    static class Hooks {
        @PostMapping("/webhooks/header")
        @WebhookEndpoint("header")
        Mono<Map<String, Object>> header(VerifiedWebhook webhook) {
            return Mono.just(seen(webhook));
        }

        @PostMapping("/webhooks/bearer")
        @WebhookEndpoint("bearer")
        Mono<Map<String, Object>> bearer(VerifiedWebhook webhook) {
            return Mono.just(seen(webhook));
        }

        @PostMapping("/webhooks/basic")
        @WebhookEndpoint("basic")
        Mono<Map<String, Object>> basic(VerifiedWebhook webhook) {
            return Mono.just(seen(webhook));
        }

        @PostMapping("/webhooks/query")
        @WebhookEndpoint("query")
        Mono<Map<String, Object>> query(VerifiedWebhook webhook) {
            return Mono.just(seen(webhook));
        }

        private static Map<String, Object> seen(VerifiedWebhook webhook) {
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("key", webhook.matchedKey());
            seen.put("id", webhook.id().orElse(""));
            seen.put("type", webhook.eventType().orElse(""));
            seen.put("url", webhook.request().url().orElse(""));
            return seen;
        }
    }

    private static WebhookFixtures fixtures(Scheme scheme, String token) {
        return WebhookFixtures.builder().scheme(scheme).secret(token).build();
    }

    private HttpResponse<String> send(WebhookRequest request, String path) throws Exception {
        return CLIENT.send(
                WebhookRequests.toHttpRequest(request, URI.create("http://127.0.0.1:" + port + path)),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertRefused(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).path("reason").asText()).isEqualTo(reason);
    }

    private static String event(String type) {
        return "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"" + type + "\"}";
    }

    @Test
    void aTokenInANamedHeaderIsCheckedWithItsIdHeader() throws Exception {
        Scheme scheme = Schemes.token()
                .header("X-Webhook-Token")
                .idHeader("X-Delivery-Id")
                .build();

        HttpResponse<String> accepted = send(
                fixtures(scheme, HEADER_TOKEN).delivery(event("a")).id("dlv_1").signed(), "/webhooks/header");
        HttpResponse<String> wrong = send(
                fixtures(scheme, "not-the-header-token-0123")
                        .delivery(event("a"))
                        .signed(),
                "/webhooks/header");

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(json(accepted).path("id").asText()).isEqualTo("dlv_1");
        assertThat(json(accepted).path("key").asText()).isEqualTo("secrets[0]");
        assertRefused(wrong, 401, "SIGNATURE_MISMATCH");
    }

    @Test
    void aBearerTokenIsCheckedAndTheTypeComesFromTheBody() throws Exception {
        WebhookFixtures bearer = fixtures(Schemes.token().build(), BEARER_TOKEN);

        HttpResponse<String> accepted =
                send(bearer.delivery(event("order.created")).signed(), "/webhooks/bearer");
        HttpResponse<String> missing =
                send(bearer.delivery(event("a")).withoutHeader("Authorization"), "/webhooks/bearer");

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(json(accepted).path("type").asText()).isEqualTo("order.created");
        assertRefused(missing, 400, "MISSING_HEADER");
    }

    @Test
    void basicCredentialsAreCheckedTogether() throws Exception {
        WebhookFixtures basic = fixtures(Schemes.token().basic().build(), BASIC_CREDENTIALS);
        WebhookFixtures otherUser = fixtures(Schemes.token().basic().build(), "other:webflux-basic-password-0123");

        assertThat(send(basic.delivery(event("a")).signed(), "/webhooks/basic").statusCode())
                .isEqualTo(200);
        assertRefused(send(otherUser.delivery(event("b")).signed(), "/webhooks/basic"), 401, "SIGNATURE_MISMATCH");
    }

    @Test
    void aQueryTokenIsCheckedMaskedForTheHandlerAndNeverLogged(CapturedOutput output) throws Exception {
        String url = "http://127.0.0.1:" + port + "/webhooks/query";
        String wrongToken = "webflux-wrong-query-token-0123456789";
        WebhookFixtures query = WebhookFixtures.builder()
                .scheme(Schemes.token().query("token").build())
                .secret(QUERY_TOKEN)
                .url(url)
                .build();
        WebhookFixtures wrong = WebhookFixtures.builder()
                .scheme(Schemes.token().query("token").build())
                .secret(wrongToken)
                .url(url)
                .build();

        HttpResponse<String> accepted = CLIENT.send(
                WebhookRequests.toHttpRequest(query.delivery(event("a")).signed()),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> refused = CLIENT.send(
                WebhookRequests.toHttpRequest(wrong.delivery(event("b")).signed()),
                HttpResponse.BodyHandlers.ofString());

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(json(accepted).path("url").asText()).isEqualTo(url + "?token=***");
        assertRefused(refused, 401, "SIGNATURE_MISMATCH");
        assertThat(output.getAll())
                .contains("webhook refused at endpoint query: SIGNATURE_MISMATCH (401): the token in query parameter"
                        + " token")
                .doesNotContain(QUERY_TOKEN)
                .doesNotContain(wrongToken);
    }

    @Test
    void aBadTokenOptionStopsAReactiveApplicationNamingTheProperty() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        WebFluxAutoConfiguration.class,
                        HookwardenWebFluxAutoConfiguration.class,
                        HookwardenAutoConfiguration.class))
                .withPropertyValues(
                        "hookwarden.endpoints.gh.scheme=github",
                        "hookwarden.endpoints.gh.secrets[0]=github-secret-0123456789",
                        "hookwarden.endpoints.gh.token.query=token")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable t = context.getStartupFailure();
                    while (!(t instanceof WebhookConfigurationException) && t.getCause() != null) {
                        t = t.getCause();
                    }
                    assertThat(t)
                            .isInstanceOfSatisfying(WebhookConfigurationException.class, e -> assertThat(e.property())
                                    .isEqualTo("hookwarden.endpoints.gh.token.query"))
                            .hasMessageContaining("scheme is github");
                });
    }
}
