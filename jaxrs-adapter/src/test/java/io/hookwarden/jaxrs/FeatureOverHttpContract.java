package io.hookwarden.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.HttpAnswer;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The adapter in a real Jersey application on a real HTTP server, driven by {@code java.net.http} with deliveries
 * signed by the test kit. Every answer is checked for the secrets on the way in. Each container passes it with a
 * subclass naming the container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FeatureOverHttpContract {
    private static final String STRIPE_SECRET = "whsec_jaxrs_stripe_test_secret_0123456789";
    private static final String STANDARD_SECRET = "whsec_"
            + Base64.getEncoder().encodeToString("jaxrs standard webhooks key!!".getBytes(StandardCharsets.UTF_8));
    private static final String URL_SECRET = "url-signing-secret-0123456789";
    private static final String SLACK_SECRET = "slack-signing-secret-0123456789abcdef";
    private static final List<String> SECRETS = List.of(STRIPE_SECRET, STANDARD_SECRET, URL_SECRET, SLACK_SECRET);
    private static final int MAX_BODY = 4096;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(7);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();

    private static final MutableClock CLOCK = MutableClock.atEpochSecond(1_700_000_000);
    private static final WebhookFixtures STRIPE = WebhookFixtures.builder()
            .scheme(Schemes.stripe())
            .secret(STRIPE_SECRET)
            .clock(CLOCK)
            .build();
    private static final WebhookFixtures STANDARD = WebhookFixtures.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(STANDARD_SECRET)
            .clock(CLOCK)
            .build();
    private static final WebhookFixtures SLACK = WebhookFixtures.builder()
            .scheme(Schemes.slack())
            .secret(SLACK_SECRET)
            .clock(CLOCK)
            .build();
    private static final WebhookFixtures URL_SIGNED = WebhookFixtures.builder()
            .scheme(urlScheme())
            .secret(URL_SECRET)
            .clock(CLOCK)
            .build();

    private final WebhookResources.Recorder recorder = new WebhookResources.Recorder();
    private JerseyServer server;
    private HttpClient client;

    /** The container this run's server is. */
    abstract JerseyServer.Container container();

    @BeforeAll
    void startServer() {
        HookwardenFeature feature = HookwardenFeature.builder()
                .endpoint("stripe", receiver(Schemes.stripe(), STRIPE_SECRET))
                .endpoint("standard", receiver(Schemes.standardWebhooks(), STANDARD_SECRET))
                .endpoint("url-signed", receiver(urlScheme(), URL_SECRET))
                .endpoint("slack", receiver(Schemes.slack(), SLACK_SECRET))
                .build();
        ResourceConfig app = new ResourceConfig()
                .register(new WebhookResources.StripeResource(recorder))
                .register(new WebhookResources.StandardResource(recorder))
                .register(new WebhookResources.SlackResource(recorder))
                .register(WebhookResources.UrlSignedResource.class)
                .register(WebhookResources.PlainResource.class)
                .register(feature);
        server = JerseyServer.start(container(), app);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    void stopServer() throws InterruptedException {
        server.close();
    }

    @BeforeEach
    void resetRecorder() {
        recorder.reset();
    }

    private static io.hookwarden.Scheme urlScheme() {
        return Schemes.hmac()
                .id("url-signed")
                .signatureHeader("X-Url-Signature")
                .signedContent("{url}\n{body}")
                .build();
    }

    private static WebhookReceiver receiver(io.hookwarden.Scheme scheme, String secret) {
        return WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(scheme)
                        .secret(secret)
                        .clock(CLOCK)
                        .maxBodyBytes(MAX_BODY)
                        .build())
                .retryAfter(RETRY_AFTER)
                .build();
    }

    private static String stripeEvent() {
        return stripeEvent("");
    }

    /** A Stripe event with a fresh id, so tests never see each other's deliveries as duplicates. */
    private static String stripeEvent(String padding) {
        return "{\"id\":\"evt_" + IDS.incrementAndGet() + "\",\"type\":\"invoice.paid\",\"data\":{\"note\":\"" + padding
                + "\"}}";
    }

    private static String idOf(String event) throws IOException {
        return JSON.readTree(event).get("id").asText();
    }

    private HttpResponse<String> send(WebhookRequest delivery, String path) throws Exception {
        return checked(client.send(
                WebhookRequests.toHttpRequest(delivery, server.uri(path)), HttpResponse.BodyHandlers.ofString()));
    }

    /** Sends the delivery with no Content-Length: the client frames the body in chunks. */
    private HttpResponse<String> sendChunked(WebhookRequest delivery, String path) throws Exception {
        HttpRequest fixed = WebhookRequests.toHttpRequest(delivery, server.uri(path));
        HttpRequest.Builder chunked = HttpRequest.newBuilder(fixed.uri())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(delivery.body())));
        fixed.headers().map().forEach((name, values) -> values.forEach(v -> chunked.header(name, v)));
        return checked(client.send(chunked.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Every answer of every test: no secret in the body or a header. */
    private static HttpResponse<String> checked(HttpResponse<String> response) {
        for (String secret : SECRETS) {
            assertThat(response.body()).doesNotContain(secret);
            response.headers().map().forEach((name, values) -> assertThat(values)
                    .allSatisfy(v -> assertThat(v).doesNotContain(secret)));
        }
        return response;
    }

    /** The answer is the core's problem document for the reason, copied verbatim. */
    private static void assertProblem(HttpResponse<String> response, Reason reason) throws IOException {
        HttpAnswer expected = HttpAnswer.problem(reason, RETRY_AFTER);
        assertThat(response.statusCode()).isEqualTo(reason.httpStatus());
        assertThat(response.headers().firstValue("Content-Type"))
                .contains(expected.contentType().orElseThrow());
        assertThat(response.headers().firstValue("Retry-After"))
                .isEqualTo(java.util.Optional.ofNullable(expected.headers().get("Retry-After")));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("reason").asText()).isEqualTo(reason.name());
        assertThat(response.body()).isEqualTo(expected.bodyText());
    }

    @Test
    void acceptsAValidDeliveryAndHandsTheVerifiedWebhookToTheMethod() throws Exception {
        String event = stripeEvent();

        HttpResponse<String> response = send(STRIPE.signed(event), "/webhooks/stripe");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("processed " + idOf(event) + " of type invoice.paid");
        assertThat(recorder.handled()).containsExactly("stripe:" + idOf(event));
    }

    @Test
    void refusesForgedAndTamperedDeliveriesWith401AndNeverRunsTheMethod() throws Exception {
        assertProblem(send(STRIPE.forged(stripeEvent()), "/webhooks/stripe"), Reason.SIGNATURE_MISMATCH);
        assertProblem(send(STRIPE.tampered(stripeEvent()), "/webhooks/stripe"), Reason.SIGNATURE_MISMATCH);

        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void refusesADeliveryOlderThanTheMaximumAge() throws Exception {
        HttpResponse<String> response = send(STRIPE.aged(stripeEvent(), Duration.ofMinutes(6)), "/webhooks/stripe");

        assertProblem(response, Reason.TIMESTAMP_TOO_OLD);
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void refusesADeliveryStampedFurtherAheadThanTheAllowedSkew() throws Exception {
        WebhookRequest future = STANDARD.fromTheFuture("{\"type\":\"ping\"}", Duration.ofMinutes(6));

        assertProblem(send(future, "/webhooks/standard"), Reason.TIMESTAMP_IN_FUTURE);
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void answersAReplayAsADuplicateWithoutRunningTheMethodAgain() throws Exception {
        WebhookRequest delivery = STRIPE.signed(stripeEvent());

        HttpResponse<String> first = send(delivery, "/webhooks/stripe");
        HttpResponse<String> replay = send(delivery, "/webhooks/stripe");

        assertThat(first.statusCode()).isEqualTo(200);
        assertProblem(replay, Reason.DUPLICATE);
        assertThat(recorder.handled()).hasSize(1);
    }

    @Test
    void refusesABodyOverTheLimitByItsContentLength() throws Exception {
        WebhookRequest oversized = STRIPE.signed(stripeEvent("x".repeat(MAX_BODY)));

        HttpResponse<String> response = send(oversized, "/webhooks/stripe");

        assertProblem(response, Reason.PAYLOAD_TOO_LARGE);
        assertThat(recorder.handled()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {MAX_BODY + 1, 5_000_000_000L})
    void refusesADeclaredLengthOverTheLimitBeforeTheBodyIsSent(long declared) throws Exception {
        WebhookRequest delivery = STRIPE.signed(stripeEvent());
        String signature = delivery.headers().first("Stripe-Signature").orElseThrow();
        URI target = server.uri("/webhooks/stripe");

        // Headers only: a server that waited for the declared body would never answer, and the read would time out.
        try (Socket socket = new Socket(target.getHost(), target.getPort())) {
            socket.setSoTimeout(20_000);
            String head = "POST " + target.getPath() + " HTTP/1.1\r\nHost: " + target.getAuthority()
                    + "\r\nContent-Type: application/json\r\nStripe-Signature: " + signature
                    + "\r\nContent-Length: " + declared + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));

            assertThat(in.readLine()).startsWith("HTTP/1.1 413");
        }
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void refusesAChunkedBodyOverTheLimit() throws Exception {
        WebhookRequest oversized = STRIPE.signed(stripeEvent("x".repeat(4 * MAX_BODY)));

        HttpResponse<String> response = sendChunked(oversized, "/webhooks/stripe");

        assertProblem(response, Reason.PAYLOAD_TOO_LARGE);
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void acceptsAChunkedBodyUnderTheLimit() throws Exception {
        String event = stripeEvent("y".repeat(MAX_BODY / 2));

        HttpResponse<String> response = sendChunked(STRIPE.signed(event), "/webhooks/stripe/string");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(event);
    }

    @Test
    void theClientFramesFixedBodiesByLengthAndStreamedBodiesInChunksAndPlainMethodsAreLeftAlone() throws Exception {
        WebhookRequest unsigned = WebhookRequest.builder().body("hello").build();

        HttpResponse<String> fixed = send(unsigned, "/plain");
        HttpResponse<String> chunked = sendChunked(unsigned, "/plain");

        assertThat(fixed.statusCode()).isEqualTo(200);
        assertThat(fixed.body()).isEqualTo("transfer-encoding=null content-length=5 body=hello");
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(chunked.body()).isEqualTo("transfer-encoding=chunked content-length=null body=hello");
    }

    @Test
    void refusesMalformedAndMissingSignatureHeadersWith400() throws Exception {
        WebhookRequest malformed = STRIPE.withHeader(stripeEvent(), "Stripe-Signature", "t=,v1=zz");
        WebhookRequest missing = STRIPE.withoutHeader(stripeEvent(), "Stripe-Signature");
        WebhookRequest junk = STANDARD.withHeader("{}", "webhook-timestamp", "yesterday");

        assertProblem(send(malformed, "/webhooks/stripe"), Reason.MALFORMED_HEADER);
        assertProblem(send(missing, "/webhooks/stripe"), Reason.MISSING_HEADER);
        assertProblem(send(junk, "/webhooks/standard"), Reason.MALFORMED_HEADER);
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void refusesASignedStripeBodyThatIsNotJsonBecauseItCarriesNoEventId() throws Exception {
        HttpResponse<String> response = send(STRIPE.signed("{\"id\": \"evt_cut_off"), "/webhooks/stripe");

        assertProblem(response, Reason.MALFORMED_PAYLOAD);
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void aMethodThatThrowsIsAnswered500WithRetryAfterAndTheRetryIsProcessed() throws Exception {
        recorder.failuresLeft.set(1);
        recorder.failureMessage = "database down; config had " + STRIPE_SECRET;
        WebhookRequest delivery = STRIPE.signed(stripeEvent());

        HttpResponse<String> failed = send(delivery, "/webhooks/stripe/flaky");
        HttpResponse<String> retry = send(delivery, "/webhooks/stripe/flaky");
        HttpResponse<String> replay = send(delivery, "/webhooks/stripe/flaky");

        assertProblem(failed, Reason.HANDLER_FAILED);
        assertThat(failed.body()).doesNotContain("database down");
        assertThat(retry.statusCode()).isEqualTo(204);
        assertProblem(replay, Reason.DUPLICATE);
        assertThat(recorder.attempts).hasValue(2);
        assertThat(recorder.handled()).hasSize(1);
    }

    @Test
    void aNonSuccessAnswerFromTheMethodReleasesTheClaimAndIsPassedOn() throws Exception {
        String event = stripeEvent();
        WebhookRequest delivery = STRIPE.signed(event);

        HttpResponse<String> declined = send(delivery, "/webhooks/stripe/declines");
        HttpResponse<String> retry = send(delivery, "/webhooks/stripe");

        assertThat(declined.statusCode()).isEqualTo(503);
        assertThat(declined.body()).isEqualTo("not now");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(recorder.handled()).containsExactly("stripe:" + idOf(event));
    }

    @Test
    void thirtyTwoConcurrentCopiesOfOneDeliveryRunTheHandlerExactlyOnce() throws Exception {
        recorder.gate = new CountDownLatch(1);
        WebhookRequest delivery = STRIPE.signed(stripeEvent());
        HttpRequest request = WebhookRequests.toHttpRequest(delivery, server.uri("/webhooks/stripe/gated"));
        CountDownLatch answered = new CountDownLatch(31);
        List<CompletableFuture<HttpResponse<String>>> sends = new ArrayList<>();

        for (int i = 0; i < 32; i++) {
            sends.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> answered.countDown()));
        }
        // The claim holder waits at the gate, so every other copy is answered while the claim is held.
        assertThat(answered.await(60, TimeUnit.SECONDS)).isTrue();
        recorder.gate.countDown();
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> send : sends) {
            responses.add(checked(send.get(60, TimeUnit.SECONDS)));
        }

        assertThat(recorder.handled()).hasSize(1);
        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1);
        assertThat(responses)
                .filteredOn(r -> r.statusCode() != 200)
                .hasSize(31)
                .allSatisfy(r -> assertProblem(r, Reason.IN_PROGRESS));
        assertProblem(send(delivery, "/webhooks/stripe/gated"), Reason.DUPLICATE);
        assertThat(recorder.handled()).hasSize(1);
    }

    @Test
    void theMethodReadsTheVerifiedBytesAsAString() throws Exception {
        String event = "{\n\t\"id\" : \"evt_" + IDS.incrementAndGet()
                + "\",\r\n  \"type\":\"invoice.paid\", \"note\": \"caf\u00e9 \u2713 \ud83d\ude80 \\u00e9\"\n}\n\n";

        HttpResponse<String> response = send(STRIPE.signed(event), "/webhooks/stripe/string");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(event);
        assertThat(recorder.handled()).containsExactly("stripe:" + idOf(event));
    }

    @Test
    void theMethodReadsTheVerifiedBytesAsAStream() throws Exception {
        String event = stripeEvent("\u00fcber \u00e9t\u00e9");
        WebhookRequest delivery = STRIPE.signed(event);

        HttpResponse<byte[]> response = client.send(
                WebhookRequests.toHttpRequest(delivery, server.uri("/webhooks/stripe/stream")),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(delivery.body());
    }

    @Test
    void theVerifiedWebhookIsARequestPropertyForMethodsThatTakeTheContext() throws Exception {
        String event = stripeEvent();

        HttpResponse<String> response = send(STRIPE.signed(event), "/webhooks/stripe/context");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("scheme stripe id " + idOf(event) + " key key-1");
    }

    @Test
    void anAnnotationOnTheClassCoversItsMethods() throws Exception {
        WebhookRequest delivery = STANDARD.signed(WebhookMessage.body("{\"type\":\"user.created\"}")
                .id("msg_class_level")
                .build());

        HttpResponse<String> accepted = send(delivery, "/webhooks/standard");
        HttpResponse<String> unsigned = send(WebhookRequest.builder().body("{}").build(), "/webhooks/standard");

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo("processed msg_class_level");
        assertProblem(unsigned, Reason.MISSING_HEADER);
        assertThat(recorder.handled()).containsExactly("standard:msg_class_level");
    }

    @Test
    void aHandshakeIsAnsweredByTheSchemeVerbatimAndTheMethodDoesNotRun() throws Exception {
        WebhookRequest challenge =
                SLACK.signed("{\"token\":\"t\",\"challenge\":\"c-jaxrs-123\"," + "\"type\":\"url_verification\"}");
        HttpAnswer expected =
                receiver(Schemes.slack(), SLACK_SECRET).receive(challenge).answer();

        HttpResponse<String> response = send(challenge, "/webhooks/slack");
        HttpResponse<String> event = send(
                SLACK.signed("{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":{}}"), "/webhooks/slack");

        assertThat(expected.status()).isEqualTo(200);
        assertThat(expected.bodyText()).contains("c-jaxrs-123");
        assertThat(response.statusCode()).isEqualTo(expected.status());
        assertThat(response.headers().firstValue("Content-Type")).isEqualTo(expected.contentType());
        assertThat(response.body()).isEqualTo(expected.bodyText());
        assertThat(event.statusCode()).isEqualTo(204);
        assertThat(recorder.handled()).containsExactly("slack:Ev1");
    }

    @Test
    void theVerifiedUrlIsTheFullUrlWithItsQueryAsSent() throws Exception {
        String url = server.uri("/webhooks/url-signed?shop=a%20b&sig=1&empty=").toString();
        WebhookRequest delivery =
                URL_SIGNED.signed(WebhookMessage.body("{\"n\":1}").url(url).build());

        HttpResponse<String> response = send(delivery, "/webhooks/url-signed?shop=a%20b&sig=1&empty=");
        HttpResponse<String> otherQuery = send(delivery, "/webhooks/url-signed?shop=a%20b&sig=2&empty=");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(url);
        assertProblem(otherQuery, Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void noAnswerRevealsASecretOrTheExpectedSignature() throws Exception {
        recorder.failuresLeft.set(1);
        recorder.failureMessage = STRIPE_SECRET;
        WebhookRequest valid = STRIPE.signed(stripeEvent());
        String signature = valid.headers().first("Stripe-Signature").orElseThrow();
        List<HttpResponse<String>> answers = List.of(
                send(STRIPE.forged(stripeEvent()), "/webhooks/stripe"),
                send(STRIPE.tampered(stripeEvent()), "/webhooks/stripe"),
                send(STRIPE.aged(stripeEvent(), Duration.ofHours(1)), "/webhooks/stripe"),
                send(STRIPE.signed(stripeEvent("z".repeat(MAX_BODY))), "/webhooks/stripe"),
                send(STRIPE.signed("not json"), "/webhooks/stripe"),
                send(valid, "/webhooks/stripe/flaky"),
                send(valid, "/webhooks/stripe/flaky"),
                send(valid, "/webhooks/stripe/flaky"));

        assertThat(answers)
                .extracting(HttpResponse::statusCode)
                .containsExactly(401, 401, 401, 413, 400, 500, 204, 200);
        for (HttpResponse<String> answer : answers) {
            String everything = answer.body() + answer.headers().map();
            assertThat(everything).doesNotContain(STRIPE_SECRET).doesNotContain(signature);
            for (Map.Entry<String, List<String>> header : answer.headers().map().entrySet()) {
                assertThat(header.getValue()).noneMatch(v -> v.contains(STRIPE_SECRET));
            }
        }
    }
}
