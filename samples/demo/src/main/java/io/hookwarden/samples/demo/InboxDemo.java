package io.hookwarden.samples.demo;

import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.servlet.ServletSample;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The demo's second part: the same servlet sample with an inbox ({@code HOOKWARDEN_INBOX=memory}), so each delivery
 * is answered as soon as it is stored and a worker runs the handler: a slow handler answered in milliseconds all the
 * same, a failing one retried with backoff, a provider's retry of it a duplicate, a poison one dead at once, then
 * replayed after the fix. Each line says what was answered, how fast, and what became of the delivery afterwards, as
 * the inbox and {@code GET /events} show.
 */
final class InboxDemo {
    private static final String ORDER =
            "{\"type\":\"order.created\",\"data\":{\"order_id\":\"ord_%s\",\"total\":42.5%s}}";
    private static final String LINE = "%-3s %-40s %4s  %-10s %8s  %s%n";
    /** How long a step waits for the worker before it calls the result unexpected. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** The worker's own logger: a scripted failure and a scripted poison are expected, not news. */
    private static final Logger WORKER_LOG = Logger.getLogger("io.hookwarden.InboxWorker");

    private final ServletSample sample;
    private final Inbox inbox;
    private final HttpClient client;
    private final PrintStream out;
    private final WebhookFixtures standard;
    private int unexpected;
    private int step;

    private InboxDemo(ServletSample sample, SampleSettings settings, HttpClient client, PrintStream out) {
        this.sample = sample;
        this.inbox = sample.endpoints().inbox().orElseThrow();
        this.client = client;
        this.out = out;
        this.standard = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(settings.standardSecret())
                .clock(Clock.systemUTC())
                .build();
    }

