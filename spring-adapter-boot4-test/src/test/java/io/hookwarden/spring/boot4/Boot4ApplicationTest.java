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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
        WebhookRequest delivery = fixtures().signed("{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"a.b\"}");

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
        HttpResponse<String> response = send(fixtures().forged("{\"id\":\"evt_forged\"}"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body())
                .contains("\"reason\":\"SIGNATURE_MISMATCH\"")
                .doesNotContain(SECRET);
    }

    @Test
    void aBodyOverTheCapIs413() throws Exception {
        HttpResponse<String> response =
                send(fixtures().signed("{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(2048) + "\"}"));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"reason\":\"PAYLOAD_TOO_LARGE\"");
    }

    /**
     * Issue 13, on Tomcat 11: a sender that writes its whole 8 MiB body before it reads gets the 413 (with {@code
     * Connection: close}, the rest of the body drained) rather than a connection reset.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"content-length", "chunked"})
    void aSenderThatWritesItsWholeBodyBeforeReadingReceivesThe413(String framing) {
        String answer = Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(60), () -> sendWholeBodyThenRead(8 << 20, framing.equals("chunked")));

        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("PAYLOAD_TOO_LARGE");
        assertThat(answer.toLowerCase(Locale.ROOT)).contains("connection: close");
    }

    private String sendWholeBodyThenRead(int length, boolean chunked) throws IOException {
        int port = Integer.parseInt(environment.getProperty("local.server.port"));
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            String head = "POST /webhooks/stripe HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nContent-Type: application/json\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] piece = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int sent = 0; sent < length; sent += piece.length) {
                if (chunked) {
                    out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(piece); // a reset here (the server closed with the body unread) fails the test
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketException resetAfterTheAnswer) {
                // the answer was read first; a reset after it is the server closing with bytes unread
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
