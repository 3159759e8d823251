package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import redis.embedded.RedisServer;

/**
 * Issue 18: Redis unreachable at start-up stopped the application with a raw exception chain, though an outage at run
 * time was answered well. Now the application starts, answers each delivery 503 with Retry-After and reports health
 * DOWN while Redis is down, and processes the next delivery once Redis is up on its address.
 */
@SpringBootTest(classes = HooksApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("hooks")
class RedisDownAtStartUpTest {
    private static final String PASSWORD = "d0wn-Pa55word";
    private static final int PORT = freePort();
    private static RedisServer redis;
    private static Path redisDir;

    @DynamicPropertySource
    static void redisNobodyListensOn(DynamicPropertyRegistry registry) {
        registry.add("hookwarden.dedupe.store", () -> "redis");
        registry.add("hookwarden.dedupe.redis.uri", () -> "redis://:" + PASSWORD + "@127.0.0.1:" + PORT);
    }

    @AfterAll
    static void stopRedis() throws IOException {
        if (redis != null) {
            redis.stop();
            try (Stream<Path> files = Files.walk(redisDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    HooksApp.Recorder recorder;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> deliver(String id) throws Exception {
        WebhookFixtures standard = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(Secrets.STANDARD)
                .clock(clock)
                .build();
        return http.send(
                WebhookRequests.toHttpRequest(
                        standard.delivery("{}").id(id).signed(),
                        URI.create("http://127.0.0.1:" + port + "/webhooks/standard")),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> health() throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/hookwarden"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theApplicationStartsFailsClosedWhileRedisIsDownAndProcessesOnceItIsUp() throws Exception {
        // given: the application started with nothing listening on Redis's port

        // when: a signed delivery arrives
        HttpResponse<String> down = deliver("msg_down");

        // then: 503 STORE_UNAVAILABLE with Retry-After, the handler did not run, the health is DOWN
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(down.body()).contains("STORE_UNAVAILABLE").doesNotContain(PASSWORD);
        assertThat(recorder.handled).isEmpty();
        HttpResponse<String> downHealth = health();
        assertThat(downHealth.statusCode()).isEqualTo(503);
        assertThat(downHealth.body()).contains("\"DOWN\"").doesNotContain(PASSWORD);

        // when: Redis comes up on that port, and the provider retries
        startRedis();
        HttpResponse<String> up = deliver("msg_down");

        // then: the delivery is processed, and the health is UP
        assertThat(up.statusCode()).isEqualTo(204);
        assertThat(recorder.handled).containsExactly("standard:msg_down");
        assertThat(health().statusCode()).isEqualTo(200);
    }

    private static void startRedis() throws IOException {
        redisDir = Files.createTempDirectory("hookwarden-spring-redis-down-");
        redis = RedisServer.newRedisServer()
                .port(PORT)
                .bind("127.0.0.1")
                .setting("requirepass " + PASSWORD)
                .setting("save \"\"")
                .setting("dir " + redisDir.toAbsolutePath())
                .build();
        redis.start();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
