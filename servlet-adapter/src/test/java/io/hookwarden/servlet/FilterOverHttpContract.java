package io.hookwarden.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.DedupeKey;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.InMemoryInbox;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link HookwardenFilter} does for a sender over real HTTP, in whatever container a subclass starts: the same
 * contract for Jetty and Tomcat. Each test starts a server on a free port with two endpoints (Standard Webhooks with a
 * 4 KiB body limit, Stripe) in front of a small application servlet, and sends with {@link HttpClient}.
 */
abstract class FilterOverHttpContract {
    static final String STANDARD_SECRET =
            "whsec_" + Base64.getEncoder().encodeToString("standard-key-0123456789abcdef".getBytes());
    static final String STRIPE_SECRET = "whsec_stripe_test_0123456789abcdefghij";
    static final String SLACK_SECRET = "slack-signing-secret-0123456789";
    static final int LIMIT = 4096;
    /** A payload value that must never come back in an answer written by the filter. */
    static final String MARKER = "payload-marker-8c1f";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Starts the container with the filter in front of the application on every path; returns its base URI. */
    abstract URI start(Filter filter, HttpServlet application) throws Exception;

    /** Stops the container. */
    abstract void stop() throws Exception;

    /**
     * Whether the container drops the {@code Content-Length} of a request that also carries {@code Transfer-Encoding}
     * before the filter sees it, reads the body as chunked and closes the connection after answering (RFC 9112 section
     * 6.3 allows this instead of a 400): the filter then sees an ordinary chunked delivery.
     */
    boolean containerFramesConflictingRequestsAsChunkedAndCloses() {
        return false;
    }

    /** What the application servlet does with a request that reached it. */
    @FunctionalInterface
    interface Behaviour {
        void handle(HttpServletRequest request, HttpServletResponse response) throws Exception;
    }

