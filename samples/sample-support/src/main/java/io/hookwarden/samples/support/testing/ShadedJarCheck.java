package io.hookwarden.samples.support.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.support.SampleEndpoints;
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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a sample's executable jar as a {@code java -jar} process with {@code PORT} set, as the README and scripts do,
 * and checks it as a provider would (DESIGN.md "Samples"). A sample's failsafe test ({@code ShadedJarIT}) calls it;
 * failsafe passes the jar's path in the {@code sample.jar} system property. The process verifies on the system clock,
 * so the deliveries are signed on it too, with the demo secrets the jar falls back to.
 *
 * <p>Thread-safe: it holds only its name and jar; each check starts and stops its own process.
 */
public final class ShadedJarCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Path jar;
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ShadedJarCheck(String name, Path jar) {
        this.name = name;
        this.jar = jar;
    }

    /**
     * The check of sample {@code name}'s jar: {@code sample.jar} if set, else {@code target/<name>.jar}.
     *
     * @throws NullPointerException if {@code name} is null
     */
    public static ShadedJarCheck of(String name) {
        Objects.requireNonNull(name, "name cannot be null");
        return new ShadedJarCheck(name, Path.of(System.getProperty("sample.jar", "target/" + name + ".jar")));
    }

    /**
     * Starts the jar on a free {@code PORT}, waits for its banner, sends a valid delivery, its replay and a forged one
     * to the Standard Webhooks and Stripe endpoints, checks {@code GET /events}, and stops the process with SIGTERM.
     * Standard error goes to {@code dir/err.txt}.
     *
     * @throws Exception if the process or a request fails; an {@link AssertionError} if a check fails
     */
    public void servesTheSampleOnPortAndProcessesADeliveryOnce(Path dir) throws Exception {
        int port = freePort();
        Process process = java(dir, Map.of("PORT", Integer.toString(port))).start();
        try {
            String banner = banner(process).get(2, TimeUnit.MINUTES);
            URI base = URI.create("http://localhost:" + port);
            WebhookFixtures standard = fixtures(Schemes.standardWebhooks(), SampleSettings.DEMO_STANDARD_SECRET);
            WebhookFixtures stripe = fixtures(Schemes.stripe(), SampleSettings.DEMO_STRIPE_SECRET);
            WebhookRequest order = standard.delivery(
                            "{\"type\":\"order.created\",\"data\":{\"order_id\":\"ord_jar\",\"total\":12}}")
                    .signed();
            WebhookRequest invoice = stripe.delivery(
                            "{\"id\":\"evt_jar\",\"type\":\"invoice.paid\",\"data\":{\"object\":"
                                    + "{\"id\":\"in_jar\",\"amount_paid\":1999,\"currency\":\"eur\"}}}")
                    .signed();

            assertDeliveredOnce(base.resolve(SampleEndpoints.STANDARD), order);
            assertDeliveredOnce(base.resolve(SampleEndpoints.STRIPE), invoice);
            HttpResponse<String> forged = send(
                    standard.delivery("{\"type\":\"order.created\"}").forged(), base.resolve(SampleEndpoints.STANDARD));
            HttpResponse<String> events = client.send(
                    HttpRequest.newBuilder(base.resolve(SampleEndpoints.EVENTS)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(banner)
                    .contains("HOOKWARDEN_STANDARD_SECRET=" + SampleSettings.DEMO_STANDARD_SECRET)
                    .contains("HOOKWARDEN_STRIPE_SECRET=" + SampleSettings.DEMO_STRIPE_SECRET)
                    .contains("dedupe store: in-memory")
                    .contains("listening on http://localhost:" + port);
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(forged.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(events.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            JsonNode list = JSON.readTree(events.body());
            assertThat(list).hasSize(2);
            assertThat(list.findValuesAsText("endpoint")).containsExactlyInAnyOrder("standard", "stripe");
            assertThat(list.findValuesAsText("id"))
                    .containsExactlyInAnyOrder(
                            order.headers().first("webhook-id").orElseThrow(), "evt_jar");
            assertThat(list.findValuesAsText("type")).containsExactlyInAnyOrder("order.created", "invoice.paid");
        } finally {
            process.destroy();
            assertThat(process.waitFor(1, TimeUnit.MINUTES))
                    .as("the sample stops on SIGTERM")
                    .isTrue();
        }
    }

    /**
     * Starts the jar with {@code PORT=eighty} and checks it exits with status 2 after one line on standard error
     * (written to {@code dir/err.txt}) and nothing on standard output.
     *
     * @throws Exception if the process fails to start; an {@link AssertionError} if a check fails
     */
    public void refusesABadPortWithOneLineAndStatusTwo(Path dir) throws Exception {
        Process process = java(dir, Map.of("PORT", "eighty")).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(out).isEmpty();
        List<String> err = Files.readAllLines(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertThat(err).containsExactly(name + " cannot start: PORT must be a port number (0 to 65535) but was eighty");
    }

    private void assertDeliveredOnce(URI endpoint, WebhookRequest delivery) throws Exception {
        HttpResponse<String> first = send(delivery, endpoint);
        HttpResponse<String> replay = send(delivery, endpoint);

        assertThat(first.statusCode()).as("a valid delivery to %s", endpoint).isEqualTo(204);
        assertThat(replay.statusCode()).as("its replay").isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).path("reason").asText()).isEqualTo("DUPLICATE");
    }

    private static WebhookFixtures fixtures(io.hookwarden.Scheme scheme, String secret) {
        return WebhookFixtures.builder().scheme(scheme).secret(secret).build();
    }

    private ProcessBuilder java(Path dir, Map<String, String> env) {
        assertThat(jar).as("the executable jar; build it with ./mvnw package").isRegularFile();
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectError(dir.resolve("err.txt").toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("HOOKWARDEN_") || key.equals("PORT"));
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
}
