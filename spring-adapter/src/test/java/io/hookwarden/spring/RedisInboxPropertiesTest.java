package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.InMemoryInbox;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.inbox.redis.RedisInbox;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.embedded.RedisServer;

/**
 * Issue 15: {@code hookwarden.inbox.store=redis} puts the endpoints with {@code inbox.enabled} on a {@link RedisInbox}
 * built from {@code hookwarden.inbox.redis.*}, over real HTTP against a real Redis (embedded, on a free port): the
 * delivery is answered at once, its handler runs once on the worker, a retry is a duplicate, and the Actuator endpoint
 * and health read the Redis inbox. A bad value fails start-up naming its property; the application's own Inbox wins.
 */
class RedisInboxPropertiesTest {
    static final String SECRET = "whsec_cmVkaXMgaW5ib3ggc3ByaW5nIHRlc3Qga2V5IDAxMjM0NTY=";
    private static final String PASSWORD = "inb0x-Pa55word";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RedisServer redis;
    private static int redisPort;
    private static Path redisDir;

    @BeforeAll
    static void startRedis() throws IOException {
        redisPort = freePort();
        redisDir = Files.createTempDirectory("hookwarden-spring-inbox-redis-");
        redis = RedisServer.newRedisServer()
                .port(redisPort)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("dir " + redisDir.toAbsolutePath())
                .build();
        redis.start();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        redis.stop();
        try (var files = Files.walk(redisDir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
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
                "hookwarden.inbox.store=redis",
                "hookwarden.inbox.worker.poll-interval=20ms",
                "management.endpoints.web.exposure.include=health,hookwardenInbox",
                "management.endpoint.health.show-details=always"));
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

    @Test
    void aDeliveryIsQueuedOnRedisAnswered202HandledOnceByTheWorkerAndItsRetryIsADuplicate() throws Exception {
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        try (ConfigurableApplicationContext context = app(
                                App.class,
                                "hookwarden.inbox.redis.uri=redis://127.0.0.1:" + redisPort,
                                "hookwarden.inbox.redis.key-prefix=" + prefix,
                                "hookwarden.inbox.redis.max-length=1000",
                                "hookwarden.inbox.redis.command-timeout=3s")
                        .run();
                RedisClient client = RedisClient.create("redis://127.0.0.1:" + redisPort);
                StatefulRedisConnection<String, String> connection = client.connect()) {
            // given: the endpoint's inbox is the Redis inbox the properties describe
            RedisInbox inbox = context.getBean(RedisInbox.class);
            assertThat(context.getBeansOfType(Inbox.class)).hasSize(1);
            assertThat(inbox.keyPrefix()).isEqualTo(prefix);
            assertThat(inbox.maxLength()).isEqualTo(1000);
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            Handlers handlers = context.getBean(Handlers.class);
            WebhookFixtures fixtures = WebhookFixtures.builder()
                    .scheme(Schemes.standardWebhooks())
                    .secret(SECRET)
                    .build();
            String eventId = "evt_" + UUID.randomUUID();
            WebhookRequest delivery = fixtures.delivery("{\"type\":\"order.created\",\"id\":\"ord_1\"}")
                    .id(eventId)
                    .signed();
            URI uri = URI.create("http://localhost:" + port + "/hooks/orders");

            // when
            HttpResponse<String> first =
                    CLIENT.send(WebhookRequests.toHttpRequest(delivery, uri), HttpResponse.BodyHandlers.ofString());

            // then: answered 202 once stored, in Redis's stream under the configured prefix
            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(first.body()).isEmpty();
            assertThat(connection.sync().xlen(inbox.streamKey("orders"))).isEqualTo(1);
            assertThat(inbox.streamKey("orders")).startsWith(prefix);
            // and: the worker runs the handler, then settles the delivery as completed
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThat(inbox.stats("orders").count(StoredDelivery.State.COMPLETED))
                            .isEqualTo(1L));
            assertThat(handlers.runs.get(eventId)).hasValue(1);

            // when: the provider retries the same delivery
            HttpResponse<String> retry =
                    CLIENT.send(WebhookRequests.toHttpRequest(delivery, uri), HttpResponse.BodyHandlers.ofString());

            // then: a duplicate, not queued again, not run again
            assertThat(retry.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(retry.body()).path("reason").asText()).isEqualTo("DUPLICATE");
            Thread.sleep(300); // several poll intervals: a second run would have happened by now
            assertThat(handlers.runs.get(eventId)).hasValue(1);
            assertThat(connection.sync().xlen(inbox.streamKey("orders"))).isEqualTo(1);

            // and: the Actuator endpoint and the health read the Redis inbox
            HttpResponse<String> listed = get(port, "/actuator/hookwardenInbox?endpoint=orders&state=completed");
            assertThat(listed.statusCode()).isEqualTo(200);
            JsonNode deliveries = JSON.readTree(listed.body()).path("deliveries");
            assertThat(deliveries.findValuesAsText("eventId")).containsExactly(eventId);
            HttpResponse<String> health = get(port, "/actuator/health");
            JsonNode inboxHealth =
                    JSON.readTree(health.body()).path("components").path("hookwardenInbox");
            assertThat(inboxHealth.path("status").asText()).isEqualTo("UP");
            assertThat(inboxHealth
                            .path("details")
                            .path("orders")
                            .path("counts")
                            .path("completed")
                            .asLong())
                    .isEqualTo(1);
        }
    }

