package io.hookwarden.jdbc;

import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link DedupeStore} in a SQL table, shared by every replica that uses the same database: PostgreSQL, MySQL /
 * MariaDB or H2, through plain JDBC on a {@link DataSource} (give it a pooled one).
 *
 * <pre>{@code
 * JdbcDedupeStore store = JdbcDedupeStore.builder().dataSource(dataSource).build();   // dialect detected
 * store.createTableIfMissing();                       // or run io/hookwarden/jdbc/schema-<dialect>.sql yourself
 * WebhookReceiver receiver = WebhookReceiver.builder().verifier(verifier).dedupeStore(store).build();
 * }</pre>
 *
 * <p>One row per key: {@code dedupe_key} (the primary key), {@code state} ({@code CLAIMED} or {@code COMPLETED}),
 * {@code owner_token} and {@code expires_at} (epoch milliseconds from the builder's {@link Clock}: the end of the
 * lease, or of the retention). A claim inserts the row; when the key exists, it reads the row and answers {@code
 * DUPLICATE} or {@code IN_PROGRESS} while the row lives, and takes an expired row over with a conditional {@code UPDATE
 * ... WHERE expires_at <= now}, so of many attempts at once exactly one wins. Complete and release are {@code UPDATE}
 * and {@code DELETE} conditioned on the owner token, the {@code CLAIMED} state and a live lease. Every statement runs
 * in auto-commit on a connection taken from the data source and closed at once. Replicas' clocks should agree to well
 * within the lease.
 *
 * <p>Expired rows are deleted by {@link #purgeExpired()}, which an application may schedule, and every {@link
 * Builder#purgeEvery(int)} claims (default {@value #DEFAULT_PURGE_EVERY}) by one bounded delete of at most {@link
 * Builder#purgeBatch(int)} rows. Keys longer than {@value #MAX_KEY_LENGTH} characters (or holding a NUL) are stored as
 * a prefix and their SHA-256.
 *
 * <p>Every database failure (an {@link SQLException}, a timeout, a pool that cannot hand out a connection) is a {@link
 * StoreUnavailableException} naming the operation, the table and the SQLState, never a credential: the receiver fails
 * closed with {@code STORE_UNAVAILABLE} (503). A statement the database rolled back for a deadlock or a serialization
 * failure (SQLState class 40) is tried again, up to three times. Thread-safe.
 */
public final class JdbcDedupeStore implements DedupeStore {
    /** The default table name. */
    public static final String DEFAULT_TABLE = "hookwarden_dedupe";
    /** The default number of claims between two opportunistic purges. */
    public static final int DEFAULT_PURGE_EVERY = 1_000;
    /** The default number of rows one purge batch deletes at most. */
    public static final int DEFAULT_PURGE_BATCH = 1_000;
    /** The longest key stored as it is; longer keys are stored as a prefix and their SHA-256. */
    public static final int MAX_KEY_LENGTH = 512;

    static final String CLAIMED = "CLAIMED";
    static final String COMPLETED = "COMPLETED";

    private static final System.Logger LOG = System.getLogger(JdbcDedupeStore.class.getName());
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");
    private static final String INDEX_SUFFIX = "_expires_at";
    private static final int CLAIM_ROUNDS = 8;
    private static final int ROLLBACK_ATTEMPTS = 3;
    private static final int HASH_HEX_LENGTH = 64;

    private final DataSource dataSource;
    private final String table;
    private final Dialect dialect;
    private final Clock clock;
    private final int purgeEvery;
    private final int purgeBatch;
    private final int queryTimeoutSeconds;
    private final AtomicLong claims = new AtomicLong();

    private final String insertSql;
    private final String readSql;
    private final String takeOverSql;
    private final String completeSql;
    private final String releaseSql;
    private final String purgeSql;

    private JdbcDedupeStore(Builder b, Dialect dialect) {
        this.dataSource = b.dataSource;
        this.table = b.table == null ? DEFAULT_TABLE : b.table;
        this.dialect = dialect;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
        this.purgeEvery = b.purgeEvery == null ? DEFAULT_PURGE_EVERY : b.purgeEvery;
        this.purgeBatch = b.purgeBatch == null ? DEFAULT_PURGE_BATCH : b.purgeBatch;
        this.queryTimeoutSeconds = b.queryTimeout == null ? 0 : seconds(b.queryTimeout);
        this.insertSql = dialect.insert(table);
        this.readSql = "SELECT state, expires_at FROM " + table + " WHERE dedupe_key = ?";
        this.takeOverSql = "UPDATE " + table + " SET state = '" + CLAIMED
                + "', owner_token = ?, expires_at = ? WHERE dedupe_key = ? AND expires_at <= ?";
        String owned = " WHERE dedupe_key = ? AND owner_token = ? AND state = '" + CLAIMED + "' AND expires_at > ?";
        this.completeSql = "UPDATE " + table + " SET state = '" + COMPLETED + "', expires_at = ?" + owned;
        this.releaseSql = "DELETE FROM " + table + owned;
        this.purgeSql = dialect.purgeBatch(table);
    }

    /** A builder; the data source is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ClaimResult claim(String key, Duration lease) {
        String stored = storedKey(key);
        checkPositive(lease, "lease");
        long now = clock.millis();
        long expiresAt = plus(now, lease);
        Claim claim = Claim.newClaim();
        ClaimResult result = run("claim a key", c -> claim(c, stored, claim, now, expiresAt));
        if (purgeEvery > 0 && claims.incrementAndGet() % purgeEvery == 0) {
            purgeQuietly();
        }
        return result;
    }

    private ClaimResult claim(Connection c, String key, Claim claim, long now, long expiresAt) throws SQLException {
        for (int round = 0; round < CLAIM_ROUNDS; round++) {
            if (insert(c, key, claim.token(), expiresAt)) {
                return ClaimResult.claimed(claim);
            }
            try (PreparedStatement read = prepare(c, readSql)) {
                read.setString(1, key);
                try (ResultSet row = read.executeQuery()) {
                    if (!row.next()) {
                        continue; // released or purged since the insert: insert again
                    }
                    if (row.getLong(2) > now) {
                        return COMPLETED.equals(row.getString(1)) ? ClaimResult.duplicate() : ClaimResult.inProgress();
                    }
                }
            }
            try (PreparedStatement takeOver = prepare(c, takeOverSql)) {
                takeOver.setString(1, claim.token());
                takeOver.setLong(2, expiresAt);
                takeOver.setString(3, key);
                takeOver.setLong(4, now);
                if (takeOver.executeUpdate() == 1) {
                    return ClaimResult.claimed(claim);
                }
            }
            // Another attempt took the expired row over or removed it first: look again.
        }
        // The key kept changing under us; the provider's retry settles it, and nothing ran twice.
        return ClaimResult.inProgress();
    }

    private boolean insert(Connection c, String key, String token, long expiresAt) throws SQLException {
        try (PreparedStatement insert = prepare(c, insertSql)) {
            insert.setString(1, key);
            insert.setString(2, token);
            insert.setLong(3, expiresAt);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            if (dialect != Dialect.POSTGRESQL && isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean complete(String key, Claim claim, Duration retention) {
        String stored = storedKey(key);
        Objects.requireNonNull(claim, "claim cannot be null");
        checkPositive(retention, "retention");
        long now = clock.millis();
        long expiresAt = plus(now, retention);
        return run("complete a key", c -> {
            try (PreparedStatement complete = prepare(c, completeSql)) {
                complete.setLong(1, expiresAt);
                complete.setString(2, stored);
                complete.setString(3, claim.token());
                complete.setLong(4, now);
                return complete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean release(String key, Claim claim) {
        String stored = storedKey(key);
        Objects.requireNonNull(claim, "claim cannot be null");
        long now = clock.millis();
        return run("release a key", c -> {
            try (PreparedStatement release = prepare(c, releaseSql)) {
                release.setString(1, stored);
                release.setString(2, claim.token());
                release.setLong(3, now);
                return release.executeUpdate() == 1;
            }
        });
    }

    /**
     * Deletes every row whose lease or retention has run out, in batches of {@link Builder#purgeBatch(int)} rows, each
     * its own statement. Live leases and completed keys within their retention are never touched. Schedule it (say
     * hourly) when the opportunistic purge is off or the traffic is low.
     *
     * @return how many rows were deleted
     * @throws StoreUnavailableException when the database fails
     */
    public long purgeExpired() {
        long total = 0;
        while (true) {
            int deleted = purgeOnce();
            total += deleted;
            if (deleted < purgeBatch) {
                return total;
            }
        }
    }

    private int purgeOnce() {
        long now = clock.millis();
        return run("purge expired keys", c -> {
            try (PreparedStatement purge = prepare(c, purgeSql)) {
                purge.setLong(1, now);
                purge.setInt(2, purgeBatch);
                if (dialect.purgeRepeatsNow()) {
                    purge.setLong(3, now);
                }
                return purge.executeUpdate();
            }
        });
    }

    private void purgeQuietly() {
        try {
            purgeOnce();
        } catch (StoreUnavailableException e) {
            LOG.log(Level.WARNING, e.getMessage());
        }
    }

    /**
     * Creates the table and its index on {@code expires_at} unless they exist, with this dialect's DDL ({@link
     * #ddl()}). Needs the rights to create tables; otherwise run the DDL in a migration.
     *
     * @throws StoreUnavailableException when the database fails
     */
    public void createTableIfMissing() {
        List<String> statements = statements(ddl());
        run("create the table", c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
            return null;
        });
    }

    /**
     * The DDL for this store's table and dialect: the resource {@link Dialect#schemaResource()} with this store's table
     * name. For migration tools (Flyway, Liquibase).
     */
    public String ddl() {
        String resource = dialect.schemaResource();
        String text;
        try (InputStream in = JdbcDedupeStore.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + resource, e);
        }
        int dot = table.indexOf('.');
        String simple = table.substring(dot + 1);
        // PostgreSQL and MySQL put an index in its table's schema and refuse a qualified name; H2 wants it qualified.
        String index = (dialect == Dialect.H2 ? table : simple) + INDEX_SUFFIX;
        return text.replace(DEFAULT_TABLE + INDEX_SUFFIX, "\u0000")
                .replace(DEFAULT_TABLE, table)
                .replace("\u0000", index);
    }

    private static List<String> statements(String script) {
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : sql.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }

    /** The table's name. */
    public String table() {
        return table;
    }

    /** The dialect, given or detected. */
    public Dialect dialect() {
        return dialect;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(String operation, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
                return work.run(c);
            } catch (SQLException e) {
                if (attempt < ROLLBACK_ATTEMPTS && isRolledBack(e)) {
                    continue;
                }
                throw unavailable(operation, e);
            } catch (RuntimeException e) {
                throw new StoreUnavailableException(
                        "JDBC dedupe store failed to " + operation + " in table " + table + ": "
                                + e.getClass().getName(),
                        e);
            }
        }
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        if (queryTimeoutSeconds > 0) {
            statement.setQueryTimeout(queryTimeoutSeconds);
        }
        return statement;
    }

    /** The message names the operation and what the driver classified, never the driver's text (it may hold a URL). */
    private StoreUnavailableException unavailable(String operation, SQLException e) {
        return new StoreUnavailableException(
                "JDBC dedupe store failed to " + operation + " in table " + table + ": SQLState " + e.getSQLState()
                        + ", vendor code " + e.getErrorCode() + " ("
                        + e.getClass().getName() + ")",
                e);
    }

    static boolean isDuplicateKey(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }

    private static boolean isRolledBack(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("40");
    }

    /**
     * The key as stored: itself when it fits the column, otherwise (or when it holds a NUL, which PostgreSQL refuses)
     * a prefix and the SHA-256 of the whole key, so distinct long keys stay distinct.
     */
    static String storedKey(String key) {
        Objects.requireNonNull(key, "key cannot be null");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key cannot be empty");
        }
        if (key.length() <= MAX_KEY_LENGTH && key.indexOf('\u0000') < 0) {
            return key;
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        int cut = Math.min(key.length(), MAX_KEY_LENGTH - HASH_HEX_LENGTH - 1);
        if (cut > 0 && Character.isHighSurrogate(key.charAt(cut - 1))) {
            cut--;
        }
        return key.substring(0, cut).replace('\u0000', '_') + "#"
                + HexFormat.of().formatHex(hash);
    }

    private static void checkPositive(Duration d, String name) {
        Objects.requireNonNull(d, name + " cannot be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive but was " + d);
        }
    }

    private static long plus(long now, Duration d) {
        try {
            return Math.addExact(now, d.toMillis());
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static int seconds(Duration d) {
        long ceil = d.plusNanos(999_999_999L).getSeconds();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, ceil));
    }

    @Override
    public String toString() {
        return "JdbcDedupeStore[table=" + table + ", dialect=" + dialect + "]";
    }

    /** Configures a {@link JdbcDedupeStore}. Each option may be set once. Not thread-safe. */
    public static final class Builder {
        private DataSource dataSource;
        private String table;
        private Dialect dialect;
        private Clock clock;
        private Integer purgeEvery;
        private Integer purgeBatch;
        private Duration queryTimeout;

        private Builder() {}

        /**
         * Where connections come from; a pooled data source (HikariCP, the application server's). Required.
         *
         * @throws NullPointerException if dataSource is null
         * @throws IllegalStateException if already set
         */
        public Builder dataSource(DataSource dataSource) {
            once(this.dataSource, "dataSource");
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource cannot be null");
            return this;
        }

        /**
         * The table's name, optionally qualified by a schema ({@code webhooks.hookwarden_dedupe}); default {@value
         * JdbcDedupeStore#DEFAULT_TABLE}. Each part is a plain SQL identifier: a letter or underscore, then letters,
         * digits or underscores, at most 48 characters (so the index name fits every dialect).
         *
         * @throws NullPointerException if table is null
         * @throws IllegalArgumentException if table is not such an identifier
         * @throws IllegalStateException if already set
         */
        public Builder table(String table) {
            once(this.table, "table");
            Objects.requireNonNull(table, "table cannot be null");
            String[] parts = table.split("\\.", -1);
            boolean valid = parts.length <= 2;
            for (String part : parts) {
                valid &= IDENTIFIER.matcher(part).matches();
            }
            if (!valid) {
                throw new IllegalArgumentException("table must be an identifier, optionally schema-qualified"
                        + " ([A-Za-z_][A-Za-z0-9_]{0,47}, one optional dot) but was '" + table + "'");
            }
            this.table = table;
            return this;
        }

        /**
         * The SQL dialect; default detected from the database's product name when the store is built, which takes one
         * connection.
         *
         * @throws NullPointerException if dialect is null
         * @throws IllegalStateException if already set
         */
        public Builder dialect(Dialect dialect) {
            once(this.dialect, "dialect");
            this.dialect = Objects.requireNonNull(dialect, "dialect cannot be null");
            return this;
        }

        /**
         * The clock that stamps leases and retention as epoch milliseconds; default the system UTC clock.
         *
         * @throws NullPointerException if clock is null
         * @throws IllegalStateException if already set
         */
        public Builder clock(Clock clock) {
            once(this.clock, "clock");
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /**
         * Every how many claims (of this store instance) one batch of expired rows is deleted; 0 turns the
         * opportunistic purge off (then schedule {@link JdbcDedupeStore#purgeExpired()}). Default {@value
         * JdbcDedupeStore#DEFAULT_PURGE_EVERY}.
         *
         * @throws IllegalArgumentException if claims is negative
         * @throws IllegalStateException if already set
         */
        public Builder purgeEvery(int claims) {
            once(this.purgeEvery, "purgeEvery");
            if (claims < 0) {
                throw new IllegalArgumentException("purgeEvery must be 0 or more but was " + claims);
            }
            this.purgeEvery = claims;
            return this;
        }

        /**
         * The most rows one purge statement deletes; default {@value JdbcDedupeStore#DEFAULT_PURGE_BATCH}.
         *
         * @throws IllegalArgumentException if rows is below 1
         * @throws IllegalStateException if already set
         */
        public Builder purgeBatch(int rows) {
            once(this.purgeBatch, "purgeBatch");
            if (rows < 1) {
                throw new IllegalArgumentException("purgeBatch must be at least 1 but was " + rows);
            }
            this.purgeBatch = rows;
            return this;
        }

        /**
         * The JDBC query timeout of every statement, rounded up to whole seconds; default none (the pool's and the
         * driver's timeouts apply). A statement that times out is a {@link StoreUnavailableException}.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder queryTimeout(Duration timeout) {
            once(this.queryTimeout, "queryTimeout");
            checkPositive(timeout, "queryTimeout");
            this.queryTimeout = timeout;
            return this;
        }

        /**
         * The store. Without a {@link #dialect(Dialect)}, takes one connection to read the database's product name.
         *
         * @throws IllegalStateException if no data source was set, or the database is none of the supported products
         * @throws StoreUnavailableException if the dialect must be detected and the database cannot be reached
         */
        public JdbcDedupeStore build() {
            if (dataSource == null) {
                throw new IllegalStateException("dataSource is required");
            }
            return new JdbcDedupeStore(this, dialect == null ? detect(dataSource) : dialect);
        }

        private static Dialect detect(DataSource dataSource) {
            String product;
            try (Connection c = dataSource.getConnection()) {
                product = c.getMetaData().getDatabaseProductName();
            } catch (SQLException e) {
                throw new StoreUnavailableException(
                        "JDBC dedupe store cannot detect the database's dialect: SQLState " + e.getSQLState()
                                + ", vendor code " + e.getErrorCode() + " ("
                                + e.getClass().getName()
                                + "); set the dialect to build without a connection",
                        e);
            }
            try {
                return Dialect.ofProductName(product);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        private static void once(Object current, String option) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set");
            }
        }
    }
}
