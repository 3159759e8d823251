package io.hookwarden.samples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Scheme;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.servlet.ServletSample;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The README's first command: starts the servlet sample in-process on a free port (in-memory dedupe store) and sends
 * it a scripted series of deliveries over real HTTP, signed as Standard Webhooks, GitHub and Stripe sign them: valid
 * ones, a replay, forged, tampered, expired, unsigned, schema-invalid, not JSON, and one whose handler fails
 * before the provider's retry succeeds. Prints one line per delivery (HTTP status, reason code, whether the handler
 * ran, as {@code GET /events} shows from outside). Then it starts the same sample with an in-memory inbox and shows
 * the difference ({@link InboxDemo}): a slow handler answered in milliseconds, a failing one retried with backoff, a
 * poison one dead, then replayed. It exits 0 only when every result is the one the script expects.
 *
 * <pre>
 * java -jar samples/demo/target/demo.jar [--serve] [--port N]
 * </pre>
 *
 * <p>{@code --serve} keeps the sample running after the script, for {@code hookwarden send} or curl; {@code --port N}
 * picks its port (default: a free one).
 */
public final class Demo {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String USAGE = "usage: java -jar samples/demo/target/demo.jar [--serve] [--port N]";
    private static final String HOST = "127.0.0.1";
    private static final String ORDER =
            "{\"type\":\"order.created\",\"data\":{\"order_id\":\"ord_%s\",\"total\":42.5%s}}";
    private static final String PUSH =
            "{\"ref\":\"refs/heads/main\",\"after\":\"9fceb02\",\"repository\":{\"full_name\":\"octo/hello\"}}";
    private static final String LINE = "%-3s %-9s %-38s %4s  %-19s %s%n";
    /** Holds the filter's logger while the script runs: the scripted handler failure is expected, not news. */
    private static final Logger FILTER_LOG = Logger.getLogger("io.hookwarden.servlet.HookwardenFilter");

    /** One scripted delivery and what the sample must answer. */
    record Step(String endpoint, String sent, WebhookRequest request, int status, String reason, boolean handled) {
        Step expecting(int status, String reason, boolean handled) {
            return new Step(endpoint, sent, request, status, reason, handled);
        }
    }

    private record Result(int status, String reason, boolean handled) {}

    private Demo() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the script with the demo secrets and no options, printing to {@code out}; returns the exit code. */
    static int run(PrintStream out) {
        return run(new String[0], Map.of(), out, System.err);
    }

