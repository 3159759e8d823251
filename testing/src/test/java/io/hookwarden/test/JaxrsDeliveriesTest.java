package io.hookwarden.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real Jersey client sends rendered deliveries to a real JDK HTTP server, which verifies what arrives. */
class JaxrsDeliveriesTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"name\":\"Zoë\"}";

    private final MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
    private final WebhookFixtures fixtures = WebhookFixtures.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .clock(clock)
            .build();
    private final WebhookVerifier verifier = WebhookVerifier.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .tolerance(Duration.ofMinutes(5))
            .clock(clock)
            .build();
    private final AtomicReference<WebhookRequest> arrived = new AtomicReference<>();
    private HttpServer server;
    private Client client;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/webhooks/", this::receive);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        client = ClientBuilder.newClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    /** Verifies the request as it arrived: 204 when it verifies, else 401 with the reason. */
    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            WebhookRequest.Builder request = WebhookRequest.builder()
                    .method(exchange.getRequestMethod())
                    .url(base.resolve(exchange.getRequestURI()).toString())
                    .body(exchange.getRequestBody().readAllBytes());
            for (Map.Entry<String, List<String>> header :
                    exchange.getRequestHeaders().entrySet()) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
            arrived.set(request.build());
            try {
                verifier.verify(arrived.get());
                exchange.sendResponseHeaders(204, -1);
            } catch (WebhookVerificationException e) {
                byte[] reason = e.reason().name().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(401, reason.length);
                exchange.getResponseBody().write(reason);
            }
        }
    }

    @Test
    void aSignedDeliveryArrivesWithItsHeadersAndExactBytesAndVerifies() {
        WebhookRequest signed = fixtures.delivery().body(BODY).id("msg_1").signed();

        try (Response response = JaxrsDeliveries.invocation(client.target(base).path("webhooks/stripe"), signed)
                .invoke()) {
            assertThat(response.getStatus()).isEqualTo(204);
        }
        VerifiedWebhook webhook = verifier.verify(arrived.get());
        assertThat(webhook.id()).contains("msg_1");
        assertThat(arrived.get().body()).isEqualTo(BODY.getBytes(StandardCharsets.UTF_8));
        assertThat(arrived.get().method()).isEqualTo("POST");
        assertThat(arrived.get().headers().first("Content-Type")).contains("application/json");
        assertThat(arrived.get().headers().first("webhook-signature"))
                .isEqualTo(signed.headers().first("webhook-signature"));
    }

    @Test
    void aTamperedDeliveryIsRefusedOnArrival() {
        try (Response response = JaxrsDeliveries.invocation(
                        client.target(base).path("webhooks/stripe"),
                        fixtures.delivery(BODY).tampered())
                .invoke()) {
            assertThat(response.getStatus()).isEqualTo(401);
            assertThat(response.readEntity(String.class)).isEqualTo("SIGNATURE_MISMATCH");
        }
    }

    @Test
    void aDeliveryWithItsOwnUrlGoesThere() {
        WebhookFixtures addressed = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .clock(clock)
                .url(base.resolve("/webhooks/own?tenant=7").toString())
                .build();

        try (Response response = JaxrsDeliveries.invocation(
                        client, addressed.delivery(BODY).signed())
                .invoke()) {
            assertThat(response.getStatus()).isEqualTo(204);
        }
        assertThat(arrived.get().url()).contains(base + "/webhooks/own?tenant=7");
    }

    @Test
    void aDeliveryWithoutAUrlNeedsATarget() {
        assertThatThrownBy(() -> JaxrsDeliveries.invocation(
                        client, fixtures.delivery(BODY).signed()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the delivery has no URL: pass a WebTarget");
    }
}
