package io.hookwarden.spring.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.InMemoryInbox;
import io.hookwarden.PoisonDeliveryException;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookEvent;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spring.InboxHandler;
import io.hookwarden.spring.WebhookPayload;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Issue 14 over real HTTP: an endpoint configured with {@code inbox.enabled} answers as soon as the delivery is stored,
 * and the worker runs its {@link InboxHandler} methods with retries, dead letters and replay through the Actuator.
 */
@SpringBootTest(
        classes = InboxHttpTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.orders.scheme=standard-webhooks",
            "hookwarden.endpoints.orders.secrets[0]=" + InboxHttpTest.SECRET,
            "hookwarden.endpoints.orders.paths[0]=/hooks/orders",
            "hookwarden.endpoints.orders.inbox.enabled=true",
            "hookwarden.inbox.worker.poll-interval=20ms",
            "hookwarden.inbox.worker.retry.base=10ms",
            "hookwarden.inbox.worker.retry.cap=20ms",
            "hookwarden.inbox.worker.retry.max-attempts=5",
            "management.endpoints.web.exposure.include=health,hookwardenInbox",
            "management.endpoint.health.show-details=always"
        })
class InboxHttpTest {
    static final String SECRET = "whsec_aW5ib3ggaHR0cCB0ZXN0IGtleSAwMTIzNDU2Nzg5";
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

    record Order(String type, String id) {}

    static class Handlers {
        volatile CountDownLatch slowStarted = new CountDownLatch(1);
        volatile CountDownLatch slowRelease = new CountDownLatch(1);
        final AtomicInteger slowRuns = new AtomicInteger();
        final List<Order> orders = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicInteger flakyAttempts = new AtomicInteger();
        final AtomicInteger flakyDone = new AtomicInteger();
        final AtomicInteger poisonRuns = new AtomicInteger();
        volatile boolean poisonFixed;

        @InboxHandler(endpoint = "orders", eventType = "order.slow")
        void slow(VerifiedWebhook webhook) throws InterruptedException {
            slowStarted.countDown();
            slowRelease.await(10, TimeUnit.SECONDS);
            slowRuns.incrementAndGet();
        }

        @InboxHandler(endpoint = "orders", eventType = "order.created")
        void created(@WebhookPayload Order order, WebhookEvent event) {
            orders.add(order);
            events.add(event.type().orElseThrow());
        }

        @InboxHandler(endpoint = "orders", eventType = "order.flaky")
        void flaky(VerifiedWebhook webhook) {
            if (flakyAttempts.incrementAndGet() < 3) {
                throw new IllegalStateException("downstream not ready");
            }
            flakyDone.incrementAndGet();
        }

        @InboxHandler(endpoint = "orders", eventType = "order.poison")
        void poison(VerifiedWebhook webhook) {
            poisonRuns.incrementAndGet();
            if (!poisonFixed) {
                throw new PoisonDeliveryException("order refused");
            }
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Handlers handlers;

    WebhookFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .build();
    }

    static String order(String type) {
        return "{\"type\":\"" + type + "\",\"id\":\"ord_" + UUID.randomUUID() + "\"}";
    }

