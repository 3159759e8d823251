package io.hookwarden.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The starter alone is enough: an application whose only Hookwarden dependency is {@code hookwarden-spring-boot-starter}
 * (next to {@code spring-boot-starter-web}) gets the endpoint verified, and its deliveries counted in Micrometer.
 */
@SpringBootTest(
        classes = StarterTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + StarterTest.SECRET,
        })
class StarterTest {
    static final String SECRET = "whsec_starter_0123456789abcdefghij";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @SpringBootApplication
    @Import(StripeWebhooks.class) // classes nested in a test class are left out of component scanning
    static class App {
        final List<String> handled = new CopyOnWriteArrayList<>();
    }

    @RestController
    static class StripeWebhooks {
        private final App app;

        StripeWebhooks(App app) {
            this.app = app;
        }

        @PostMapping("/webhooks/stripe")
        @WebhookEndpoint("stripe")
        void onEvent(VerifiedWebhook webhook) {
            app.handled.add(webhook.id().orElseThrow());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    App app;

    @Autowired
    MeterRegistry meters;

    private final WebhookFixtures stripe =
            WebhookFixtures.builder().scheme(Schemes.stripe()).secret(SECRET).build();

    private HttpResponse<String> send(WebhookRequest request) throws Exception {
        URI uri = URI.create("http://localhost:" + port + "/webhooks/stripe");
        return CLIENT.send(WebhookRequests.toHttpRequest(request, uri), HttpResponse.BodyHandlers.ofString());
    }

    private static String event(String id) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"invoice.paid\"}";
    }

    @Test
    void signedDeliveryReachesTheHandlerAndIsCounted() throws Exception {
        String id = "evt_" + UUID.randomUUID();

        HttpResponse<String> response = send(stripe.delivery(event(id)).signed());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(app.handled).contains(id);
        // counted when the claim is settled, which may be just after the answer went out
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(counted("processed")).isEqualTo(1));
    }

    @Test
    void forgedDeliveryIsRefusedBeforeTheHandler() throws Exception {
        String id = "evt_" + UUID.randomUUID();

        HttpResponse<String> response = send(stripe.delivery(event(id)).forged());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(app.handled).doesNotContain(id);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(counted("rejected")).isEqualTo(1));
    }

    private double counted(String outcome) {
        return meters
                .find("hookwarden.deliveries")
                .tag("endpoint", "stripe")
                .tag("outcome", outcome)
                .counters()
                .stream()
                .mapToDouble(counter -> counter.count())
                .sum();
    }
}