    @Test
    void theApplicationsOwnInboxWinsOverTheStoreProperty() {
        try (ConfigurableApplicationContext context = app(
                        AppWithItsOwnInbox.class, "hookwarden.inbox.redis.uri=redis://127.0.0.1:" + redisPort)
                .run()) {
            assertThat(context.getBeansOfType(Inbox.class)).containsOnlyKeys("myInbox");
            assertThat(context.getBean(WebhookEndpoints.class)
                            .receiver("orders")
                            .inbox())
                    .containsSame(context.getBean(InMemoryInbox.class));
        }
    }

    @Test
    void withoutAUriTheApplicationsLettuceClientIsUsed() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redisPort);
        try (ConfigurableApplicationContext context = app(App.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("redisClient", client))
                .run()) {
            RedisInbox inbox = context.getBean(RedisInbox.class);
            assertThat(inbox.toString()).contains("given client");
            assertThat(context.getBean(WebhookEndpoints.class)
                            .receiver("orders")
                            .inbox())
                    .containsSame(inbox);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void withoutAUriSpringDataRedisConnectionSettingsAreUsed() {
        try (ConfigurableApplicationContext context = app(
                        App.class, "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort)
                .run()) {
            RedisInbox inbox = context.getBean(RedisInbox.class);
            assertThat(inbox.toString()).contains("given client");
            assertThat(inbox.stats("orders").count(StoredDelivery.State.PENDING))
                    .isZero();
        }
    }

    @Test
    void aRedisDownAtStartUpThroughSpringDataRedisNamesItsProperties() throws IOException {
        int nobody = freePort();
        FailureAnalysis analysis =
                failureOf(app(App.class, "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + nobody));

        assertThat(analysis.getDescription())
                .contains("spring.data.redis.*: Redis did not answer at start-up")
                .contains(String.valueOf(nobody));
    }

    private static FailureAnalysis failureOf(SpringApplicationBuilder app) {
        Throwable failure = catchThrowable(app::run);
        assertThat(failure).isNotNull();
        FailureAnalysis analysis = new WebhookConfigurationFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }

    @Test
    void aBadMaxLengthFailsStartUpNamingTheProperty() {
        FailureAnalysis analysis = failureOf(app(
                App.class,
                "hookwarden.inbox.redis.uri=redis://127.0.0.1:" + redisPort,
                "hookwarden.inbox.redis.max-length=0"));

        assertThat(analysis.getDescription())
                .contains("hookwarden.inbox.redis.max-length: maxLength must be positive but was 0");
        assertThat(analysis.getAction()).contains("at least 1");
    }

    @Test
    void aKeyPrefixWithABraceFailsStartUpNamingTheProperty() {
        FailureAnalysis analysis = failureOf(app(
                App.class,
                "hookwarden.inbox.redis.uri=redis://127.0.0.1:" + redisPort,
                "hookwarden.inbox.redis.key-prefix=a{b}:"));

        assertThat(analysis.getDescription())
                .contains("hookwarden.inbox.redis.key-prefix: keyPrefix cannot hold a brace");
    }

    @Test
    void aZeroCommandTimeoutFailsStartUpNamingTheProperty() {
        FailureAnalysis analysis = failureOf(app(
                App.class,
                "hookwarden.inbox.redis.uri=redis://127.0.0.1:" + redisPort,
                "hookwarden.inbox.redis.command-timeout=0s"));

        assertThat(analysis.getDescription())
                .contains("hookwarden.inbox.redis.command-timeout: commandTimeout must be positive");
    }

    @Test
    void noUriAndNoClientFailsStartUpNamingTheUriProperty() {
        FailureAnalysis analysis = failureOf(
                app(
                        App.class,
                        "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration"));

        assertThat(analysis.getDescription()).contains("hookwarden.inbox.redis.uri: is missing");
        assertThat(analysis.getAction()).contains("hookwarden.inbox.redis.uri=redis://host:6379");
    }

    @Test
    void aRedisDownAtStartUpFailsStartUpNamingTheUriWithoutThePassword() throws IOException {
        int nobody = freePort();
        Throwable failure = catchThrowable(
                app(App.class, "hookwarden.inbox.redis.uri=redis://:" + PASSWORD + "@127.0.0.1:" + nobody)::run);

        FailureAnalysis analysis = new WebhookConfigurationFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription())
                .contains("hookwarden.inbox.redis.uri: Redis did not answer at start-up")
                .contains("127.0.0.1:" + nobody)
                .doesNotContain(PASSWORD);
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void anUnknownStoreFailsStartUpNamingTheProperty() {
        Throwable failure = catchThrowable(app(
                App.class, "hookwarden.inbox.store=rabbitmq", "hookwarden.inbox.redis.uri=redis://127.0.0.1:1")::run);

        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).contains("hookwarden.inbox.store").contains("rabbitmq");
    }
}
