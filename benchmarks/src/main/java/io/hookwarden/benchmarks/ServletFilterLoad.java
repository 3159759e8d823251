package io.hookwarden.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.hookwarden.Headers;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.servlet.HookwardenFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Requests per second through {@link HookwardenFilter} on embedded Jetty 12 against the same servlet without it, in the
 * same run, from the same load generator. {@link WebFluxFilterLoad} drives the WebFlux filter with this load generator.
 *
 * <p>One Jetty server on a free port serves one servlet that reads the whole body and answers 200, at two paths:
 * {@code /hooked}, where the filter (Standard Webhooks, a {@link WebhookReceiver} with an in-memory store) sits in
 * front of it, and {@code /plain}, which the filter is not mapped to. Every request carries a 2 KiB JSON body and its
 * own signed {@code webhook-id}, so no delivery is a duplicate; both paths get byte-for-byte the same requests apart
 * from the path. The requests are signed before each measurement, outside the timing.
 *
 * <p>The load generator keeps {@code connections} HTTP/1.1 keep-alive connections, one thread each, every thread
 * sending one request and reading its answer at a time. Rounds are short and alternate which path goes first, so
 * a burst of load from elsewhere on the machine hits both paths alike; the first {@code warmup} rounds are discarded.
 * The result is the ratio of the medians of requests per second, filter over plain (and, as a check, the median of
 * the rounds' own ratios). As a second view it reports requests per second of the server's CPU time (the JVM's CPU
 * time minus the load generator threads' own), which does not count time spent waiting for a CPU that other
 * processes hold, though on a shared machine it moves too. Defaults: 8 connections, 5000 requests per path per round,
 * 40 rounds, 4 warm-up. Run:
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.hookwarden.benchmarks.ServletFilterLoad [connections] [requests] [rounds] [warmup]
 * </pre>
 */
public final class ServletFilterLoad {
    static final Instant SIGNED_AT = Instant.parse("2026-01-15T12:00:00Z");
    static final String SECRET = "whsec_"
            + Base64.getEncoder().encodeToString("load-generator-key-0123456789".getBytes(StandardCharsets.UTF_8));
    static final int BODY_SIZE = 2048;

    private ServletFilterLoad() {}

    /** The application: reads the whole body and answers 200 with no content. */
    static final class ReadingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            request.getInputStream().readAllBytes();
            response.setStatus(200);
            response.setContentLength(0);
        }
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 4;

        Clock clock = Clock.fixed(SIGNED_AT, ZoneOffset.UTC);
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(SECRET)
                        .clock(clock)
                        .build())
                // big enough to hold every delivery of the run: measure the filter, not the store's eviction
                .dedupeStore(InMemoryDedupeStore.builder()
                        .maximumSize(requests * (rounds + 1) + 1)
                        .build())
                .build();
        HookwardenFilter filter =
                HookwardenFilter.builder().endpoint("/hooked", receiver).build();

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(filter), "/hooked", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ReadingServlet()), "/*");
        server.setHandler(context);
        server.start();
        int port = connector.getLocalPort();
        System.out.printf(
                Locale.ROOT,
                "Jetty on port %d; %d connections, %d requests per path per round, %d rounds (%d warm-up), %d-byte"
                        + " bodies%n",
                port,
                connections,
                requests,
                rounds,
                warmup,
                BODY_SIZE);

        WebhookSigner signer = WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .clock(clock)
                .build();
        try {
            compare(port, signer, connections, requests, rounds, warmup);
        } finally {
            server.stop();
        }
    }

    /**
     * The measurement both loads share: {@code rounds} rounds against {@code /plain} and {@code /hooked} on {@code
     * port}, alternating which goes first, each round's figures printed, then the medians over the counted rounds.
     */
    static void compare(int port, WebhookSigner signer, int connections, int requests, int rounds, int warmup)
            throws Exception {
        byte[] body = body();
        List<Double> plain = new ArrayList<>();
        List<Double> hooked = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> plainCpu = new ArrayList<>();
        List<Double> hookedCpu = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            boolean hookedFirst = round % 2 == 1;
            Result first = run(port, hookedFirst ? "/hooked" : "/plain", signer, body, round, requests, connections);
            Result second = run(port, hookedFirst ? "/plain" : "/hooked", signer, body, round, requests, connections);
            Result plainResult = hookedFirst ? second : first;
            Result hookedResult = hookedFirst ? first : second;
            boolean counted = round >= warmup;
            if (counted) {
                plain.add(plainResult.perSecond());
                hooked.add(hookedResult.perSecond());
                ratios.add(hookedResult.perSecond() / plainResult.perSecond());
                plainCpu.add(plainResult.perCpuSecond());
                hookedCpu.add(hookedResult.perCpuSecond());
            }
            System.out.printf(
                    Locale.ROOT,
                    "round %d%s: plain %.0f req/s, filter %.0f req/s, ratio %.3f;"
                            + " per server CPU second: plain %.0f, filter %.0f, ratio %.3f%n",
                    round + 1,
                    counted ? "" : " (warm-up)",
                    plainResult.perSecond(),
                    hookedResult.perSecond(),
                    hookedResult.perSecond() / plainResult.perSecond(),
                    plainResult.perCpuSecond(),
                    hookedResult.perCpuSecond(),
                    hookedResult.perCpuSecond() / plainResult.perCpuSecond());
        }
        double plainMedian = median(plain);
        double hookedMedian = median(hooked);
        System.out.printf(
                Locale.ROOT,
                "median: plain %.0f req/s, filter %.0f req/s; ratio of medians %.3f; median of the rounds' ratios %.3f%n",
                plainMedian,
                hookedMedian,
                hookedMedian / plainMedian,
                median(ratios));
        System.out.printf(
                Locale.ROOT,
                "median requests per server CPU second: plain %.0f, filter %.0f; ratio of medians %.3f%n",
                median(plainCpu),
                median(hookedCpu),
                median(hookedCpu) / median(plainCpu));
    }

    static byte[] body() {
        StringBuilder json = new StringBuilder("{\"type\":\"invoice.paid\",\"data\":{\"note\":\"");
        Random random = new Random(42);
        while (json.length() < BODY_SIZE - 3) {
            json.append((char) ('a' + random.nextInt(26)));
        }
        json.append("\"}}");
        return json.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Requests per second of wall-clock time, and per second of the server's CPU time (the JVM's minus the client's). */
    record Result(double perSecond, double perCpuSecond) {}

    /** Sends {@code count} requests, each with its own delivery id, over the connections. */
    static Result run(int port, String path, WebhookSigner signer, byte[] body, int round, int count, int connections)
            throws Exception {
        byte[][] requests = new byte[count][];
        for (int i = 0; i < count; i++) {
            String id = "msg_" + path.substring(1) + "_" + round + "_" + i;
            Headers headers = signer.headers(WebhookMessage.body(body).id(id).build());
            requests[i] = encode(path, port, headers, body);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        AtomicLong clientCpu = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            Thread thread = new Thread(() -> {
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.connect(new InetSocketAddress("127.0.0.1", port));
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                    for (int i; (i = next.getAndIncrement()) < count; ) {
                        out.write(requests[i]);
                        out.flush();
                        if (readResponse(in) != 200) {
                            failures.incrementAndGet();
                        }
                    }
                    clientCpu.addAndGet(threadBean.getCurrentThreadCpuTime());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double serverCpuSeconds = (os.getProcessCpuTime() - cpuStart - clientCpu.get()) / 1e9;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " requests to " + path + " did not answer 200");
        }
        return new Result(count / seconds, count / serverCpuSeconds);
    }

    private static byte[] encode(String path, int port, Headers headers, byte[] body) {
        StringBuilder head = new StringBuilder()
                .append("POST ")
                .append(path)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port)
                .append("\r\nContent-Type: application/json\r\nContent-Length: ")
                .append(body.length)
                .append("\r\n");
        headers.toMap().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
            }
        });
        head.append("\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + body.length);
        bytes.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(body);
        return bytes.toByteArray();
    }

    /** Reads one HTTP/1.1 response with a Content-Length (or none, meaning empty); returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int status = -1;
        long length = 0;
        while (true) {
            line.setLength(0);
            for (int b; (b = in.read()) != '\n'; ) {
                if (b == -1) {
                    throw new IOException("connection closed mid-response");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            if (line.length() == 0) {
                break;
            }
            if (status < 0) {
                status = Integer.parseInt(line.substring(9, 12));
            } else if (line.toString().regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        in.skipNBytes(length);
        return status;
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
