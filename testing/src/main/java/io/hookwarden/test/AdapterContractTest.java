package io.hookwarden.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.DeliveryListener;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP contract every Hookwarden adapter keeps with a sender, written once: extend this class, start your server
 * with the kit's endpoints mounted in {@link #start(List)}, and JUnit 5 sends real HTTP to it ({@code java.net.http},
 * and raw sockets where a client must misbehave) and checks what the sender receives, what the application saw, what
 * the {@link DeliveryListener} heard and what was logged.
 *
 * <pre>{@code
 * class MyAdapterContractTest extends AdapterContractTest {
 *     protected Server start(List<Endpoint> endpoints) throws Exception {
 *         MyServer server = new MyServer(0);                      // a free port
 *         for (Endpoint endpoint : endpoints) {
 *             server.post(endpoint.path(), MyAdapter.guard(endpoint.receiver(), request -> {
 *                 Reply reply = endpoint.application().handle(request.bodyBytes()); // the bytes as the app reads them
 *                 return MyResponse.of(reply.status(), reply.contentType(), reply.body());
 *             }));
 *         }
 *         server.start();
 *         return Server.of(URI.create("http://127.0.0.1:" + server.port() + "/"), server::stop);
 *     }
 * }
 * }</pre>
 *
 * <p>The kit builds the endpoints (their receivers, with the kit's clock, dedupe store and listener); the subclass
 * only mounts them: each {@link Endpoint#receiver()} at its {@link Endpoint#path()}, in front of an application
 * handler that reads the body the way an application would and passes it to {@link Application#handle(byte[])}, then
 * answers the {@link Reply} it returns, or lets the {@link HandlerFailure} it throws propagate as an application's
 * exception would. The endpoints are always {@link Endpoint#STANDARD_WEBHOOKS} and {@link Endpoint#SLACK}, at {@code
 * /webhooks/} and their name, so an adapter that binds endpoints by annotation can name them as constants.
 *
 * <p>The server is started once per test class ({@link TestInstance.Lifecycle#PER_CLASS}) and closed after it; every
 * test sends deliveries with fresh ids. What is checked:
 *
 * <ul>
 *   <li>a valid delivery reaches the application once, with the exact bytes that were signed, and is answered with
 *       the application's 2xx; a replay is answered 200 {@code DUPLICATE} without the application;
 *   <li>forged, tampered, expired and future deliveries are answered 401, malformed headers 400, each with an {@code
 *       application/problem+json} body naming the {@code reason}, and the application never runs;
 *   <li>a body over the limit is answered 413, declared by {@code Content-Length} or sent in chunks, and a sender
 *       that writes its whole 2 or 8 MiB body before reading receives that 413 (with {@code Connection: close}), not a
 *       reset;
 *   <li>an application that throws is answered 500 {@code HANDLER_FAILED} and one that answers 503 is passed on, and
 *       in both cases the provider's retry is processed, once; 16 concurrent copies of one delivery run the
 *       application once, the others answered 200 {@code DUPLICATE} or 409 {@code IN_PROGRESS};
 *   <li>Slack's {@code url_verification} handshake is answered by the scheme without the application;
 *   <li>{@code OPTIONS} and {@code PUT} are answered 405 and claim nothing: the {@code POST} that follows is
 *       processed;
 *   <li>no answer (body or header) carries a secret, a signature, a payload value, an exception or a stack trace, and
 *       no log line
 *       (captured from {@code java.util.logging}, where {@link System.Logger} goes when no other backend is present;
 *       the {@code io.hookwarden} loggers at every level) carries a secret, a signature or a payload value;
 *   <li>the receivers' {@link DeliveryListener} reports what became of every delivery (accepted then completed or
 *       released, rejected with its reason, duplicate, handshake): the adapter goes through the core's exchange.
 * </ul>
 *
 * <p>Not thread-safe; JUnit runs one test of a class at a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class AdapterContractTest {
    /** The body limit of the {@link Endpoint#STANDARD_WEBHOOKS} endpoint: 16 KiB. */
    public static final int BODY_LIMIT = 16 * 1024;

    private static final String STANDARD_KEY = "contract standard key 0123456789";
    private static final String STANDARD_SECRET =
            "whsec_" + Base64.getEncoder().encodeToString(STANDARD_KEY.getBytes(StandardCharsets.US_ASCII));
    private static final String SLACK_SECRET = "contract-slack-signing-secret-0123456789";
    /** Every form of every secret the endpoints hold. */
    private static final List<String> SECRETS =
            List.of(STANDARD_SECRET, STANDARD_SECRET.substring("whsec_".length()), STANDARD_KEY, SLACK_SECRET);

    /** A value in the payload of the kit's events, which no answer and no log line may repeat. */
    private static final String PAYLOAD_MARKER = "payload-marker-5e1f";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Starts a server on a free port of the loopback interface with every endpoint's receiver mounted at its path, in
     * front of the endpoint's application; called once per test class.
     *
     * @param endpoints the endpoints to mount, built by the kit
     * @return the running server
     * @throws Exception if the server cannot start
     */
    protected abstract Server start(List<Endpoint> endpoints) throws Exception;

    /** A running server: where it listens, and how to stop it. */
    @SuppressWarnings("try") // close() may throw InterruptedException: stopping a server may wait for its threads
    public interface Server extends AutoCloseable {
        /** The base URI, such as {@code http://127.0.0.1:54321/}; endpoint paths are resolved against it. */
        URI uri();

        /** Stops the server and frees its port. */
        @Override
        void close() throws Exception;

        /**
         * A server from its base URI and its stop action.
         *
         * @throws NullPointerException if uri or stop is null
         */
        static Server of(URI uri, AutoCloseable stop) {
            Objects.requireNonNull(uri, "uri cannot be null");
            Objects.requireNonNull(stop, "stop cannot be null");
            return new Server() {
                @Override
                public URI uri() {
                    return uri;
                }

                @Override
                public void close() throws Exception {
                    stop.close();
                }

                @Override
                public String toString() {
                    return "Server[" + uri + "]";
                }
            };
        }
    }

    /**
     * One endpoint to mount: the receiver at the path, in front of the application.
     *
     * @param name the endpoint's name, also its receiver's {@link WebhookReceiver#name()}
     * @param path the path within the server, such as {@code /webhooks/slack}
     * @param receiver the endpoint's receiver
     * @param application what the application behind the endpoint does
     */
    public record Endpoint(String name, String path, WebhookReceiver receiver, Application application) {
        /** A Standard Webhooks endpoint with a body limit of {@link #BODY_LIMIT}, at {@code /webhooks/standard-webhooks}. */
        public static final String STANDARD_WEBHOOKS = "standard-webhooks";
        /** A Slack endpoint, for its {@code url_verification} handshake, at {@code /webhooks/slack}. */
        public static final String SLACK = "slack";
        /** The path of every endpoint: this prefix and its name. */
        public static final String PATH_PREFIX = "/webhooks/";

        /**
         * @throws NullPointerException if any component is null
         */
        public Endpoint {
            Objects.requireNonNull(name, "name cannot be null");
            Objects.requireNonNull(path, "path cannot be null");
            Objects.requireNonNull(receiver, "receiver cannot be null");
            Objects.requireNonNull(application, "application cannot be null");
        }
    }

    /**
     * What an application answers: the status, and a body of the content type.
     *
     * @param status the HTTP status
     * @param contentType the body's media type
     * @param body the body; not copied
     */
    public record Reply(int status, String contentType, byte[] body) {}

    /** What {@link Application#handle(byte[])} throws when told to fail, as an application's bug would. */
    public static final class HandlerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerFailure() {
            super("the contract test told the application to fail");
        }
    }

    /**
     * The application behind one endpoint, as the kit drives it: records each run and the body it was given, and
     * answers 200 {@code processed} unless the test told it otherwise for its next run (fail, answer another status,
     * or wait). Thread-safe.
     */
    public static final class Application {
        /** The body of the default answer. */
        public static final String PROCESSED = "processed";

        private final AtomicInteger runs = new AtomicInteger();
        private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
        private final ConcurrentLinkedQueue<Next> next = new ConcurrentLinkedQueue<>();

        /** What the next run does instead of answering 200. */
        private sealed interface Next permits Fail, Status, Hold {}

        private record Fail() implements Next {}

        private record Status(int status) implements Next {}

        private record Hold(CountDownLatch until) implements Next {}

        Application() {}

        /**
         * One run of the application's handler for an accepted delivery; the adapter's handler calls it with the body
         * as the application reads it (the servlet request's input stream, the JAX-RS entity, ...) and answers the
         * reply.
         *
         * @param body the body the application read
         * @return what to answer the sender
         * @throws HandlerFailure when the test told the application to fail: let it propagate as an application's
         *     exception would
         */
        public Reply handle(byte[] body) {
            Objects.requireNonNull(body, "body cannot be null");
            runs.incrementAndGet();
            bodies.add(body.clone());
            Next what = next.poll();
            if (what instanceof Fail) {
                throw new HandlerFailure();
            }
            if (what instanceof Status status) {
                return reply(status.status());
            }
            if (what instanceof Hold hold) {
                try {
                    if (!hold.until().await(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        return reply(504);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return reply(504);
                }
            }
            return reply(200);
        }

        private static Reply reply(int status) {
            return new Reply(
                    status,
                    "text/plain; charset=UTF-8",
                    (status == 200 ? PROCESSED : "status " + status).getBytes(StandardCharsets.UTF_8));
        }

        /** How many times the handler ran. */
        public int runs() {
            return runs.get();
        }

        /** The bodies the handler was given, in order; copies. */
        public List<byte[]> bodies() {
            return List.copyOf(bodies);
        }

        void failNext() {
            next.add(new Fail());
        }

        void answerNext(int status) {
            next.add(new Status(status));
        }

        void holdNext(CountDownLatch until) {
            next.add(new Hold(until));
        }

        void reset() {
            runs.set(0);
            bodies.clear();
            next.clear();
        }

        @Override
        public String toString() {
            return "Application[runs=" + runs + "]";
        }
    }

    // ---- state

    private final MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
    private final WebhookFixtures standard = WebhookFixtures.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(STANDARD_SECRET)
            .clock(clock)
            .build();
    private final WebhookFixtures slack = WebhookFixtures.builder()
            .scheme(Schemes.slack())
            .secret(SLACK_SECRET)
            .clock(clock)
            .build();
    private final Reports reports = new Reports();
    private final LogCapture logs = new LogCapture();
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Every answer of the current test, as the sender received it (raw answers with status 0). */
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    /** Every signature header value sent in the current test. */
    private final List<String> signaturesSent = new CopyOnWriteArrayList<>();

    private Endpoint standardEndpoint;
    private Endpoint slackEndpoint;
    private Server server;

    @BeforeAll
    void startServer() throws Exception {
        logs.install();
        InMemoryDedupeStore store = InMemoryDedupeStore.builder().clock(clock).build();
        standardEndpoint = endpoint(
                Endpoint.STANDARD_WEBHOOKS,
                WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(STANDARD_SECRET)
                        .clock(clock)
                        .maxBodyBytes(BODY_LIMIT)
                        .build(),
                store);
        slackEndpoint = endpoint(
                Endpoint.SLACK,
                WebhookVerifier.builder()
                        .scheme(Schemes.slack())
                        .secret(SLACK_SECRET)
                        .clock(clock)
                        .build(),
                store);
        server = Objects.requireNonNull(start(List.of(standardEndpoint, slackEndpoint)), "start returned no server");
    }

    private Endpoint endpoint(String name, WebhookVerifier verifier, InMemoryDedupeStore store) {
        WebhookReceiver receiver = WebhookReceiver.builder()
                .name(name)
                .verifier(verifier)
                .dedupeStore(store)
                .listener(reports)
                .build();
        return new Endpoint(name, Endpoint.PATH_PREFIX + name, receiver, new Application());
    }

    @AfterAll
    void stopServer() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            logs.uninstall();
        }
    }

    @BeforeEach
    void forgetThePreviousTest() {
        standardEndpoint.application().reset();
        slackEndpoint.application().reset();
        reports.reset();
        answers.clear();
        signaturesSent.clear();
        logs.clear();
    }

    @AfterEach
    void noAnswerAndNoLogLineCarriesASecretASignatureOrAPayloadValue() {
        List<String> forbidden = new ArrayList<>(SECRETS);
        forbidden.addAll(signaturesSent);
        forbidden.add(PAYLOAD_MARKER);
        for (Answer answer : answers) {
            String everything = answer.headers() + "\n" + answer.body();
            for (String secret : forbidden) {
                assertThat(everything).as("an answer").doesNotContain(secret);
            }
            assertThat(everything).as("an answer").doesNotContain("Exception").doesNotContain("\tat ");
        }
        for (String line : logs.lines()) {
            for (String secret : forbidden) {
                assertThat(line).as("a log line").doesNotContain(secret);
            }
        }
    }

    // ---- what the sender receives

    /**
     * One answer as the sender received it.
     *
     * @param status the status; 0 for an answer read raw from a socket, whose text is then all in {@code body}
     * @param headers the headers, names as received
     * @param body the body as UTF-8 text
     */
    record Answer(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        String reason() {
            try {
                return JSON.readTree(body).path("reason").asText(null);
            } catch (IOException e) {
                return null;
            }
        }
    }

    private Answer send(Endpoint endpoint, WebhookRequest delivery) throws Exception {
        return send("POST", endpoint, delivery, HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
    }

    private Answer sendChunked(Endpoint endpoint, WebhookRequest delivery) throws Exception {
        byte[] body = delivery.body();
        return send(
                "POST",
                endpoint,
                delivery,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    }

    private Answer send(String method, Endpoint endpoint, WebhookRequest delivery, HttpRequest.BodyPublisher body)
            throws Exception {
        return sendAsync(method, endpoint, delivery, body).get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private CompletableFuture<Answer> sendAsync(
            String method, Endpoint endpoint, WebhookRequest delivery, HttpRequest.BodyPublisher body) {
        HttpRequest rendered =
                WebhookRequests.toHttpRequest(delivery, server.uri().resolve(endpoint.path()));
        HttpRequest.Builder request = HttpRequest.newBuilder(rendered.uri()).method(method, body);
        rendered.headers()
                .map()
                .forEach((name, values) -> values.forEach(value -> {
                    request.header(name, value);
                    if (name.toLowerCase(Locale.ROOT).contains("signature")) {
                        signaturesSent.add(value);
                    }
                }));
        if (rendered.headers().firstValue("Content-Type").isEmpty()) {
            request.header("Content-Type", "application/json");
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(response -> {
                    Answer answer =
                            new Answer(response.statusCode(), response.headers().map(), response.body());
                    answers.add(answer);
                    return answer;
                });
    }

    /** An event whose body carries {@link #PAYLOAD_MARKER}. */
    private static String event(String note) {
        return "{\"type\":\"invoice.paid\",\"data\":{\"note\":\"" + note + "\",\"marker\":\"" + PAYLOAD_MARKER + "\"}}";
    }

    private WebhookRequest signedEvent() {
        return standard.delivery().body(event("contract")).signed();
    }

    private static void assertProblem(Answer answer, Reason reason) {
        assertThat(answer.status()).as("status of %s", answer).isEqualTo(reason.httpStatus());
        assertThat(answer.header("Content-Type"))
                .as("content type of %s", answer)
                .startsWith("application/problem+json");
        assertThat(answer.reason()).as("reason of %s", answer).isEqualTo(reason.name());
    }

    private static void assertProcessed(Answer answer) {
        assertThat(answer.status()).as("status of %s", answer).isEqualTo(200);
        assertThat(answer.body()).as("body of %s", answer).isEqualTo(Application.PROCESSED);
    }

    /** A duplicate is answered 200, so the provider stops, with the problem document's members naming why. */
    private static void assertDuplicate(Answer answer) {
        assertThat(answer.status()).as("status of %s", answer).isEqualTo(200);
        assertThat(answer.reason()).as("reason of %s", answer).isEqualTo(Reason.DUPLICATE.name());
    }

    private static void assertWholeBody413(String answer) {
        assertThat(answer).as("the answer after sending everything").startsWith("HTTP/1.1 413 ");
        assertThat(answer).contains(Reason.PAYLOAD_TOO_LARGE.name());
        assertThat(answer.toLowerCase(Locale.ROOT)).contains("connection: close");
    }

    // ---- what the listener hears

    /** One delivery's story, as the listener told it: {@code endpoint: event, event}. */
    private static String story(Endpoint endpoint, String... events) {
        return endpoint.name() + ": " + String.join(", ", events);
    }

    private static String rejected(Reason reason) {
        return "rejected " + reason;
    }

    private static String completed(int status) {
        return "completed " + status;
    }

    private static String released(int status) {
        return "released " + status;
    }

    private static final String ACCEPTED = "accepted";
    private static final String DUPLICATE = "duplicate";
    private static final String HANDSHAKE = "handshake";

    /** Waits until the listener has told exactly these stories, in any order. */
    private void assertReported(String... stories) throws InterruptedException {
        reports.awaitSettled(stories.length, REPORT_TIMEOUT);
        assertThat(reports.stories())
                .as("what the delivery listener heard, one story per delivery")
                .containsExactlyInAnyOrder(stories);
    }

    /** The receivers' listener: every delivery's story, for {@link #assertReported}. Thread-safe. */
    private static final class Reports implements DeliveryListener {
        private final List<Story> stories = new ArrayList<>();

        /** One delivery's events; settled when it was rejected, answered or finished. */
        private final class Story implements Observer {
            private final String endpoint;
            private final List<String> events = new ArrayList<>();
            private boolean settled;

            Story(String endpoint) {
                this.endpoint = endpoint;
            }

            private void add(String event, boolean settles) {
                synchronized (Reports.this) {
                    events.add(event);
                    settled |= settles;
                    Reports.this.notifyAll();
                }
            }

            @Override
            public void rejected(Reason reason, Duration took) {
                add("rejected " + reason, true);
            }

            @Override
            public void handshake(Duration took) {
                add(HANDSHAKE, true);
            }

            @Override
            public void duplicate(VerifiedWebhook webhook, Duration took) {
                add(DUPLICATE, true);
            }

            @Override
            public void accepted(VerifiedWebhook webhook, Duration took) {
                add(ACCEPTED, false);
            }

            @Override
            public void completed(Duration handling, int status) {
                add("completed " + status, true);
            }

            @Override
            public void released(Duration handling, int status) {
                add("released " + status, true);
            }

            @Override
            public String toString() {
                return endpoint + ": " + String.join(", ", events);
            }
        }

        @Override
        public synchronized Observer received(String endpoint, String scheme, WebhookRequest request) {
            Story story = new Story(endpoint);
            stories.add(story);
            notifyAll();
            return story;
        }

        synchronized void awaitSettled(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (stories.size() < count || stories.stream().anyMatch(s -> !s.settled)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return; // the assertion that follows shows what was heard
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized List<String> stories() {
            return stories.stream().map(Story::toString).toList();
        }

        synchronized void reset() {
            stories.clear();
        }
    }

    // ---- what was logged

    /**
     * Captures every log record while the class runs: {@code io.hookwarden} loggers at every level, the others at
     * their configured level. {@link System.Logger} reaches {@code java.util.logging} when no other backend is
     * installed.
     */
    private static final class LogCapture extends Handler {
        private static final Logger HOOKWARDEN = Logger.getLogger("io.hookwarden");
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final SimpleFormatter formatter = new SimpleFormatter();
        private Level hookwardenLevel;

        void install() {
            setLevel(Level.ALL);
            hookwardenLevel = HOOKWARDEN.getLevel();
            HOOKWARDEN.setLevel(Level.ALL);
            Logger.getLogger("").addHandler(this);
            String probe = "contract log capture probe " + System.nanoTime();
            System.getLogger("io.hookwarden.test.AdapterContractTest").log(System.Logger.Level.DEBUG, probe);
            if (lines.stream().noneMatch(line -> line.contains(probe))) {
                fail("System.Logger does not reach java.util.logging in this test run (another System.LoggerFinder "
                        + "is installed), so the kit cannot search the log for secrets");
            }
        }

        void uninstall() {
            Logger.getLogger("").removeHandler(this);
            HOOKWARDEN.setLevel(hookwardenLevel);
        }

        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getLevel() + " ");
            line.append(formatter.formatMessage(record));
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                line.append(" | ").append(t);
                for (Throwable suppressed : t.getSuppressed()) {
                    line.append(" | suppressed ").append(suppressed);
                }
            }
            lines.add(line.toString());
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        void clear() {
            lines.clear();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    // ---- the contract

    @Nested
    class Accepted {
        @Test
        void a_valid_delivery_is_processed_once_and_answered_with_the_applications_2xx() throws Exception {
            // when
            Answer answer = send(standardEndpoint, signedEvent());

            // then
            assertProcessed(answer);
            assertThat(standardEndpoint.application().runs()).isOne();
            assertReported(story(standardEndpoint, ACCEPTED, completed(200)));
        }

        @Test
        void the_application_reads_exactly_the_bytes_that_were_signed() throws Exception {
            // given: bytes a charset conversion or a reformatting would change
            byte[] body = "{\"note\":\"caf\u00e9 \u2615\",\n  \"spaced\" : [1, 2.50, -0]\r\n}\t"
                    .getBytes(StandardCharsets.UTF_8);
            WebhookRequest delivery = standard.delivery().body(body).signed();

            // when
            Answer answer = send(standardEndpoint, delivery);

            // then
            assertProcessed(answer);
            assertThat(standardEndpoint.application().bodies()).singleElement().isEqualTo(body);
            assertReported(story(standardEndpoint, ACCEPTED, completed(200)));
        }

        @Test
        void a_chunked_body_of_exactly_the_limit_is_read_whole() throws Exception {
            // given
            String body = "{\"pad\":\"" + "x".repeat(BODY_LIMIT - 10) + "\"}";
            assertThat(body).hasSize(BODY_LIMIT);

            // when
            Answer answer =
                    sendChunked(standardEndpoint, standard.delivery().body(body).signed());

            // then
            assertProcessed(answer);
            assertThat(standardEndpoint.application().bodies())
                    .singleElement()
                    .isEqualTo(body.getBytes(StandardCharsets.UTF_8));
            assertReported(story(standardEndpoint, ACCEPTED, completed(200)));
        }

        @Test
        void each_path_is_verified_by_its_own_endpoint() throws Exception {
            // when: each endpoint's delivery sent to the other's path
            Answer slackAtStandard =
                    send(standardEndpoint, slack.delivery().body(event("a")).signed());
            Answer standardAtSlack = send(slackEndpoint, signedEvent());

            // then
            assertProblem(slackAtStandard, Reason.MISSING_HEADER);
            assertProblem(standardAtSlack, Reason.MISSING_HEADER);
            assertThat(standardEndpoint.application().runs()
                            + slackEndpoint.application().runs())
                    .isZero();
            assertReported(
                    story(standardEndpoint, rejected(Reason.MISSING_HEADER)),
                    story(slackEndpoint, rejected(Reason.MISSING_HEADER)));
        }
    }

    @Nested
    class Refused {
        private void assertRefused(WebhookRequest delivery, Reason reason) throws Exception {
            Answer answer = send(standardEndpoint, delivery);

            assertProblem(answer, reason);
            assertThat(standardEndpoint.application().runs()).isZero();
            assertReported(story(standardEndpoint, rejected(reason)));
        }

        @Test
        void a_forged_delivery_is_answered_401() throws Exception {
            assertRefused(standard.delivery().body(event("forged")).forged(), Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void a_tampered_delivery_is_answered_401() throws Exception {
            assertRefused(standard.delivery().body(event("tampered")).tampered(), Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void an_expired_delivery_is_answered_401() throws Exception {
            assertRefused(standard.delivery().body(event("old")).aged(Duration.ofMinutes(6)), Reason.TIMESTAMP_TOO_OLD);
        }

        @Test
        void a_delivery_from_the_future_is_answered_401() throws Exception {
            assertRefused(
                    standard.delivery().body(event("future")).fromTheFuture(Duration.ofMinutes(6)),
                    Reason.TIMESTAMP_IN_FUTURE);
        }

        @Test
        void a_delivery_without_its_signature_header_is_answered_400() throws Exception {
            assertRefused(
                    standard.delivery().body(event("unsigned")).withoutHeader("webhook-signature"),
                    Reason.MISSING_HEADER);
        }

        @Test
        void a_malformed_timestamp_header_is_answered_400() throws Exception {
            assertRefused(
                    standard.delivery().body(event("when")).withHeader("webhook-timestamp", "yesterday"),
                    Reason.MALFORMED_HEADER);
        }

        @Test
        void a_malformed_signature_header_is_answered_400() throws Exception {
            assertRefused(standard.delivery().body(event("junk")).malformedHeader(), Reason.MALFORMED_HEADER);
        }
    }

    @Nested
    class TooLarge {
        @Test
        void a_body_declared_over_the_limit_by_its_content_length_is_answered_413() throws Exception {
            Answer answer = send(
                    standardEndpoint,
                    standard.delivery().body("x".repeat(BODY_LIMIT + 1)).signed());

            assertProblem(answer, Reason.PAYLOAD_TOO_LARGE);
            assertThat(standardEndpoint.application().runs()).isZero();
            assertReported(story(standardEndpoint, rejected(Reason.PAYLOAD_TOO_LARGE)));
        }

        @Test
        void a_chunked_body_over_the_limit_is_answered_413() throws Exception {
            Answer answer = sendChunked(
                    standardEndpoint,
                    standard.delivery().body("x".repeat(4 * BODY_LIMIT)).signed());

            assertProblem(answer, Reason.PAYLOAD_TOO_LARGE);
            assertThat(standardEndpoint.application().runs()).isZero();
            assertReported(story(standardEndpoint, rejected(Reason.PAYLOAD_TOO_LARGE)));
        }

        private void assertWholeBodySenderGets413(int mebibytes, boolean chunked) throws Exception {
            String answer = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                String text = RawHttp.sendWholeBodyThenRead(
                        server.uri().getHost(),
                        server.uri().getPort(),
                        standardEndpoint.path(),
                        mebibytes << 20,
                        chunked,
                        ANSWER_TIMEOUT);
                answers.add(new Answer(0, Map.of(), text));
                return text;
            });

            assertWholeBody413(answer);
            assertThat(standardEndpoint.application().runs()).isZero();
            assertReported(story(standardEndpoint, rejected(Reason.PAYLOAD_TOO_LARGE)));
        }

        @Test
        void a_sender_that_writes_2_MiB_by_length_before_reading_receives_the_413() throws Exception {
            assertWholeBodySenderGets413(2, false);
        }

        @Test
        void a_sender_that_writes_8_MiB_by_length_before_reading_receives_the_413() throws Exception {
            assertWholeBodySenderGets413(8, false);
        }

        @Test
        void a_sender_that_writes_2_MiB_in_chunks_before_reading_receives_the_413() throws Exception {
            assertWholeBodySenderGets413(2, true);
        }

        @Test
        void a_sender_that_writes_8_MiB_in_chunks_before_reading_receives_the_413() throws Exception {
            assertWholeBodySenderGets413(8, true);
        }
    }

    @Nested
    class ExactlyOnce {
        @Test
        void a_replay_is_answered_200_duplicate_without_the_application() throws Exception {
            // given
            WebhookRequest delivery = signedEvent();

            // when
            Answer first = send(standardEndpoint, delivery);
            Answer replay = send(standardEndpoint, delivery);

            // then
            assertProcessed(first);
            assertDuplicate(replay);
            assertThat(standardEndpoint.application().runs()).isOne();
            assertReported(story(standardEndpoint, ACCEPTED, completed(200)), story(standardEndpoint, DUPLICATE));
        }

        @Test
        void an_application_that_throws_is_answered_500_and_the_retry_is_processed_once() throws Exception {
            // given
            WebhookRequest delivery = signedEvent();
            standardEndpoint.application().failNext();

            // when
            Answer failed = send(standardEndpoint, delivery);
            Answer retry = send(standardEndpoint, delivery);
            Answer replay = send(standardEndpoint, delivery);

            // then
            assertProblem(failed, Reason.HANDLER_FAILED);
            assertThat(failed.header("Retry-After")).isNotNull();
            assertProcessed(retry);
            assertDuplicate(replay);
            assertThat(standardEndpoint.application().runs()).isEqualTo(2);
            assertReported(
                    story(standardEndpoint, ACCEPTED, released(500)),
                    story(standardEndpoint, ACCEPTED, completed(200)),
                    story(standardEndpoint, DUPLICATE));
        }

        @Test
        void an_application_that_answers_503_is_passed_on_and_the_retry_is_processed_once() throws Exception {
            // given
            WebhookRequest delivery = signedEvent();
            standardEndpoint.application().answerNext(503);

            // when
            Answer declined = send(standardEndpoint, delivery);
            Answer retry = send(standardEndpoint, delivery);
            Answer replay = send(standardEndpoint, delivery);

            // then
            assertThat(declined.status()).isEqualTo(503);
            assertThat(declined.body()).isEqualTo("status 503");
            assertProcessed(retry);
            assertDuplicate(replay);
            assertThat(standardEndpoint.application().runs()).isEqualTo(2);
            assertReported(
                    story(standardEndpoint, ACCEPTED, released(503)),
                    story(standardEndpoint, ACCEPTED, completed(200)),
                    story(standardEndpoint, DUPLICATE));
        }

        @Test
        void sixteen_concurrent_copies_of_one_delivery_run_the_application_once() throws Exception {
            // given: the run that claims it waits until every other copy has been answered
            int copies = 16;
            WebhookRequest delivery = signedEvent();
            CountDownLatch othersAnswered = new CountDownLatch(copies - 1);
            standardEndpoint.application().holdNext(othersAnswered);

            // when
            List<CompletableFuture<Answer>> sent = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                sent.add(sendAsync(
                                "POST",
                                standardEndpoint,
                                delivery,
                                HttpRequest.BodyPublishers.ofByteArray(delivery.body()))
                        .whenComplete((answer, failure) -> othersAnswered.countDown()));
            }
            List<Answer> results = new ArrayList<>();
            for (CompletableFuture<Answer> answer : sent) {
                results.add(answer.get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            Answer later = send(standardEndpoint, delivery);

            // then
            assertThat(standardEndpoint.application().runs()).isOne();
            assertThat(results)
                    .filteredOn(a -> a.status() == 200 && Application.PROCESSED.equals(a.body()))
                    .hasSize(1);
            assertThat(results)
                    .filteredOn(a -> !Application.PROCESSED.equals(a.body()))
                    .hasSize(copies - 1)
                    .allSatisfy(a -> {
                        if (a.status() == 409) {
                            assertProblem(a, Reason.IN_PROGRESS);
                            assertThat(a.header("Retry-After")).isNotNull();
                        } else {
                            assertDuplicate(a);
                        }
                    });
            assertDuplicate(later);
            reports.awaitSettled(copies + 1, REPORT_TIMEOUT);
            List<String> stories = reports.stories();
            assertThat(stories).hasSize(copies + 1);
            assertThat(stories)
                    .filteredOn(s -> s.contains(ACCEPTED))
                    .containsExactly(story(standardEndpoint, ACCEPTED, completed(200)));
            assertThat(stories).filteredOn(s -> !s.contains(ACCEPTED)).allSatisfy(s -> assertThat(s)
                    .isIn(story(standardEndpoint, DUPLICATE), story(standardEndpoint, rejected(Reason.IN_PROGRESS))));
        }
    }

    @Nested
    class Handshake {
        @Test
        void a_slack_url_verification_is_answered_with_its_challenge_without_the_application() throws Exception {
            // given
            String challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P";
            WebhookRequest handshake = slack.delivery()
                    .body("{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"" + challenge
                            + "\",\"type\":\"url_verification\"}")
                    .signed();

            // when
            Answer answer = send(slackEndpoint, handshake);

            // then
            assertThat(answer.status()).isEqualTo(200);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.path("challenge").asText()).isEqualTo(challenge);
            assertThat(slackEndpoint.application().runs()).isZero();
            assertReported(story(slackEndpoint, HANDSHAKE));
        }

        @Test
        void a_slack_event_is_processed() throws Exception {
            Answer answer =
                    send(slackEndpoint, slack.delivery().body(event("slack")).signed());

            assertProcessed(answer);
            assertThat(slackEndpoint.application().runs()).isOne();
            assertReported(story(slackEndpoint, ACCEPTED, completed(200)));
        }
    }

    @Nested
    class Methods {
        private void assertRefusedThenPostProcessed(String method) throws Exception {
            // given: a captured delivery sent first with another method
            WebhookRequest delivery = signedEvent();

            // when
            Answer other =
                    send(method, standardEndpoint, delivery, HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
            assertThat(other.status()).as("%s answered", method).isEqualTo(405);
            assertThat(standardEndpoint.application().runs()).isZero();
            Answer post = send(standardEndpoint, delivery);

            // then: nothing was claimed, the provider's POST is processed
            assertProcessed(post);
            assertThat(standardEndpoint.application().runs()).isOne();
            reports.awaitSettled(1, REPORT_TIMEOUT);
            assertThat(reports.stories())
                    .as("what the listener heard; the adapter may answer %s before the receiver", method)
                    .containsAnyOf(story(standardEndpoint, ACCEPTED, completed(200)))
                    .filteredOn(s -> !s.equals(story(standardEndpoint, ACCEPTED, completed(200))))
                    .allSatisfy(
                            s -> assertThat(s).isEqualTo(story(standardEndpoint, rejected(Reason.METHOD_NOT_ALLOWED))));
        }

        @Test
        void options_is_answered_405_and_claims_nothing() throws Exception {
            assertRefusedThenPostProcessed("OPTIONS");
        }

        @Test
        void put_is_answered_405_and_claims_nothing() throws Exception {
            assertRefusedThenPostProcessed("PUT");
        }
    }

    @Nested
    class Secrets {
        @Test
        void no_answer_and_no_log_line_of_accepted_refused_and_failed_deliveries_carries_a_secret() throws Exception {
            // given: deliveries of every kind; the check itself runs after every test
            WebhookRequest failing = signedEvent();

            // when
            assertProcessed(send(standardEndpoint, signedEvent()));
            assertProblem(
                    send(standardEndpoint, standard.delivery().body(event("f")).forged()), Reason.SIGNATURE_MISMATCH);
            assertProblem(
                    send(standardEndpoint, standard.delivery().body(event("t")).tampered()), Reason.SIGNATURE_MISMATCH);
            assertProblem(
                    send(standardEndpoint, standard.delivery().body(event("m")).malformedHeader()),
                    Reason.MALFORMED_HEADER);
            assertProblem(send(slackEndpoint, slack.delivery().body(event("s")).forged()), Reason.SIGNATURE_MISMATCH);
            standardEndpoint.application().failNext();
            assertProblem(send(standardEndpoint, failing), Reason.HANDLER_FAILED);

            // then: the search after the test is not vacuous
            assertThat(signaturesSent).isNotEmpty();
            assertThat(logs.lines())
                    .as("log lines captured; the core logs every refusal")
                    .anySatisfy(line -> assertThat(line).contains(Reason.SIGNATURE_MISMATCH.name()));
            assertReported(
                    story(standardEndpoint, ACCEPTED, completed(200)),
                    story(standardEndpoint, rejected(Reason.SIGNATURE_MISMATCH)),
                    story(standardEndpoint, rejected(Reason.SIGNATURE_MISMATCH)),
                    story(standardEndpoint, rejected(Reason.MALFORMED_HEADER)),
                    story(slackEndpoint, rejected(Reason.SIGNATURE_MISMATCH)),
                    story(standardEndpoint, ACCEPTED, released(500)));
        }
    }
}