    /** Runs the demo as {@code main} does; returns the exit code (0 all as expected, 1 not, 2 usage). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, UnaryOperator.identity());
    }

    /** As {@link #run(String[], Map, PrintStream, PrintStream)}, with the script's steps passed through {@code edit}. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, UnaryOperator<Step> edit) {
        boolean serve = false;
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--serve" -> serve = true;
                case "--port" -> {
                    if (i + 1 == args.length) {
                        return usage(err, "--port needs a port number");
                    }
                    String text = args[++i];
                    try {
                        port = Integer.parseInt(text);
                    } catch (NumberFormatException e) {
                        port = -1;
                    }
                    if (port < 0 || port > 65_535) {
                        return usage(err, "--port must be a port number (0 to 65535) but was " + text);
                    }
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    return usage(err, "unknown option " + args[i]);
                }
            }
        }
        SampleSettings fromEnv = SampleSettings.from(env);
        SampleSettings settings = new SampleSettings(
                port,
                fromEnv.standardSecret(),
                fromEnv.githubSecret(),
                fromEnv.stripeSecret(),
                "memory",
                null,
                fromEnv.defaulted(),
                fromEnv.limits(),
                fromEnv.inboxLease(),
                fromEnv.lease());

        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        ServletSample sample;
        try {
            sample = ServletSample.start(
                    settings, HOST, Clock.systemUTC(), new PrintStream(banner, true, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            err.println("demo: cannot start the servlet sample: " + e.getMessage());
            return 1;
        }
        try {
            int exit = script(sample, settings, out, edit);
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            if (InboxDemo.run(settings, HOST, client, out) != 0) {
                exit = 1;
            }
            if (serve) {
                serve(sample, settings, banner, out);
            }
            return exit;
        } finally {
            sample.stop();
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("demo: " + problem);
        err.println(USAGE);
        return 2;
    }

    private static int script(
            ServletSample sample, SampleSettings settings, PrintStream out, UnaryOperator<Step> edit) {
        Clock clock = Clock.systemUTC();
        WebhookFixtures standard = fixtures(Schemes.standardWebhooks(), settings.standardSecret(), clock);
        WebhookFixtures github = fixtures(Schemes.github(), settings.githubSecret(), clock);
        WebhookFixtures stripe = fixtures(Schemes.stripe(), settings.stripeSecret(), clock);

        WebhookRequest order =
                standard.delivery(String.format(ORDER, "1001", "")).signed();
        WebhookRequest invoice = stripe.delivery(invoice("evt_1001", 4200)).signed();
        WebhookRequest flaky = standard.delivery(String.format(ORDER, "1002", ",\"fail_first_attempt\":true"))
                .signed();
        List<Step> steps = new ArrayList<>(List.of(
                new Step("standard", "valid order.created", order, 204, null, true),
                new Step("github", "valid push", push(github), 204, null, true),
                new Step("stripe", "valid invoice.paid", invoice, 204, null, true),
                new Step("standard", "replay of the order (same bytes)", order, 200, "DUPLICATE", false),
                new Step("stripe", "replay of the invoice (same bytes)", invoice, 200, "DUPLICATE", false),
                new Step(
                        "github",
                        "forged (signed with another key)",
                        github.delivery(PUSH).forged(),
                        401,
                        "SIGNATURE_MISMATCH",
                        false),
                new Step(
                        "stripe",
                        "tampered (body changed after signing)",
                        stripe.delivery(invoice("evt_1003", 4200)).tampered(),
                        401,
                        "SIGNATURE_MISMATCH",
                        false),
                new Step(
                        "standard",
                        "expired (signed 6 min ago)",
                        standard.delivery(String.format(ORDER, "1004", "")).aged(Duration.ofMinutes(6)),
                        401,
                        "TIMESTAMP_TOO_OLD",
                        false),
                new Step(
                        "standard",
                        "unsigned (no webhook-signature)",
                        standard.delivery(String.format(ORDER, "1005", "")).withoutHeader("webhook-signature"),
                        400,
                        "MISSING_HEADER",
                        false),
                new Step(
                        "stripe",
                        "schema-invalid (amount_paid -5)",
                        stripe.delivery(invoice("evt_1006", -5)).signed(),
                        422,
                        "SCHEMA_VIOLATION",
                        false),
                new Step(
                        "stripe",
                        "signed, but not JSON",
                        stripe.delivery("amount=4200&currency=eur").signed(),
                        400,
                        "MALFORMED_PAYLOAD",
                        false),
                new Step("standard", "handler fails (fail_first_attempt)", flaky, 500, "HANDLER_FAILED", false),
                new Step("standard", "provider retries it: processed", flaky, 204, null, true),
                new Step("standard", "and retries again: already done", flaky, 200, "DUPLICATE", false)));
        steps.replaceAll(edit);

        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        out.println("Hookwarden demo: the servlet sample (HookwardenFilter on embedded Jetty) at " + sample.uri()
                + ", in-memory dedupe store;");
        out.println("deliveries signed as Standard Webhooks, GitHub and Stripe sign them, sent over HTTP. 'handler'"
                + " says whether");
        out.println("the application's code ran, as GET /events shows from outside.");
        out.println();
        out.printf(LINE, "#", "endpoint", "delivery", "HTTP", "reason", "handler");

        Level level = FILTER_LOG.getLevel();
        FILTER_LOG.setLevel(Level.OFF);
        int unexpected = 0;
        int processed = 0;
        try {
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                Result result = send(client, sample, step);
                boolean asExpected = result.status() == step.status()
                        && String.valueOf(result.reason()).equals(String.valueOf(step.reason()))
                        && result.handled() == step.handled();
                unexpected += asExpected ? 0 : 1;
                processed += result.handled() ? 1 : 0;
                out.printf(
                        LINE,
                        i + 1,
                        step.endpoint(),
                        step.sent(),
                        result.status() < 0 ? "-" : Integer.toString(result.status()),
                        result.reason() == null ? "-" : result.reason(),
                        (result.handled() ? "ran" : "-")
                                + (asExpected
                                        ? ""
                                        : "   <-- UNEXPECTED: expected " + step.status() + " "
                                                + (step.reason() == null ? "-" : step.reason()) + ", handler "
                                                + (step.handled() ? "ran" : "-")));
            }
        } finally {
            FILTER_LOG.setLevel(level);
        }
        List<String> events;
        try {
            events = events(client, sample);
        } catch (IOException e) {
            events = List.of("GET /events got no answer: " + e.getClass().getSimpleName());
            unexpected++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        out.println();
        out.printf(
                "%d deliveries: %d processed, %d answered without running the handler; %s%n",
                steps.size(),
                processed,
                steps.size() - processed,
                unexpected == 0 ? "every result as expected." : unexpected + " result(s) NOT as expected.");
        out.println("GET /events (each processed exactly once):");
        events.forEach(event -> out.println("  " + event));
        return unexpected == 0 ? 0 : 1;
    }

    private static Result send(HttpClient client, ServletSample sample, Step step) {
        try {
            int before = events(client, sample).size();
            HttpRequest request = WebhookRequests.toHttpRequest(step.request(), endpoint(sample, step));
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Result(
                    response.statusCode(),
                    reason(response.body()),
                    events(client, sample).size() > before);
        } catch (IOException e) {
            return new Result(-1, "no answer: " + e.getClass().getSimpleName(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted", false);
        }
    }

    private static URI endpoint(ServletSample sample, Step step) {
        return sample.uri().resolve("/webhooks/" + step.endpoint());
    }

    /** The problem answer's {@code reason}, or null for an empty body or one without a reason. */
    static String reason(String body) throws IOException {
        if (body == null || body.isEmpty()) {
            return null;
        }
        JsonNode reason = MAPPER.readTree(body).path("reason");
        return reason.isTextual() ? reason.asText() : null;
    }

