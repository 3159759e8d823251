package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The providers' handshakes, answered by their schemes through {@link WebhookReceiver#receive}: each exact shape is
 * answered, near misses are not, a challenge is never echoed unchecked, and the same answers travel over real HTTP.
 */
class HandshakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final String ZOOM_SECRET = "zoom-secret-token";
    private static final String META_SECRET = "meta-app-secret";
    private static final String X_SECRET = "x-consumer-secret";
    private static final String DISCORD_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final String DISCORD_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    static WebhookReceiver receiver(Scheme scheme, String secret) {
        return WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(scheme)
                        .secret(secret)
                        .clock(SchemeCase.CLOCK)
                        .build())
                .build();
    }

    static WebhookRequest signed(Scheme scheme, String secret, String body) {
        return WebhookSigner.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(SchemeCase.CLOCK)
                .build()
                .sign(WebhookMessage.body(body).build());
    }

    static String hmacHex(String secret, String text) {
        return HexFormat.of().formatHex(hmac(secret, text));
    }

    static byte[] hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpAnswer answer) throws IOException {
        return JSON.readTree(answer.body());
    }

    static Outcome.Handshake handshake(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
        return (Outcome.Handshake) outcome;
    }

    static Outcome.Rejected rejected(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        return (Outcome.Rejected) outcome;
    }

    @Nested
    class Slack {
        @Test
        void answersASignedUrlVerificationWithItsChallengeAsJson() throws IOException {
            WebhookRequest request = signed(
                    Schemes.slack(),
                    SLACK_SECRET,
                    "{\"token\":\"t\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
                            + "\"type\":\"url_verification\"}");

            HttpAnswer answer = handshake(
                            receiver(Schemes.slack(), SLACK_SECRET).receive(request))
                    .answer();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.contentType()).contains("application/json");
            assertThat(json(answer).get("challenge").asText())
                    .isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        }

        @Test
        void refusesAnUnsignedUrlVerification() {
            WebhookRequest request = WebhookRequest.builder()
                    .body("{\"challenge\":\"abc\",\"type\":\"url_verification\"}")
                    .build();

            Outcome.Rejected outcome =
                    rejected(receiver(Schemes.slack(), SLACK_SECRET).receive(request));

            assertThat(outcome.reason()).isEqualTo(Reason.MISSING_HEADER);
        }

        @Test
        void anEventThatMentionsUrlVerificationIsAnOrdinaryDelivery() {
            WebhookRequest request = signed(
                    Schemes.slack(),
                    SLACK_SECRET,
                    "{\"event_id\":\"Ev1\",\"type\":\"event_callback\",\"event\":{\"text\":\"url_verification\"}}");

            Outcome outcome = receiver(Schemes.slack(), SLACK_SECRET).receive(request);

            assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        }

        @Test
        void refusesAChallengeThatIsNotASafeToken() {
            WebhookRequest request = signed(
                    Schemes.slack(),
                    SLACK_SECRET,
                    "{\"challenge\":\"<script>alert(1)</script>\",\"type\":\"url_verification\"}");

            Outcome.Rejected outcome =
                    rejected(receiver(Schemes.slack(), SLACK_SECRET).receive(request));

            assertThat(outcome.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
            assertThat(outcome.answer().bodyText()).doesNotContain("script");
        }
    }

    @Nested
    class Zoom {
        @Test
        void answersASignedUrlValidationWithTheEncryptedToken() throws IOException {
            WebhookRequest request = signed(
                    Schemes.zoom(),
                    ZOOM_SECRET,
                    "{\"event\":\"endpoint.url_validation\",\"payload\":{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\"},"
                            + "\"event_ts\":1654503849680}");

            HttpAnswer answer = handshake(receiver(Schemes.zoom(), ZOOM_SECRET).receive(request))
                    .answer();

            assertThat(answer.contentType()).contains("application/json");
            assertThat(json(answer).get("plainToken").asText()).isEqualTo("qgg8vlvZRS6UYooatFL8Aw");
            assertThat(json(answer).get("encryptedToken").asText())
                    .isEqualTo(hmacHex(ZOOM_SECRET, "qgg8vlvZRS6UYooatFL8Aw"));
        }

        @Test
        void neverAnswersAnUnsignedUrlValidationBecauseTheAnswerIsAMac() {
            WebhookRequest request = WebhookRequest.builder()
                    .body("{\"event\":\"endpoint.url_validation\",\"payload\":{\"plainToken\":\"v0:1:{}\"}}")
                    .build();

            Outcome.Rejected outcome =
                    rejected(receiver(Schemes.zoom(), ZOOM_SECRET).receive(request));

            assertThat(outcome.reason()).isEqualTo(Reason.MISSING_HEADER);
        }

        @Test
        void anOrdinaryEventIsAccepted() {
            WebhookRequest request = signed(Schemes.zoom(), ZOOM_SECRET, "{\"event\":\"meeting.started\"}");

            Outcome outcome = receiver(Schemes.zoom(), ZOOM_SECRET).receive(request);

            assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        }
    }

    @Nested
    class Meta {
        private final Scheme scheme = Schemes.meta().verifyToken("my-verify-token");

        private WebhookRequest subscribe(String token, String challenge) {
            return WebhookRequest.builder()
                    .method("GET")
                    .url("https://hooks.example.com/meta?hub.mode=subscribe&hub.verify_token=" + token
                            + "&hub.challenge=" + challenge)
                    .build();
        }

        @Test
        void echoesTheChallengeAsTextForTheConfiguredVerifyToken() {
            HttpAnswer answer = handshake(
                            receiver(scheme, META_SECRET).receive(subscribe("my-verify-token", "1158201444")))
                    .answer();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.contentType()).contains("text/plain; charset=utf-8");
            assertThat(answer.bodyText()).isEqualTo("1158201444");
        }

        @Test
        void refusesAWrongVerifyTokenWithoutEchoingTheChallenge() {
            Outcome.Rejected outcome =
                    rejected(receiver(scheme, META_SECRET).receive(subscribe("guessed", "1158201444")));

            assertThat(outcome.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(outcome.answer().status()).isEqualTo(401);
            assertThat(outcome.answer().bodyText()).doesNotContain("1158201444");
        }

        @Test
        void refusesTheCheckWhenNoVerifyTokenIsConfigured() {
            Outcome.Rejected outcome =
                    rejected(receiver(Schemes.meta(), META_SECRET).receive(subscribe("my-verify-token", "1158201444")));

            assertThat(outcome.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void refusesAnUnsafeChallenge() {
            Outcome.Rejected outcome =
                    rejected(receiver(scheme, META_SECRET).receive(subscribe("my-verify-token", "%3Cscript%3E")));

            assertThat(outcome.reason()).isEqualTo(Reason.MALFORMED_HEADER);
        }

        @Test
        void aPostIsVerifiedAsAnEventNotTreatedAsAHandshake() {
            WebhookRequest post =
                    subscribe("my-verify-token", "1").toBuilder().method("POST").build();

            Outcome.Rejected outcome = rejected(receiver(scheme, META_SECRET).receive(post));

            assertThat(outcome.reason()).isEqualTo(Reason.MISSING_HEADER);
        }

        @Test
        void aSignedEventVerifiesWithTheAppSecret() {
            Outcome outcome =
                    receiver(scheme, META_SECRET).receive(signed(scheme, META_SECRET, "{\"object\":\"page\"}"));

            assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        }
    }

    @Nested
    class X {
        private WebhookRequest crc(String token) {
            return WebhookRequest.builder()
                    .method("GET")
                    .url("https://hooks.example.com/x?crc_token=" + token + "&nonce=1")
                    .build();
        }

        @Test
        void answersTheCrcCheckWithTheResponseToken() throws IOException {
            HttpAnswer answer = handshake(receiver(Schemes.x(), X_SECRET).receive(crc("I-am-a-token")))
                    .answer();

            assertThat(answer.contentType()).contains("application/json");
            assertThat(json(answer).get("response_token").asText())
                    .isEqualTo("sha256=" + Base64.getEncoder().encodeToString(hmac(X_SECRET, "I-am-a-token")));
        }

        @Test
        void refusesACrcTokenThatCouldPassAsASignedBody() {
            for (String token : List.of("12345", "true", "null", "%7B%7D", "a%20b", "x".repeat(257))) {
                Outcome.Rejected outcome =
                        rejected(receiver(Schemes.x(), X_SECRET).receive(crc(token)));

                assertThat(outcome.reason()).as(token).isEqualTo(Reason.MALFORMED_HEADER);
            }
        }

        @Test
        void aGetWithoutCrcTokenIsNoHandshake() {
            WebhookRequest get = WebhookRequest.builder()
                    .method("GET")
                    .url("https://hooks.example.com/x?crc=1")
                    .build();

            Outcome.Rejected outcome = rejected(receiver(Schemes.x(), X_SECRET).receive(get));

            // issue 12: a GET is received only as the handshake; anything else is 405 before verification
            assertThat(outcome.reason()).isEqualTo(Reason.METHOD_NOT_ALLOWED);
            assertThat(outcome.answer().status()).isEqualTo(405);
            assertThat(outcome.answer().headers()).containsEntry("Allow", "POST");
        }

        @Test
        void aSignedEventVerifies() {
            Outcome outcome = receiver(Schemes.x(), X_SECRET)
                    .receive(signed(Schemes.x(), X_SECRET, "{\"for_user_id\":\"1\",\"tweet_create_events\":[]}"));

            assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        }
    }

    @Nested
    class Discord {
        @Test
        void answersASignedPingWithPong() throws IOException {
            WebhookRequest ping = signed(
                    Schemes.discord(),
                    DISCORD_SEED,
                    "{\"application_id\":\"1\",\"id\":\"2\",\"type\":1,\"version\":1}");

            HttpAnswer answer = handshake(
                            receiver(Schemes.discord(), DISCORD_PUBLIC).receive(ping))
                    .answer();

            assertThat(answer.contentType()).contains("application/json");
            assertThat(answer.bodyText()).isEqualTo("{\"type\":1}");
        }

        @Test
        void anApplicationCommandIsAnOrdinaryDelivery() {
            WebhookRequest command = signed(Schemes.discord(), DISCORD_SEED, "{\"id\":\"3\",\"type\":2}");

            Outcome outcome = receiver(Schemes.discord(), DISCORD_PUBLIC).receive(command);

            assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
            assertThat(((Outcome.Accepted) outcome).delivery().webhook().id()).contains("3");
        }

        @Test
        void refusesAPingSignedByAnotherKey() {
            String otherSeed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
            WebhookRequest ping = signed(Schemes.discord(), otherSeed, "{\"type\":1}");

            Outcome.Rejected outcome =
                    rejected(receiver(Schemes.discord(), DISCORD_PUBLIC).receive(ping));

            assertThat(outcome.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        }
    }

    /** The same handshakes over real HTTP: the JDK's server on a free port forwards to the receiver. */
    @Nested
    class OverHttp {
        private HttpServer server;
        private final HttpClient client = HttpClient.newHttpClient();

        @BeforeEach
        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            mount("/slack", receiver(Schemes.slack(), SLACK_SECRET));
            mount("/zoom", receiver(Schemes.zoom(), ZOOM_SECRET));
            mount("/meta", receiver(Schemes.meta().verifyToken("my-verify-token"), META_SECRET));
            mount("/x", receiver(Schemes.x(), X_SECRET));
            mount("/discord", receiver(Schemes.discord(), DISCORD_PUBLIC));
            server.start();
        }

        @AfterEach
        void stop() {
            server.stop(0);
        }

        /** A minimal adapter: the request as received, the outcome's answer written verbatim. */
        private void mount(String path, WebhookReceiver receiver) {
            server.createContext(path, exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                WebhookRequest.Builder request = WebhookRequest.builder()
                        .method(exchange.getRequestMethod())
                        .url("http://" + exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI())
                        .remoteAddress(exchange.getRemoteAddress().getAddress().getHostAddress())
                        .body(body);
                exchange.getRequestHeaders()
                        .forEach((name, values) -> values.forEach(value -> request.header(name, value)));
                Outcome outcome = receiver.receive(request.build());
                if (outcome instanceof Outcome.Accepted accepted) {
                    try (Delivery delivery = accepted.delivery()) {
                        delivery.complete();
                    }
                }
                HttpAnswer answer = outcome.answer();
                answer.headers()
                        .forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                byte[] out = answer.body();
                exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
                try (var os = exchange.getResponseBody()) {
                    os.write(out);
                }
            });
        }

        private URI uri(String pathAndQuery) {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
        }

        private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }

        private HttpResponse<String> post(String path, WebhookRequest signed) throws Exception {
            HttpRequest.Builder builder =
                    HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
            for (Map.Entry<String, List<String>> h : signed.headers().toMap().entrySet()) {
                h.getValue().forEach(v -> builder.header(h.getKey(), v));
            }
            return send(builder.build());
        }

        @Test
        void slackUrlVerification() throws Exception {
            HttpResponse<String> response = post(
                    "/slack",
                    signed(Schemes.slack(), SLACK_SECRET, "{\"challenge\":\"c-123\",\"type\":\"url_verification\"}"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(JSON.readTree(response.body()).get("challenge").asText()).isEqualTo("c-123");
        }

        @Test
        void zoomUrlValidation() throws Exception {
            HttpResponse<String> response = post(
                    "/zoom",
                    signed(
                            Schemes.zoom(),
                            ZOOM_SECRET,
                            "{\"event\":\"endpoint.url_validation\",\"payload\":{\"plainToken\":\"pt-1\"}}"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).get("encryptedToken").asText())
                    .isEqualTo(hmacHex(ZOOM_SECRET, "pt-1"));
        }

        @Test
        void metaSubscriptionCheckAndItsRefusal() throws Exception {
            HttpResponse<String> ok = send(HttpRequest.newBuilder(
                            uri("/meta?hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=42"))
                    .GET()
                    .build());
            HttpResponse<String> wrong =
                    send(HttpRequest.newBuilder(uri("/meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=42"))
                            .GET()
                            .build());

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("42");
            assertThat(ok.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("Content-Type")).contains(HttpAnswer.PROBLEM_JSON);
            assertThat(wrong.body()).doesNotContain("42\"").contains("SIGNATURE_MISMATCH");
        }

        @Test
        void xCrcCheck() throws Exception {
            HttpResponse<String> response =
                    send(HttpRequest.newBuilder(uri("/x?crc_token=tok-1")).GET().build());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).get("response_token").asText())
                    .isEqualTo("sha256=" + Base64.getEncoder().encodeToString(hmac(X_SECRET, "tok-1")));
        }

        @Test
        void discordPing() throws Exception {
            HttpResponse<String> response =
                    post("/discord", signed(Schemes.discord(), DISCORD_SEED, "{\"id\":\"9\",\"type\":1}"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"type\":1}");
        }

        @Test
        void anOrdinaryDeliveryIsAcceptedAndItsReplayIsADuplicate() throws Exception {
            WebhookRequest event = signed(Schemes.discord(), DISCORD_SEED, "{\"id\":\"10\",\"type\":2}");

            HttpResponse<String> first = post("/discord", event);
            HttpResponse<String> replay = post("/discord", event);

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEmpty();
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(replay.body()).contains("DUPLICATE");
        }
    }
}
