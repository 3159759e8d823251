package io.hookwarden.benchmarks;

import io.hookwarden.InboxWorker;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.StoredDelivery;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * How fast an {@link InboxWorker} drains a {@code JdbcInbox}, beside the floor, in the same run: {@code drain} starts a
 * worker of {@value #THREADS} handler threads and as many places in line ({@code prefetch}: its poller claims as many
 * deliveries as it has idle threads and free places, a no-op handler runs, the deliveries whose handlers returned
 * together are completed together: as in production with that option) on an inbox pre-filled with {@value
 * #DELIVERIES} pending deliveries, and ends when the worker's listener has heard all of them completed. The floor
 * {@code rawInsert} inserts the same number of the same row (see {@link InboxFixture}) with one auto-committed {@code
 * INSERT} each, from {@value #THREADS} threads on the same pool. {@code claimAndComplete} drains the same backlog
 * through the {@code Inbox} SPI without the worker ({@value #THREADS} threads, each claiming up to {@value #SPI_BATCH}
 * at a time and completing them): the inbox's own ceiling, so that a gap between it and {@code drain} is the worker's
 * scheduling. The pool has {@value #POOL} connections: one per thread, and one for the worker's poller.
 *
 * <p>Each is one shot per iteration, reported as time per delivery ({@code us/op}, over {@value #DELIVERIES}); the
 * deliveries per second are printed as each iteration ends. Read {@code rawInsert / drain} (of the times; the same as
 * {@code drain / rawInsert} of the rates) at the same {@code db}: the target is at least 0.5. The pre-fill happens in
 * the iteration's set-up, outside the measured time, and is checked ({@value #DELIVERIES} pending rows); the worker is
 * built there too, and stopped in the tear-down. After each iteration the run stops unless the inbox holds {@value
 * #DELIVERIES} completed deliveries (and the worker's listener heard exactly that many completed, and no other result),
 * or, for the floor, {@value #DELIVERIES} inserted rows.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar InboxDrainBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(InboxDrainBenchmark.DELIVERIES)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class InboxDrainBenchmark {
    static final int DELIVERIES = 2_000;
    static final int THREADS = 8;
    static final int POOL = THREADS + 1;
    static final int SPI_BATCH = 8;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Duration LEASE = Duration.ofMinutes(1);

    @Param({"postgresql", "h2"})
    public String db;

    private InboxFixture fixture;
    private ExecutorService threads;

    @Setup(Level.Trial)
    public void start() throws IOException, SQLException {
        fixture = new InboxFixture(db, POOL);
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        threads.shutdownNow();
        fixture.close();
    }

    /** An inbox pre-filled with {@value #DELIVERIES} pending deliveries, all completed by the end of the iteration. */
    @State(Scope.Benchmark)
    public static class Backlog {
        private long started;
        private long ended;

        @Setup(Level.Iteration)
        public void fill(InboxDrainBenchmark bench) throws SQLException {
            bench.fixture.truncate();
            bench.fixture.prefill("pre-", DELIVERIES);
        }

        @TearDown(Level.Iteration)
        public void check(InboxDrainBenchmark bench, BenchmarkParams params) {
            long completed = bench.fixture.count(StoredDelivery.State.COMPLETED);
            if (completed != DELIVERIES) {
                throw new IllegalStateException(
                        "the inbox holds " + completed + " completed deliveries, not " + DELIVERIES);
            }
            String name = params.getBenchmark();
            report(name.substring(name.lastIndexOf('.') + 1), started, ended);
        }
    }

    /** A worker ready to drain the backlog, stopped after the iteration. */
    @State(Scope.Benchmark)
    public static class Worker {
        private InboxWorker worker;
        private InboxFixture.Tally tally;

        @Setup(Level.Iteration)
        public void build(InboxDrainBenchmark bench) {
            tally = new InboxFixture.Tally(DELIVERIES);
            worker = bench.fixture.worker(THREADS, tally);
        }

        @TearDown(Level.Iteration)
        public void check() {
            worker.stop(Duration.ofSeconds(30));
            tally.check();
            if (tally.completed() != DELIVERIES) {
                throw new IllegalStateException(
                        "the worker completed " + tally.completed() + " deliveries, not " + DELIVERIES);
            }
        }
    }

    /** An empty inbox for the floor's inserts. */
    @State(Scope.Benchmark)
    public static class Empty {
        private long started;
        private long ended;

        @Setup(Level.Iteration)
        public void empty(InboxDrainBenchmark bench) throws SQLException {
            bench.fixture.truncate();
        }

        @TearDown(Level.Iteration)
        public void check(InboxDrainBenchmark bench) throws SQLException {
            long rows = bench.fixture.rows("raw-");
            if (rows != DELIVERIES) {
                throw new IllegalStateException("the floor inserted " + rows + " rows, not " + DELIVERIES);
            }
            report("rawInsert", started, ended);
        }
    }

    private static void report(String what, long started, long ended) {
        double seconds = (ended - started) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%n%s: %d deliveries in %.3f s = %.0f per second%n",
                what,
                DELIVERIES,
                seconds,
                DELIVERIES / seconds);
    }

    @Benchmark
    public long drain(Backlog backlog, Worker worker) throws InterruptedException {
        backlog.started = System.nanoTime();
        worker.worker.start();
        worker.tally.await(TIMEOUT);
        backlog.ended = System.nanoTime();
        return worker.tally.completed();
    }

    /**
     * The inbox's own share of {@code drain}, without the worker's scheduling: {@value #THREADS} threads, each
     * claiming up to {@value #SPI_BATCH} deliveries at a time through the {@code Inbox} SPI and completing each, until
     * none is left.
     */
    @Benchmark
    public long claimAndComplete(Backlog backlog) throws Exception {
        backlog.started = System.nanoTime();
        Inbox inbox = fixture.inbox();
        List<String> endpoints = List.of(InboxFixture.ENDPOINT);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(threads.submit(() -> {
                int completed = 0;
                for (List<InboxLease> taken; !(taken = inbox.claim(endpoints, SPI_BATCH, LEASE)).isEmpty(); ) {
                    for (InboxLease lease : taken) {
                        if (!inbox.complete(lease)) {
                            throw new IllegalStateException("the inbox refused to complete " + lease.id());
                        }
                        completed++;
                    }
                }
                return completed;
            }));
        }
        long completed = 0;
        for (Future<Integer> f : done) {
            completed += f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        backlog.ended = System.nanoTime();
        return completed;
    }

    @Benchmark
    public long rawInsert(Empty empty) throws Exception {
        empty.started = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(threads.submit(() -> {
                int rows = 0;
                for (int i; (i = next.getAndIncrement()) < DELIVERIES; ) {
                    rows += fixture.rawInsert("raw-" + i);
                }
                return rows;
            }));
        }
        long rows = 0;
        for (Future<Integer> f : done) {
            rows += f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        empty.ended = System.nanoTime();
        return rows;
    }
}