    /** What {@code GET /events} of {@code sample} lists, one JSON object per handled delivery. */
    static List<String> events(HttpClient client, ServletSample sample) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(sample.uri().resolve(SampleEndpoints.EVENTS))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> events = new ArrayList<>();
        for (JsonNode event : MAPPER.readTree(response.body())) {
            events.add(event.toString());
        }
        return events;
    }

    private static void serve(
            ServletSample sample, SampleSettings settings, ByteArrayOutputStream banner, PrintStream out) {
        String base = "http://" + HOST + ":" + sample.port();
        out.println();
        out.println("Serving on " + base + "/ until killed (Ctrl-C). The sample printed:");
        banner.toString(StandardCharsets.UTF_8).lines().forEach(line -> out.println("  " + line));
        out.println("Send your own deliveries (build the CLI first: ./mvnw -B -q -pl cli -am package -DskipTests):");
        out.println("  java -jar cli/target/hookwarden.jar send --scheme standard-webhooks --secret "
                + secret(settings, "HOOKWARDEN_STANDARD_SECRET", settings.standardSecret()) + " --url " + base
                + SampleEndpoints.STANDARD + " --body '" + String.format(ORDER, "2001", "") + "'");
        out.println("  java -jar cli/target/hookwarden.jar send --scheme github --secret "
                + secret(settings, "HOOKWARDEN_GITHUB_SECRET", settings.githubSecret()) + " --url " + base
                + SampleEndpoints.GITHUB + " --repeat 2 --body '" + PUSH.replace("9fceb02", "4f1d2e8") + "'");
        out.println("  java -jar cli/target/hookwarden.jar send --scheme stripe --secret "
                + secret(settings, "HOOKWARDEN_STRIPE_SECRET", settings.stripeSecret()) + " --url " + base
                + SampleEndpoints.STRIPE + " --body '" + invoice("evt_2001", 990) + "'");
        out.println("  curl " + base + SampleEndpoints.EVENTS);
        out.println("(GitHub signs no timestamp or id: the same body with the same secret is the same delivery, a"
                + " replay.)");
        out.flush();
        sample.join();
    }

    /** The demo default itself (safe to show), or a reference to the environment variable holding a real one. */
    private static String secret(SampleSettings settings, String variable, String value) {
        boolean demo = settings.defaulted().stream().anyMatch(entry -> entry.startsWith(variable + "="));
        return demo ? "'" + value + "'" : "\"$" + variable + "\"";
    }

    private static WebhookFixtures fixtures(Scheme scheme, String secret, Clock clock) {
        return WebhookFixtures.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(clock)
                .build();
    }

    private static WebhookRequest push(WebhookFixtures github) {
        return github.delivery(PUSH).eventType("push").signed();
    }

    private static String invoice(String id, long amountPaid) {
        return "{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"id\":\"in_" + id.substring(4)
                + "\",\"amount_paid\":" + amountPaid + ",\"currency\":\"eur\"}}}";
    }
}
