package io.hookwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hookwarden.Keys;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SendCommandTest {
    private static final String SECRET = Cli.SW_SECRET;
    private static final String BODY = "{\"type\":\"invoice.paid\",\"data\":{\"amount\":42}}";

    /** What the receiver got: method, headers (names lower-cased), body. */
    record Received(String method, Map<String, List<String>> headers, byte[] body) {
        List<String> header(String name) {
            return headers.getOrDefault(name, List.of());
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String url;

    @BeforeEach
    void startReceiver() throws IOException {
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.standardWebhooks())
                .keys(Keys.of(SECRET))
                .build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/webhooks", exchange -> answer(exchange, verifier));
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks";
    }

    @AfterEach
    void stopReceiver() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange, WebhookVerifier verifier) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new java.util.TreeMap<>();
        WebhookRequest.Builder request =
                WebhookRequest.builder().method(exchange.getRequestMethod()).body(body);
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.put(name.toLowerCase(java.util.Locale.ROOT), List.copyOf(values));
            values.forEach(value -> request.header(name, value));
        });
        received.add(new Received(exchange.getRequestMethod(), headers, body));
        // Answers as a Hookwarden receiver would: 200 with no body the first time, a DUPLICATE problem for a delivery
        // id seen before, SIGNATURE_MISMATCH when the signature does not verify.
        String reason;
        int status;
        try {
            String id = verifier.verify(request.build()).id().orElseThrow();
            reason = seen.add(id) ? null : "DUPLICATE";
            status = 200;
        } catch (WebhookVerificationException e) {
            reason = e.reason().name();
            status = 401;
        }
        if (answerOverride != null) {
            reason = answerOverride;
        }
        if (reason == null) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            byte[] problem = ("{\"type\":\"about:blank\",\"status\":" + status + ",\"reason\":\"" + reason + "\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(status, problem.length);
            exchange.getResponseBody().write(problem);
        }
        exchange.close();
    }

    private final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A reason the receiver answers with instead of its own, to play a hostile server. */
    private volatile String answerOverride;

    @Test
    void printsTwoHundredAndExitsZeroWhenTheReceiverAcceptsTheSignature() {
        Cli.Result result =
                Cli.run("send", "--scheme", "standard-webhooks", "--secret", SECRET, "--url", url, "--body", BODY);

        assertThat(result.lines()).containsExactly("200");
        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.header("content-type")).containsExactly("application/json");
            assertThat(r.header("webhook-id")).hasSize(1);
            assertThat(r.header("webhook-signature")).singleElement().asString().startsWith("v1,");
            assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(BODY);
        });
    }

    @Test
    void printsFourHundredOneAndExitsOneWhenSignedWithAnotherSecret() {
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);

        Cli.Result result =
                Cli.run("send", "--scheme", "standard-webhooks", "--secret", other, "--url", url, "--body", BODY);

        assertThat(result.lines()).containsExactly("401 SIGNATURE_MISMATCH");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(received).hasSize(1);
    }

    @Test
    void repeatSendsTheSameSignedDeliveryWithIdenticalBytesEachTime() {
        Cli.Result result = Cli.run(
                "send",
                "--scheme",
                "standard-webhooks",
                "--secret",
                SECRET,
                "--url",
                url,
                "--body",
                BODY,
                "--repeat",
                "3");

        assertThat(result.lines()).containsExactly("200", "200 DUPLICATE", "200 DUPLICATE");
        assertThat(result.exitCode()).isZero();
        assertThat(received).hasSize(3);
        Received first = received.get(0);
        assertThat(received).allSatisfy(r -> {
            assertThat(r.body()).isEqualTo(first.body());
            assertThat(r.headers()).isEqualTo(first.headers());
        });
    }

    @Test
    void sendsTheExactBytesOfTheBodyFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        byte[] bytes = {'{', '}', '\r', '\n', (byte) 0xff};
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("body.bin"), bytes);

        Cli.Result result = Cli.run(
                "send",
                "--scheme",
                "standard-webhooks",
                "--secret",
                SECRET,
                "--url",
                url,
                "--body-file",
                file.toString());

        assertThat(result.lines()).containsExactly("200");
        assertThat(received).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo(bytes));
    }

    @Test
    void reportsAConnectionFailureOnStandardErrorAndExitsOneWithoutAStatusLine() {
        server.stop(0); // nothing listens on the port any more

        Cli.Result result = Cli.run(
                "send",
                "--scheme",
                "standard-webhooks",
                "--secret",
                SECRET,
                "--url",
                url,
                "--body",
                BODY,
                "--repeat",
                "2");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err())
                .contains("attempt 1 of 2")
                .contains("no response")
                .doesNotContain(SECRET);
    }

    @Test
    void refusesARepeatBelowOneAndAUrlThatIsNotHttpAsUsageErrors() {
        Cli.Result zero = Cli.run(
                "send",
                "--scheme",
                "standard-webhooks",
                "--secret",
                SECRET,
                "--url",
                url,
                "--body",
                BODY,
                "--repeat",
                "0");
        Cli.Result ftp = Cli.run(
                "send",
                "--scheme",
                "standard-webhooks",
                "--secret",
                SECRET,
                "--url",
                "ftp://example.com/x",
                "--body",
                BODY);
        Cli.Result relative = Cli.run(
                "send", "--scheme", "standard-webhooks", "--secret", SECRET, "--url", "/webhooks", "--body", BODY);

        assertThat(List.of(zero, ftp, relative)).allSatisfy(result -> {
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).isNotBlank().doesNotContain(SECRET);
        });
        assertThat(received).isEmpty();
    }

    @Test
    void requiresAUrl() {
        Cli.Result result = Cli.run("send", "--scheme", "standard-webhooks", "--secret", SECRET, "--body", BODY);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--url").doesNotContain(SECRET);
    }

    @Test
    void aGithubDeliveryCarriesItsIdEventTypeExtraHeadersAndContentType() {
        // given: a receiver that verifies GitHub's signature
        server.removeContext("/webhooks");
        WebhookVerifier github = WebhookVerifier.builder()
                .scheme(Schemes.github())
                .secret("It's a Secret to Everybody")
                .build();
        server.createContext("/webhooks", exchange -> answer(exchange, github));

        // when
        Cli.Result result = Cli.run(
                "send",
                "--scheme",
                "github",
                "--secret",
                "It's a Secret to Everybody",
                "--url",
                url,
                "--body",
                "payload=%7B%7D",
                "--id",
                "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                "--event-type",
                "ping",
                "--header",
                "X-GitHub-Hook-ID: 42",
                "--content-type",
                "application/x-www-form-urlencoded");

        // then
        assertThat(result.lines()).containsExactly("200");
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.header("x-github-delivery")).containsExactly("72d3162e-cc78-11e3-81ab-4c9367dc0958");
            assertThat(r.header("x-github-event")).containsExactly("ping");
            assertThat(r.header("x-github-hook-id")).containsExactly("42");
            assertThat(r.header("content-type")).containsExactly("application/x-www-form-urlencoded");
        });
    }

    @Test
    void aHeaderThatWouldReplaceASigningHeaderOrTheContentTypeIsAUsageError() {
        Cli.Result signing = Cli.run(
                "send",
                "--scheme",
                "standard-webhooks",
                "--secret",
                SECRET,
                "--url",
                url,
                "--body",
                BODY,
                "--header",
                "webhook-signature: v1,forged");
        Cli.Result contentType = Cli.run(
                "send",
                "--scheme",
                "standard-webhooks",
                "--secret",
                SECRET,
                "--url",
                url,
                "--body",
                BODY,
                "--header",
                "Content-Type: text/plain");
        Cli.Result noColon = Cli.run(
                "send",
                "--scheme",
                "standard-webhooks",
                "--secret",
                SECRET,
                "--url",
                url,
                "--body",
                BODY,
                "--header",
                "X-Trace");

        assertThat(signing.exitCode()).isEqualTo(2);
        assertThat(signing.err()).contains("--header #1 would replace webhook-signature");
        assertThat(contentType.exitCode()).isEqualTo(2);
        assertThat(contentType.err()).contains("use --content-type");
        assertThat(noColon.exitCode()).isEqualTo(2);
        assertThat(received).isEmpty();
    }

    @Test
    void aReasonThatIsNotAReasonCodeIsNotPrinted() {
        answerOverride = "\\u001b[31mhello world";

        Cli.Result result =
                Cli.run("send", "--scheme", "standard-webhooks", "--secret", SECRET, "--url", url, "--body", BODY);

        assertThat(result.lines()).containsExactly("200");
    }
}
