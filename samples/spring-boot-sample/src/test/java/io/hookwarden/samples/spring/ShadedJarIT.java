package io.hookwarden.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code java -jar samples/spring-boot-sample/target/spring-boot-sample.jar} as a process with {@code PORT} set,
 * as the README and scripts do. A failsafe test: the jar exists only after the package phase, and failsafe passes its
 * path in {@code sample.jar}. The process verifies on the system clock, so the deliveries are signed on it too.
 */
class ShadedJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ProcessBuilder java(Map<String, String> env) {
        Path jar = Path.of(System.getProperty("sample.jar", "target/spring-boot-sample.jar"));
        assertThat(jar).as("the executable jar; build it with ./mvnw package").isRegularFile();
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectError(dir.resolve("err.txt").toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("HOOKWARDEN_") || name.equals("PORT"));
        environment.putAll(env);
        return builder;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Reads the process's output; completes with everything printed up to the "listening on" line. */
    private static CompletableFuture<String> banner(Process process) {
        CompletableFuture<String> banner = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            StringBuilder out = new StringBuilder();
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    out.append(line).append('\n');
                    if (line.contains("listening on")) {
                        banner.complete(out.toString());
                    }
                }
            } catch (IOException e) {
                banner.completeExceptionally(e);
            }
            banner.completeExceptionally(new AssertionError("the sample ended before listening:\n" + out));
        });
        reader.setDaemon(true);
        reader.start();
        return banner;
    }

    private HttpResponse<String> send(WebhookRequest delivery, URI target) throws Exception {
        return client.send(WebhookRequests.toHttpRequest(delivery, target), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theJarServesTheSampleOnPortAndProcessesADeliveryOnce() throws Exception {
        int port = freePort();
        Process process = java(Map.of("PORT", Integer.toString(port))).start();
        try {
            String banner = banner(process).get(2, TimeUnit.MINUTES);
            URI base = URI.create("http://localhost:" + port);
            WebhookFixtures stripe = WebhookFixtures.builder()
                    .scheme(Schemes.stripe())
                    .secret(SampleSettings.DEMO_STRIPE_SECRET)
                    .build();
            WebhookRequest delivery =
                    stripe.signed("{\"id\":\"evt_jar\",\"type\":\"invoice.paid\",\"data\":{\"object\":"
                            + "{\"id\":\"in_jar\",\"amount_paid\":1999,\"currency\":\"eur\"}}}");
            URI endpoint = base.resolve("/webhooks/stripe");

            HttpResponse<String> first = send(delivery, endpoint);
            HttpResponse<String> replay = send(delivery, endpoint);
            HttpResponse<String> forged =
                    send(stripe.forged("{\"id\":\"evt_forged\",\"type\":\"invoice.paid\"}"), endpoint);
            HttpResponse<String> events = client.send(
                    HttpRequest.newBuilder(base.resolve("/events")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(banner)
                    .contains("HOOKWARDEN_STRIPE_SECRET=" + SampleSettings.DEMO_STRIPE_SECRET)
                    .contains("dedupe store: in-memory")
                    .contains("listening on http://localhost:" + port);
            assertThat(first.statusCode()).isEqualTo(204);
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(replay.body()).get("reason").asText()).isEqualTo("DUPLICATE");
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(forged.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(events.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            JsonNode list = JSON.readTree(events.body());
            assertThat(list).hasSize(1);
            assertThat(list.get(0).get("endpoint").asText()).isEqualTo("stripe");
            assertThat(list.get(0).get("id").asText()).isEqualTo("evt_jar");
            assertThat(list.get(0).get("type").asText()).isEqualTo("invoice.paid");
        } finally {
            process.destroy();
            assertThat(process.waitFor(1, TimeUnit.MINUTES))
                    .as("the sample stops on SIGTERM")
                    .isTrue();
        }
    }

    @Test
    void theJarRefusesABadPortWithOneLineAndStatusTwo() throws Exception {
        Process process = java(Map.of("PORT", "eighty")).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(out).isEmpty();
        List<String> err = Files.readAllLines(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertThat(err)
                .containsExactly(
                        "spring-boot-sample cannot start: PORT must be a port number (0 to 65535) but was eighty");
    }
}