    record Answer(int status, Map<String, List<String>> headers, String body) {
        String reason() {
            try {
                JsonNode node = JSON.readTree(body);
                return node.path("reason").asText(null);
            } catch (IOException e) {
                return null;
            }
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    final MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
    final WebhookFixtures standard = WebhookFixtures.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(STANDARD_SECRET)
            .clock(clock)
            .build();
    final WebhookFixtures slack = WebhookFixtures.builder()
            .scheme(Schemes.slack())
            .secret(SLACK_SECRET)
            .clock(clock)
            .build();
    final WebhookFixtures stripe = WebhookFixtures.builder()
            .scheme(Schemes.stripe())
            .secret(STRIPE_SECRET)
            .clock(clock)
            .build();

    final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Every answer received and every signature sent, to check that no answer carries a secret. */
    final List<Answer> answers = new CopyOnWriteArrayList<>();

    final List<String> signaturesSent = new CopyOnWriteArrayList<>();
    /** Verified webhooks the application saw, in order. */
    final List<VerifiedWebhook> seen = new CopyOnWriteArrayList<>();

    final AtomicInteger handlerRuns = new AtomicInteger();
    /** The inbox of the endpoint that acknowledges at once ({@code /webhooks/queued}). */
    final InMemoryInbox inbox = InMemoryInbox.builder().clock(clock).build();

    volatile Behaviour behaviour;
    URI base;

    @BeforeEach
    void startServer() throws Exception {
        InMemoryDedupeStore store = InMemoryDedupeStore.builder().clock(clock).build();
        WebhookReceiver standardReceiver = WebhookReceiver.builder()
                .name("standard")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(STANDARD_SECRET)
                        .clock(clock)
                        .maxBodyBytes(LIMIT)
                        .build())
                .dedupeStore(store)
                .build();
        // The Stripe event id lives in the body: keyed by it alone, a signed body that is not JSON has no key and is
        // refused as MALFORMED_PAYLOAD. (The core's default falls back to the signature and would accept it.)
        WebhookReceiver stripeReceiver = WebhookReceiver.builder()
                .name("stripe")
                .dedupeKey(DedupeKey.deliveryId())
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.stripe())
                        .secret(STRIPE_SECRET)
                        .clock(clock)
                        .build())
                .dedupeStore(store)
                .build();
        WebhookReceiver slackReceiver = WebhookReceiver.builder()
                .name("slack")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.slack())
                        .secret(SLACK_SECRET)
                        .clock(clock)
                        .build())
                .dedupeStore(store)
                .build();
        WebhookReceiver storeDownReceiver = WebhookReceiver.builder()
                .name("down")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(STANDARD_SECRET)
                        .clock(clock)
                        .build())
                .dedupeStore(new DedupeStore() {
                    @Override
                    public ClaimResult claim(String key, Duration lease) {
                        throw new StoreUnavailableException("connection refused by store-host:6379");
                    }

                    @Override
                    public boolean complete(String key, Claim claim, Duration retention) {
                        throw new StoreUnavailableException("connection refused");
                    }

                    @Override
                    public boolean release(String key, Claim claim) {
                        throw new StoreUnavailableException("connection refused");
                    }
                })
                .build();
        WebhookReceiver queuedReceiver = WebhookReceiver.builder()
                .name("queued")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(STANDARD_SECRET)
                        .clock(clock)
                        .build())
                .inbox(inbox)
                .build();
        HookwardenFilter filter = HookwardenFilter.builder()
                .endpoint("/webhooks/standard", standardReceiver)
                .endpoint("/webhooks/queued", queuedReceiver)
                .endpoint("/webhooks/down", storeDownReceiver)
                .endpoint("/webhooks/slack", slackReceiver)
                .endpoint("/webhooks/stripe", stripeReceiver)
                .build();
        behaviour = (request, response) -> {
            request.getInputStream().readAllBytes();
            response.setContentType("text/plain");
            response.getWriter().write("handled");
        };
        base = start(filter, new Application());
    }

    @AfterEach
    void noAnswerCarriesASecretASignatureOrAPayloadValue() throws Exception {
        try {
            List<String> forbidden = new ArrayList<>(List.of(
                    STANDARD_SECRET,
                    STANDARD_SECRET.substring("whsec_".length()),
                    STRIPE_SECRET,
                    SLACK_SECRET,
                    MARKER));
            signaturesSent.forEach(s -> forbidden.add(s));
            for (Answer answer : answers) {
                String everything = answer.headers() + "\n" + answer.body();
                for (String secret : forbidden) {
                    assertThat(everything).doesNotContain(secret);
                }
                assertThat(everything).doesNotContain("Exception").doesNotContain("\tat ");
            }
        } finally {
            stop();
        }
    }

    /** The application: counts handler runs, records the verified webhook, then does what the test asks. */
    final class Application extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            if (request.getRequestURI().equals("/forward")) {
                request.getRequestDispatcher("/webhooks/standard").forward(request, response);
                return;
            }
            if (!request.getRequestURI().startsWith("/webhooks/")) {
                byte[] body = request.getInputStream().readAllBytes();
                response.setContentType("text/plain");
                response.getWriter()
                        .write("passed through " + body.length + " bytes, attribute "
                                + request.getAttribute(HookwardenFilter.VERIFIED_WEBHOOK));
                return;
            }
            handlerRuns.incrementAndGet();
            seen.add((VerifiedWebhook) request.getAttribute(HookwardenFilter.VERIFIED_WEBHOOK));
            try {
                behaviour.handle(request, response);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ---- sending

    Answer send(String path, WebhookRequest delivery) throws Exception {
        return send(path, delivery, HttpRequest.BodyPublishers.ofByteArray(delivery.body()), null);
    }

    Answer sendChunked(String path, WebhookRequest delivery) throws Exception {
        byte[] body = delivery.body();
        return send(
                path, delivery, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)), null);
    }

    Answer send(String path, WebhookRequest delivery, HttpRequest.BodyPublisher body, String contentType)
            throws Exception {
        return await(sendAsync(path, delivery, body, contentType));
    }

    CompletableFuture<Answer> sendAsync(
            String path, WebhookRequest delivery, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).POST(body);
        delivery.headers()
                .toMap()
                .forEach((name, values) -> values.forEach(v -> {
                    request.header(name, v);
                    if (name.toLowerCase().contains("signature")) {
                        signaturesSent.add(v);
                    }
                }));
        request.setHeader("Content-Type", contentType == null ? "application/json" : contentType);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> {
                    Answer answer = new Answer(r.statusCode(), r.headers().map(), r.body());
                    answers.add(answer);
                    return answer;
                });
    }

    static Answer await(CompletableFuture<Answer> answer) throws Exception {
        return answer.get(30, TimeUnit.SECONDS);
    }

    static String event(String id) {
        return "{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"data\":{\"note\":\"" + MARKER + "\"}}";
    }

    static void assertProblem(Answer answer, int status, String reason) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.reason()).isEqualTo(reason);
    }

    // ---- accepted

    @Test
    void handsAValidDeliveryToTheApplicationWithItsVerifiedWebhookAndAnswersWhatTheApplicationAnswers()
            throws Exception {
        // given
        WebhookRequest delivery =
                standard.delivery(event("evt_1")).id("msg_valid").signed();

        // when
        Answer answer = send("/webhooks/standard?tenant=a&x=1", delivery);

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("handled");
        assertThat(handlerRuns).hasValue(1);
        VerifiedWebhook webhook = seen.get(0);
        assertThat(webhook.id()).contains("msg_valid");
        assertThat(webhook.body()).isEqualTo(delivery.body());
        assertThat(webhook.request().method()).isEqualTo("POST");
        assertThat(webhook.request().url())
                .contains(base.resolve("/webhooks/standard?tenant=a&x=1").toString());
        assertThat(webhook.request().remoteAddress()).isPresent();
        assertThat(webhook.request().headers().first("webhook-id")).contains("msg_valid");
    }

    @Test
    void acceptsAStripeEventWhoseIdLivesInTheBody() throws Exception {
        // when
        Answer answer =
                send("/webhooks/stripe", stripe.delivery(event("evt_stripe_1")).signed());

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(seen).singleElement().satisfies(w -> {
            assertThat(w.id()).contains("evt_stripe_1");
            assertThat(w.eventType()).contains("invoice.paid");
        });
    }

    @Test
    void letsTheApplicationReadTheSameBytesAsAStreamAndAsAReaderMoreThanOnce() throws Exception {
        // given
        String text = "{\"id\":\"evt_1\",\"note\":\"caf\u00e9 \u2615 " + MARKER + "\"}";
        List<String> reads = new CopyOnWriteArrayList<>();
        behaviour = (request, response) -> {
            reads.add(new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            reads.add(new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            reads.add(readAll(request.getReader()));
            reads.add(readAll(request.getReader()));
            reads.add(Integer.toString(request.getContentLength()));
        };

        // when
        Answer answer = send(
                "/webhooks/standard",
                standard.delivery(text).signed(),
                HttpRequest.BodyPublishers.ofByteArray(text.getBytes(StandardCharsets.UTF_8)),
                "application/json; charset=UTF-8");

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(reads)
                .containsExactly(
                        text, text, text, text, Integer.toString(text.getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void decodesTheReaderWithTheCharsetTheRequestNames() throws Exception {
        // given
        Charset latin1 = StandardCharsets.ISO_8859_1;
        String text = "{\"id\":\"evt_1\",\"name\":\"Ren\u00e9e\"}";
        WebhookRequest delivery =
                standard.delivery().body(text.getBytes(latin1)).signed();
        List<String> reads = new CopyOnWriteArrayList<>();
        behaviour = (request, response) -> reads.add(readAll(request.getReader()));

        // when
        Answer answer = send(
                "/webhooks/standard",
                delivery,
                HttpRequest.BodyPublishers.ofByteArray(delivery.body()),
                "application/json; charset=ISO-8859-1");

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(reads).containsExactly(text);
    }

    @Test
    void parsesTheParametersOfAFormBodyAfterTheQuerysFromTheVerifiedBytes() throws Exception {
        // given: a Slack slash command, posted as a form
        String form = "command=%2Fdeploy&text=caf%C3%A9+now&channel=a&channel=b&flag";
        WebhookRequest delivery = slack.delivery(form).signed();
        List<String> reads = new CopyOnWriteArrayList<>();
        behaviour = (request, response) -> {
            reads.add(request.getParameter("command"));
            reads.add(request.getParameter("text"));
            reads.add(String.join(",", request.getParameterValues("channel")));
            reads.add(request.getParameter("flag"));
            reads.add(request.getParameter("team"));
            reads.add(String.join(",", Collections.list(request.getParameterNames())));
            reads.add(new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        };

        // when
        Answer answer = send(
                "/webhooks/slack?team=T1&channel=q",
                delivery,
                HttpRequest.BodyPublishers.ofByteArray(delivery.body()),
                "application/x-www-form-urlencoded");

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(reads)
                .containsExactly("/deploy", "caf\u00e9 now", "q,a,b", "", "T1", "team,channel,command,text,flag", form);
    }

    @Test
    void completesTheClaimOfAnAsynchronousHandlerWhenItsAsyncCycleEndsWithSuccess() throws Exception {
        // given
        WebhookRequest delivery = standard.delivery(event("evt_async")).signed();
        behaviour = (request, response) -> {
            AsyncContext async = request.startAsync();
            async.start(() -> {
                try {
                    response.getWriter().write("done later");
                } catch (IOException e) {
                    response.setStatus(500);
                }
                async.complete();
            });
        };

        // when
        Answer first = send("/webhooks/standard", delivery);
        Answer again = send("/webhooks/standard", delivery);

        // then
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("done later");
        assertProblemFreeDuplicate(again);
        assertThat(handlerRuns).hasValue(1);
    }

    // ---- refused before the application

    @Test
    void refusesAForgedDeliveryWith401AndNeverCallsTheApplication() throws Exception {
        Answer answer =
                send("/webhooks/standard", standard.delivery(event("evt_1")).forged());

        assertProblem(answer, 401, "SIGNATURE_MISMATCH");
        assertThat(answer.header("Retry-After")).isNull();
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void refusesATamperedBodyWith401() throws Exception {
        Answer answer =
                send("/webhooks/standard", standard.delivery(event("evt_1")).tampered());

        assertProblem(answer, 401, "SIGNATURE_MISMATCH");
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void refusesAnExpiredDeliveryWith401() throws Exception {
        Answer answer =
                send("/webhooks/standard", standard.delivery(event("evt_1")).aged(Duration.ofMinutes(6)));

        assertProblem(answer, 401, "TIMESTAMP_TOO_OLD");
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void refusesADeliveryFromTheFutureWith401() throws Exception {
        Answer answer =
                send("/webhooks/standard", standard.delivery(event("evt_1")).fromTheFuture(Duration.ofMinutes(6)));

        assertProblem(answer, 401, "TIMESTAMP_IN_FUTURE");
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void refusesADeliveryWithoutItsSignatureHeaderWith400() throws Exception {
        Answer answer =
                send("/webhooks/standard", standard.delivery(event("evt_1")).withoutHeader("webhook-signature"));

        assertProblem(answer, 400, "MISSING_HEADER");
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void refusesAMalformedTimestampHeaderWith400() throws Exception {
        Answer answer = send(
                "/webhooks/standard", standard.delivery(event("evt_1")).withHeader("webhook-timestamp", "yesterday"));

        assertProblem(answer, 400, "MALFORMED_HEADER");
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void refusesAMalformedStripeSignatureHeaderWith400() throws Exception {
        Answer answer =
                send("/webhooks/stripe", stripe.delivery(event("evt_1")).withHeader("Stripe-Signature", "v1=,t=,junk"));

        assertProblem(answer, 400, "MALFORMED_HEADER");
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void refusesASignedStripeDeliveryWhoseBodyIsNotJsonWith400() throws Exception {
        Answer answer = send(
                "/webhooks/stripe",
                stripe.delivery("{\"id\":\"evt_1\", not json " + MARKER).signed());

        assertProblem(answer, 400, "MALFORMED_PAYLOAD");
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void refusesABodyOverTheLimitByItsContentLengthWith413() throws Exception {
        Answer answer = send(
                "/webhooks/standard", standard.delivery("x".repeat(LIMIT + 1)).signed());

        assertProblem(answer, 413, "PAYLOAD_TOO_LARGE");
        assertThat(answer.header("Retry-After")).isNull();
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void refusesAChunkedBodyOverTheLimitWith413() throws Exception {
        Answer answer = sendChunked(
                "/webhooks/standard", standard.delivery("x".repeat(64 * 1024)).signed());

        assertProblem(answer, 413, "PAYLOAD_TOO_LARGE");
        assertThat(handlerRuns).hasValue(0);
    }

    /**
     * Issue 13: many providers' HTTP clients (Python's urllib among them) write the whole body before they read the
     * answer. The filter answers 413 with {@code Connection: close} and reads and drops the rest of the body, so the
     * sender receives the 413 instead of a connection reset (which it would retry, again and again).
     */
    @ParameterizedTest(name = "{0} MiB, {1}")
    @org.junit.jupiter.params.provider.CsvSource({"2, content-length", "8, content-length", "2, chunked", "8, chunked"})
    void aSenderThatWritesItsWholeBodyBeforeReadingReceivesThe413(int mebibytes, String framing) {
        String answer = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> io.hookwarden.test.RawHttp.sendWholeBodyThenRead(
                        base.getHost(),
                        base.getPort(),
                        "/webhooks/standard",
                        mebibytes << 20,
                        framing.equals("chunked"),
                        Duration.ofSeconds(30)));

        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("PAYLOAD_TOO_LARGE");
        assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void acceptsAChunkedBodyOfExactlyTheLimit() throws Exception {
        // given
        String body = "{\"id\":\"evt_1\",\"pad\":\"" + "x".repeat(LIMIT - 23) + "\"}";
        assertThat(body).hasSize(LIMIT);

        // when
        Answer answer =
                sendChunked("/webhooks/standard", standard.delivery(body).signed());

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(seen).singleElement().satisfies(w -> assertThat(w.body()).hasSize(LIMIT));
    }

    @Test
    void answers503WithRetryAfterWhenTheDedupeStoreIsDownAndNeverRunsTheHandler() throws Exception {
        Answer answer = send("/webhooks/down", standard.delivery(event("evt_1")).signed());

        assertProblem(answer, 503, "STORE_UNAVAILABLE");
        assertThat(answer.header("Retry-After")).isEqualTo("10");
        assertThat(answer.body()).doesNotContain("store-host");
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void answersADeliveryWrittenToTheInbox200WithoutRunningTheApplication() throws Exception {
        // when
        Answer answer =
                send("/webhooks/queued", standard.delivery(event("evt_1")).signed());

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEmpty();
        assertThat(handlerRuns).hasValue(0);
        assertThat(inbox.size()).isEqualTo(1);
    }

    // ---- exactly once

    @Test
    void answersAReplayedDeliveryAsADuplicateWithoutRunningTheHandlerAgain() throws Exception {
        // given
        WebhookRequest delivery = standard.delivery(event("evt_1")).signed();

        // when
        Answer first = send("/webhooks/standard", delivery);
        Answer replay = send("/webhooks/standard", delivery);

        // then
        assertThat(first.status()).isEqualTo(200);
        assertProblemFreeDuplicate(replay);
        assertThat(handlerRuns).hasValue(1);
    }

    @Test
    void answers500WithRetryAfterWhenTheHandlerThrowsAndProcessesTheRetry() throws Exception {
        // given
        WebhookRequest delivery = standard.delivery(event("evt_1")).signed();
        behaviour = (request, response) -> {
            throw new IllegalStateException("database down while handling " + MARKER);
        };

        // when
        Answer failed = send("/webhooks/standard", delivery);
        behaviour = (request, response) -> response.getWriter().write("handled on retry");
        Answer retry = send("/webhooks/standard", delivery);
        Answer replay = send("/webhooks/standard", delivery);

        // then
        assertProblem(failed, 500, "HANDLER_FAILED");
        assertThat(failed.header("Retry-After")).isEqualTo("10");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo("handled on retry");
        assertProblemFreeDuplicate(replay);
        assertThat(handlerRuns).hasValue(2);
    }

    @Test
    void releasesTheClaimWhenTheHandlerThrowsAfterCommittingItsAnswer() throws Exception {
        // given: the answer is on the wire before the handler fails, so the container deals with the exception
        WebhookRequest delivery = standard.delivery(event("evt_1")).signed();
        behaviour = (request, response) -> {
            response.getWriter().write("started");
            response.flushBuffer();
            throw new IllegalStateException("failed after committing");
        };
        try {
            send("/webhooks/standard", delivery);
        } catch (java.util.concurrent.ExecutionException aborted) {
            // a container may abort the connection of a committed answer whose handler failed
        }

        // when
        behaviour = (request, response) -> response.getWriter().write("handled on retry");
        Answer retry = send("/webhooks/standard", delivery);

        // then
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo("handled on retry");
        assertThat(handlerRuns).hasValue(2);
    }

    @Test
    void releasesTheClaimWhenTheApplicationAnswersAnErrorStatusSoTheRetryIsProcessed() throws Exception {
        // given
        WebhookRequest delivery = standard.delivery(event("evt_1")).signed();
        behaviour = (request, response) -> response.sendError(503);

        // when
        Answer failed = send("/webhooks/standard", delivery);
        behaviour = (request, response) -> response.setStatus(204);
        Answer retry = send("/webhooks/standard", delivery);
        Answer replay = send("/webhooks/standard", delivery);

        // then
        assertThat(failed.status()).isEqualTo(503);
        assertThat(retry.status()).isEqualTo(204);
        assertProblemFreeDuplicate(replay);
        assertThat(handlerRuns).hasValue(2);
    }

    @Test
    void runsTheHandlerOnceFor32ConcurrentSendsOfOneDelivery() throws Exception {
        // given: the handler holds its claim until every other send has been answered
        WebhookRequest delivery = standard.delivery(event("evt_concurrent")).signed();
        int sends = 32;
        CountDownLatch othersAnswered = new CountDownLatch(sends - 1);
        behaviour = (request, response) -> {
            boolean released = othersAnswered.await(30, TimeUnit.SECONDS);
            response.getWriter().write(released ? "handled" : "timed out");
        };

        // when
        List<CompletableFuture<Answer>> futures = new ArrayList<>();
        for (int i = 0; i < sends; i++) {
            futures.add(sendAsync(
                            "/webhooks/standard",
                            delivery,
                            HttpRequest.BodyPublishers.ofByteArray(delivery.body()),
                            null)
                    .whenComplete((a, e) -> othersAnswered.countDown()));
        }
        List<Answer> results = new ArrayList<>();
        for (CompletableFuture<Answer> f : futures) {
            results.add(await(f));
        }
        Answer later = send("/webhooks/standard", delivery);

        // then
        assertThat(handlerRuns).hasValue(1);
        assertThat(results).filteredOn(a -> a.status() == 200).singleElement().satisfies(a -> assertThat(a.body())
                .isEqualTo("handled"));
        assertThat(results)
                .filteredOn(a -> a.status() != 200)
                .hasSize(sends - 1)
                .allSatisfy(a -> {
                    assertProblem(a, 409, "IN_PROGRESS");
                    assertThat(a.header("Retry-After")).isEqualTo("10");
                });
        assertProblemFreeDuplicate(later);
    }

    // ---- other paths

    @Test
    void passesRequestsToOtherPathsThroughUntouched() throws Exception {
        // given: no signature, and a body over the endpoints' limit
        WebhookRequest unsigned =
                WebhookRequest.builder().body("y".repeat(3 * LIMIT)).build();

        // when
        Answer answer = send("/other", unsigned);

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("passed through " + 3 * LIMIT + " bytes, attribute null");
        assertThat(handlerRuns).hasValue(0);
    }

    @Test
    void passesAForwardToAnEndpointPathThroughBecauseOnlyRequestsFromTheNetworkAreVerified() throws Exception {
        // given: the filter is mapped for every dispatcher type, and /forward forwards to the endpoint's path
        WebhookRequest unsigned = WebhookRequest.builder().body("{}").build();

        // when
        Answer answer = send("/forward", unsigned);

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("handled");
        assertThat(seen).containsExactly((VerifiedWebhook) null);
    }

    @Test
    void treatsOnlyTheExactEndpointPathAsAnEndpoint() throws Exception {
        WebhookRequest unsigned = WebhookRequest.builder().body("{}").build();

        Answer answer = send("/webhooks/standard/extra", unsigned);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("handled");
        assertThat(seen).containsExactly((VerifiedWebhook) null);
    }

    static void assertProblemFreeDuplicate(Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.reason()).isEqualTo("DUPLICATE");
    }

    static String readAll(Reader reader) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[256];
        for (int n; (n = reader.read(buffer)) != -1; ) {
            text.append(buffer, 0, n);
        }
        return text.toString();
    }

    // ---- issue 12: the path the container routes by

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("io.hookwarden.test.RawHttp#otherSpellingsOfWebhooksStripe")
    void neverLetsAnUnsignedDeliveryReachTheApplicationThroughAnotherSpellingOfTheEndpoint(String path)
            throws Exception {
        // given: an unsigned delivery, sent byte for byte as written (no client normalises the path)
        String body = "{\"id\":\"evt_forged\",\"type\":\"invoice.paid\"}";

        // when
        int status = rawPost(path, body);

        // then: refused or not found, never processed, never a 2xx or a 5xx
        assertThat(status).as("status for %s", path).isBetween(400, 499);
        assertThat(handlerRuns).as("handler runs for %s", path).hasValue(0);
    }

    @Test
    void refusesAnAmbiguousSpellingOfASignedDeliveryWith400AndAReason() throws Exception {
        // given: a correctly signed delivery, sent to the endpoint's path with a path parameter
        WebhookRequest delivery = standard.delivery().json("{\"type\":\"a\"}").signed();

        // when
        Answer answer = send("/webhooks/standard;x=1", delivery);

        // then
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.reason()).isEqualTo("AMBIGUOUS_REQUEST");
        assertThat(handlerRuns).hasValue(0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"OPTIONS", "TRACE", "PUT", "PATCH", "DELETE"})
    void aSignedDeliverySentFirstWithAnotherMethodIsRefusedAndThePostIsStillProcessed(String method) throws Exception {
        // given: issue 12, a captured delivery replayed as a CORS preflight or a TRACE before the provider's POST
        WebhookRequest delivery = standard.delivery().json("{\"type\":\"a\"}").signed();
        String body = new String(delivery.body(), StandardCharsets.UTF_8);

        // when
        int first = raw(method, "/webhooks/standard", body, delivery.headers().toMap());
        Answer genuine = send("/webhooks/standard", delivery);

        // then
        assertThat(first).isEqualTo(405);
        assertThat(genuine.status()).isEqualTo(200);
        assertThat(genuine.body()).isEqualTo("handled");
        assertThat(handlerRuns).hasValue(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Content-Length first", "Transfer-Encoding first"})
    void refusesARequestWithBothContentLengthAndTransferEncodingAndClosesTheConnection(String order) throws Exception {
        // given: issue 12, a signed delivery framed both ways, and a second signed delivery hidden after its chunked
        // body
        WebhookRequest outer = standard.delivery().json("{\"type\":\"outer\"}").signed();
        WebhookRequest hidden =
                standard.delivery().json("{\"type\":\"hidden\"}").signed();
        byte[] chunked = chunked(outer.body());
        String framing = order.startsWith("Content-Length")
                ? "Content-Length: " + chunked.length + "\r\nTransfer-Encoding: chunked\r\n"
                : "Transfer-Encoding: chunked\r\nContent-Length: " + chunked.length + "\r\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head("POST", "/webhooks/standard", outer.headers().toMap(), framing));
        bytes.writeBytes(chunked);
        bytes.writeBytes(head(
                "POST",
                "/webhooks/standard",
                hidden.headers().toMap(),
                "Content-Length: " + hidden.bodyLength() + "\r\n"));
        bytes.writeBytes(hidden.body());

        // when
        String answer = exchange(bytes.toByteArray());

        // then: one answer, and the connection closed instead of the hidden request being read
        Matcher statusLines = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3}) ").matcher(answer);
        List<Integer> statuses = new ArrayList<>();
        while (statusLines.find()) {
            statuses.add(Integer.parseInt(statusLines.group(1)));
        }
        if (containerFramesConflictingRequestsAsChunkedAndCloses()) {
            assertThat(statuses).as("answers on the connection in %s", answer).containsExactly(200);
            assertThat(answer.toLowerCase(Locale.ROOT)).contains("connection: close");
            assertThat(handlerRuns).hasValue(1);
            assertProblemFreeDuplicate(send("/webhooks/standard", outer));
        } else {
            assertThat(statuses).as("answers on the connection in %s", answer).containsExactly(400);
            if (answer.contains("problem+json")) {
                assertThat(answer).contains("AMBIGUOUS_REQUEST");
                assertThat(answer.toLowerCase(Locale.ROOT)).contains("connection: close");
            }
            assertThat(handlerRuns).hasValue(0);
            assertThat(send("/webhooks/standard", outer).status()).isEqualTo(200);
        }
        // and the hidden delivery was never read as a request: it is processed when sent on its own
        assertThat(send("/webhooks/standard", hidden).status()).isEqualTo(200);
        assertThat(handlerRuns).hasValue(2);
    }

    private byte[] head(String method, String path, Map<String, List<String>> headers, String framing) {
        StringBuilder head = new StringBuilder(
                method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n");
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
     * closed); fails when the server keeps the connection open past the read timeout.
     */
    private String exchange(byte[] request) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError(
                        "the server kept the connection open after: " + received.toString(StandardCharsets.ISO_8859_1));
            } catch (SocketException reset) {
                // closed with unread bytes on its side: a reset, after the answer
            }
        }
        String text = received.toString(StandardCharsets.ISO_8859_1);
        answers.add(new Answer(0, Map.of(), text));
        return text;
    }

    /** POSTs with a raw socket, so the request line carries {@code path} exactly; returns the status. */
    int rawPost(String path, String body) throws Exception {
        return raw("POST", path, body, Map.of());
    }

    int raw(String method, String path, String body, Map<String, List<String>> headers) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost()
                    + ":" + base.getPort() + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n");
            headers.forEach((name, values) ->
                    values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
            head.append("\r\n");
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            String statusLine = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
            assertThat(statusLine).as("status line for %s", path).startsWith("HTTP/1.1 ");
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }
}
