package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.InMemoryInbox;
import io.hookwarden.PoisonDeliveryException;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.micrometer.InboxMetrics;
import io.hookwarden.spi.Inbox;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import io.hookwarden.testsupport.EmbeddedKafka;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Issue 15: {@code hookwarden.inbox.store=kafka} puts the endpoints with {@code inbox.enabled} on Kafka topics built
 * from {@code hookwarden.inbox.kafka.*}, and runs their {@link InboxHandler} methods on Kafka consumers managed by the
 * context; over real HTTP on Tomcat against a real KRaft broker in this JVM (one for the class). A delivery is answered
 * once its record is on the topic, handled once however often it is sent, a poison one lands in {@code <topic>.DLT},
 * the health and the Actuator endpoint say the Kafka inbox is skipped, and the workers commit what they settled as the
 * context closes.
 */
class KafkaInboxPropertiesTest {
    static final String SECRET = "whsec_a2Fma2EgaW5ib3ggc3ByaW5nIHRlc3Qga2V5IDAxMjM0NTY=";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedKafka broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Handlers handlers() {
            return new Handlers();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AppWithItsOwnInbox {
        @Bean
        InMemoryInbox myInbox() {
            return InMemoryInbox.create();
        }

        @Bean
        Handlers handlers() {
            return new Handlers();
        }
    }

    static class Handlers {
        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

        @InboxHandler(endpoint = "orders")
        void any(VerifiedWebhook webhook) {
            runs.computeIfAbsent(webhook.id().orElseThrow(), id -> new AtomicInteger())
                    .incrementAndGet();
            if (webhook.eventType().orElse("").equals("order.poison")) {
                throw new PoisonDeliveryException("order.poison cannot be handled");
            }
        }
    }

    private static SpringApplicationBuilder app(Class<?> source, String... more) {
        List<String> properties = new java.util.ArrayList<>(List.of(
                "server.port=0",
                "hookwarden.endpoints.orders.scheme=standard-webhooks",
                "hookwarden.endpoints.orders.secrets[0]=" + SECRET,
                "hookwarden.endpoints.orders.paths[0]=/hooks/orders",
                "hookwarden.endpoints.orders.inbox.enabled=true",
                "hookwarden.endpoints.orders.inbox.accept-status=202",
                "hookwarden.inbox.store=kafka",
                "management.endpoints.web.exposure.include=health,hookwardenInbox",
                "management.endpoint.health.show-details=always",
                // no Redis here: Spring Data Redis's own health would be DOWN whatever the inbox says
                "management.health.redis.enabled=false",
                // the reason of the Actuator endpoint's 400, which Spring Boot leaves out by default
                "server.error.include-message=always"));
        properties.addAll(List.of(more));
        return new SpringApplicationBuilder(source)
                .web(WebApplicationType.SERVLET)
                .properties(properties.toArray(String[]::new));
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(WebhookRequest delivery, URI uri) throws Exception {
        return CLIENT.send(WebhookRequests.toHttpRequest(delivery, uri), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDeliveryIsAnsweredOnceOnTheTopicHandledOnceWhenSentTwiceAndAPoisonOneIsDeadLettered() throws Exception {
        String run = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = run + ".orders";
        String group = run + "-billing";
        broker.createTopics(topic, topic + ".DLT");
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .build();
        String eventId = "evt_" + UUID.randomUUID();
        String poisonId = "evt_" + UUID.randomUUID();
        Handlers handlers;
        try (ConfigurableApplicationContext context = app(
                        App.class,
                        "hookwarden.inbox.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "hookwarden.inbox.kafka.topic=" + run + ".{endpoint}",
                        "hookwarden.inbox.kafka.write-timeout=10s",
                        "hookwarden.inbox.kafka.group-id=" + group,
                        "hookwarden.inbox.kafka.poll-timeout=100ms",
                        "hookwarden.inbox.kafka.properties.client.id=" + run,
                        "hookwarden.inbox.worker.retry.base=50ms",
                        "hookwarden.inbox.worker.retry.max-attempts=3",
                        "hookwarden.inbox.worker.shutdown-grace=5s")
                .run()) {
            // given: the endpoint's inbox is the Kafka inbox the properties describe, consumed by one worker bean
            assertThat(context.getBeansOfType(Inbox.class)).hasSize(1);
            KafkaInboxes inboxes = context.getBean(KafkaInboxes.class);
            assertThat(inboxes.topic("orders")).isEqualTo(topic);
            assertThat(context.getBean(WebhookEndpoints.class)
                            .receiver("orders")
                            .inbox())
                    .containsSame(inboxes);
            KafkaInboxWorkers workers = context.getBean(KafkaInboxWorkers.class);
            assertThat(workers.workers()).hasSize(1);
            assertThat(workers.isRunning()).isTrue();
            assertThat(workers.workers().get(0).name()).isEqualTo(group + "-" + topic + "-1");
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            handlers = context.getBean(Handlers.class);
            URI uri = URI.create("http://localhost:" + port + "/hooks/orders");
            WebhookRequest delivery = fixtures.delivery("{\"type\":\"order.created\",\"id\":\"ord_1\"}")
                    .id(eventId)
                    .signed();

            // when
            HttpResponse<String> first = send(delivery, uri);

            // then: answered 202, and the record is on the topic already (the broker acknowledged it)
            assertThat(first.statusCode()).isEqualTo(202);
            List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic);
            assertThat(records).hasSize(1);
            assertThat(header(records.get(0), "hookwarden.endpoint")).isEqualTo("orders");
            assertThat(header(records.get(0), "hookwarden.event-id")).isEqualTo(eventId);
            assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8))
                    .contains("ord_1");

            // when: the provider sends it again
            HttpResponse<String> again = send(delivery, uri);

            // then: published again (a topic cannot refuse it), handled once by the worker bean
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(broker.read(topic)).hasSize(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> broker.lag(group, topic) == 0);
            assertThat(handlers.runs.get(eventId)).hasValue(1);

            // when: a delivery its handler cannot handle
            HttpResponse<String> poison = send(
                    fixtures.delivery("{\"type\":\"order.poison\",\"id\":\"ord_2\"}")
                            .id(poisonId)
                            .signed(),
                    uri);

            // then: accepted, then dead-lettered to <topic>.DLT with its error, its offset committed
            assertThat(poison.statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !broker.read(topic + ".DLT").isEmpty());
            ConsumerRecord<byte[], byte[]> dead = broker.read(topic + ".DLT").get(0);
            assertThat(header(dead, "hookwarden.event-id")).isEqualTo(poisonId);
            assertThat(header(dead, "hookwarden.error")).contains("order.poison cannot be handled");
            assertThat(header(dead, "hookwarden.attempts")).isEqualTo("1");
            assertThat(handlers.runs.get(poisonId)).hasValue(1);

            // and: the health says the Kafka inbox is skipped, and is UP
            JsonNode health = JSON.readTree(get(port, "/actuator/health").body());
            JsonNode inboxHealth = health.path("components").path("hookwardenInbox");
            assertThat(inboxHealth.path("status").asText()).isEqualTo("UP");
            JsonNode orders = inboxHealth.path("details").path("orders");
            assertThat(orders.path("store").asText()).isEqualTo("kafka");
            assertThat(orders.path("topic").asText()).isEqualTo(topic);
            assertThat(orders.path("deadLetterTopic").asText()).isEqualTo(topic + ".DLT");
            assertThat(orders.path("skipped").asText()).contains("only writes");
            assertThat(health.path("status").asText()).isEqualTo("UP");

            // and: the Actuator endpoint shows the same, and refuses to list what a topic cannot
            HttpResponse<String> listed = get(port, "/actuator/hookwardenInbox");
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(listed.body())
                            .path("endpoints")
                            .path("orders")
                            .path("store")
                            .asText())
                    .isEqualTo("kafka");
            HttpResponse<String> one = get(port, "/actuator/hookwardenInbox?endpoint=orders");
            assertThat(one.statusCode()).isEqualTo(400);
            assertThat(one.body()).contains("only writes to Kafka topic " + topic);

            // and: no inbox meter reads a topic that cannot be counted
            assertThat(context.getBean(MeterRegistry.class)
                            .find(InboxMetrics.DELIVERIES)
                            .meters())
                    .isEmpty();
        }

        // then: closed gracefully: the workers stopped, every settled offset committed, nothing run twice
        assertThat(broker.lag(group, topic)).isZero();
        assertThat(handlers.runs).containsOnlyKeys(eventId, poisonId);
        assertThat(handlers.runs.get(eventId)).hasValue(1);
    }