    /**
     * Starts a second servlet sample with an in-memory inbox beside the first and runs the script against it.
     *
     * @return how many results were not the expected ones (a sample that cannot start counts as one)
     */
    static int run(SampleSettings settings, String host, HttpClient client, PrintStream out) {
        ServletSample sample;
        try {
            sample = ServletSample.start(
                    settings.withInbox("memory").withPort(0),
                    host,
                    Clock.systemUTC(),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            out.println("demo: cannot start the servlet sample with an inbox: " + e.getMessage());
            return 1;
        }
        Level level = WORKER_LOG.getLevel();
        WORKER_LOG.setLevel(Level.OFF);
        try {
            return new InboxDemo(sample, settings, client, out).script();
        } finally {
            WORKER_LOG.setLevel(level);
            sample.stop();
        }
    }

    private int script() {
        out.println();
        out.println("Part 2: the same sample with an inbox (HOOKWARDEN_INBOX=memory) at " + sample.uri() + ": each"
                + " delivery is answered");
        out.println("once it is stored; a worker runs the handler afterwards, retrying with backoff.");
        out.println();
        out.printf(LINE, "#", "delivery", "HTTP", "reason", "answered", "then");

        WebhookRequest slow = order("slow", "2001", ",\"work_ms\":2000");
        sendAndWatch(
                "slow handler (works 2 s)",
                slow,
                200,
                null,
                "slow",
                d -> d.state() == StoredDelivery.State.COMPLETED,
                d -> "handled " + millisSince(d) + " later, once");

        WebhookRequest flaky = order("flaky", "2002", ",\"fail_first_attempt\":true");
        sendAndWatch(
                "handler fails on its first attempt",
                flaky,
                200,
                null,
                "flaky",
                d -> d.state() == StoredDelivery.State.COMPLETED,
                d -> "retried after backoff: completed on attempt " + d.attempts());
        sendAndWatch(
                "the provider retries it (same bytes)",
                flaky,
                200,
                "DUPLICATE",
                "flaky",
                d -> d.state() == StoredDelivery.State.COMPLETED,
                d -> "already stored: not handled again");

        WebhookRequest poison = order("poison", "2003", ",\"poison\":true");
        Optional<StoredDelivery> dead = sendAndWatch(
                "poison (this handler can never take it)",
                poison,
                200,
                null,
                "poison",
                d -> d.state() == StoredDelivery.State.DEAD,
                d -> "dead after " + d.attempts() + " attempt: " + d.lastError());

        step++;
        sample.endpoints().fixPoison();
        String then;
        boolean asExpected = false;
        if (dead.isPresent() && inbox.replay(dead.get().id())) {
            Optional<StoredDelivery> done = await("poison", d -> d.state() == StoredDelivery.State.COMPLETED);
            asExpected = done.isPresent();
            then = done.map(d -> "replayed after the fix: completed on attempt " + d.attempts())
                    .orElse("replayed, but not completed within " + PATIENCE.toSeconds() + " s");
        } else {
            then = "nothing to replay";
        }
        line("fix deployed, dead letter replayed", "-", "-", "-", then, asExpected, "completed");

        int events = events();
        boolean once = events == 3;
        out.println();
        out.printf(
                "GET /events: %d deliveries handled (slow, flaky, poison), each once; %s%n",
                events,
                unexpected == 0 && once
                        ? "every result as expected."
                        : (unexpected + (once ? 0 : 1)) + " result(s) NOT as expected.");
        return unexpected + (once ? 0 : 1);
    }

    private WebhookRequest order(String id, String order, String extra) {
        return standard.delivery(String.format(ORDER, order, extra))
                .id("msg_demo_" + id)
                .signed();
    }

    /**
     * Sends a delivery, prints its answer and how fast it came, then waits until the stored delivery with {@code id}
     * satisfies {@code done} and prints what {@code describe} says of it.
     */
    private Optional<StoredDelivery> sendAndWatch(
            String what,
            WebhookRequest request,
            int status,
            String reason,
            String id,
            Predicate<StoredDelivery> done,
            java.util.function.Function<StoredDelivery, String> describe) {
        step++;
        long start = System.nanoTime();
        int answered;
        String answeredReason;
        try {
            HttpResponse<String> response = client.send(
                    WebhookRequests.toHttpRequest(request, sample.uri().resolve(SampleEndpoints.STANDARD)),
                    HttpResponse.BodyHandlers.ofString());
            answered = response.statusCode();
            answeredReason = reasonOrNull(response.body());
        } catch (IOException e) {
            answered = -1;
            answeredReason = "no answer: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answered = -1;
            answeredReason = "interrupted";
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        Optional<StoredDelivery> settled = await(id, done);
        boolean asExpected = answered == status
                && String.valueOf(answeredReason).equals(String.valueOf(reason))
                && millis < 1_000
                && settled.isPresent();
        line(
                what,
                answered < 0 ? "-" : Integer.toString(answered),
                answeredReason == null ? "-" : answeredReason,
                millis + " ms",
                settled.map(describe).orElse("not settled within " + PATIENCE.toSeconds() + " s"),
                asExpected,
                status + " " + (reason == null ? "-" : reason) + " in under 1 s");
        return settled;
    }

    private void line(String what, String status, String reason, String took, String then, boolean ok, String wanted) {
        unexpected += ok ? 0 : 1;
        out.printf(LINE, step, what, status, reason, took, then + (ok ? "" : "   <-- UNEXPECTED: expected " + wanted));
    }

    /** Waits until the stored delivery of {@code msg_demo_<id>} satisfies {@code done}. */
    private Optional<StoredDelivery> await(String id, Predicate<StoredDelivery> done) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<StoredDelivery> found = inbox
                    .find(InboxQuery.builder().endpoint("standard").build())
                    .stream()
                    .filter(d -> ("msg_demo_" + id).equals(d.entry().eventId()))
                    .findFirst();
            if (found.isPresent() && done.test(found.get())) {
                return found;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String millisSince(StoredDelivery delivery) {
        Duration since = Duration.between(delivery.entry().receivedAt(), delivery.updatedAt());
        return String.format("%.1f s", since.toMillis() / 1000.0);
    }

    /** The answer's reason; null as well for a body that is not JSON. */
    private static String reasonOrNull(String body) {
        try {
            return Demo.reason(body);
        } catch (IOException e) {
            return null;
        }
    }

    private int events() {
        try {
            return Demo.events(client, sample).size();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
