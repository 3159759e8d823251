package io.hookwarden.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.HttpAnswer;
import io.hookwarden.InMemoryInbox;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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

    private final WebhookResources.Recorder recorder = new WebhookResources.Recorder();
    /** The inbox of the endpoint that acknowledges at once ({@code /webhooks/queued}). */
    private final InMemoryInbox inbox = InMemoryInbox.builder().clock(CLOCK).build();

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
                .endpoint(
                        "queued",
                        WebhookReceiver.builder()
                                .name("queued")
                                .verifier(WebhookVerifier.builder()
                                        .scheme(Schemes.standardWebhooks())
                                        .secret(STANDARD_SECRET)
                                        .clock(CLOCK)
                                        .build())
                                .inbox(inbox)
                                .build())
                .build();
        ResourceConfig app = new ResourceConfig()
                .register(new WebhookResources.StripeResource(recorder))
                .register(new WebhookResources.StandardResource(recorder))
                .register(new WebhookResources.SlackResource(recorder))
                .register(new WebhookResources.QueuedResource(recorder))
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

        HttpResponse<String> response = send(STRIPE.delivery(event).signed(), "/webhooks/stripe");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("processed " + idOf(event) + " of type invoice.paid");
        assertThat(recorder.handled()).containsExactly("stripe:" + idOf(event));
    }

    @Test
    void refusesForgedAndTamperedDeliveriesWith401AndNeverRunsTheMethod() throws Exception {
        assertProblem(send(STRIPE.delivery(stripeEvent()).forged(), "/webhooks/stripe"), Reason.SIGNATURE_MISMATCH);
        assertProblem(send(STRIPE.delivery(stripeEvent()).tampered(), "/webhooks/stripe"), Reason.SIGNATURE_MISMATCH);

        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void refusesADeliveryOlderThanTheMaximumAge() throws Exception {
        HttpResponse<String> response =
                send(STRIPE.delivery(stripeEvent()).aged(Duration.ofMinutes(6)), "/webhooks/stripe");

        assertProblem(response, Reason.TIMESTAMP_TOO_OLD);
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void refusesADeliveryStampedFurtherAheadThanTheAllowedSkew() throws Exception {
        WebhookRequest future = STANDARD.delivery("{\"type\":\"ping\"}").fromTheFuture(Duration.ofMinutes(6));

        assertProblem(send(future, "/webhooks/standard"), Reason.TIMESTAMP_IN_FUTURE);
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void answersADeliveryWrittenToTheInbox200WithoutRunningTheMethod() throws Exception {
        // given
        WebhookRequest delivery =
                STANDARD.delivery("{\"type\":\"invoice.paid\"}").signed();
        int before = inbox.size();

        // when
        HttpResponse<String> response = send(delivery, "/webhooks/queued");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(recorder.handled()).isEmpty();
        assertThat(inbox.size()).isEqualTo(before + 1);
    }

    @Test
    void answersAReplayAsADuplicateWithoutRunningTheMethodAgain() throws Exception {
        WebhookRequest delivery = STRIPE.delivery(stripeEvent()).signed();

        HttpResponse<String> first = send(delivery, "/webhooks/stripe");
        HttpResponse<String> replay = send(delivery, "/webhooks/stripe");

        assertThat(first.statusCode()).isEqualTo(200);
        assertProblem(replay, Reason.DUPLICATE);
        assertThat(recorder.handled()).hasSize(1);
    }

    @Test
    void refusesABodyOverTheLimitByItsContentLength() throws Exception {
        WebhookRequest oversized =
                STRIPE.delivery(stripeEvent("x".repeat(MAX_BODY))).signed();

        HttpResponse<String> response = send(oversized, "/webhooks/stripe");

        assertProblem(response, Reason.PAYLOAD_TOO_LARGE);
        assertThat(recorder.handled()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {MAX_BODY + 1, 5_000_000_000L})
    void refusesADeclaredLengthOverTheLimitBeforeTheBodyIsSent(long declared) throws Exception {
        WebhookRequest delivery = STRIPE.delivery(stripeEvent()).signed();
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

    /**
     * Issue 13: many providers' HTTP clients write the whole body before they read the answer; they must receive the
     * 413 (with the connection closed after it), not a reset that they would retry again and again.
     */
    @ParameterizedTest(name = "{0} MiB, {1}")
    @org.junit.jupiter.params.provider.CsvSource({"2, content-length", "8, content-length", "2, chunked", "8, chunked"})
    void aSenderThatWritesItsWholeBodyBeforeReadingReceivesThe413(int mebibytes, String framing) {
        URI target = server.uri("/webhooks/stripe");

        String answer = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> io.hookwarden.test.RawHttp.sendWholeBodyThenRead(
                        target.getHost(),
                        target.getPort(),
                        target.getPath(),
                        mebibytes << 20,
                        framing.equals("chunked"),
                        Duration.ofSeconds(30)));

        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("PAYLOAD_TOO_LARGE");
        assertThat(answer.toLowerCase(Locale.ROOT)).contains("connection: close");
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void refusesAChunkedBodyOverTheLimit() throws Exception {
        WebhookRequest oversized =
                STRIPE.delivery(stripeEvent("x".repeat(4 * MAX_BODY))).signed();

        HttpResponse<String> response = sendChunked(oversized, "/webhooks/stripe");

        assertProblem(response, Reason.PAYLOAD_TOO_LARGE);
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void acceptsAChunkedBodyUnderTheLimit() throws Exception {
        String event = stripeEvent("y".repeat(MAX_BODY / 2));

        HttpResponse<String> response = sendChunked(STRIPE.delivery(event).signed(), "/webhooks/stripe/string");

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
        WebhookRequest malformed = STRIPE.delivery(stripeEvent()).withHeader("Stripe-Signature", "t=,v1=zz");
        WebhookRequest missing = STRIPE.delivery(stripeEvent()).withoutHeader("Stripe-Signature");
        WebhookRequest junk = STANDARD.delivery("{}").withHeader("webhook-timestamp", "yesterday");

        assertProblem(send(malformed, "/webhooks/stripe"), Reason.MALFORMED_HEADER);
        assertProblem(send(missing, "/webhooks/stripe"), Reason.MISSING_HEADER);
        assertProblem(send(junk, "/webhooks/standard"), Reason.MALFORMED_HEADER);
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void refusesASignedStripeBodyThatIsNotJsonBecauseItCarriesNoEventId() throws Exception {
        HttpResponse<String> response =
                send(STRIPE.delivery("{\"id\": \"evt_cut_off").signed(), "/webhooks/stripe");

        assertProblem(response, Reason.MALFORMED_PAYLOAD);
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void aMethodThatThrowsIsAnswered500WithRetryAfterAndTheRetryIsProcessed() throws Exception {
        recorder.failuresLeft.set(1);
        recorder.failureMessage = "database down; config had " + STRIPE_SECRET;
        WebhookRequest delivery = STRIPE.delivery(stripeEvent()).signed();

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
        WebhookRequest delivery = STRIPE.delivery(event).signed();

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
        WebhookRequest delivery = STRIPE.delivery(stripeEvent()).signed();
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

        HttpResponse<String> response = send(STRIPE.delivery(event).signed(), "/webhooks/stripe/string");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(event);
        assertThat(recorder.handled()).containsExactly("stripe:" + idOf(event));
    }

    @Test
    void theMethodReadsTheVerifiedBytesAsAStream() throws Exception {
        String event = stripeEvent("\u00fcber \u00e9t\u00e9");
        WebhookRequest delivery = STRIPE.delivery(event).signed();

        HttpResponse<byte[]> response = client.send(
                WebhookRequests.toHttpRequest(delivery, server.uri("/webhooks/stripe/stream")),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(delivery.body());
    }

    @Test
    void theVerifiedWebhookIsARequestPropertyForMethodsThatTakeTheContext() throws Exception {
        String event = stripeEvent();

        HttpResponse<String> response = send(STRIPE.delivery(event).signed(), "/webhooks/stripe/context");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("scheme stripe id " + idOf(event) + " key key-1");
    }

    @Test
    void anAnnotationOnTheClassCoversItsMethods() throws Exception {
        WebhookRequest delivery = STANDARD.delivery("{\"type\":\"user.created\"}")
                .id("msg_class_level")
                .signed();

        HttpResponse<String> accepted = send(delivery, "/webhooks/standard");
        HttpResponse<String> unsigned = send(WebhookRequest.builder().body("{}").build(), "/webhooks/standard");

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo("processed msg_class_level");
        assertProblem(unsigned, Reason.MISSING_HEADER);
        assertThat(recorder.handled()).containsExactly("standard:msg_class_level");
    }

    @Test
    void aHandshakeIsAnsweredByTheSchemeVerbatimAndTheMethodDoesNotRun() throws Exception {
        WebhookRequest challenge = SLACK.delivery(
                        "{\"token\":\"t\",\"challenge\":\"c-jaxrs-123\"," + "\"type\":\"url_verification\"}")
                .signed();
        HttpAnswer expected =
                receiver(Schemes.slack(), SLACK_SECRET).receive(challenge).answer();

        HttpResponse<String> response = send(challenge, "/webhooks/slack");
        HttpResponse<String> event = send(
                SLACK.delivery("{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":{}}")
                        .signed(),
                "/webhooks/slack");

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
        WebhookRequest delivery = WebhookFixtures.builder()
                .scheme(urlScheme())
                .secret(URL_SECRET)
                .clock(CLOCK)
                .url(url)
                .build()
                .delivery("{\"n\":1}")
                .signed();

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
        WebhookRequest valid = STRIPE.delivery(stripeEvent()).signed();
        String signature = valid.headers().first("Stripe-Signature").orElseThrow();
        List<HttpResponse<String>> answers = List.of(
                send(STRIPE.delivery(stripeEvent()).forged(), "/webhooks/stripe"),
                send(STRIPE.delivery(stripeEvent()).tampered(), "/webhooks/stripe"),
                send(STRIPE.delivery(stripeEvent()).aged(Duration.ofHours(1)), "/webhooks/stripe"),
                send(STRIPE.delivery(stripeEvent("z".repeat(MAX_BODY))).signed(), "/webhooks/stripe"),
                send(STRIPE.delivery("not json").signed(), "/webhooks/stripe"),
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

    // ---- issue 12: other spellings of an endpoint's path, other methods, request smuggling

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("io.hookwarden.test.RawHttp#otherSpellingsOfWebhooksStripe")
    void neverRunsTheMethodForAnotherSpellingOfTheEndpointsPathSignedOrNot(String path) throws Exception {
        // given: the path sent byte for byte as written (no client normalises it), once unsigned, once validly signed
        WebhookRequest signed = STRIPE.delivery(stripeEvent()).signed();

        // when
        RawAnswer unsigned = raw("POST", path, stripeEvent().getBytes(StandardCharsets.UTF_8), Map.of());
        RawAnswer signedAnswer =
                raw("POST", path, signed.body(), signed.headers().toMap());

        // then: refused or not found, never processed, never a 2xx or a 5xx
        assertThat(unsigned.status()).as("unsigned to %s", path).isBetween(400, 499);
        if (path.contains(";jsessionid=") && container() != JerseyServer.Container.JDK_HTTP) {
            // Grizzly takes ;jsessionid= out of the request URI as session tracking before the application sees it:
            // the delivery is the one sent to /webhooks/stripe, verified as usual.
            assertThat(signedAnswer.status()).as("signed to %s", path).isEqualTo(200);
            assertThat(recorder.handled()).as("handled at %s", path).hasSize(1);
            return;
        }
        assertThat(signedAnswer.status()).as("signed to %s", path).isBetween(400, 499);
        assertThat(recorder.handled()).as("handled at %s", path).isEmpty();
    }

    @Test
    void refusesAnAmbiguousSpellingOfASignedDeliveryWith400AndAReason() throws Exception {
        WebhookRequest delivery = STRIPE.delivery(stripeEvent()).signed();

        HttpResponse<String> answer = send(delivery, "/webhooks/stripe;x=1");
        HttpResponse<String> genuine = send(delivery, "/webhooks/stripe");

        assertProblem(answer, Reason.AMBIGUOUS_REQUEST);
        assertThat(genuine.statusCode()).isEqualTo(200);
        assertThat(recorder.handled()).hasSize(1);
    }

    @Test
    void leavesAPathParameterOfAnEndpointTemplateAlone() throws Exception {
        // an escaped character the template captures is not a second spelling of the endpoint: processed
        String event = stripeEvent();

        HttpResponse<String> response = send(STRIPE.delivery(event).signed(), "/webhooks/stripe/tenant/acme%20corp");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("tenant acme corp");
    }

    static Stream<Arguments> otherMethods() {
        return Stream.of("OPTIONS", "PUT", "PATCH", "DELETE", "TRACE")
                .flatMap(method -> Stream.of(
                        Arguments.of(method, "/webhooks/stripe"), Arguments.of(method, "/webhooks/standard")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("otherMethods")
    void aSignedDeliverySentFirstWithAnotherMethodIsRefusedAndThePostIsStillProcessed(String method, String path)
            throws Exception {
        // given: issue 12, a captured delivery replayed as a CORS preflight, a TRACE or a PUT before the provider's
        // POST
        WebhookRequest delivery = path.endsWith("stripe")
                ? STRIPE.delivery(stripeEvent()).signed()
                : STANDARD.delivery("{\"type\":\"user.created\"}").signed();

        // when
        RawAnswer first = raw(method, path, delivery.body(), delivery.headers().toMap());
        HttpResponse<String> genuine = send(delivery, path);
        HttpResponse<String> replay = send(delivery, path);

        // then: the other method is refused (by the runtime or the core) and claims nothing; the POST is processed once
        assertThat(first.status()).as("%s %s", method, path).isBetween(400, 499);
        if (method.equals("OPTIONS")) {
            // answered by the feature, not the runtime's automatic OPTIONS: the core's 405 with Allow: POST
            assertThat(first.status()).isEqualTo(405);
            assertThat(first.text()).containsIgnoringCase("Allow: POST").contains("METHOD_NOT_ALLOWED");
        }
        assertThat(genuine.statusCode()).isEqualTo(200);
        assertProblem(replay, Reason.DUPLICATE);
        assertThat(recorder.handled()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Content-Length first", "Transfer-Encoding first"})
    void refusesARequestWithBothContentLengthAndTransferEncodingAndClosesTheConnection(String order) throws Exception {
        // Grizzly 4.0.2 drops a Content-Length that a Transfer-Encoding follows while it parses the head, so neither
        // JAX-RS nor Grizzly's own request shows the conflict, and it reads the hidden request before any answer could
        // close the connection: only Grizzly's HTTP parser can refuse it (StrictFramingAddOn,
        // GrizzlyStrictFramingTest).
        assumeFalse(
                container() == JerseyServer.Container.GRIZZLY && order.startsWith("Content-Length"),
                "plain Grizzly hides a Content-Length followed by Transfer-Encoding; see GrizzlyStrictFramingTest");
        // given: issue 12, a signed delivery framed both ways, and a second signed delivery hidden after its chunked
        // body
        String path = "/webhooks/stripe";
        WebhookRequest outer = STRIPE.delivery(stripeEvent()).signed();
        WebhookRequest hidden = STRIPE.delivery(stripeEvent()).signed();
        byte[] chunked = chunked(outer.body());
        String framing = order.startsWith("Content-Length")
                ? "Content-Length: " + chunked.length + "\r\nTransfer-Encoding: chunked\r\n"
                : "Transfer-Encoding: chunked\r\nContent-Length: " + chunked.length + "\r\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head("POST", path, outer.headers().toMap(), framing));
        bytes.writeBytes(chunked);
        bytes.writeBytes(
                head("POST", path, hidden.headers().toMap(), "Content-Length: " + hidden.bodyLength() + "\r\n"));
        bytes.writeBytes(hidden.body());

        // when
        RawAnswer answer = exchange(bytes.toByteArray());

        // then: one answer, and the server closed the connection instead of reading the hidden request
        String outerId = "stripe:" + idOf(new String(outer.body(), StandardCharsets.UTF_8));
        String hiddenId = "stripe:" + idOf(new String(hidden.body(), StandardCharsets.UTF_8));
        assertThat(answer.closed()).as("connection closed after the answer").isTrue();
        assertThat(answer.statuses()).as("answers on the connection").containsExactly(400);
        if (answer.text().contains("problem+json")) {
            assertThat(answer.text()).contains("AMBIGUOUS_REQUEST");
            assertThat(answer.text().toLowerCase(Locale.ROOT)).contains("connection: close");
        }
        assertThat(recorder.handled()).isEmpty();
        assertThat(send(outer, path).statusCode()).isEqualTo(200);
        // and the hidden delivery was never claimed: it is processed when sent on its own
        assertThat(send(hidden, path).statusCode()).isEqualTo(200);
        assertThat(recorder.handled()).containsExactly(outerId, hiddenId);
    }

    /** What came back on one raw connection: every status line in order, everything read, and how it ended. */
    record RawAnswer(List<Integer> statuses, String text, boolean closed) {
        private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3}) ");

        int status() {
            assertThat(statuses).as("answers in %s", text).isNotEmpty();
            return statuses.get(0);
        }

        static RawAnswer of(String text, boolean closed) {
            List<Integer> statuses = new ArrayList<>();
            Matcher m = STATUS_LINE.matcher(text);
            while (m.find()) {
                statuses.add(Integer.parseInt(m.group(1)));
            }
            return new RawAnswer(statuses, text, closed);
        }
    }

    /** Sends {@code method path} with a raw socket, so the request line carries the path exactly, and reads to EOF. */
    private RawAnswer raw(String method, String path, byte[] body, Map<String, List<String>> headers)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head(method, path, headers, "Content-Length: " + body.length + "\r\nConnection: close\r\n"));
        bytes.writeBytes(body);
        return exchange(bytes.toByteArray());
    }

    private byte[] head(String method, String path, Map<String, List<String>> headers, String framing) {
        URI target = server.uri("/");
        StringBuilder head =
                new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + target.getAuthority() + "\r\n");
        headers.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Host")) {
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
            }
        });
        if (headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            head.append("Content-Type: application/json\r\n");
        }
        return head.append(framing).append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * Writes the bytes on a fresh connection and reads until the server closes it (a reset after the answer counts as
     * closed); a server that keeps the connection open is caught by the read timeout.
     */
    private RawAnswer exchange(byte[] request) throws IOException {
        URI target = server.uri("/");
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean closed;
        try (Socket socket = new Socket(target.getHost(), target.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (SocketException reset) {
                closed = true;
            }
        }
        String text = received.toString(StandardCharsets.ISO_8859_1);
        for (String secret : SECRETS) {
            assertThat(text).doesNotContain(secret);
        }
        return RawAnswer.of(text, closed);
    }
}
