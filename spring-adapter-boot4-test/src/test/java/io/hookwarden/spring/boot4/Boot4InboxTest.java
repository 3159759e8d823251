package io.hookwarden.spring.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.InMemoryInbox;
import io.hookwarden.PoisonDeliveryException;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spring.InboxHandler;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The inbox on Spring Boot 4.0: an endpoint with {@code inbox.enabled} answers as soon as the delivery is stored, the
 * worker runs the {@link InboxHandler} methods, a dead letter is listed and replayed through the Actuator endpoint, and
 * the health shows the inbox.
 */
@SpringBootTest(
        classes = Boot4InboxTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.orders.scheme=standard-webhooks",
            "hookwarden.endpoints.orders.secrets[0]=" + Boot4InboxTest.SECRET,
            "hookwarden.endpoints.orders.paths[0]=/hooks/orders",
            "hookwarden.endpoints.orders.inbox.enabled=true",
            "hookwarden.inbox.worker.poll-interval=20ms",
            "management.endpoints.web.exposure.include=health,hookwardenInbox",
            "management.endpoint.health.show-details=always"
        })
class Boot4InboxTest {
    static final String SECRET = "whsec_Ym9vdCA0IGluYm94IHRlc3Qga2V5IDAxMjM0NTY3";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        InMemoryInbox inbox() {
            return InMemoryInbox.create();
        }

        @Bean
        Handlers handlers() {
            return new Handlers();
        }
    }

    static class Handlers {
        final List<String> created = new CopyOnWriteArrayList<>();
        final AtomicInteger poisonRuns = new AtomicInteger();
        volatile boolean poisonFixed;

        @InboxHandler(endpoint = "orders", eventType = "order.created")
        void created(VerifiedWebhook webhook) {
            created.add(webhook.id().orElseThrow());
        }

        @InboxHandler(endpoint = "orders", eventType = "order.poison")
        void poison(VerifiedWebhook webhook) {
            poisonRuns.incrementAndGet();
            if (!poisonFixed) {
                throw new PoisonDeliveryException("order refused");
            }
        }
    }

    @Autowired
    Environment environment;

    @Autowired
    Handlers handlers;

    final WebhookFixtures fixtures = WebhookFixtures.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .build();

    URI uri(String path) {
        return URI.create("http://localhost:" + environment.getProperty("local.server.port") + path);
    }

    HttpResponse<String> send(WebhookRequest request) throws Exception {
        return CLIENT.send(
                WebhookRequests.toHttpRequest(request, uri("/hooks/orders")), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response =
                CLIENT.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void aDeliveryIsAnsweredAtOnceAndItsInboxHandlerRunsOnceDespiteTheProvidersRetry() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        WebhookRequest delivery =
                fixtures.delivery("{\"type\":\"order.created\"}").id(id).signed();

        HttpResponse<String> first = send(delivery);
        HttpResponse<String> retry = send(delivery);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(retry.body()).path("reason").asText()).isEqualTo("DUPLICATE");
        assertThat(await(() -> List.copyOf(handlers.created), list -> list.contains(id)))
                .containsOnlyOnce(id);
    }

    @Test
    void aDeadLetterIsListedAndReplayedThroughTheActuatorEndpoint() throws Exception {
        handlers.poisonFixed = false;
        String id = "msg_" + UUID.randomUUID();
        assertThat(send(fixtures.delivery("{\"type\":\"order.poison\"}").id(id).signed())
                        .statusCode())
                .isEqualTo(200);

        JsonNode dead = await(() -> find(id, "dead"), node -> node != null);
        assertThat(dead.path("lastError").asText()).contains("PoisonDeliveryException");

        handlers.poisonFixed = true;
        HttpResponse<String> replayed = CLIENT.send(
                HttpRequest.newBuilder(uri("/actuator/hookwardenInbox"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"id\":\"" + dead.path("id").asText() + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(replayed.body()).path("replayed").asInt()).isEqualTo(1);
        assertThat(await(() -> find(id, "completed"), node -> node != null)).isNotNull();
        assertThat(handlers.poisonRuns).hasValue(2);
    }

    @Test
    void theHealthShowsTheInboxCountsPerEndpointAndTheDedupeStoresProbe() throws Exception {
        JsonNode components = get("/actuator/health").path("components");
        JsonNode inbox = components.path("hookwardenInbox");
        JsonNode store = components.path("hookwarden");

        assertThat(store.path("status").asText()).isEqualTo("UP");
        assertThat(store.path("details").path("probe").asText()).isEqualTo("CLAIMED");

        assertThat(inbox.path("status").asText()).isEqualTo("UP");
        assertThat(inbox.path("details").path("orders").path("counts").has("pending"))
                .isTrue();
    }

    private JsonNode find(String eventId, String state) {
        try {
            for (JsonNode d : get("/actuator/hookwardenInbox?endpoint=orders&state=" + state + "&limit=100")
                    .path("deliveries")) {
                if (eventId.equals(d.path("eventId").asText())) {
                    return d;
                }
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(Supplier<T> read, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T value = read.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = read.get();
        }
        return value;
    }
}
