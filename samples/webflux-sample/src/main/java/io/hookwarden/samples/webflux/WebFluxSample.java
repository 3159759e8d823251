package io.hookwarden.samples.webflux;

import io.hookwarden.samples.support.SampleBackend;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spring.WebhookEndpoints;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The Spring WebFlux sample: {@code POST /webhooks/standard}, {@code /webhooks/github} and {@code /webhooks/stripe}
 * served on Reactor Netty by {@link WebhookController} through {@code hookwarden-spring-webflux}, and {@code GET
 * /events} (DESIGN.md "Samples"). {@code java -jar samples/webflux-sample/target/webflux-sample.jar} runs {@link
 * #main}.
 *
 * <p>The endpoints are the shared sample's: this configuration builds {@link SampleSettings}, opens the {@link
 * SampleBackend} it names and hands {@link SampleEndpoints}' receivers to the adapter as its {@link WebhookEndpoints}
 * bean, so no {@code hookwarden.endpoints.*} properties are needed. An application with its own endpoints would
 * configure them as properties instead (docs/spring.md).
 */
@SpringBootApplication
public class WebFluxSample {
    /** The variables the samples read (DESIGN.md "Samples"). */
    static final List<String> VARIABLES = List.of(
            "PORT",
            "HOOKWARDEN_STANDARD_SECRET",
            "HOOKWARDEN_GITHUB_SECRET",
            "HOOKWARDEN_STRIPE_SECRET",
            "HOOKWARDEN_STORE",
            "HOOKWARDEN_INBOX",
            "HOOKWARDEN_BODY_TIMEOUT",
            "HOOKWARDEN_MIN_DATA_RATE",
            "HOOKWARDEN_WORKER_THREADS");

    /** Created by Spring. */
    public WebFluxSample() {}

    /**
     * Starts the sample from the environment ({@code PORT}, the three secrets, {@code HOOKWARDEN_STORE}), prints the
     * demo defaults it uses, its store and its URL, and serves until the process is stopped. A bad {@code PORT} ends
     * the process with status 2 and a one-line message; a store or port it cannot open, after Spring's report, with
     * status 2 and a last line naming the cause.
     */
    public static void main(String[] args) {
        try {
            SampleSettings.fromEnvironment();
        } catch (RuntimeException e) {
            System.err.println("webflux-sample cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            SpringApplication.run(WebFluxSample.class, args);
        } catch (RuntimeException e) {
            // Spring has logged the failure; end with its root cause (a bad HOOKWARDEN_STORE, a port in use) in one
            // line and the samples' start-up status.
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            System.err.println("webflux-sample cannot start: " + cause.getMessage());
            System.exit(2);
        }
    }

    /**
     * The settings from Spring's environment, which holds the process's environment variables (and, in tests, the
     * test's properties) under the same names.
     */
    @Bean
    SampleSettings sampleSettings(Environment environment) {
        Map<String, String> env = new HashMap<>();
        for (String name : VARIABLES) {
            String value = environment.getProperty(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return SampleSettings.from(env);
    }

    /**
     * The store {@code HOOKWARDEN_STORE} names, the inbox {@code HOOKWARDEN_INBOX} names (and its worker), and the
     * shared endpoints on them, verifying on the application's {@link Clock} bean if it has one; Spring closes it all at
     * shutdown.
     */
    @Bean(destroyMethod = "close")
    SampleBackend sampleBackend(SampleSettings settings, ObjectProvider<Clock> clock) {
        return SampleBackend.open(settings, clock.getIfAvailable(Clock::systemUTC));
    }

    /**
     * The same store as the adapter's {@link DedupeStore} (its health indicator and metrics use it); the {@link
     * SampleBackend} bean closes it.
     */
    @Bean(destroyMethod = "")
    DedupeStore dedupeStore(SampleBackend backend) {
        return backend.store();
    }

    /** The shared endpoints and handlers. */
    @Bean(destroyMethod = "")
    SampleEndpoints sampleEndpoints(SampleBackend backend) {
        return backend.endpoints();
    }

    /** The adapter's endpoints, by the names {@code @WebhookEndpoint} gives: exactly the sample's receivers. */
    @Bean
    WebhookEndpoints webhookEndpoints(SampleEndpoints endpoints) {
        return WebhookEndpoints.builder()
                .endpoint("standard", endpoints.receiver(SampleEndpoints.STANDARD))
                .endpoint("github", endpoints.receiver(SampleEndpoints.GITHUB))
                .endpoint("stripe", endpoints.receiver(SampleEndpoints.STRIPE))
                .build();
    }

    /** Reactor Netty with the sample's limits on slow senders. */
    @Bean
    NettyHardening nettyHardening(SampleSettings settings) {
        return new NettyHardening(settings.limits());
    }

    /** TRACE refused, at every path. */
    @Bean
    TraceRefusal traceRefusal() {
        return new TraceRefusal();
    }

    /** Bare error answers, in place of Spring Boot's: status and title, nothing of the request or the server. */
    @Bean
    PlainErrors plainErrors() {
        return new PlainErrors();
    }

    /** Prints the banner once the server listens. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> sampleBanner(SampleSettings settings, SampleBackend backend) {
        return event -> {
            int port = ((WebServerApplicationContext) event.getApplicationContext())
                    .getWebServer()
                    .getPort();
            printBanner(settings, backend, port, System.out);
        };
    }

    /** Prints the demo defaults in use (never a secret from the environment), the store and the URL. */
    static void printBanner(SampleSettings settings, SampleBackend backend, int port, PrintStream out) {
        settings.printDefaults(out);
        backend.describe(out);
        out.println("Hookwarden Spring WebFlux sample listening on http://localhost:" + port);
        out.println(route("POST", SampleEndpoints.STANDARD, "Standard Webhooks"));
        out.println(route("POST", SampleEndpoints.GITHUB, "GitHub"));
        out.println(route("POST", SampleEndpoints.STRIPE, "Stripe"));
        out.println(route("GET", SampleEndpoints.EVENTS, "what the handlers processed"));
        out.flush();
    }

    private static String route(String method, String path, String what) {
        return String.format("  %-4s %-18s  %s", method, path, what);
    }
}
