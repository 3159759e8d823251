package io.hookwarden.spring.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 12: a request framed twice, by {@code Content-Length} and {@code Transfer-Encoding}, smuggles nothing: the
 * connection closes after one answer, so nothing hidden after its body runs as a second request. Over a raw socket to
 * Tomcat, which frames it by {@code Transfer-Encoding} alone; where a container passes both headers on, the adapter
 * refuses it itself ({@code FramingMockMvcTest}).
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
class RequestFramingTest {
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

    static String event() {
        return "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"object\":\"event\",\"type\":\"invoice.paid\"}";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/webhooks/stripe", "/hooks/stripe"})
    void aRequestWithBothContentLengthAndTransferEncodingSmugglesNothingPastTomcat(String path) throws Exception {
        // given: a signed delivery framed as chunked and by a Content-Length, with a second signed delivery hidden
        // after the chunked body on the same connection
        WebhookRequest first = fixtures.delivery(event()).signed();
        WebhookRequest hidden = fixtures.delivery(event()).signed();
        byte[] body = first.body();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head("POST", path, first.headers().toMap())
                .append("Content-Length: ")
                .append(body.length)
                .append("\r\nTransfer-Encoding: chunked\r\n\r\n")
                .append(Integer.toHexString(body.length))
                .append("\r\n")
                .toString()
                .getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        request.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(head("POST", path, hidden.headers().toMap())
                .append("Content-Length: ")
                .append(hidden.body().length)
                .append("\r\nConnection: close\r\n\r\n")
                .toString()
                .getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(hidden.body());

        // when
        RawHttp.Answer answer = new RawHttp(port).exchange(request.toByteArray());

        // then: Tomcat drops the Content-Length before the application sees the request (RFC 9112, section 6.1
        // allows framing by Transfer-Encoding alone), so the first delivery is framed as chunked and verified as
        // usual; it answers once and closes the connection, and the hidden delivery never runs
        assertThat(answer.answers()).as(answer.raw()).isEqualTo(1);
        assertThat(answer.headers().get("connection")).isEqualToIgnoringCase("close");
        assertThat(answer.status()).isIn(200, 400);
        assertThat(runs.handled).noneMatch(run -> run.endsWith(new String(hidden.body(), StandardCharsets.UTF_8)));
        assertThat(runs.handled).hasSizeLessThanOrEqualTo(1);
    }

    private StringBuilder head(String method, String path, Map<String, List<String>> headers) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port
                + "\r\nContent-Type: application/json\r\n");
        headers.forEach((name, values) ->
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
        return head;
    }
}