    @Test
    void aBrokerThatDoesNotAnswerIsA503NeverA2xx() throws Exception {
        int nobody;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = socket.getLocalPort();
        }
        try (ConfigurableApplicationContext context = app(
                        App.class,
                        "hookwarden.inbox.kafka.bootstrap-servers=127.0.0.1:" + nobody,
                        "hookwarden.inbox.kafka.write-timeout=1s",
                        "hookwarden.inbox.worker.enabled=false")
                .run()) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            WebhookRequest delivery = WebhookFixtures.builder()
                    .scheme(Schemes.standardWebhooks())
                    .secret(SECRET)
                    .build()
                    .delivery("{\"type\":\"order.created\"}")
                    .signed();

            HttpResponse<String> response = send(delivery, URI.create("http://localhost:" + port + "/hooks/orders"));

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(response.body()).path("reason").asText()).isEqualTo("STORE_UNAVAILABLE");
            assertThat(context.getBean(KafkaInboxWorkers.class).workers()).isEmpty();
        }
    }

    @Test
    void theApplicationsOwnInboxWinsOverTheStoreProperty() {
        try (ConfigurableApplicationContext context = app(
                        AppWithItsOwnInbox.class,
                        "hookwarden.inbox.kafka.bootstrap-servers=" + broker.bootstrapServers())
                .run()) {
            assertThat(context.getBeansOfType(Inbox.class)).containsOnlyKeys("myInbox");
            assertThat(context.getBeansOfType(KafkaInboxWorkers.class)).isEmpty();
            assertThat(context.getBean(WebhookEndpoints.class)
                            .receiver("orders")
                            .inbox())
                    .containsSame(context.getBean(InMemoryInbox.class));
        }
    }
}
