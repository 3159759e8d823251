package io.hookwarden.spring.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spring.WebhookEndpoints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A sender that announces a body over the cap and waits for {@code 100 Continue} before sending it is answered 413 at
 * once: reading the body would invite it (Reactor Netty sends {@code 100 Continue} when the body is subscribed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpectContinueTest {
    private static final int CAP = 1024;
    private final AtomicInteger handled = new AtomicInteger();
    private DisposableServer server;

    @BeforeAll
    void start() {
        WebhookReceiver receiver = WebhookReceiver.builder()
                .name("capped")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret("whsec_ZXhwZWN0LWNvbnRpbnVlLXRlc3Qta2V5LTAxMjM0NTY3")
                        .maxBodyBytes(CAP)
                        .build())
                .build();
        WebhookEndpoints endpoints = WebhookEndpoints.builder()
                .endpoint("capped", receiver)
                .paths("capped", List.of("/hooks/capped"))
                .build();
        var routes = route(POST("/hooks/capped"), request -> {
            handled.incrementAndGet();
            return ServerResponse.ok().build();
        });
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(new ReactorHttpHandlerAdapter(
                        WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(routes))
                                .filter(WebhookWebFilter.of(endpoints))
                                .exceptionHandler(new WebhookProblemHandler())
                                .build()))
                .bindNow();
    }

    @AfterAll
    void stop() {
        server.disposeNow();
    }

    private String sendHeadAndRead(String head) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketException resetAfterTheAnswer) {
                // the answer was read first
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aBodyAnnouncedOverTheCapIsRefusedWithoutInvitingIt() throws Exception {
        String answer = sendHeadAndRead("POST /hooks/capped HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (CAP * 1000)
                + "\r\nExpect: 100-continue\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue");
        assertThat(answer).contains(Reason.PAYLOAD_TOO_LARGE.name());
        assertThat(answer.toLowerCase(Locale.ROOT)).contains("connection: close");
        assertThat(handled).hasValue(0);
    }

    @Test
    void aBodyAnnouncedWithinTheCapIsInvitedAndRead() throws Exception {
        String answer = sendHeadAndRead("POST /hooks/capped HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n{}");

        assertThat(answer).startsWith("HTTP/1.1 100 Continue");
        assertThat(answer).contains("HTTP/1.1 400 ").contains(Reason.MISSING_HEADER.name());
    }
}
