package io.hookwarden.samples.support.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Scheme;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checks DESIGN.md "Samples" asks of every sample, over real HTTP with deliveries the test kit signs, as a
 * provider would send them: a valid delivery at each endpoint is processed and listed once in {@code GET /events}, a
 * replay is a duplicate, a forged delivery is a 401 problem+json, a Stripe invoice that breaks its schema is a 422, and
 * a handler failure is a 500 whose retry is processed once. No answer carries a secret.
 *
 * <p>And, over raw sockets, how its server stands up to a hostile client (issue 12; docs/samples.md "Hardening"): a
 * valid delivery is answered promptly while 30 senders hold connections with stalled bodies; a stalled body's
 * connection is closed within {@link #TEST_BODY_TIMEOUT} (plus the container's timer granularity); a request with both
 * {@code Content-Length} and {@code Transfer-Encoding} gets one answer, its connection is closed and the signed
 * delivery smuggled behind it never runs; {@code TRACE} is refused and echoes nothing; and no answer to a malformed
 * request names the container, its version or an exception.
 *
 * <p>A sample's test extends this class, starts its sample on a free port with {@link #settings()} verifying on
 * {@link #clock()}, and gives the sample's {@link #baseUri()}; it adds only what is particular to its sample.
 *
 * <p>Not thread-safe: JUnit runs one test of an instance at a time.
 */
public abstract class SampleContractTest {
    /** The Standard Webhooks secret of {@link #TEST_ENVIRONMENT}: a {@code whsec_} key, for tests only. */
    public static final String STANDARD_SECRET = "whsec_dGhlIHNhbXBsZSBjb250cmFjdCB0ZXN0IGtleSE=";
    /** The GitHub secret of {@link #TEST_ENVIRONMENT}. */
    public static final String GITHUB_SECRET = "sample-contract-github-test-secret";
    /** The Stripe secret of {@link #TEST_ENVIRONMENT}. */
    public static final String STRIPE_SECRET = "whsec_sample_contract_stripe_test_secret";
    /**
     * The body deadline of {@link #TEST_ENVIRONMENT} ({@code HOOKWARDEN_BODY_TIMEOUT}): short, so that a stalled body
     * is cut off within a test's patience, and long enough that a valid delivery is answered well inside it.
     */
    public static final String TEST_BODY_TIMEOUT = "2s";
    /**
     * A sample's environment for tests: a free port ({@code PORT=0}), the three test secrets and a {@link
     * #TEST_BODY_TIMEOUT}.
     */
    public static final Map<String, String> TEST_ENVIRONMENT = Map.of(
            "PORT", "0",
            "HOOKWARDEN_STANDARD_SECRET", STANDARD_SECRET,
            "HOOKWARDEN_GITHUB_SECRET", GITHUB_SECRET,
            "HOOKWARDEN_STRIPE_SECRET", STRIPE_SECRET,
            "HOOKWARDEN_BODY_TIMEOUT", TEST_BODY_TIMEOUT);
    /** How many slow senders {@link #aValidDeliveryIsAnsweredPromptlyWhileSlowSendersHoldConnections} connects. */
    private static final int SLOW_SENDERS = 30;
    /** What a stalled sender announces and sends of it before it stalls. */
    private static final int ANNOUNCED_BODY = 1000;

    private static final byte[] PARTIAL_BODY = "{\"id\":\"evt_".getBytes(StandardCharsets.US_ASCII);
    /** Words that name a container, a framework or an exception: an answer shows none of them. */
    private static final List<String> DETAILS = List.of(
            "exception",
            "at org.",
            "at java.",
            "jetty",
            "tomcat",
            "grizzly",
            "jersey",
            "glassfish",
            "catalina",
            "idle timeout",
            "stack");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Creates the contract; the sample is started by the subclass. */
    protected SampleContractTest() {}

    /** Where the running sample answers, such as {@code http://localhost:8080}. */
    protected abstract URI baseUri();

    /** The clock the sample's verifiers run on; the deliveries are signed on it. */
    protected abstract MutableClock clock();

    /**
     * The settings the sample was started with; {@link #TEST_ENVIRONMENT} unless overridden. An override keeps
     * {@link #TEST_BODY_TIMEOUT}, which the slow-sender checks rely on.
     */
    protected SampleSettings settings() {
        return SampleSettings.from(TEST_ENVIRONMENT);
    }

    /**
     * Whether the sample's container answers a request that has both {@code Content-Length} and {@code
     * Transfer-Encoding} with 400. RFC 9112 section 6.1 lets a server either refuse it or frame it by {@code
     * Transfer-Encoding} alone, and requires it to close the connection after answering in both cases; a container
     * that takes the second way overrides this to say so, and is still held to one answer, a closed connection and
     * nothing smuggled run.
     */
    protected boolean refusesContentLengthWithTransferEncoding() {
        return true;
    }

    /** A fresh Stripe event id, unique in this JVM. */
    protected static String freshEventId() {
        return "evt_" + IDS.incrementAndGet();
    }

    /** A Stripe {@code invoice.paid} event with {@code id} in {@code currency}, which the schema wants as 3 letters. */
    protected static String invoicePaid(String id, String currency) {
        return "{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"id\":\"in_"
                + IDS.incrementAndGet() + "\",\"amount_paid\":1999,\"currency\":\"" + currency + "\"}}}";
    }

    /** The test kit signing for the Stripe endpoint with the sample's secret on {@link #clock()}. */
    protected WebhookFixtures stripeFixtures() {
        return fixtures(Schemes.stripe(), settings().stripeSecret());
    }

    /**
     * Sends {@code delivery} to {@code path} over HTTP and checks the answer carries none of the sample's secrets.
     *
     * @throws Exception if the request fails
     */
    protected HttpResponse<String> send(URI base, WebhookRequest delivery, String path) throws Exception {
        return checked(client.send(
                WebhookRequests.toHttpRequest(delivery, base.resolve(path)), HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code response}, after checking that neither its body nor a header carries one of the sample's secrets. */
    protected HttpResponse<String> checked(HttpResponse<String> response) {
        SampleSettings settings = settings();
        for (String secret : List.of(settings.standardSecret(), settings.githubSecret(), settings.stripeSecret())) {
            assertThat(response.body()).doesNotContain(secret);
            response.headers().map().forEach((name, values) -> assertThat(values)
                    .allSatisfy(value -> assertThat(value).doesNotContain(secret)));
        }
        return response;
    }

    /** The {@code reason} member of a JSON answer. */
    protected static String reason(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).path("reason").asText();
    }

    /** The body deadline the sample runs with. */
    private Duration bodyTimeout() {
        return settings().limits().bodyTimeout();
    }

    /**
     * Opens a connection to the sample and sends {@code delivery}'s head to {@code path}, announcing a body of {@link
     * #ANNOUNCED_BODY} bytes, and the first few bytes of it: a sender that then stalls.
     */
    private Socket stalledSender(WebhookRequest delivery, String path) throws IOException {
        Socket socket = connect();
        OutputStream out = socket.getOutputStream();
        out.write(head("POST", path, delivery, "Content-Length: " + ANNOUNCED_BODY));
        out.write(PARTIAL_BODY);
        out.flush();
        return socket;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(baseUri().getHost(), baseUri().getPort()), 2_000);
        return socket;
    }

    /** A request head: the request line, {@code Host}, {@code delivery}'s headers and {@code extra}. */
    private byte[] head(String method, String path, WebhookRequest delivery, String... extra) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        head.append("Host: ").append(baseUri().getHost()).append("\r\n");
        delivery.headers().toMap().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("host")) {
                values.forEach(
                        value -> head.append(name).append(": ").append(value).append("\r\n"));
            }
        });
        for (String line : extra) {
            head.append(line).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What the server sent on a raw connection, whether it closed it, and when: {@code answered} is the time to the
     * first byte it sent (or to the close, if it sent none), {@code elapsed} the time to the close or to the end of
     * the test's patience.
     */
    private record RawAnswer(String text, boolean closed, Duration answered, Duration elapsed) {
        /** The status of the first answer, or 0 if there was none. */
        int status() {
            return text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
        }

        /** How many answers (status lines) the server sent. */
        int answers() {
            int count = 0;
            for (int at = text.indexOf("HTTP/1."); at >= 0; at = text.indexOf("HTTP/1.", at + 1)) {
                if (at == 0 || text.startsWith("\n", at - 1)) {
                    count++;
                }
            }
            return count;
        }
    }

    /**
     * Sends {@code request} on a new connection without closing its sending side, and reads until the server closes
     * it or {@code patience} has passed.
     */
    private RawAnswer exchange(byte[] request, Duration patience) throws IOException {
        return exchange(request, patience, true);
    }

    private RawAnswer exchange(byte[] request, Duration patience, boolean untilClosed) throws IOException {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket, start, patience, untilClosed);
        }
    }

    private static RawAnswer readUntilClosed(Socket socket, long start, Duration patience) throws IOException {
        return read(socket, start, patience, true);
    }

    /**
     * Reads what the server sends until it closes the connection, or, unless {@code untilClosed}, until it has sent
     * one whole answer with a {@code Content-Length}; or until {@code patience} has passed.
     */
    private static RawAnswer read(Socket socket, long start, Duration patience, boolean untilClosed)
            throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long deadline = start + patience.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        boolean closed = false;
        long answered = -1;
        while (!closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            try {
                int n = in.read(buffer);
                if (answered < 0) {
                    answered = System.nanoTime() - start;
                }
                if (n < 0) {
                    closed = true;
                } else {
                    received.write(buffer, 0, n);
                    if (!untilClosed && complete(received.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException e) {
                closed = true; // reset by the server
                answered = answered < 0 ? System.nanoTime() - start : answered;
            }
        }
        long elapsed = System.nanoTime() - start;
        return new RawAnswer(
                received.toString(StandardCharsets.ISO_8859_1),
                closed,
                Duration.ofNanos(answered < 0 ? elapsed : answered),
                Duration.ofNanos(elapsed));
    }

    /** Whether {@code text} holds an answer's head and as much body as its {@code Content-Length} announces. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        for (String line : text.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return text.length() - end - 4
                        >= Integer.parseInt(line.substring(15).strip());
            }
        }
        return false;
    }

    /** Checks that {@code answer} names no container, framework, version or exception. */
    private static void assertShowsNoDetails(String answer) {
        String lower = answer.toLowerCase(Locale.ROOT);
        for (String word : DETAILS) {
            assertThat(lower).as("an answer naming '%s':%n%s", word, answer).doesNotContain(word);
        }
    }

    private WebhookFixtures fixtures(Scheme scheme, String secret) {
        return WebhookFixtures.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(clock())
                .build();
    }

    private HttpResponse<String> send(WebhookRequest delivery, String path) throws Exception {
        return send(baseUri(), delivery, path);
    }

    private static String order(boolean failFirstAttempt) {
        return "{\"type\":\"order.created\",\"data\":{\"order_id\":\"ord_" + IDS.incrementAndGet() + "\",\"total\":42.5"
                + (failFirstAttempt ? ",\"fail_first_attempt\":true" : "") + "}}";
    }

    /** The events {@code GET /events} lists for delivery {@code id}, as {@code endpoint/type} strings. */
    private List<String> eventsFor(String id) throws Exception {
        HttpResponse<String> response = checked(client.send(
                HttpRequest.newBuilder(baseUri().resolve(SampleEndpoints.EVENTS))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode events = JSON.readTree(response.body());
        assertThat(events.isArray()).as("GET /events is a JSON array").isTrue();
        List<String> matching = new ArrayList<>();
        for (JsonNode event : events) {
            if (event.get("id").asText().equals(id)) {
                matching.add(
                        event.get("endpoint").asText() + "/" + event.get("type").asText());
            }
        }
        return matching;
    }

    private static String standardId(WebhookRequest delivery) {
        return delivery.headers().first("webhook-id").orElseThrow();
    }

    private static JsonNode problem(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        return JSON.readTree(response.body());
    }

    @Test
    void processesAValidStandardWebhooksDeliveryAndListsItsTypedEvent() throws Exception {
        WebhookRequest delivery = fixtures(
                        Schemes.standardWebhooks(), settings().standardSecret())
                .delivery(order(false))
                .signed();

        HttpResponse<String> response = send(delivery, SampleEndpoints.STANDARD);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(eventsFor(standardId(delivery))).containsExactly("standard/order.created");
    }

    @Test
    void processesAValidGithubPushAndListsItUnderItsDeliveryId() throws Exception {
        String deliveryId = UUID.randomUUID().toString();
        WebhookRequest delivery = fixtures(Schemes.github(), settings().githubSecret())
                .delivery(
                        "{\"ref\":\"refs/heads/main\",\"after\":\"9f2c1e\",\"repository\":{\"full_name\":\"acme/shop\"}}")
                .id(deliveryId)
                .eventType("push")
                .signed();

        HttpResponse<String> response = send(delivery, SampleEndpoints.GITHUB);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(eventsFor(deliveryId)).containsExactly("github/push");
    }

    @Test
    void processesAValidStripeInvoiceBoundToItsTypedEventAndListsItUnderItsEventId() throws Exception {
        String id = freshEventId();

        HttpResponse<String> response =
                send(stripeFixtures().delivery(invoicePaid(id, "eur")).signed(), SampleEndpoints.STRIPE);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(eventsFor(id)).containsExactly("stripe/invoice.paid");
    }

    @Test
    void aReplayedDeliveryIsAnsweredAsADuplicateAndNotProcessedTwice() throws Exception {
        String id = freshEventId();
        WebhookRequest delivery =
                stripeFixtures().delivery(invoicePaid(id, "usd")).signed();

        HttpResponse<String> first = send(delivery, SampleEndpoints.STRIPE);
        HttpResponse<String> replay = send(delivery, SampleEndpoints.STRIPE);

        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(reason(replay)).isEqualTo("DUPLICATE");
        assertThat(eventsFor(id)).containsExactly("stripe/invoice.paid");
    }

    @Test
    void aForgedDeliveryIsRefusedWith401ProblemJsonAndNotProcessed() throws Exception {
        WebhookRequest forged = fixtures(Schemes.standardWebhooks(), settings().standardSecret())
                .delivery(order(false))
                .forged();

        HttpResponse<String> response = send(forged, SampleEndpoints.STANDARD);

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode problem = problem(response);
        assertThat(problem.get("reason").asText()).isEqualTo("SIGNATURE_MISMATCH");
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(eventsFor(standardId(forged))).isEmpty();
    }

    @Test
    void aStripeInvoiceThatBreaksItsSchemaIsRefusedWith422AndNotProcessed() throws Exception {
        String id = freshEventId();

        HttpResponse<String> response =
                send(stripeFixtures().delivery(invoicePaid(id, "EURO")).signed(), SampleEndpoints.STRIPE);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(problem(response).get("reason").asText()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(eventsFor(id)).isEmpty();
    }

    @Test
    void aHandlerFailureIsA500WithRetryAfterAndTheProvidersRetryIsProcessedOnce() throws Exception {
        WebhookRequest delivery = fixtures(
                        Schemes.standardWebhooks(), settings().standardSecret())
                .delivery(order(true))
                .signed();

        HttpResponse<String> failed = send(delivery, SampleEndpoints.STANDARD);

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("Retry-After")).isPresent();
        assertThat(problem(failed).get("reason").asText()).isEqualTo("HANDLER_FAILED");
        assertThat(failed.body()).doesNotContain("simulated");
        assertThat(eventsFor(standardId(delivery))).isEmpty();

        HttpResponse<String> retry = send(delivery, SampleEndpoints.STANDARD);
        HttpResponse<String> replay = send(delivery, SampleEndpoints.STANDARD);

        assertThat(retry.statusCode()).isEqualTo(204);
        assertThat(reason(replay)).isEqualTo("DUPLICATE");
        assertThat(eventsFor(standardId(delivery))).containsExactly("standard/order.created");
    }

    @Test
    void aValidDeliveryIsAnsweredPromptlyWhileSlowSendersHoldConnections() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_SENDERS; i++) {
                slow.add(stalledSender(
                        stripeFixtures()
                                .delivery(invoicePaid(freshEventId(), "eur"))
                                .signed(),
                        SampleEndpoints.STRIPE));
            }
            String id = freshEventId();
            HttpRequest valid = HttpRequest.newBuilder(
                            WebhookRequests.toHttpRequest(
                                    stripeFixtures()
                                            .delivery(invoicePaid(id, "eur"))
                                            .signed(),
                                    baseUri().resolve(SampleEndpoints.STRIPE)),
                            (name, value) -> true)
                    .timeout(bodyTimeout())
                    .build();

            long start = System.nanoTime();
            HttpResponse<String> response = checked(client.send(valid, HttpResponse.BodyHandlers.ofString()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(took).as("answered before the slow senders' deadline").isLessThan(bodyTimeout());
            assertThat(eventsFor(id)).containsExactly("stripe/invoice.paid");
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    /**
     * The sender is answered (or dropped) within the deadline, give or take the container's timer granularity (Grizzly
     * checks suspended requests once a second), and its connection closed by twice the deadline at most: Tomcat, having
     * answered, waits one more read timeout for the rest of the body before it closes.
     */
    @Test
    void aStalledBodyIsCutOffWithinTheBodyTimeoutAndTheAnswerShowsNoDetails() throws Exception {
        String id = freshEventId();
        Duration slack = Duration.ofMillis(1_500);
        try (Socket socket =
                stalledSender(stripeFixtures().delivery(invoicePaid(id, "eur")).signed(), SampleEndpoints.STRIPE)) {
            long start = System.nanoTime();

            RawAnswer answer =
                    readUntilClosed(socket, start, bodyTimeout().multipliedBy(2).plus(slack.multipliedBy(2)));

            assertThat(answer.closed())
                    .as("closed by the server, after %s: %s", answer.elapsed(), answer.text())
                    .isTrue();
            assertThat(answer.answered())
                    .as("answered or dropped within %s", bodyTimeout())
                    .isLessThan(bodyTimeout().plus(slack));
            assertThat(answer.elapsed())
                    .isLessThan(bodyTimeout().multipliedBy(2).plus(slack));
            assertThat(answer.status() / 100).as("no 2xx: %s", answer.text()).isNotEqualTo(2);
            assertShowsNoDetails(answer.text());
        }
        assertThat(eventsFor(id)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Content-Length first", "Transfer-Encoding first"})
    void aRequestWithBothContentLengthAndChunkedIsRefusedWith400AndWhatItSmuggledNeverRuns(String order)
            throws Exception {
        String id = freshEventId();
        WebhookRequest smuggled =
                stripeFixtures().delivery(invoicePaid(id, "eur")).signed();
        byte[] smuggledRequest = concat(
                head("POST", SampleEndpoints.STRIPE, smuggled, "Content-Length: " + smuggled.bodyLength()),
                smuggled.body());
        byte[] body = concat("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), smuggledRequest);
        String contentLength = "Content-Length: " + body.length + "\r\n";
        String chunked = "Transfer-Encoding: chunked\r\n";
        // POST to a path that serves only GET: framed by either header alone it is a plain 405, never a 400.
        byte[] request = concat(
                ("POST " + SampleEndpoints.EVENTS + " HTTP/1.1\r\nHost: "
                                + baseUri().getHost() + "\r\n"
                                + (order.startsWith("Content-Length")
                                        ? contentLength + chunked
                                        : chunked + contentLength)
                                + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII),
                body);

        RawAnswer answer = exchange(request, Duration.ofSeconds(5));

        if (refusesContentLengthWithTransferEncoding()) {
            assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        }
        assertThat(answer.answers()).as(answer.text()).isEqualTo(1);
        assertThat(answer.closed())
                .as("the connection is closed after the answer")
                .isTrue();
        assertShowsNoDetails(answer.text());
        assertThat(eventsFor(id)).isEmpty();
    }

    @ParameterizedTest(name = "TRACE {0}")
    @MethodSource("tracedPaths")
    void traceIsRefusedAndNeverEchoesTheRequest(String path) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(baseUri().resolve(path))
                        .method("TRACE", HttpRequest.BodyPublishers.noBody())
                        .header("Cookie", "session=trace-me-cookie")
                        .header("X-Trace-Probe", "trace-me-header")
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isIn(403, 405, 501);
        assertThat(response.body()).doesNotContain("trace-me");
        assertThat(response.headers().map().toString()).doesNotContain("trace-me");
        assertShowsNoDetails(response.body());
    }

    static Stream<String> tracedPaths() {
        return Stream.of("/", SampleEndpoints.EVENTS, SampleEndpoints.STRIPE, "/nowhere");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void aMalformedRequestIsAnsweredWithoutContainerOrExceptionDetails(String what, String request) throws Exception {
        RawAnswer answer = exchange(
                request.replace("{host}", baseUri().getHost()).getBytes(StandardCharsets.ISO_8859_1),
                Duration.ofSeconds(2),
                false);

        assertShowsNoDetails(answer.text());
    }

    static Stream<Arguments> malformedRequests() {
        String host = "Host: {host}\r\n";
        return Stream.of(
                Arguments.of(
                        "a malformed escape at an endpoint",
                        "POST /webhooks/%zz HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n"),
                Arguments.of("a malformed escape elsewhere", "GET /%zz HTTP/1.1\r\n" + host + "\r\n"),
                Arguments.of(
                        "a truncated escape",
                        "POST /webhooks/stripe%2 HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n"),
                Arguments.of("an overlong UTF-8 escape", "GET /%c0%ae%c0%ae/events HTTP/1.1\r\n" + host + "\r\n"),
                Arguments.of("an encoded NUL", "GET /events%00 HTTP/1.1\r\n" + host + "\r\n"),
                Arguments.of("a request line that is no request line", "GARBAGE\r\n\r\n"),
                Arguments.of("an unknown protocol version", "GET /events HTTP/7.1\r\n" + host + "\r\n"),
                Arguments.of("a request line with extra words", "GET /events HTTP/1.1 please\r\n" + host + "\r\n"),
                Arguments.of(
                        "an oversized header",
                        "GET /events HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(70_000) + "\r\n\r\n"),
                Arguments.of(
                        "a control character in a header name",
                        "GET /events HTTP/1.1\r\n" + host + "X-B\u0001d: v\r\n\r\n"),
                Arguments.of(
                        "a Content-Length that is no number",
                        "POST /webhooks/stripe HTTP/1.1\r\n" + host + "Content-Length: ten\r\n\r\n"),
                Arguments.of(
                        "two different Content-Lengths",
                        "POST /webhooks/stripe HTTP/1.1\r\n" + host
                                + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
                Arguments.of(
                        "a bad chunk size",
                        "POST /webhooks/stripe HTTP/1.1\r\n" + host
                                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
    }

    /**
     * Issue 17: floods of headers or parameters are refused with a 4xx by the container or the adapter, never a 5xx,
     * and cost bounded work: the sample answers a valid delivery at once afterwards. The request is written from
     * another thread while the answer is read, as a container may answer and close before it has read everything.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("floods")
    void aFloodOfHeadersOrParametersIsRefusedWith4xxAndTheSampleStillAnswers(String what, String request)
            throws Exception {
        byte[] bytes = request.replace("{host}", baseUri().getHost()).getBytes(StandardCharsets.ISO_8859_1);

        RawAnswer answer = flood(bytes, Duration.ofSeconds(10));

        assertThat(answer.status())
                .as("the answer to %s: %s", what, head(answer.text()))
                .isBetween(400, 499);
        assertShowsNoDetails(answer.text());
        WebhookRequest delivery = fixtures(
                        Schemes.standardWebhooks(), settings().standardSecret())
                .delivery(order(false))
                .signed();
        assertThat(send(delivery, SampleEndpoints.STANDARD).statusCode()).isEqualTo(204);
    }

    static Stream<Arguments> floods() {
        String host = "Host: {host}\r\n";
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            headers.append("X-Flood-").append(i).append(": v\r\n");
        }
        StringBuilder query = new StringBuilder("?");
        for (int i = 0; i < 100_000; i++) {
            query.append(i == 0 ? "" : "&").append("p").append(i).append("=1");
        }
        return Stream.of(
                Arguments.of(
                        "10,000 headers",
                        "POST " + SampleEndpoints.STANDARD + " HTTP/1.1\r\n" + host + headers
                                + "Content-Length: 2\r\n\r\n{}"),
                Arguments.of(
                        "a header value of 1 MiB",
                        "POST " + SampleEndpoints.STANDARD + " HTTP/1.1\r\n" + host + "webhook-signature: v1,"
                                + "a".repeat(1 << 20) + "\r\nContent-Length: 2\r\n\r\n{}"),
                Arguments.of(
                        "100,000 query parameters",
                        "POST " + SampleEndpoints.STANDARD + query + " HTTP/1.1\r\n" + host
                                + "Content-Length: 2\r\n\r\n{}"));
    }

    /** Writes {@code request} from another thread while reading the answer until the server closes or answers. */
    private RawAnswer flood(byte[] request, Duration patience) throws Exception {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            Thread writer = new Thread(() -> {
                try {
                    socket.getOutputStream().write(request);
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    // the server answered and closed before reading it all: the answer is what counts
                }
            });
            writer.setDaemon(true);
            writer.start();
            RawAnswer answer = read(socket, start, patience, false);
            writer.join(patience.toMillis());
            return answer;
        }
    }

    private static String head(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        return end < 0 ? answer.substring(0, Math.min(answer.length(), 200)) : answer.substring(0, end);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
