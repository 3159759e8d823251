package io.hookwarden.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.hookwarden.Headers;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WebhookRequestsTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void aSignedDeliverySentOverRealHttpStillVerifiesOnArrival() throws Exception {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .clock(clock)
                .build();
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .clock(clock)
                .build();
        AtomicReference<WebhookRequest> arrived = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            Headers.Builder headers = Headers.builder();
            exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
            arrived.set(WebhookRequest.builder()
                    .method(exchange.getRequestMethod())
                    .headers(headers.build())
                    .body(exchange.getRequestBody().readAllBytes())
                    .build());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
            WebhookRequest sent = fixtures.delivery("{\"type\":\"invoice.paid\",\"note\":\"h\u00e9\"}")
                    .signed();

            HttpResponse<Void> response = HttpClient.newHttpClient()
                    .send(WebhookRequests.toHttpRequest(sent, target), HttpResponse.BodyHandlers.discarding());

            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(arrived.get().body()).isEqualTo(sent.body());
            assertThat(verifier.verify(arrived.get()).id())
                    .isEqualTo(sent.headers().first("webhook-id"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aHeaderGivenTwiceIsSentTwiceAndRestrictedHeadersAreLeftToTheClient() {
        WebhookRequest request = WebhookRequest.builder()
                .header("X-Sig", "a")
                .header("X-Sig", "b")
                .header("Host", "example.com")
                .header("Content-Length", "3")
                .body("abc")
                .build();

        var http = WebhookRequests.toHttpRequest(request, URI.create("http://localhost/x"));

        assertThat(http.headers().allValues("X-Sig")).containsExactly("a", "b");
        assertThat(http.headers().firstValue("Host")).isEmpty();
        assertThat(http.method()).isEqualTo("POST");
        assertThat(http.bodyPublisher().orElseThrow().contentLength()).isEqualTo(3);
    }

    @Test
    void withoutATargetTheDeliveryNeedsItsOwnUrl() {
        WebhookRequest request = WebhookRequest.builder().body("{}").build();

        assertThatThrownBy(() -> WebhookRequests.toHttpRequest(request))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no URL");
        assertThat(WebhookRequests.toHttpRequest(
                                request.toBuilder().url("http://h/p").build())
                        .uri())
                .isEqualTo(URI.create("http://h/p"));
    }
}
