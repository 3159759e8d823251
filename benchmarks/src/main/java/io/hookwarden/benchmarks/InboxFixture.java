package io.hookwarden.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.Headers;
import io.hookwarden.InboxListener;
import io.hookwarden.InboxWorker;
import io.hookwarden.Outcome;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.inbox.jdbc.JdbcInbox;
import io.hookwarden.spi.StoredDelivery;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * What the inbox benchmarks share: a database (an embedded PostgreSQL 17, or H2 in a file), a HikariCP pool, a {@link
 * JdbcInbox} on it, a {@link WebhookReceiver} writing Standard Webhooks deliveries (2 KiB JSON bodies) to that inbox,
 * and the floor: the same row inserted with one bare auto-committed {@code INSERT}.
 *
 * <p>The floor's row is the receiver's own: the set-up accepts one delivery and reads its row back, column by column,
 * so the floor inserts exactly what the inbox writes (headers already as their stored JSON text, the raw body) into the
 * same table, with only the dedupe key changed. The floor's rows are pending and due, so workers drain them like any
 * other. Not thread-safe to set up; {@link #accept} and {@link #rawInsert} are called from many threads.
 */
final class InboxFixture implements AutoCloseable {
    static final String ENDPOINT = "orders";
    static final Instant SIGNED_AT = Instant.parse("2026-01-15T12:00:00Z");
    private static final int BODY_SIZE = 2048;
    private static final int PREFILL_BATCH = 500;

    /** The columns the inbox writes (as {@code JdbcInbox}'s INSERT names them), dedupe key second. */
    private static final String[] COLUMNS = {
        "endpoint",
        "dedupe_key",
        "scheme_id",
        "method",
        "url",
        "headers",
        "body",
        "remote_address",
        "event_id",
        "event_type",
        "event_timestamp",
        "matched_key",
        "ordering_key",
        "ordering_mode",
        "sequence_no",
        "received_at",
        "state",
        "attempts",
        "next_attempt_at",
        "updated_at"
    };

    private final EmbeddedPostgres postgres;
    private final Path h2Directory;
    private final HikariDataSource pool;
    private final JdbcInbox inbox;
    private final WebhookReceiver receiver;
    private final WebhookSigner signer;
    private final byte[] body;
    private final String insertSql;
    /** The receiver's row as read back, in {@link #COLUMNS} order (the dedupe key is replaced per insert). */
    private final Object[] template;
    /** The columns' JDBC types, for binding a null. */
    private final int[] types = new int[COLUMNS.length];

    /**
     * Starts the database and checks that the receiver writes a row the floor can copy.
     *
     * @param db {@code postgresql} or {@code h2}
     */
    InboxFixture(String db, int poolSize) throws IOException, SQLException {
        HikariConfig config = new HikariConfig();
        switch (db) {
            case "postgresql" -> {
                postgres = EmbeddedPostgres.builder().setPort(0).start();
                h2Directory = null;
                config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
                config.setUsername("postgres");
            }
            case "h2" -> {
                postgres = null;
                h2Directory = Files.createTempDirectory("hookwarden-inbox-bench");
                // retry: reopens the file when a thread is interrupted in I/O. InboxWorker.stop interrupts its poller,
                // which may be inside a claim; on H2's plain file channel that interrupt closes the whole database.
                config.setJdbcUrl("jdbc:h2:retry:" + h2Directory.resolve("inbox") + ";DB_CLOSE_DELAY=-1");
                config.setUsername("sa");
            }
            default -> throw new IllegalArgumentException("db must be postgresql or h2 but was " + db);
        }
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        pool = new HikariDataSource(config);
        inbox = JdbcInbox.builder().dataSource(pool).build();
        inbox.createTableIfMissing();

        Random random = new Random(0x1B0AL);
        byte[] key = new byte[32];
        random.nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        Clock clock = Clock.fixed(SIGNED_AT, ZoneOffset.UTC);
        body = body(random);
        receiver = WebhookReceiver.builder()
                .name(ENDPOINT)
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(secret)
                        .clock(clock)
                        .build())
                .inbox(inbox)
                .build();
        signer = WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(secret)
                .clock(clock)
                .build();
        insertSql = "INSERT INTO " + inbox.table() + " (" + String.join(", ", COLUMNS) + ") VALUES ("
                + "?, ".repeat(COLUMNS.length - 1) + "?)";

        truncate();
        accept(signed("setup-0"));
        template = readBack("setup-0");
        truncate();
        rawInsert("setup-raw");
        Object[] copy = readBack("setup-raw");
        for (int i = 0; i < COLUMNS.length; i++) {
            if (i != 1 && !same(template[i], copy[i])) {
                throw new IllegalStateException(
                        "the floor's row differs from the inbox's in column " + COLUMNS[i] + ": " + copy[i]);
            }
        }
        truncate();
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }

    /** The only row of the table, which must have the given dedupe key, in {@link #COLUMNS} order. */
    private Object[] readBack(String dedupeKey) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT " + String.join(", ", COLUMNS) + " FROM " + inbox.table())) {
            if (!rows.next()) {
                throw new IllegalStateException("the inbox holds no row after writing " + dedupeKey);
            }
            Object[] row = new Object[COLUMNS.length];
            for (int i = 0; i < COLUMNS.length; i++) {
                int type = rows.getMetaData().getColumnType(i + 1);
                types[i] = type;
                row[i] = switch (type) {
                    case Types.BIGINT, Types.INTEGER -> rows.getObject(i + 1);
                    case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> rows.getBytes(i + 1);
                    default -> rows.getString(i + 1); // text, including H2's CLOB
                };
            }
            if (rows.next()) {
                throw new IllegalStateException("the inbox holds more than one row after writing " + dedupeKey);
            }
            if (!dedupeKey.equals(row[1])) {
                throw new IllegalStateException("the inbox stored dedupe key " + row[1] + " for delivery " + dedupeKey);
            }
            if (!"PENDING".equals(row[16]) || !(row[6] instanceof byte[] b) || b.length != BODY_SIZE) {
                throw new IllegalStateException("the inbox's row is not a pending delivery with the whole body");
            }
            return row;
        }
    }

    private static byte[] body(Random random) {
        StringBuilder json = new StringBuilder("{\"type\":\"invoice.paid\",\"data\":{\"note\":\"");
        while (json.length() < BODY_SIZE - 3) {
            json.append((char) ('a' + random.nextInt(26)));
        }
        json.append("\"}}");
        return json.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A delivery signed with its own {@code webhook-id}, built as the servlet filter builds a request. */
    WebhookRequest signed(String id) {
        Headers headers = signer.headers(
                WebhookMessage.body(body).id(id).timestamp(SIGNED_AT).build());
        WebhookRequest.Builder b = WebhookRequest.builder()
                .method("POST")
                .url("https://hooks.example.com/webhooks/orders")
                .remoteAddress("203.0.113.7")
                .header("Content-Type", "application/json")
                .wrapBody(body);
        headers.forEach(b::header);
        return b.build();
    }

    /** The accept path: receive (verify, check, write to the inbox); anything but a 200 {@code Queued} stops the run. */
    int accept(WebhookRequest request) {
        Outcome outcome = receiver.receive(request);
        if (!(outcome instanceof Outcome.Queued queued) || queued.answer().status() != 200) {
            throw new IllegalStateException("expected the delivery queued with 200 but was " + outcome);
        }
        return queued.answer().status();
    }

    /** The floor: one auto-committed INSERT of the receiver's row with another dedupe key, on a pooled connection. */
    int rawInsert(String dedupeKey) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement insert = c.prepareStatement(insertSql)) {
            bind(insert, dedupeKey);
            int rows = insert.executeUpdate();
            if (rows != 1) {
                throw new IllegalStateException("the raw INSERT of " + dedupeKey + " inserted " + rows + " rows");
            }
            return rows;
        }
    }

    private void bind(PreparedStatement insert, String dedupeKey) throws SQLException {
        insert.setObject(1, template[0]);
        insert.setString(2, dedupeKey);
        for (int i = 2; i < COLUMNS.length; i++) {
            if (template[i] == null) {
                insert.setNull(i + 1, types[i]);
            } else {
                insert.setObject(i + 1, template[i]);
            }
        }
    }

    /**
     * Fills the inbox with {@code count} pending, due deliveries (copies of the receiver's row, keys {@code
     * prefix0...}), in batched transactions, and checks that it holds exactly that many pending.
     */
    void prefill(String prefix, int count) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement insert = c.prepareStatement(insertSql)) {
            c.setAutoCommit(false);
            try {
                for (int i = 0; i < count; i++) {
                    bind(insert, prefix + i);
                    insert.addBatch();
                    if ((i + 1) % PREFILL_BATCH == 0 || i + 1 == count) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
            } finally {
                c.setAutoCommit(true);
            }
        }
        long pending = pending();
        if (pending != count) {
            throw new IllegalStateException("the inbox holds " + pending + " pending deliveries, not " + count);
        }
    }

    JdbcInbox inbox() {
        return inbox;
    }

    long pending() {
        return inbox.stats(ENDPOINT).count(StoredDelivery.State.PENDING);
    }

    long count(StoredDelivery.State state) {
        return inbox.stats(ENDPOINT).count(state);
    }

    /** Rows whose dedupe key starts with {@code prefix} (letters, digits and dashes only). */
    long rows(String prefix) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement count =
                        c.prepareStatement("SELECT COUNT(*) FROM " + inbox.table() + " WHERE dedupe_key LIKE ?")) {
            count.setString(1, prefix + "%");
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    void truncate() throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE TABLE " + inbox.table());
        }
    }

    /**
     * An {@link InboxWorker} for the endpoint, not started, whose handler does nothing; {@code tally} hears every
     * attempt.
     */
    InboxWorker worker(int concurrency, Tally tally) {
        return InboxWorker.builder()
                .endpoint(receiver, webhook -> {})
                .name("bench")
                .concurrency(concurrency)
                .prefetch(concurrency) // a place in line per thread: claims of twice the threads
                .pollInterval(Duration.ofMillis(20))
                .listener(tally)
                .build();
    }

    /** Counts a worker's completed attempts, keeps the first other result, and opens a latch at a target count. */
    static final class Tally implements InboxListener {
        private final LongAdder completed = new LongAdder();
        private final AtomicReference<String> other = new AtomicReference<>();
        private final CountDownLatch done = new CountDownLatch(1);
        private final long target;

        /** @param target the completed attempts that open the latch; 0 for none */
        Tally(long target) {
            this.target = target;
        }

        @Override
        public void attempted(
                String endpoint, StoredDelivery delivery, Result result, Duration handling, Throwable failure) {
            if (result == Result.COMPLETED) {
                completed.increment();
                if (target > 0 && completed.sum() >= target) {
                    done.countDown();
                }
            } else {
                other.compareAndSet(null, result + " for delivery " + delivery.id() + ": " + failure);
                done.countDown();
            }
        }

        long completed() {
            return completed.sum();
        }

        /** Waits for the target; fails if an attempt did not complete or the wait ran out. */
        void await(Duration timeout) throws InterruptedException {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        "the worker completed " + completed() + " of " + target + " deliveries in " + timeout);
            }
            check();
        }

        /** Fails if an attempt did not complete. */
        void check() {
            if (other.get() != null) {
                throw new IllegalStateException("a worker's attempt did not complete: " + other.get());
            }
        }
    }

    @Override
    public void close() throws IOException {
        pool.close();
        if (postgres != null) {
            postgres.close();
        }
        if (h2Directory != null) {
            try (Stream<Path> files = Files.walk(h2Directory)) {
                List<Path> all =
                        new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
                for (Path p : all) {
                    Files.deleteIfExists(p);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }
}