    HttpResponse<String> send(WebhookRequest request) throws Exception {
        return CLIENT.send(
                WebhookRequests.toHttpRequest(request, uri("/hooks/orders")), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    JsonNode actuator(String query) throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(uri("/actuator/hookwardenInbox" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void aDeliveryIsAnswered200BeforeItsHandlerRunsAndTheHandlerThenRunsOnce() throws Exception {
        // given: the handler blocks until released
        handlers.slowRelease = new CountDownLatch(1);
        handlers.slowStarted = new CountDownLatch(1);

        // when
        long start = System.nanoTime();
        HttpResponse<String> response =
                send(fixtures.delivery(order("order.slow")).signed());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // then: answered while the handler has not finished
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(handlers.slowRuns).hasValue(0);
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(handlers.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        handlers.slowRelease.countDown();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(handlers.slowRuns).hasValue(1));
    }

    @Test
    void aProvidersRetryOfAStoredDeliveryIsAnsweredDuplicateAndTheHandlerRunsOnceWithTheBoundPayload()
            throws Exception {
        // given
        String body = order("order.created");
        WebhookRequest delivery = fixtures.delivery(body).signed();
        Order expected = JSON.readValue(body, Order.class);

        // when
        HttpResponse<String> first = send(delivery);
        HttpResponse<String> retry = send(delivery);

        // then
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(retry.body()).path("reason").asText()).isEqualTo("DUPLICATE");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(handlers.orders).contains(expected));
        assertThat(handlers.orders).filteredOn(expected::equals).hasSize(1);
        assertThat(handlers.events).contains("order.created");
    }

    @Test
    void aFailingHandlerIsRetriedWithBackoffUntilItSucceeds() throws Exception {
        // when
        HttpResponse<String> response =
                send(fixtures.delivery(order("order.flaky")).signed());

        // then: two failed attempts, then success
        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(handlers.flakyDone).hasValue(1));
        assertThat(handlers.flakyAttempts).hasValue(3);
    }

    @Test
    void aPoisonDeliveryIsDeadVisibleThroughTheActuatorAndRunsAgainWhenReplayedThere() throws Exception {
        // given
        handlers.poisonFixed = false;
        String body = order("order.poison");
        String eventId = UUID.randomUUID().toString();

        // when
        assertThat(send(fixtures.delivery(body).id(eventId).signed()).statusCode())
                .isEqualTo(200);

        // then: dead after one attempt, listed by the actuator
        JsonNode dead = await().atMost(Duration.ofSeconds(10))
                .until(() -> find(actuator("?endpoint=orders&state=dead&limit=50"), eventId), node -> node != null);
        assertThat(dead.path("attempts").asInt()).isEqualTo(1);
        assertThat(dead.path("lastError").asText())
                .contains("PoisonDeliveryException")
                .contains("order refused");
        assertThat(dead.has("body")).isFalse();
        assertThat(handlers.poisonRuns).hasValue(1);
        JsonNode stats = actuator("").path("endpoints").path("orders").path("counts");
        assertThat(stats.path("dead").asLong()).isPositive();

        // when: fixed and replayed through the actuator
        handlers.poisonFixed = true;
        HttpResponse<String> replayed = CLIENT.send(
                HttpRequest.newBuilder(uri("/actuator/hookwardenInbox"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"id\":\"" + dead.path("id").asText() + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(replayed.body()).path("replayed").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(handlers.poisonRuns).hasValue(2));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(find(actuator("?endpoint=orders&state=completed&limit=100"), eventId))
                        .isNotNull());
    }

    @Test
    void purgeAndReplayThroughTheActuatorRefuseToApplyToEverything() throws Exception {
        HttpResponse<String> purge = CLIENT.send(
                HttpRequest.newBuilder(uri("/actuator/hookwardenInbox"))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> replay = CLIENT.send(
                HttpRequest.newBuilder(uri("/actuator/hookwardenInbox"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(purge.statusCode()).isEqualTo(400);
        assertThat(replay.statusCode()).isEqualTo(400);
    }

    @Test
    void theHealthShowsTheInboxCountsPerEndpoint() throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(uri("/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());

        JsonNode inbox = JSON.readTree(response.body()).path("components").path("hookwardenInbox");
        assertThat(inbox.path("status").asText()).isEqualTo("UP");
        assertThat(inbox.path("details").path("orders").path("counts").has("pending"))
                .isTrue();
    }

    private static JsonNode find(JsonNode listing, String eventId) {
        for (JsonNode d : listing.path("deliveries")) {
            if (eventId.equals(d.path("eventId").asText())) {
                return d;
            }
        }
        return null;
    }
}
