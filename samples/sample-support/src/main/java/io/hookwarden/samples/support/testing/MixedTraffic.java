package io.hookwarden.samples.support.testing;

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
import java.lang.management.ManagementFactory;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;

/**
 * Issue 17's long run: senders deliver mixed traffic to a running sample at the highest rate they get, for a while,
 * and count every answer by what was sent. What is sent, and the answer each must get:
 *
 * <ul>
 *   <li>{@code valid}: a new, correctly signed Standard Webhooks delivery: 204;
 *   <li>{@code duplicate}: one of the last {@value #RECENT} of those sent again: 200 (a duplicate). The recent ones,
 *       as a provider retries: the samples' in-memory store keeps {@link
 *       io.hookwarden.InMemoryDedupeStore#DEFAULT_MAXIMUM_SIZE} keys and makes room by dropping the oldest completed
 *       ones, which a long run at full rate reaches;
 *   <li>{@code forged}: signed with another key: 401;
 *   <li>{@code malformed}: correctly signed, but not JSON: 400;
 *   <li>{@code oversized}: a body of 2 MiB, over the samples' 1 MiB limit: 413.
 * </ul>
 *
 * <p>Beside them, {@value #SLOW_SENDERS} slow senders each, one connection after another, send a delivery's head
 * announcing a body of 1,000 bytes and the first few of them, then stall: each connection must be ended by the sample
 * (answered with a status other than 2xx, or closed) within twice its body deadline, while the other traffic goes on.
 *
 * <p>{@link #seconds()} reads {@code -Dhookwarden.soak.seconds} (default 5); the run is {@code
 * -Dhookwarden.soak.seconds=120}.
 */
public final class MixedTraffic {
    /** Senders that stall their body, besides the others. */
    static final int SLOW_SENDERS = 2;

    /** How many of the latest accepted deliveries a duplicate is drawn from. */
    static final int RECENT = 1_000;

    /** What each kind of delivery must be answered. */
    public static final Map<String, Integer> EXPECTED =
            Map.of("valid", 204, "duplicate", 200, "forged", 401, "malformed", 400, "oversized", 413);

    private static final String OTHER_SECRET = "whsec_bm90IHRoZSBzYW1wbGUncyBrZXksIGZvcmdlZCE=";
    private static final byte[] OVERSIZED = new byte[2 << 20];

    /** The exchanges that failed without an answer, by exception, for the report. */
    public static final Map<String, Integer> FAILURES = new ConcurrentHashMap<>();

    private MixedTraffic() {}

    /** One of the first {@code known} remembered deliveries (a slot being written a moment longer is drawn again). */
    private static WebhookRequest duplicateOf(AtomicReferenceArray<WebhookRequest> recent, long known) {
        while (true) {
            WebhookRequest request = recent.get(ThreadLocalRandom.current().nextInt((int) known));
            if (request != null) {
                return request;
            }
        }
    }

    /** How long a run lasts: {@code -Dhookwarden.soak.seconds}, default 5. */
    public static Duration seconds() {
        return Duration.ofSeconds(Long.getLong("hookwarden.soak.seconds", 5));
    }

    /**
     * What a run found: per kind, how many answers of each status (0 for a failed exchange), and the valid deliveries
     * accepted.
     *
     * @param answers kind to status to count
     * @param accepted how many valid deliveries were answered 204
     * @param stalled what became of each slow sender's connection
     */
    public record Result(Map<String, Map<Integer, Integer>> answers, long accepted, List<Stalled> stalled) {
        /** Each kind's answers other than the one it must get, by kind; empty when every answer was right. */
        public Map<String, Map<Integer, Integer>> wrong() {
            Map<String, Map<Integer, Integer>> wrong = new TreeMap<>();
            answers.forEach((kind, statuses) -> statuses.forEach((status, count) -> {
                if (!EXPECTED.get(kind).equals(status)) {
                    wrong.computeIfAbsent(kind, k -> new TreeMap<>()).put(status, count);
                }
            }));
            return wrong;
        }

        /** How many answers in all. */
        public long total() {
            return answers.values().stream()
                    .flatMap(m -> m.values().stream())
                    .mapToLong(Integer::longValue)
                    .sum();
        }
    }

    /**
     * One stalled connection: how long until the sample ended it, and the status it answered (0: closed unanswered,
     * -1: still open when the sender gave up, at twice the body deadline and two seconds).
     */
    public record Stalled(Duration ended, int status) {
        /** Ended by the sample within {@code limit}, and not with a 2xx. */
        public boolean cutOffWithin(Duration limit) {
            return status >= 0 && status / 100 != 2 && ended.compareTo(limit) <= 0;
        }
    }

