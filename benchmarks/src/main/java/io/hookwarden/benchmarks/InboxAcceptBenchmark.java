package io.hookwarden.benchmarks;

import io.hookwarden.WebhookRequest;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * The accept path of an endpoint with a {@code JdbcInbox} beside its floor, in the same run: {@code accept} is {@link
 * io.hookwarden.WebhookReceiver#receive} of a signed Standard Webhooks delivery (2 KiB JSON body): verification, the
 * payload and dedupe-key checks, building the inbox entry, and its durable {@code INSERT}, answered 200 only once
 * committed. The floor {@code rawInsert} is one auto-committed {@code INSERT} of the same row (the receiver's own row,
 * read back in the set-up: see {@link InboxFixture}) into the same table, with a new dedupe key. Both take their
 * connections from one HikariCP pool of {@value #POOL} connections, at {@value #THREADS} threads; {@code db} is an
 * embedded PostgreSQL 17 (started as {@code JdbcDedupeBenchmark} starts it, whose defaults include {@code
 * synchronous_commit = off}) or H2 in a file.
 *
 * <p>Read {@code accept / rawInsert} at the same {@code db}; the target is at least 0.7. The group {@code sideBySide}
 * runs both at once, half the threads each on the same pool, so both halves see the same machine: read {@code
 * acceptBeside / rawBeside} there. Every operation has its own id, so every accept is a new row: the request is signed
 * in a per-invocation set-up, outside the measured time, and the floor's key is made there too. The table is emptied
 * before each iteration; after it, the rows of each kind must number exactly the operations that returned (and every
 * accept must have answered 200), or the run stops.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar InboxAcceptBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(InboxAcceptBenchmark.THREADS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class InboxAcceptBenchmark {
    static final int THREADS = 8;
    static final int POOL = 8;
    private static final String ACCEPTED = "acc-";
    private static final String RAW = "raw-";

    @Param({"postgresql", "h2"})
    public String db;

    private InboxFixture fixture;
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

    /** Keeps the table from growing without bound: empty before each iteration. */
    @Setup(Level.Iteration)
    public void empty() throws SQLException {
        fixture.truncate();
        accepted.reset();
        inserted.reset();
    }

    /** Every operation that returned left exactly one row. */
    @TearDown(Level.Iteration)
    public void check() throws SQLException {
        long acceptedRows = fixture.rows(ACCEPTED);
        long rawRows = fixture.rows(RAW);
        if (acceptedRows != accepted.sum() || rawRows != inserted.sum()) {
            throw new IllegalStateException("the inbox holds " + acceptedRows + " accepted and " + rawRows
                    + " raw rows after " + accepted.sum() + " accepts and " + inserted.sum() + " raw inserts");
        }
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
        public void next(InboxAcceptBenchmark bench) {
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

    /** The accept half of {@code sideBySide}: half the threads, at the same moments as the floor's half. */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(THREADS / 2)
    public int acceptBeside(Next next) {
        return accept(next);
    }

    /** The floor's half of {@code sideBySide}. */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(THREADS / 2)
    public int rawBeside(Next next) throws SQLException {
        return rawInsert(next);
    }
}
