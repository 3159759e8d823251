package io.hookwarden.samples.jaxrs;

import io.hookwarden.jaxrs.HookwardenFeature;
import io.hookwarden.samples.support.SampleBackend;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.samples.support.ServerLimits;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.ServerConfiguration;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The JAX-RS sample: a Jersey application on Grizzly that serves {@code POST /webhooks/standard}, {@code
 * /webhooks/github} and {@code /webhooks/stripe} through {@link HookwardenFeature}, and {@code GET /events}
 * (DESIGN.md "Samples"). {@code java -jar samples/jaxrs-sample/target/jaxrs-sample.jar} runs {@link #main}; tests
 * {@link #start} it and {@link #stop} it.
 *
 * <p>Thread-safe.
 */
public final class JaxrsSample implements AutoCloseable {
    private final HttpServer server;
    private final SampleBackend backend;
    private final SampleEndpoints endpoints;
    private final int port;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private JaxrsSample(HttpServer server, SampleBackend backend, SampleEndpoints endpoints) {
        this.server = server;
        this.backend = backend;
        this.endpoints = endpoints;
        this.port = server.getListeners().iterator().next().getPort();
    }

    /**
     * Starts the sample from the environment ({@code PORT}, the three secrets, {@code HOOKWARDEN_STORE}), prints the
     * demo defaults it uses, its store and its URL, and serves until the process is stopped. A bad setting or a store
     * it cannot open ends the process with status 2 and a one-line message.
     */
    public static void main(String[] args) throws InterruptedException {
        JaxrsSample sample;
        try {
            SampleSettings settings = SampleSettings.fromEnvironment();
            sample = start(settings);
            sample.printBanner(settings, System.out);
        } catch (RuntimeException e) {
            System.err.println("jaxrs-sample cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(sample::stop, "jaxrs-sample-stop"));
        Thread.currentThread().join();
    }

    /**
     * Opens the store {@code settings} names and starts serving on {@code settings.port()} (0: a free port), on the
     * system clock.
     *
     * @throws NullPointerException if settings is null
     * @throws IllegalArgumentException if the store is none of the forms {@code HOOKWARDEN_STORE} accepts
     * @throws jakarta.ws.rs.ProcessingException if the server cannot listen on the port
     */
    public static JaxrsSample start(SampleSettings settings) {
        return start(settings, Clock.systemUTC());
    }

    /** As {@link #start(SampleSettings)}, with the verifiers on {@code clock} (tests sign on the same clock). */
    static JaxrsSample start(SampleSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings cannot be null");
        Objects.requireNonNull(clock, "clock cannot be null");
        SampleBackend backend = SampleBackend.open(settings, clock);
        try {
            SampleEndpoints endpoints = backend.endpoints();
            HookwardenFeature feature = HookwardenFeature.builder()
                    .endpoint("standard", endpoints.receiver(SampleEndpoints.STANDARD))
                    .endpoint("github", endpoints.receiver(SampleEndpoints.GITHUB))
                    .endpoint("stripe", endpoints.receiver(SampleEndpoints.STRIPE))
                    .build();
            ResourceConfig app = new ResourceConfig()
                    .register(WebhookResource.class)
                    .register(new AbstractBinder() {
                        @Override
                        protected void configure() {
                            bind(endpoints).to(SampleEndpoints.class);
                        }
                    })
                    .register(feature)
                    // Neither WADL nor the DataSource writer is used; without JAXB and Activation they only warn.
                    .property(ServerProperties.WADL_FEATURE_DISABLE, true)
                    .property(CommonProperties.PROVIDER_DEFAULT_DISABLE, "DATASOURCE");
            HttpServer server = server(
                    settings.port(),
                    ContainerFactory.createContainer(GrizzlyHttpContainer.class, app),
                    settings.limits());
            return new JaxrsSample(server, backend, endpoints);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Grizzly serving {@code jersey} on every interface at {@code port}, hardened against slow senders, smuggling and
     * talkative error pages (docs/samples.md "Hardening"): bodies are received without holding a thread and cut off at
     * the deadline ({@link BodyFirstHandler}), connections idle for longer are closed, the worker pool has {@code
     * limits.workerThreads()} threads, TRACE is answered 405, and Grizzly's own error pages are {@link
     * PlainErrorPage}s. A request with both Content-Length and Transfer-Encoding, which Grizzly would let smuggle a
     * second request, is refused with 400 ({@link StrictFraming}).
     */
    private static HttpServer server(int port, GrizzlyHttpContainer jersey, ServerLimits limits) {
        NetworkListener listener = new NetworkListener("jaxrs-sample", NetworkListener.DEFAULT_NETWORK_HOST, port);
        TCPNIOTransport transport = listener.getTransport();
        transport.setWorkerThreadPoolConfig(ThreadPoolConfig.defaultConfig()
                .setPoolName("jaxrs-sample-worker")
                .setCorePoolSize(Math.min(8, limits.workerThreads()))
                .setMaxPoolSize(limits.workerThreads()));
        // A blocking read (a body larger than BodyFirstHandler buffers) waits no longer than the deadline.
        transport.setReadTimeout(limits.bodyTimeoutMillis(), TimeUnit.MILLISECONDS);
        listener.getKeepAlive()
                .setIdleTimeoutInSeconds((int) Math.max(1, limits.bodyTimeout().toSeconds()));
        listener.setDefaultErrorPageGenerator(new PlainErrorPage());
        listener.setTraceEnabled(false);

        HttpServer server = new HttpServer();
        server.addListener(listener);
        ServerConfiguration config = server.getServerConfiguration();
        listener.registerAddOn(new StrictFraming(config));
        config.setPassTraceRequest(false); // Grizzly answers TRACE itself: 405, never an echo
        config.setTraceEnabled(false);
        config.setDefaultErrorPageGenerator(new PlainErrorPage());
        config.setDefaultQueryEncoding(StandardCharsets.UTF_8);
        config.addHttpHandler(
                new BodyFirstHandler(jersey, limits.bodyTimeout()),
                HttpHandlerRegistration.builder().contextPath("").build());
        try {
            server.start();
        } catch (IOException e) {
            server.shutdownNow();
            throw new ProcessingException("the server did not start: " + e.getMessage(), e);
        }
        return server;
    }

    /** Prints the demo defaults in use (never a secret from the environment), the store and the URL. */
    void printBanner(SampleSettings settings, PrintStream out) {
        settings.printDefaults(out);
        backend.describe(out);
        out.println("Hookwarden JAX-RS sample (Jersey on Grizzly) listening on " + uri());
        out.println(route("POST", SampleEndpoints.STANDARD, "Standard Webhooks"));
        out.println(route("POST", SampleEndpoints.GITHUB, "GitHub"));
        out.println(route("POST", SampleEndpoints.STRIPE, "Stripe"));
        out.println(route("GET", SampleEndpoints.EVENTS, "what the handlers processed"));
        out.flush();
    }

    private static String route(String method, String path, String what) {
        return String.format("  %-4s %-18s  %s", method, path, what);
    }

    /** The port the server listens on (the one picked when {@code PORT} was 0). */
    public int port() {
        return port;
    }

    /** The server's base URL, {@code http://localhost:PORT}. */
    public URI uri() {
        return URI.create("http://localhost:" + port);
    }

    /** The endpoints behind the resource, and their event log. */
    public SampleEndpoints endpoints() {
        return endpoints;
    }

    /** Stops the server, then the worker, the inbox and the store; later calls do nothing. */
    public void stop() {
        if (stopped.compareAndSet(false, true)) {
            server.shutdownNow();
            backend.close();
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}
