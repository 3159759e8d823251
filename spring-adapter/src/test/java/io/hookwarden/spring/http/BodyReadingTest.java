package io.hookwarden.spring.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 13: the receiver reads the body, and what the sender gets when the body is too large or cannot be read, over a
 * raw socket to the embedded Tomcat (the endpoints' cap is the default 1 MiB).
 */
@SpringBootTest(
        classes = EdgeApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + EdgeApp.SECRET,
            "hookwarden.endpoints.configured.scheme=stripe",
            "hookwarden.endpoints.configured.secrets[0]=" + EdgeApp.SECRET,
            "hookwarden.endpoints.configured.paths[0]=/hooks/stripe"
        })
class BodyReadingTest {
    @LocalServerPort
    int port;

    @Autowired
    EdgeApp.Runs runs;

    @Autowired
    MutableClock clock;

    WebhookFixtures fixtures;

    @BeforeEach
    void fixtures() {
        runs.handled.clear();
        fixtures = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(EdgeApp.SECRET)
                .clock(clock)
                .build();
    }

    /**
     * Many providers' HTTP clients (Python's urllib among them) write the whole body before they read the answer. The
     * 413 goes out with {@code Connection: close} and the rest of the body is read and dropped, so the sender receives
     * the 413 instead of a connection reset, which it would retry again and again.
     */
    @ParameterizedTest(name = "{0} MiB, {1}, {2}")
    @CsvSource({
        "2, content-length, /webhooks/stripe",
        "8, content-length, /webhooks/stripe",
        "2, chunked, /webhooks/stripe",
        "8, chunked, /webhooks/stripe",
        "8, content-length, /hooks/stripe",
        "8, chunked, /hooks/stripe"
    })
    void aSenderThatWritesItsWholeBodyBeforeReadingReceivesThe413(int mebibytes, String framing, String path) {
        String answer = Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> io.hookwarden.test.RawHttp.sendWholeBodyThenRead(
                        "localhost", port, path, mebibytes << 20, framing.equals("chunked"), Duration.ofSeconds(30)));

        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("PAYLOAD_TOO_LARGE");
        assertThat(answer.toLowerCase(Locale.ROOT)).contains("connection: close");
        assertThat(runs.handled).isEmpty();
    }

    @Test
    void aMalformedChunkSizeIsTheSendersFaultNotTheHandlers() throws Exception {
        // given: a signed delivery whose chunked framing breaks after the first chunk
        WebhookRequest delivery = fixtures.delivery("{\"id\":\"evt_chunk\",\"type\":\"invoice.paid\"}")
                .signed();
        byte[] body = delivery.body();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head("/webhooks/stripe", delivery.headers().toMap())
                .append("Transfer-Encoding: chunked\r\n\r\n")
                .append(Integer.toHexString(10))
                .append("\r\n")
                .toString()
                .getBytes(StandardCharsets.US_ASCII));
        request.write(body, 0, 10);
        request.writeBytes("\r\nzz-not-a-size\r\n".getBytes(StandardCharsets.US_ASCII));
        request.write(body, 10, body.length - 10);
        request.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        // when
        RawHttp.Answer answer = new RawHttp(port).exchange(request.toByteArray());

        // then: a 400 that no provider retries as sent (Tomcat flags the request bad itself and its answer stands),
        // the connection closed, and the handler never ran; before, the read failure surfaced as a handler failure
        // (500 HANDLER_FAILED with Retry-After)
        assertThat(answer.status()).as(answer.raw()).isEqualTo(400);
        assertThat(answer.raw()).doesNotContain("HANDLER_FAILED");
        assertThat(answer.headers()).doesNotContainKey("retry-after");
        assertThat(answer.headers().get("connection")).isEqualToIgnoringCase("close");
        assertThat(runs.handled).isEmpty();
    }

    @Test
    void aChunkedDeliveryWithinTheCapStillReachesTheHandler() throws Exception {
        WebhookRequest delivery = fixtures.delivery("{\"id\":\"evt_ok\",\"type\":\"invoice.paid\"}")
                .signed();
        byte[] body = delivery.body();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head("/webhooks/stripe", delivery.headers().toMap())
                .append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                .append(Integer.toHexString(body.length))
                .append("\r\n")
                .toString()
                .getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        request.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        RawHttp.Answer answer = new RawHttp(port).exchange(request.toByteArray());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(runs.handled).containsExactly("stripe:" + new String(body, StandardCharsets.UTF_8));
    }

    private StringBuilder head(String path, Map<String, List<String>> headers) {
        StringBuilder head = new StringBuilder(
                "POST " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n");
        headers.forEach((name, values) ->
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
        return head;
    }
}
