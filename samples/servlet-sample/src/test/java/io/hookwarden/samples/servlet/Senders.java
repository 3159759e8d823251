package io.hookwarden.samples.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.support.EventLog;
import io.hookwarden.test.WebhookRequests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Concurrent webhook senders, each behaving as a provider does: it takes the next delivery and sends it until it is
 * answered 2xx (processed, or a duplicate of a processed event), retrying on any other answer, or none, after a short
 * random backoff (10 to 50 ms). Every answer is kept with when its request was sent and when it came back.
 *
 * <p>Each 2xx is checked the moment it arrives against what the handlers completed ({@code handled}): a 2xx for an
 * event no handler has completed is recorded as a violation. Thread-safe; {@link #start()} once.
 */
final class Senders {
    /** A request unanswered for this long is a hang, recorded as status {@link #NO_ANSWER}. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The status recorded for a request that got no answer (a timeout or a broken connection). */
    static final int NO_ANSWER = -1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long IDLE = Long.MAX_VALUE;

    /** One delivery of an event: its id and the signed request (each copy of an event is signed separately). */
    record Delivery(String eventId, WebhookRequest request) {}

    /** One answer: the status ({@link #NO_ANSWER} for none), {@code Retry-After}, the problem's reason. */
    record Answer(String eventId, int status, boolean retryAfter, String reason, long sentAt, long receivedAt) {
        boolean success() {
            return status >= 200 && status <= 299;
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT)
            .build();
    private final URI target;
    private final Queue<Delivery> queue;
    private final int total;
    private final Supplier<EventLog> handled;
    private final ExecutorService threads;
    private final AtomicLongArray sendingSince;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final Set<String> succeeded = ConcurrentHashMap.newKeySet();
    private final AtomicInteger delivered = new AtomicInteger();

    Senders(int senders, URI target, List<Delivery> deliveries, Supplier<EventLog> handled) {
        this.target = target;
        this.queue = new ConcurrentLinkedQueue<>(deliveries);
        this.total = deliveries.size();
        this.handled = handled;
        this.threads = Executors.newFixedThreadPool(senders);
        this.sendingSince = new AtomicLongArray(senders);
        for (int i = 0; i < senders; i++) {
            sendingSince.set(i, IDLE);
        }
    }

    Senders start() {
        for (int i = 0; i < sendingSince.length(); i++) {
            int sender = i;
            threads.execute(() -> {
                try {
                    run(sender);
                } catch (RuntimeException e) {
                    violations.add("sender " + sender + " failed: " + e);
                }
            });
        }
        threads.shutdown();
        return this;
    }

    private void run(int sender) {
        for (Delivery delivery = queue.poll(); delivery != null; delivery = queue.poll()) {
            HttpRequest request = HttpRequest.newBuilder(
                            WebhookRequests.toHttpRequest(delivery.request(), target), (name, value) -> true)
                    .timeout(REQUEST_TIMEOUT)
                    .build();
            while (!send(sender, delivery, request)) {
                backOff();
            }
            delivered.incrementAndGet();
        }
    }

    /** Sends once and records the answer; true when it was a 2xx. */
    private boolean send(int sender, Delivery delivery, HttpRequest request) {
        long sentAt = System.nanoTime();
        sendingSince.set(sender, sentAt);
        Answer answer;
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            answer = new Answer(
                    delivery.eventId(),
                    response.statusCode(),
                    response.headers().firstValue("Retry-After").isPresent(),
                    response.statusCode() == 204 ? "" : reason(response.body()),
                    sentAt,
                    System.nanoTime());
        } catch (IOException e) {
            answer = new Answer(delivery.eventId(), NO_ANSWER, false, e.toString(), sentAt, System.nanoTime());
            violations.add("no answer for " + delivery.eventId() + " within " + REQUEST_TIMEOUT + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sender interrupted", e);
        } finally {
            sendingSince.set(sender, IDLE);
        }
        answers.add(answer);
        if (answer.success()) {
            if (!handledIds().contains(delivery.eventId())) {
                violations.add(answer.status() + " for " + delivery.eventId() + " before any handler completed it");
            }
            succeeded.add(delivery.eventId());
        }
        return answer.success();
    }

    private static String reason(String body) {
        try {
            return JSON.readTree(body).path("reason").asText();
        } catch (IOException e) {
            return "unreadable body: " + body;
        }
    }

    private static void backOff() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(10, 51));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sender interrupted", e);
        }
    }

    private Set<String> handledIds() {
        return handled.get().events().stream().map(EventLog.Event::id).collect(Collectors.toSet());
    }

    /** The events at least one of whose deliveries was answered 2xx. */
    int succeededEvents() {
        return succeeded.size();
    }

    /** Whether no request sent before {@code instant} (a {@link System#nanoTime()}) is still unanswered. */
    boolean noneSendingSince(long instant) {
        for (int i = 0; i < sendingSince.length(); i++) {
            if (sendingSince.get(i) < instant) {
                return false;
            }
        }
        return true;
    }

    /** How many answers came to requests sent after {@code instant}. */
    long answersSentAfter(long instant) {
        return answers.stream().filter(a -> a.sentAt() > instant).count();
    }

    /** Whether every delivery was answered 2xx. */
    boolean done() {
        return delivered.get() == total;
    }

    /** Waits for the senders to finish, at most {@code timeout}; true when they did. */
    boolean await(Duration timeout) throws InterruptedException {
        return threads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops every sender (after a failed wait). */
    void stop() {
        queue.clear();
        threads.shutdownNow();
    }

    List<Answer> answers() {
        return new ArrayList<>(answers);
    }

    List<String> violations() {
        return new ArrayList<>(violations);
    }
}
