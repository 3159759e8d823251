package io.hookwarden.samples.servlet;

import io.hookwarden.WebhookReceiver;
import io.hookwarden.samples.support.SampleBackend;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.samples.support.ServerLimits;
import io.hookwarden.servlet.HookwardenFilter;
import jakarta.servlet.DispatcherType;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The servlet sample (DESIGN.md "Samples"): embedded Jetty 12 (ee10) with {@link HookwardenFilter} in front of {@code
 * POST /webhooks/standard}, {@code /webhooks/github} and {@code /webhooks/stripe}, a plain servlet behind each that
 * reads the verified body and calls {@link SampleEndpoints#handle}, and {@code GET /events}.
 *
 * <p>Jetty runs with the sample's {@link ServerLimits} (docs/samples.md "Hardening"): the idle timeout and the
 * deadline of a blocking body read are {@code HOOKWARDEN_BODY_TIMEOUT}, a body must arrive at {@code
 * HOOKWARDEN_MIN_DATA_RATE}, the thread pool has {@code HOOKWARDEN_WORKER_THREADS} threads, TRACE is refused ({@link
 * TraceRefusal}) and error pages carry no details ({@link PlainErrorHandler}). Jetty's own HTTP compliance already
 * refuses a request with both Content-Length and Transfer-Encoding with 400 and closes the connection.
 *
 * <pre>{@code
 * java -jar samples/servlet-sample/target/servlet-sample.jar        # PORT, HOOKWARDEN_*_SECRET, HOOKWARDEN_STORE
 * }</pre>
 *
 * <p>Tests and the demo run it in-process with {@link #start(SampleSettings, String, Clock, PrintStream)} and {@link
 * #stop()}. Thread-safe.
 */
public final class ServletSample implements AutoCloseable {
    private final Server server;
    private final SampleBackend backend;
    private final SampleEndpoints endpoints;
    private final URI uri;

    private ServletSample(Server server, SampleBackend backend, SampleEndpoints endpoints, URI uri) {
        this.server = server;
        this.backend = backend;
        this.endpoints = endpoints;
        this.uri = uri;
    }

    /**
     * Starts the sample from the environment and serves until the process is stopped. Exits 2 when the environment is
     * invalid and 1 when the sample cannot start (store unreachable, port taken), with the reason on standard error.
     */
    public static void main(String[] args) {
        SampleSettings settings;
        try {
            settings = SampleSettings.fromEnvironment();
        } catch (IllegalArgumentException e) {
            System.err.println("servlet-sample cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        ServletSample sample;
        try {
            sample = start(settings, null, Clock.systemUTC(), System.out);
        } catch (RuntimeException e) {
            System.err.println("servlet-sample cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(sample::stop, "servlet-sample-stop"));
        sample.join();
    }

    /**
     * Starts the sample on every interface at {@code settings.port()}, on the system clock, printing to standard
     * output.
     *
     * @throws IllegalArgumentException if the store {@code settings} names is none of the supported forms
     * @throws IllegalStateException if the server cannot start (the port is taken, the store is unreachable)
     */
    public static ServletSample start(SampleSettings settings) {
        return start(settings, null, Clock.systemUTC(), System.out);
    }

    /**
     * Starts the sample at {@code host} ({@code null}: every interface) and {@code settings.port()} ({@code 0}: a free
     * port, see {@link #port()}), verifying timestamps on {@code clock}, and prints to {@code out} the demo secrets in
     * use (never one from the environment), the store and the URL it listens on.
     *
     * @throws NullPointerException if settings, clock or out is null
     * @throws IllegalArgumentException if the store {@code settings} names is none of the supported forms
     * @throws IllegalStateException if the server cannot start (the port is taken, the store is unreachable)
     */
    public static ServletSample start(SampleSettings settings, String host, Clock clock, PrintStream out) {
        Objects.requireNonNull(settings, "settings cannot be null");
        Objects.requireNonNull(clock, "clock cannot be null");
        Objects.requireNonNull(out, "out cannot be null");
        SampleBackend backend = SampleBackend.open(settings, clock);
        ServerLimits limits = settings.limits();
        QueuedThreadPool threads = new QueuedThreadPool(limits.workerThreads(), Math.min(8, limits.workerThreads()));
        threads.setName("servlet-sample");
        Server server = new Server(threads);
        try {
            SampleEndpoints endpoints = backend.endpoints();
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            // A body read waits at most the deadline, and a body must keep arriving at the minimum rate.
            http.setIdleTimeout(limits.bodyTimeoutMillis());
            http.setMinRequestDataRate(limits.minDataRate());
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(settings.port());
            connector.setIdleTimeout(limits.bodyTimeoutMillis());
            server.addConnector(connector);
            server.setErrorHandler(new PlainErrorHandler());
            server.setHandler(new TraceRefusal(context(endpoints)));
            server.start();
            URI uri =
                    URI.create("http://" + (host == null ? "localhost" : host) + ":" + connector.getLocalPort() + "/");
            settings.printDefaults(out);
            backend.describe(out);
            out.println("listening on " + uri + " (POST " + SampleEndpoints.STANDARD + ", " + SampleEndpoints.GITHUB
                    + ", " + SampleEndpoints.STRIPE + "; GET " + SampleEndpoints.EVENTS + ")");
            return new ServletSample(server, backend, endpoints, uri);
        } catch (Exception e) {
            stopQuietly(server);
            backend.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("the server did not start: " + e.getMessage(), e);
        }
    }

    private static ServletContextHandler context(SampleEndpoints endpoints) {
        HookwardenFilter.Builder filter = HookwardenFilter.builder();
        for (Map.Entry<String, WebhookReceiver> endpoint : endpoints.receivers().entrySet()) {
            filter.endpoint(endpoint.getKey(), endpoint.getValue());
        }
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setErrorHandler(new PlainErrorHandler());
        context.addFilter(new FilterHolder(filter.build()), "/webhooks/*", EnumSet.of(DispatcherType.REQUEST));
        for (String path : endpoints.receivers().keySet()) {
            context.addServlet(new ServletHolder(new WebhookServlet(endpoints, path)), path);
        }
        context.addServlet(new ServletHolder(new EventsServlet(endpoints.log())), SampleEndpoints.EVENTS);
        return context;
    }

    /** The port the sample listens on (the one picked when the settings said 0). */
    public int port() {
        return uri.getPort();
    }

    /** The sample's base URL, ending in {@code /}. */
    public URI uri() {
        return uri;
    }

    /** The endpoints and their event log. */
    public SampleEndpoints endpoints() {
        return endpoints;
    }

    /** Waits until the server stops. */
    public void join() {
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server, then the worker, the inbox and the store; calling it again does nothing. */
    public void stop() {
        stopQuietly(server);
        backend.close();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("servlet-sample: stopping the server: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ServletSample[" + uri + "]";
    }
}
