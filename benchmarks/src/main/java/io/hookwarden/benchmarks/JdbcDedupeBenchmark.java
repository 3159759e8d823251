package io.hookwarden.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.jdbc.JdbcDedupeStore;
import io.hookwarden.spi.Claim;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDBC dedupe store on an embedded PostgreSQL 17 beside its floor, in the same run: {@code claimAndComplete} is
 * what the receiver does for each new delivery (a claim, then a complete, each its own auto-committed statement); the
 * floor {@code rawInsert} is one auto-committed {@code INSERT} of the same row into a table of the same shape. Both
 * take their connections from one HikariCP pool of {@value #POOL} connections, at {@value #THREADS} threads.
 *
 * <p>Read {@code claimAndComplete / rawInsert}; the target is at least 0.45 (the store runs two statements where the
 * floor runs one, and on PostgreSQL an UPDATE costs more than an INSERT: {@code rawInsertThenUpdate}, the same two
 * statements without the store, shows the ceiling of any claim-then-complete design). The two run one after the other, so a machine whose load changes in between (other builds) skews
 * the ratio; the group {@code sideBySide} runs both at once in one fork, half the threads each on the same pool, so
 * both halves see the same machine: read {@code storeBeside / rawBeside} there. Every operation uses a new key, as new
 * deliveries do. The server starts per fork, in a temporary directory, on a free port, and stops at the end of the
 * fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(JdbcDedupeBenchmark.THREADS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class JdbcDedupeBenchmark {
    static final int THREADS = 8;
    static final int POOL = 8;
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Duration RETENTION = Duration.ofDays(7);
    private static final String RAW_INSERT =
            "INSERT INTO raw_dedupe (dedupe_key, state, owner_token, expires_at) VALUES (?, 'CLAIMED', ?, ?)";

    private static final String RAW_UPDATE =
            "UPDATE raw_dedupe SET state = 'COMPLETED', expires_at = ? WHERE dedupe_key = ?";

    private EmbeddedPostgres server;
    private HikariDataSource pool;
    private JdbcDedupeStore store;

    @Setup(Level.Trial)
    public void start() throws IOException, SQLException {
        server = EmbeddedPostgres.builder().setPort(0).start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(POOL);
        config.setMinimumIdle(POOL);
        pool = new HikariDataSource(config);
        store = JdbcDedupeStore.builder().dataSource(pool).build();
        store.createTableIfMissing();
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE raw_dedupe (LIKE hookwarden_dedupe INCLUDING ALL)");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        pool.close();
        server.close();
    }

    /** Each thread's own key sequence. */
    @State(Scope.Thread)
    public static class Keys {
        private final String prefix = "evt:" + UUID.randomUUID() + ":";
        private long next;

        String next() {
            return prefix + next++;
        }
    }

    @Benchmark
    public boolean claimAndComplete(Keys keys) {
        String key = keys.next();
        Claim claim = store.claim(key, LEASE).claim().orElseThrow();
        return store.complete(key, claim, RETENTION);
    }

    @Benchmark
    public int rawInsert(Keys keys) throws SQLException {
        return insert(keys);
    }

    /**
     * The floor of any claim-then-complete store: the same INSERT, then one bare {@code UPDATE} of the row by its
     * primary key (state and expiry), each auto-committed on its own pooled connection.
     */
    @Benchmark
    public int rawInsertThenUpdate(Keys keys) throws SQLException {
        String key = keys.next();
        try (Connection c = pool.getConnection();
                PreparedStatement insert = c.prepareStatement(RAW_INSERT)) {
            insert.setString(1, key);
            insert.setString(2, Claim.newClaim().token());
            insert.setLong(3, System.currentTimeMillis() + LEASE.toMillis());
            insert.executeUpdate();
        }
        try (Connection c = pool.getConnection();
                PreparedStatement update = c.prepareStatement(RAW_UPDATE)) {
            update.setLong(1, System.currentTimeMillis() + RETENTION.toMillis());
            update.setString(2, key);
            return update.executeUpdate();
        }
    }

    /** The store's half of {@code sideBySide}: half the threads, at the same moments as the floor's half. */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(THREADS / 2)
    public boolean storeBeside(Keys keys) {
        return claimAndComplete(keys);
    }

    /** The floor's half of {@code sideBySide}. */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(THREADS / 2)
    public int rawBeside(Keys keys) throws SQLException {
        return insert(keys);
    }

    private int insert(Keys keys) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement insert = c.prepareStatement(RAW_INSERT)) {
            insert.setString(1, keys.next());
            insert.setString(2, Claim.newClaim().token());
            insert.setLong(3, System.currentTimeMillis() + LEASE.toMillis());
            return insert.executeUpdate();
        }
    }
}
