package io.hookwarden.spring.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.testsupport.EmbeddedRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * On Spring Boot 4, an inbox built from {@code hookwarden.inbox.store=redis} (no {@code Inbox} bean of the
 * application's) gets its health indicator, as on Boot 3, where that took a condition of its own ({@code OnInbox}): the
 * Boot 4 health configuration asks for an {@code Inbox} bean, and finds this one because it runs after the
 * configuration that builds it.
 */
@SpringBootTest(
        classes = Boot4RedisInboxHealthTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.orders.scheme=standard-webhooks",
            "hookwarden.endpoints.orders.secrets[0]=" + Boot4InboxTest.SECRET,
            "hookwarden.endpoints.orders.paths[0]=/hooks/orders",
            "hookwarden.endpoints.orders.inbox.enabled=true",
            "hookwarden.inbox.store=redis",
            "hookwarden.inbox.worker.enabled=false",
            "management.endpoints.web.exposure.include=health",
            "management.endpoint.health.show-details=always"
        })
class Boot4RedisInboxHealthTest {
    static final EmbeddedRedis REDIS = EmbeddedRedis.start();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {}

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("hookwarden.inbox.redis.uri", REDIS::uri);
    }

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Autowired
    Environment environment;

    @Test
    void theHealthShowsTheInboxBuiltFromTheProperty() throws Exception {
        URI health =
                URI.create("http://localhost:" + environment.getProperty("local.server.port") + "/actuator/health");
        HttpResponse<String> response =
                CLIENT.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());

        JsonNode inbox = JSON.readTree(response.body()).path("components").path("hookwardenInbox");
        assertThat(inbox.path("status").asText()).as(response.body()).isEqualTo("UP");
        assertThat(inbox.path("details").path("orders").path("counts").has("pending"))
                .as(response.body())
                .isTrue();
    }
}