    /**
     * Sends mixed traffic to {@code base} from {@code senders} threads for {@code duration}.
     *
     * @param settings the sample's settings (its Standard Webhooks secret)
     * @param clock the clock the sample verifies on
     */
    public static Result run(URI base, SampleSettings settings, MutableClock clock, int senders, Duration duration)
            throws InterruptedException {
        WebhookFixtures sample = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(settings.standardSecret())
                .clock(clock)
                .build();
        WebhookFixtures other = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(OTHER_SECRET)
                .clock(clock)
                .build();
        URI endpoint = base.resolve(SampleEndpoints.STANDARD);
        Map<String, Map<Integer, AtomicInteger>> answers = new ConcurrentHashMap<>();
        AtomicReferenceArray<WebhookRequest> recent = new AtomicReferenceArray<>(RECENT);
        AtomicLong remembered = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicInteger ids = new AtomicInteger();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            Thread sender = new Thread(
                    () -> {
                        HttpClient client = HttpClient.newBuilder()
                                .version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(Duration.ofSeconds(5))
                                .build();
                        while (System.nanoTime() < end) {
                            int dice = ThreadLocalRandom.current().nextInt(100);
                            String kind = dice < 55
                                    ? "valid"
                                    : dice < 75
                                            ? "duplicate"
                                            : dice < 87 ? "forged" : dice < 98 ? "malformed" : "oversized";
                            long known = Math.min(remembered.get(), RECENT);
                            if (kind.equals("duplicate") && known == 0) {
                                kind = "valid";
                            }
                            String body = "{\"type\":\"order.created\",\"data\":{\"order_id\":\"ord_"
                                    + ids.incrementAndGet() + "\",\"total\":1}}";
                            WebhookRequest request =
                                    switch (kind) {
                                        case "valid" -> sample.delivery(body).signed();
                                        case "duplicate" -> duplicateOf(recent, known);
                                        case "forged" -> other.delivery(body).signed();
                                        case "malformed" -> sample.delivery("{\"type\":\"order.created\",")
                                                .signed();
                                        default -> sample.delivery()
                                                .body(OVERSIZED)
                                                .signed();
                                    };
                            int status = exchange(client, request, endpoint);
                            if (kind.equals("valid") && status == 204) {
                                accepted.incrementAndGet();
                                recent.set((int) (remembered.getAndIncrement() % RECENT), request);
                            }
                            answers.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                                    .computeIfAbsent(status, k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                    },
                    "mixed-traffic-" + s);
            sender.start();
            threads.add(sender);
        }
        List<Stalled> stalled = new java.util.concurrent.CopyOnWriteArrayList<>();
        Duration patience = settings.limits().bodyTimeout().multipliedBy(2).plusSeconds(2);
        for (int s = 0; s < SLOW_SENDERS; s++) {
            Thread slow = new Thread(
                    () -> {
                        do {
                            stalled.add(stall(
                                    base,
                                    sample.delivery("{\"type\":\"order.created\"}")
                                            .signed(),
                                    patience));
                        } while (System.nanoTime() < end);
                    },
                    "mixed-traffic-slow-" + s);
            slow.start();
            threads.add(slow);
        }
        for (Thread t : threads) {
            t.join();
        }
        Map<String, Map<Integer, Integer>> counted = new TreeMap<>();
        answers.forEach((kind, statuses) -> counted.put(
                kind,
                statuses.entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().get(), Integer::sum, TreeMap::new))));
        return new Result(counted, accepted.get(), List.copyOf(stalled));
    }

    /** Sends {@code delivery}'s head and the start of its body, then waits up to {@code patience} for the end. */
    private static Stalled stall(URI base, WebhookRequest delivery, Duration patience) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            StringBuilder head = new StringBuilder("POST " + SampleEndpoints.STANDARD + " HTTP/1.1\r\n");
            head.append("Host: ")
                    .append(base.getHost())
                    .append(':')
                    .append(base.getPort())
                    .append("\r\n");
            delivery.headers().toMap().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("host")) {
                    values.forEach(value ->
                            head.append(name).append(": ").append(value).append("\r\n"));
                }
            });
            head.append("Content-Length: 1000\r\n\r\n{\"type\":");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[1024];
            while (true) {
                long left = patience.toMillis()
                        - Duration.ofNanos(System.nanoTime() - start).toMillis();
                if (left <= 0) {
                    return new Stalled(Duration.ofNanos(System.nanoTime() - start), -1);
                }
                socket.setSoTimeout((int) left);
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    return new Stalled(Duration.ofNanos(System.nanoTime() - start), -1);
                } catch (IOException reset) {
                    n = -1; // a reset ends it too
                }
                if (n < 0) {
                    return new Stalled(
                            Duration.ofNanos(System.nanoTime() - start),
                            status(answer.toString(StandardCharsets.ISO_8859_1)));
                }
                answer.write(buffer, 0, n);
            }
        } catch (IOException e) {
            FAILURES.merge("slow sender " + e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
            return new Stalled(Duration.ofNanos(System.nanoTime() - start), -1);
        }
    }

    /** The status of an HTTP/1.1 answer's first line, or 0 when there is none. */
    private static int status(String answer) {
        if (answer.startsWith("HTTP/1.1 ") && answer.length() >= 12) {
            try {
                return Integer.parseInt(answer.substring(9, 12));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private static int exchange(HttpClient client, WebhookRequest request, URI endpoint) {
        try {
            HttpRequest http = WebhookRequests.toHttpRequest(request, endpoint);
            return client.send(http, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            FAILURES.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The heap in use after a full collection, in bytes. */
    public static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The live threads, by id, with their names. */
    public static Map<Long, String> threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .collect(Collectors.toMap(Thread::getId, Thread::getName, (a, b) -> a, TreeMap::new));
    }

    /**
     * The threads alive now that were not in {@code before}, after waiting up to {@code patience} for them to end;
     * the JDK's own (its HTTP client, reference handling, the common pool) and Reactor's shared schedulers are left out.
     */
    public static Map<Long, String> leftBehind(Map<Long, String> before, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        Map<Long, String> left;
        do {
            left = new TreeMap<>(threads());
            left.keySet().removeAll(before.keySet());
            left.values().removeIf(MixedTraffic::jdks);
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return left;
    }

    /**
     * Threads of the JVM's and of Reactor's process-wide schedulers ({@code Schedulers.boundedElastic()} and {@code
     * parallel()}, which every Reactor application in the JVM shares and none owns), not of the sample.
     */
    private static final Set<String> JDK_PREFIXES = Set.of(
            "HttpClient-",
            "ForkJoinPool.commonPool",
            "Common-Cleaner",
            "process reaper",
            "Attach Listener",
            "boundedElastic-",
            "parallel-");

    private static boolean jdks(String name) {
        return JDK_PREFIXES.stream().anyMatch(name::startsWith);
    }
}
