package io.hookwarden.benchmarks;

import io.hookwarden.InboxWorker;
import io.hookwarden.WebhookRequest;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The accept answer's latency while an {@link InboxWorker} drains the same inbox at full speed, beside the floor's, in
 * the same run: {@code accept} and {@code rawInsert} are those of {@link InboxAcceptBenchmark}, sampled one by one
 * ({@code SampleTime}: JMH prints p0.50, p0.90, p0.99, p0.999 per benchmark), from {@value #THREADS} threads. Before
 * every iteration the inbox is emptied and pre-filled with a {@code backlog} of pending deliveries, and a worker of
 * {@value #WORKER_THREADS} handler threads (no-op handler) starts draining it; so both the accept path and the floor run
 * against the same claims and completes. The floor's rows are pending and due like the accepted ones, so the worker
 * takes them alike. The pool has {@value #POOL} connections: the senders', the handlers', and the poller's.
 *
 * <p>Read p50 and p99 of {@code accept} beside those of {@code rawInsert} at the same {@code db}. After each iteration
 * the worker is stopped and the run stops if it completed nothing, if an attempt did not complete, if the backlog ran
 * out (pending deliveries must remain: the worker was busy the whole iteration; raise {@code -p backlog=} if not), or
 * if the rows the senders wrote do not number the operations that returned.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar InboxLatencyBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Threads(InboxLatencyBenchmark.THREADS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InboxLatencyBenchmark {
    static final int THREADS = 4;
    static final int WORKER_THREADS = 4;
    static final int POOL = THREADS + WORKER_THREADS + 1;
    private static final String ACCEPTED = "acc-";
    private static final String RAW = "raw-";
    private static final String BACKLOG = "pre-";

    @Param({"postgresql", "h2"})
    public String db;

    /**
     * Pending deliveries before each iteration: enough that the worker never runs out while it is measured. Not many
     * more: a claim orders every pending delivery, so a deep backlog slows the worker down.
     */
    @Param("5000")
    public int backlog;

    private InboxFixture fixture;
    private InboxWorker worker;
    private InboxFixture.Tally tally;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder inserted = new LongAdder();

    @Setup(Level.Trial)
    public void start() throws IOException, SQLException {
        fixture = new InboxFixture(db, POOL);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        fixture.close();
    }

    @Setup(Level.Iteration)
    public void fill() throws SQLException {
        fixture.truncate();
        fixture.prefill(BACKLOG, backlog);
        accepted.reset();
        inserted.reset();
        tally = new InboxFixture.Tally(0);
        worker = fixture.worker(WORKER_THREADS, tally).start();
    }

    @TearDown(Level.Iteration)
    public void check() throws SQLException {
        worker.stop(Duration.ofSeconds(30));
        tally.check();
        long pending = fixture.pending();
        if (tally.completed() == 0) {
            throw new IllegalStateException("the worker completed nothing while the senders ran");
        }
        if (pending == 0) {
            throw new IllegalStateException("the worker drained the whole backlog (" + tally.completed()
                    + " completed): it was not busy the whole iteration; raise -p backlog=");
        }
        long acceptedRows = fixture.rows(ACCEPTED);
        long rawRows = fixture.rows(RAW);
        if (acceptedRows != accepted.sum() || rawRows != inserted.sum()) {
            throw new IllegalStateException("the inbox holds " + acceptedRows + " accepted and " + rawRows
                    + " raw rows after " + accepted.sum() + " accepts and " + inserted.sum() + " raw inserts");
        }
        System.out.printf("%nworker completed %d deliveries; %d pending left%n", tally.completed(), pending);
    }

    /** Each thread's next delivery, signed with its own id before each call (outside the measured time). */
    @State(Scope.Thread)
    public static class Next {
        private static final AtomicInteger THREAD_IDS = new AtomicInteger();

        private final String thread = Integer.toString(THREAD_IDS.incrementAndGet());
        private long n;
        WebhookRequest request;
        String rawKey;

        @Setup(Level.Invocation)
        public void next(InboxLatencyBenchmark bench) {
            long i = n++;
            request = bench.fixture.signed(ACCEPTED + thread + "-" + i);
            rawKey = RAW + thread + "-" + i;
        }
    }

    @Benchmark
    public int accept(Next next) {
        int status = fixture.accept(next.request);
        accepted.increment();
        return status;
    }

    @Benchmark
    public int rawInsert(Next next) throws SQLException {
        int rows = fixture.rawInsert(next.rawKey);
        inserted.increment();
        return rows;
    }
}
