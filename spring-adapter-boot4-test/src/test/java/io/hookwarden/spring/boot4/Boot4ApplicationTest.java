package io.hookwarden.spring.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookEndpointCustomizer;
import io.hookwarden.spring.WebhookEndpoints;
import io.hookwarden.spring.WebhookPayload;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A Spring Boot 4.0 application (Spring Framework 7, Tomcat 11, Jackson 3) loads the auto-configuration and uses it. */
@SpringBootTest(classes = Boot4ApplicationTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class Boot4ApplicationTest {
    static final String SECRET = "whsec_stripe_boot4_0123456789abcdefghij";
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class App {
        @Bean
        MutableClock clock() {
            return MutableClock.atEpochSecond(1_700_000_000L);
        }

        @Bean
        WebhookEndpointCustomizer stripeClock(MutableClock clock) {
            return WebhookEndpointCustomizer.verifier("stripe", verifier -> verifier.clock(clock));
        }

        @Bean
        List<String> handled() {
            return new CopyOnWriteArrayList<>();
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
        Map<String, Object> stripe(@RequestBody String body, VerifiedWebhook webhook, @WebhookPayload Event event) {
            handled.add(webhook.id().orElseThrow());
            return Map.of("sameBody", body.equals(webhook.bodyText()), "type", event.type());
        }
    }

    @Autowired
    Environment environment;

    @Autowired
    MutableClock clock;

    @Autowired
    List<String> handled;

    @Autowired
    WebhookEndpoints endpoints;

    @Autowired
    MeterRegistry meters;

    HttpResponse<String> send(WebhookRequest request) throws Exception {
        URI uri = URI.create("http://localhost:" + environment.getProperty("local.server.port") + "/webhooks/stripe");
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
    void runsOnSpringBoot4() {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.0.");
        assertThat(endpoints.names()).containsExactly("stripe");
    }

    @Test
    void aValidDeliveryReachesTheHandlerOnceWithItsBytes() throws Exception {
        WebhookRequest delivery = fixtures()
                .delivery("{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"a.b\"}")
                .signed();

        HttpResponse<String> first = send(delivery);
        HttpResponse<String> replay = send(delivery);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"sameBody\":true").contains("\"type\":\"a.b\"");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"reason\":\"DUPLICATE\"");
        assertThat(handled).hasSize(1);
        assertThat(meters.get("hookwarden.deliveries")
                        .tags("endpoint", "stripe", "scheme", "stripe", "outcome", "duplicate")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);
        assertThat(meters.get("hookwarden.deliveries")
                        .tags("endpoint", "stripe", "scheme", "stripe", "outcome", "processed")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aForgedDeliveryIsAProblemWithItsReason() throws Exception {
        HttpResponse<String> response =
                send(fixtures().delivery("{\"id\":\"evt_forged\"}").forged());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body())
                .contains("\"reason\":\"SIGNATURE_MISMATCH\"")
                .doesNotContain(SECRET);
    }

    @Test
    void aBodyOverTheCapIs413() throws Exception {
        HttpResponse<String> response = send(fixtures()
                .delivery("{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(2048) + "\"}")
                .signed());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"reason\":\"PAYLOAD_TOO_LARGE\"");
    }
}
