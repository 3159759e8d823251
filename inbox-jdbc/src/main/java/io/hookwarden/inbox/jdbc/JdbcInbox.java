package io.hookwarden.inbox.jdbc;

import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.InboxStats;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * An {@link Inbox} in a SQL table shared by every replica and worker that uses the same database: PostgreSQL, MySQL 8
 * / MariaDB 10.6 or H2 2.x, through plain JDBC on a {@link DataSource} (give it a pooled one).
 *
 * <pre>{@code
 * JdbcInbox inbox = JdbcInbox.builder().dataSource(dataSource).build();   // dialect detected
 * inbox.createTableIfMissing();          // or run io/hookwarden/inbox/jdbc/schema-<dialect>.sql in a migration
 * }</pre>
 *
 * <p>One row per delivery, unique per (endpoint, dedupe key): a {@link #write} is one {@code INSERT} in auto-commit
 * whose duplicate is the answer {@link Written#DUPLICATE}, committed before it returns. A {@link #claim} takes due rows
 * with {@code FOR UPDATE SKIP LOCKED} in one statement (PostgreSQL) or one short transaction (MySQL, H2), so workers
 * never wait on each other's rows; where the database has no {@code SKIP LOCKED} (detected at the first claim, or set
 * with {@link Builder#skipLocked(boolean)}) it selects candidates and takes each with a conditional {@code UPDATE ...
 * WHERE id = ? AND <still claimable>} that exactly one worker wins. The ordering rules are part of the claim's SQL: a
 * {@link InboxEntry.Ordering#STRICT} row is claimable only while no other row of its key is in flight under a live
 * lease and none with a lower (sequence, id) is pending, in flight or dead; a {@link InboxEntry.Ordering#LATEST} row the
 * same, except that dead rows do not block. A claim that took an ordered row then locks its key (an advisory lock on
 * PostgreSQL, the key's live rows elsewhere) and checks it again with a fresh snapshot, rolling back and claiming again
 * if another worker's claim of the key committed meanwhile. Settling and heartbeats are {@code UPDATE}s conditioned on
 * the row's id, the lease's owner token, the {@code IN_FLIGHT} state and a lease that still holds: one that ran out
 * changes nothing, even before another worker claims the row again.
 *
 * <p>Times (due dates, leases, {@code updated_at}) are epoch milliseconds from the builder's {@link Clock}; replicas'
 * clocks should agree to well within a lease. The entry's {@code receivedAt} and {@code eventTimestamp} are kept to the
 * millisecond. Headers are stored as a JSON array of {@code [name, value]} pairs, the body as the raw bytes.
 *
 * <p>Every database failure (an {@link SQLException}, a timeout, a pool that cannot hand out a connection) is a {@link
 * StoreUnavailableException} naming the operation, the table and the SQLState, never a credential nor the driver's
 * message. A statement or transaction the database rolled back for a deadlock or a serialization failure (SQLState
 * class 40) is tried again, up to three times. Thread-safe.
 */
public final class JdbcInbox implements Inbox {
    /** The default table name. */
    public static final String DEFAULT_TABLE = "hookwarden_inbox";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");
    private static final int ROLLBACK_ATTEMPTS = 3;
    private static final int CONFLICT_ROUNDS = 3;
    /** A syntax error: PostgreSQL's 42601, MySQL's 42000 (vendor code 1064), H2's 42000 and 42001. */
    private static final Set<String> SYNTAX_ERRORS = Set.of("42601", "42000", "42001");

    private static final String REPLAY_SET =
            " SET state = 'PENDING', attempts = 0, next_attempt_at = ?, updated_at = ?, owner_token = NULL";

    private static final String COLUMNS = "id, endpoint, dedupe_key, scheme_id, method, url, headers, body,"
            + " remote_address, event_id, event_type, event_timestamp, matched_key, ordering_key, ordering_mode,"
            + " sequence_no, received_at, state, attempts, next_attempt_at, owner_token, last_error, updated_at";

    private final DataSource dataSource;
    private final String table;
    private final Dialect dialect;
    private final Clock clock;
    private volatile Boolean skipLocked;

    private final String insertSql;
    private final String claimableSql;
    private final String conflictSql;
    private final String settleSql;
    private final String completeAllSql;
    private final String heartbeatSql;
    private final String getSql;

    private JdbcInbox(Builder b, Dialect dialect) {
        this.dataSource = b.dataSource;
        this.table = b.table == null ? DEFAULT_TABLE : b.table;
        this.dialect = dialect;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
        this.skipLocked = b.skipLocked;
        this.insertSql = "INSERT INTO " + table + " (endpoint, dedupe_key, scheme_id, method, url, headers, body,"
                + " remote_address, event_id, event_type, event_timestamp, matched_key, ordering_key, ordering_mode,"
                + " sequence_no, received_at, state, attempts, next_attempt_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)" + dialect.onConflict();
        // Another row of r's ordering key that keeps r waiting (one parameter: now). STRICT: one in flight under a
        // live lease, or one before it (sequence, then write order) that is pending, in flight or dead. LATEST: the
        // same, but a dead row does not block.
        String blocker =
                "SELECT 1 FROM " + table + " o WHERE o.endpoint = r.endpoint AND o.ordering_key = r.ordering_key"
                        + " AND o.id <> r.id AND ((o.state = 'IN_FLIGHT' AND o.next_attempt_at > ?)"
                        + " OR ((o.state IN ('PENDING', 'IN_FLIGHT') OR (o.state = 'DEAD' AND r.ordering_mode = 'STRICT'))"
                        + " AND (o.sequence_no < r.sequence_no OR (o.sequence_no = r.sequence_no AND o.id < r.id))))";
        // Due and at the head of its key (two parameters: now, now).
        this.claimableSql = "r.state IN ('PENDING', 'IN_FLIGHT') AND r.next_attempt_at <= ?"
                + " AND (r.ordering_mode = 'NONE' OR NOT EXISTS (" + blocker + "))";
        this.conflictSql = "r.ordering_mode <> 'NONE' AND EXISTS (" + blocker + ")";
        this.settleSql = "UPDATE " + table + " SET state = ?, last_error = ?, owner_token = NULL, updated_at = ?,"
                + " next_attempt_at = ? WHERE id = ? AND owner_token = ? AND state = 'IN_FLIGHT' AND next_attempt_at > ?";
        // PostgreSQL's completeAll: settleSql's conditions per (id, token), the lease's end kept as the due date.
        this.completeAllSql = "UPDATE " + table + " t SET state = 'COMPLETED', owner_token = NULL, updated_at = ?,"
                + " next_attempt_at = v.until_at FROM unnest(?::bigint[], ?::text[], ?::bigint[]) AS v(id, token, until_at)"
                + " WHERE t.id = v.id AND t.owner_token = v.token AND t.state = 'IN_FLIGHT' AND t.next_attempt_at > ?"
                + " RETURNING t.id";
        this.heartbeatSql =
                "UPDATE " + table + " SET next_attempt_at = ? WHERE id = ? AND owner_token = ? AND state = 'IN_FLIGHT'"
                        + " AND next_attempt_at > ?";
        this.getSql = "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?";
    }

    /** A builder; the data source is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code INSERT} in auto-commit, due at once; a duplicate is an update count of zero (PostgreSQL's {@code ON
     * CONFLICT DO NOTHING}) or the database's duplicate-key error (MySQL, H2), never a second round trip.
     *
     * @throws NullPointerException if entry is null
     */
    @Override
    public Written write(InboxEntry entry) {
        Objects.requireNonNull(entry, "entry cannot be null");
        long now = clock.millis();
        String headers = HeadersCodec.encode(entry.headers());
        return run("write a delivery", c -> {
            try (PreparedStatement insert = c.prepareStatement(insertSql)) {
                int i = 0;
                insert.setString(++i, entry.endpoint());
                insert.setString(++i, entry.dedupeKey());
                insert.setString(++i, entry.schemeId());
                insert.setString(++i, entry.method());
                setNullable(insert, ++i, entry.url());
                insert.setString(++i, headers);
                insert.setBytes(++i, entry.body());
                setNullable(insert, ++i, entry.remoteAddress());
                setNullable(insert, ++i, entry.eventId());
                setNullable(insert, ++i, entry.eventType());
                if (entry.eventTimestamp() == null) {
                    insert.setNull(++i, Types.BIGINT);
                } else {
                    insert.setLong(++i, millis(entry.eventTimestamp()));
                }
                insert.setString(++i, entry.matchedKey());
                setNullable(insert, ++i, entry.orderingKey());
                insert.setString(++i, entry.ordering().name());
                insert.setLong(++i, entry.sequence());
                insert.setLong(++i, millis(entry.receivedAt()));
                insert.setLong(++i, now);
                insert.setLong(++i, now);
                try {
                    return insert.executeUpdate() == 1 ? Written.ADDED : Written.DUPLICATE;
                } catch (SQLException e) {
                    if (!dialect.insertIgnoresDuplicates() && Dialect.isDuplicateKey(e)) {
                        return Written.DUPLICATE;
                    }
                    throw e;
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Oldest first means by {@code received_at}, then write order. One claim returns at most one delivery per
     * ordering key. All deliveries of one claim share one owner token.
     *
     * @throws NullPointerException if endpoints, one of them, or lease is null
     * @throws IllegalArgumentException if endpoints is empty, or max or lease is not positive
     */
    @Override
    public List<InboxLease> claim(Collection<String> endpoints, int max, Duration lease) {
        Objects.requireNonNull(endpoints, "endpoints cannot be null");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints cannot be empty");
        }
        List<String> names = new ArrayList<>(new LinkedHashSet<>(endpoints));
        for (String name : names) {
            Objects.requireNonNull(name, "endpoint cannot be null");
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive but was " + max);
        }
        checkPositive(lease, "lease");
        long now = clock.millis();
        long until = plus(now, lease);
        String token = UUID.randomUUID().toString();
        if (!skipLocked()) {
            return claimByConditionalUpdates(names, max, now, until, token);
        }
        for (int round = 0; round < CONFLICT_ROUNDS; round++) {
            List<InboxLease> taken = transact(
                    "claim deliveries",
                    c -> dialect.updateReturning()
                            ? claimReturning(c, names, max, now, until, token)
                            : claimLocking(c, names, max, now, until, token));
            if (taken != null) {
                return taken;
            }
        }
        return List.of();
    }

    /** PostgreSQL: one statement; null when an ordering key turned out to be held by another worker (rolled back). */
    private List<InboxLease> claimReturning(
            Connection c, List<String> endpoints, int max, long now, long until, String token) throws SQLException {
        String sql = "UPDATE " + table + " SET state = 'IN_FLIGHT', attempts = attempts + 1, owner_token = ?,"
                + " next_attempt_at = ?, updated_at = ? WHERE id IN (SELECT r.id FROM " + table
                + " r WHERE r.endpoint IN ("
                + placeholders(endpoints.size()) + ") AND " + claimableSql
                + " ORDER BY r.received_at, r.id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS;
        List<InboxLease> taken = new ArrayList<>();
        try (PreparedStatement claim = c.prepareStatement(sql)) {
            int i = 0;
            claim.setString(++i, token);
            claim.setLong(++i, until);
            claim.setLong(++i, now);
            for (String endpoint : endpoints) {
                claim.setString(++i, endpoint);
            }
            claim.setLong(++i, now);
            claim.setLong(++i, now);
            claim.setInt(++i, max);
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    taken.add(lease(rows));
                }
            }
        }
        return settledOrdering(c, taken);
    }

    /** MySQL and H2: lock candidates skipping locked rows, update them, read them back, in one transaction. */
    private List<InboxLease> claimLocking(
            Connection c, List<String> endpoints, int max, long now, long until, String token) throws SQLException {
        int isolation = c.getTransactionIsolation();
        boolean readCommitted = dialect == Dialect.MYSQL && isolation != Connection.TRANSACTION_READ_COMMITTED;
        if (readCommitted) {
            // Each statement sees what others committed (InnoDB's default REPEATABLE READ would keep the first
            // snapshot) and no gap locks are taken.
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        try {
            List<Long> ids = new ArrayList<>();
            String select = "SELECT r.id FROM " + table + " r WHERE r.endpoint IN (" + placeholders(endpoints.size())
                    + ") AND " + claimableSql + " ORDER BY r.received_at, r.id LIMIT ? FOR UPDATE SKIP LOCKED";
            try (PreparedStatement candidates = c.prepareStatement(select)) {
                int i = 0;
                for (String endpoint : endpoints) {
                    candidates.setString(++i, endpoint);
                }
                candidates.setLong(++i, now);
                candidates.setLong(++i, now);
                candidates.setInt(++i, max);
                try (ResultSet rows = candidates.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                    }
                }
            }
            if (ids.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE " + table
                    + " SET state = 'IN_FLIGHT', attempts = attempts + 1, owner_token = ?, next_attempt_at = ?,"
                    + " updated_at = ? WHERE id IN (" + placeholders(ids.size()) + ")")) {
                int i = 0;
                update.setString(++i, token);
                update.setLong(++i, until);
                update.setLong(++i, now);
                for (long id : ids) {
                    update.setLong(++i, id);
                }
                update.executeUpdate();
            }
            return settledOrdering(c, read(c, ids));
        } finally {
            if (readCommitted) {
                c.setTransactionIsolation(isolation);
            }
        }
    }

    /**
     * The leases taken, unless one of an ordering key conflicts with another worker's claim that committed meanwhile
     * (then rolls back and returns null). It first takes a lock per ordering key, in a fixed order, so that of two
     * workers racing for one key the second sees the first's claim: on PostgreSQL a transaction-scoped advisory lock,
     * elsewhere the row locks of the key's live rows.
     */
    private List<InboxLease> settledOrdering(Connection c, List<InboxLease> taken) throws SQLException {
        taken.sort(Comparator.comparing((InboxLease l) -> l.delivery().entry().receivedAt())
                .thenComparingLong(l -> Long.parseLong(l.id())));
        List<InboxLease> ordered = taken.stream()
                .filter(l -> l.delivery().entry().ordering() != InboxEntry.Ordering.NONE)
                .collect(Collectors.toList());
        if (ordered.isEmpty()) {
            return taken;
        }
        if (dialect == Dialect.POSTGRESQL) {
            TreeSet<Long> keys = new TreeSet<>();
            for (InboxLease l : ordered) {
                keys.add(lockKey(
                        l.delivery().entry().endpoint(), l.delivery().entry().orderingKey()));
            }
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                for (long key : keys) {
                    lock.setLong(1, key);
                    lock.executeQuery().close();
                }
            }
        } else {
            // No advisory locks: lock the key's live rows instead (waiting, not skipping), so a worker that claimed
            // another row of the key and has not committed is waited for; two such workers deadlock, and the
            // database rolls one back (SQLState 40001), which is tried again.
            Set<List<String>> keys = new TreeSet<>(
                    Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
            for (InboxLease l : ordered) {
                keys.add(List.of(
                        l.delivery().entry().endpoint(), l.delivery().entry().orderingKey()));
            }
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM " + table
                    + " WHERE endpoint = ? AND ordering_key = ? AND state IN ('PENDING', 'IN_FLIGHT', 'DEAD')"
                    + " ORDER BY id FOR UPDATE")) {
                for (List<String> key : keys) {
                    lock.setString(1, key.get(0));
                    lock.setString(2, key.get(1));
                    lock.executeQuery().close();
                }
            }
        }
        long now = clock.millis();
        String sql = "SELECT r.id FROM " + table + " r WHERE r.id IN (" + placeholders(ordered.size()) + ") AND "
                + conflictSql;
        try (PreparedStatement check = c.prepareStatement(sql)) {
            int i = 0;
            for (InboxLease l : ordered) {
                check.setLong(++i, Long.parseLong(l.id()));
            }
            check.setLong(++i, now);
            try (ResultSet rows = check.executeQuery()) {
                if (rows.next()) {
                    c.rollback();
                    return null;
                }
            }
        }
        return taken;
    }

    /** Without SKIP LOCKED: candidates, then one conditional update each in auto-commit; the winner of each is one. */
    private List<InboxLease> claimByConditionalUpdates(
            List<String> endpoints, int max, long now, long until, String token) {
        return run("claim deliveries", c -> {
            List<Long> candidates = new ArrayList<>();
            String select = "SELECT r.id FROM " + table + " r WHERE r.endpoint IN (" + placeholders(endpoints.size())
                    + ") AND " + claimableSql + " ORDER BY r.received_at, r.id LIMIT ?";
            try (PreparedStatement s = c.prepareStatement(select)) {
                int i = 0;
                for (String endpoint : endpoints) {
                    s.setString(++i, endpoint);
                }
                s.setLong(++i, now);
                s.setLong(++i, now);
                s.setInt(++i, (int) Math.min(Integer.MAX_VALUE, 2L * max));
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        candidates.add(rows.getLong(1));
                    }
                }
            }
            List<Long> won = new ArrayList<>();
            String take = "UPDATE " + table + " r SET state = 'IN_FLIGHT', attempts = attempts + 1, owner_token = ?,"
                    + " next_attempt_at = ?, updated_at = ? WHERE r.id = ? AND " + claimableSql;
            try (PreparedStatement u = c.prepareStatement(take)) {
                for (long id : candidates) {
                    if (won.size() == max) {
                        break;
                    }
                    int i = 0;
                    u.setString(++i, token);
                    u.setLong(++i, until);
                    u.setLong(++i, now);
                    u.setLong(++i, id);
                    u.setLong(++i, now);
                    u.setLong(++i, now);
                    if (u.executeUpdate() == 1) {
                        won.add(id);
                    }
                }
            }
            List<InboxLease> taken = read(c, won);
            taken.sort(
                    Comparator.comparing((InboxLease l) -> l.delivery().entry().receivedAt())
                            .thenComparingLong(l -> Long.parseLong(l.id())));
            return taken;
        });
    }

    /** Whether claims use SKIP LOCKED (detected at the first call unless set); for tests. */
    boolean usesSkipLocked() {
        return skipLocked();
    }

    private boolean skipLocked() {
        Boolean known = skipLocked;
        if (known != null) {
            return known;
        }
        boolean probed = dialect.skipLocked() && probeSkipLocked();
        skipLocked = probed;
        return probed;
    }

    /** Whether the database parses {@code FOR UPDATE SKIP LOCKED} (MySQL before 8.0.1 and MariaDB before 10.6 do not). */
    private boolean probeSkipLocked() {
        return run("detect SKIP LOCKED to claim deliveries", c -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT id FROM " + table + " WHERE 1 = 0 FOR UPDATE SKIP LOCKED")
                        .close();
                return true;
            } catch (SQLException e) {
                if (SYNTAX_ERRORS.contains(e.getSQLState())) {
                    return false;
                }
                throw e;
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if lease or extension is null
     * @throws IllegalArgumentException if extension is not positive
     */
    @Override
    public Optional<InboxLease> heartbeat(InboxLease lease, Duration extension) {
        Objects.requireNonNull(lease, "lease cannot be null");
        checkPositive(extension, "extension");
        long now = clock.millis();
        long until = plus(now, extension);
        long id = idOf(lease);
        boolean extended = run("extend a lease", c -> {
            try (PreparedStatement u = c.prepareStatement(heartbeatSql)) {
                u.setLong(1, until);
                u.setLong(2, id);
                u.setString(3, lease.token());
                u.setLong(4, now); // the lease still holds
                return u.executeUpdate() == 1;
            }
        });
        if (!extended) {
            return Optional.empty();
        }
        StoredDelivery d = lease.delivery();
        Instant end = Instant.ofEpochMilli(until);
        return Optional.of(new InboxLease(
                new StoredDelivery(d.id(), d.entry(), State.IN_FLIGHT, d.attempts(), end, d.lastError(), d.updatedAt()),
                lease.token(),
                end));
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if lease is null
     */
    @Override
    public boolean complete(InboxLease lease) {
        return settle(
                "complete a delivery",
                lease,
                State.COMPLETED,
                lease == null ? null : lease.delivery().lastError(),
                null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL, one statement for all of them: an {@code UPDATE ... FROM unnest(ids, tokens, ends)} with
     * {@link #complete}'s conditions per row, {@code RETURNING} the ids it recorded. Elsewhere, one JDBC batch of
     * {@link #complete}'s conditioned {@code UPDATE}, in one transaction, so all or none of the leases are recorded;
     * a driver that does not say which rows each statement changed ({@link Statement#SUCCESS_NO_INFO}) has the batch
     * rolled back and the leases completed one by one instead.
     *
     * @throws NullPointerException if leases or one of them is null
     */
    @Override
    public List<Boolean> completeAll(List<InboxLease> leases) {
        Objects.requireNonNull(leases, "leases cannot be null");
        for (InboxLease lease : leases) {
            Objects.requireNonNull(lease, "lease cannot be null");
        }
        if (leases.size() < 2) {
            return leases.isEmpty() ? List.of() : List.of(complete(leases.get(0)));
        }
        long now = clock.millis();
        if (dialect.updateReturning()) {
            return run("complete deliveries", c -> completeReturning(c, leases, now));
        }
        List<Boolean> recorded = transact("complete deliveries", c -> {
            try (PreparedStatement u = c.prepareStatement(settleSql)) {
                for (InboxLease lease : leases) {
                    bindSettle(
                            u,
                            lease,
                            idOf(lease),
                            State.COMPLETED,
                            lease.delivery().lastError(),
                            null,
                            now);
                    u.addBatch();
                }
                int[] counts = u.executeBatch();
                List<Boolean> each = new ArrayList<>(counts.length);
                for (int count : counts) {
                    if (count == Statement.SUCCESS_NO_INFO) {
                        c.rollback();
                        return null;
                    }
                    each.add(count == 1);
                }
                if (each.size() != leases.size()) {
                    throw new SQLException(
                            "the batch answered " + counts.length + " counts for " + leases.size() + " statements");
                }
                return each;
            }
        });
        if (recorded != null) {
            return recorded;
        }
        List<Boolean> oneByOne = new ArrayList<>(leases.size());
        for (InboxLease lease : leases) {
            oneByOne.add(complete(lease));
        }
        return oneByOne;
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if lease or notBefore is null
     */
    @Override
    public boolean retry(InboxLease lease, Instant notBefore, String error) {
        Objects.requireNonNull(notBefore, "notBefore cannot be null");
        return settle("retry a delivery", lease, State.PENDING, StoredDelivery.truncate(error), millis(notBefore));
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if lease is null
     */
    @Override
    public boolean bury(InboxLease lease, String error) {
        return settle("bury a delivery", lease, State.DEAD, StoredDelivery.truncate(error), null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code why} is kept as the delivery's last error.
     *
     * @throws NullPointerException if lease is null
     */
    @Override
    public boolean skip(InboxLease lease, String why) {
        return settle("skip a delivery", lease, State.SKIPPED, StoredDelivery.truncate(why), null);
    }

    private boolean settle(String operation, InboxLease lease, State state, String error, Long nextAttemptAt) {
        Objects.requireNonNull(lease, "lease cannot be null");
        long now = clock.millis();
        long id = idOf(lease);
        return run(operation, c -> settle(c, lease, id, state, error, nextAttemptAt, now));
    }

    private boolean settle(
            Connection c, InboxLease lease, long id, State state, String error, Long nextAttemptAt, long now)
            throws SQLException {
        try (PreparedStatement u = c.prepareStatement(settleSql)) {
            bindSettle(u, lease, id, state, error, nextAttemptAt, now);
            return u.executeUpdate() == 1;
        }
    }

    /** PostgreSQL: every lease in one conditioned {@code UPDATE}; a lease is recorded when its id came back. */
    private List<Boolean> completeReturning(Connection c, List<InboxLease> leases, long now) throws SQLException {
        Long[] ids = new Long[leases.size()];
        String[] tokens = new String[leases.size()];
        Long[] ends = new Long[leases.size()];
        for (int i = 0; i < ids.length; i++) {
            InboxLease lease = leases.get(i);
            ids[i] = idOf(lease);
            tokens[i] = lease.token();
            ends[i] = millis(lease.until());
        }
        Set<Long> recorded = new HashSet<>();
        try (PreparedStatement u = c.prepareStatement(completeAllSql)) {
            u.setLong(1, now);
            u.setArray(2, c.createArrayOf("bigint", ids));
            u.setArray(3, c.createArrayOf("text", tokens));
            u.setArray(4, c.createArrayOf("bigint", ends));
            u.setLong(5, now); // each lease still holds
            try (ResultSet rows = u.executeQuery()) {
                while (rows.next()) {
                    recorded.add(rows.getLong(1));
                }
            }
        }
        List<Boolean> each = new ArrayList<>(ids.length);
        for (Long id : ids) {
            each.add(recorded.remove(id)); // a lease given twice is recorded once
        }
        return each;
    }

    private static void bindSettle(
            PreparedStatement u, InboxLease lease, long id, State state, String error, Long nextAttemptAt, long now)
            throws SQLException {
        u.setString(1, state.name());
        setNullable(u, 2, error);
        u.setLong(3, now);
        // The lease's end stays as the row's due date unless retried: no worker claims a settled row.
        u.setLong(4, nextAttemptAt == null ? millis(lease.until()) : nextAttemptAt);
        u.setLong(5, id);
        u.setString(6, lease.token());
        u.setLong(7, now); // the lease still holds
    }

    /**
     * {@inheritDoc}
     *
     * <p>The work runs on a connection of the inbox's {@link DataSource} with auto-commit off, which a {@link
     * #transactional} handler receives; then the completion is an {@code UPDATE} on that connection, conditioned as
     * {@link #complete}'s, and the transaction commits (or rolls back when the lease no longer holds). A serialization
     * failure at commit is not tried again here: nothing was kept, and the delivery runs again after its lease.
     *
     * @throws NullPointerException if lease or work is null
     */
    @Override
    public boolean completeWith(InboxLease lease, Inbox.Work work) throws Exception {
        Objects.requireNonNull(lease, "lease cannot be null");
        Objects.requireNonNull(work, "work cannot be null");
        long id = idOf(lease);
        String operation = "complete a delivery with its handler's transaction";
        Connection c;
        try {
            c = dataSource.getConnection();
            try {
                c.setAutoCommit(false);
            } catch (SQLException e) {
                closeQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(operation, e);
        }
        try {
            Bound previous = BOUND.get();
            BOUND.set(new Bound(this, c));
            try {
                work.run();
            } finally {
                if (previous == null) {
                    BOUND.remove();
                } else {
                    BOUND.set(previous);
                }
            }
        } catch (Throwable t) { // the handler's: its writes go, and it goes up as thrown
            rollbackQuietly(c, t);
            release(c, t);
            throw t;
        }
        try {
            boolean settled =
                    settle(c, lease, id, State.COMPLETED, lease.delivery().lastError(), null, clock.millis());
            if (settled) {
                c.commit();
            } else {
                c.rollback();
            }
            release(c, null);
            return settled;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            release(c, e);
            throw e instanceof SQLException sql
                    ? unavailable(operation, sql)
                    : new StoreUnavailableException(
                            "JDBC inbox failed to " + operation + " in table " + table + ": "
                                    + e.getClass().getName(),
                            e);
        }
    }

    /** Back to auto-commit and to the pool; a failure of either is kept beside {@code cause}, or dropped. */
    private static void release(Connection c, Throwable cause) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
        closeQuietly(c, cause);
    }

    private static void closeQuietly(Connection c, Throwable cause) {
        try {
            c.close();
        } catch (SQLException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }

    /**
     * A handler that runs inside the transaction in which an {@link io.hookwarden.InboxWorker} over this inbox
     * completes the delivery: what it writes through the connection it is given commits with the completion, or not at
     * all.
     *
     * <pre>{@code
     * InboxWorker.builder()
     *         .endpoint(receiver, inbox.transactional((webhook, connection) -> {
     *             try (PreparedStatement s = connection.prepareStatement("INSERT INTO payments (event_id) VALUES (?)")) {
     *                 s.setString(1, webhook.id());
     *                 s.executeUpdate();
     *             }
     *         }))
     *         .build().start();
     * }</pre>
     *
     * <p>The connection is the inbox's, in a transaction the worker commits: {@code commit}, {@code rollback()}, {@code
     * setAutoCommit} and {@code abort} throw {@link SQLException}, and {@code close} does nothing. Run only by a worker
     * over this inbox: called anywhere else (in the request, by an endpoint without an inbox) it throws {@link
     * IllegalStateException}.
     *
     * @throws NullPointerException if handler is null
     */
    public io.hookwarden.TransactionalHandler transactional(JdbcHandler handler) {
        Objects.requireNonNull(handler, "handler cannot be null");
        return new io.hookwarden.TransactionalHandler() {
            @Override
            public Inbox inbox() {
                return JdbcInbox.this;
            }

            @Override
            public void handle(io.hookwarden.VerifiedWebhook webhook) throws Exception {
                Bound bound = BOUND.get();
                if (bound == null || bound.inbox() != JdbcInbox.this) {
                    throw new IllegalStateException("a transactional handler runs only in an InboxWorker over its"
                            + " JdbcInbox (table " + table + "), inside the transaction that completes the delivery");
                }
                handler.handle(webhook, ManagedConnection.of(bound.connection()));
            }

            @Override
            public String toString() {
                return "transactional handler on JdbcInbox " + table + ": " + handler;
            }
        };
    }

    /** The application's code for one delivery, given the connection whose transaction completes it. */
    @FunctionalInterface
    public interface JdbcHandler {
        /**
         * Processes the delivery, writing through {@code connection}; throwing rolls back those writes.
         *
         * @param webhook the verified delivery
         * @param connection the inbox's connection, in the transaction that completes the delivery
         */
        void handle(io.hookwarden.VerifiedWebhook webhook, Connection connection) throws Exception;
    }

    /** The connection of the transaction a worker's thread is in, for {@link #transactional} handlers. */
    private record Bound(JdbcInbox inbox, Connection connection) {}

    private static final ThreadLocal<Bound> BOUND = new ThreadLocal<>();

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if endpoint or orderingKey is null
     */
    @Override
    public OptionalLong completedSequence(String endpoint, String orderingKey) {
        Objects.requireNonNull(endpoint, "endpoint cannot be null");
        Objects.requireNonNull(orderingKey, "orderingKey cannot be null");
        return run("read the completed sequence", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT MAX(sequence_no) FROM " + table
                    + " WHERE endpoint = ? AND ordering_key = ? AND state = 'COMPLETED'")) {
                s.setString(1, endpoint);
                s.setString(2, orderingKey);
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                    long max = rows.getLong(1);
                    return rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(max);
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>An id that is not one of this inbox's row ids (not a number) is no delivery.
     *
     * @throws NullPointerException if id is null
     */
    @Override
    public Optional<StoredDelivery> get(String id) {
        Objects.requireNonNull(id, "id cannot be null");
        OptionalLong rowId = parseId(id);
        if (rowId.isEmpty()) {
            return Optional.empty();
        }
        return run("read a delivery", c -> {
            try (PreparedStatement s = c.prepareStatement(getSql)) {
                s.setLong(1, rowId.getAsLong());
                try (ResultSet rows = s.executeQuery()) {
                    return rows.next() ? Optional.of(delivery(rows)) : Optional.empty();
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if query is null
     */
    @Override
    public List<StoredDelivery> find(InboxQuery query) {
        Condition where = condition(query);
        return run("find deliveries", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + " WHERE " + where.sql
                    + " ORDER BY received_at DESC, id DESC LIMIT ?")) {
                int i = where.bind(s, 0);
                s.setInt(++i, query.limit());
                List<StoredDelivery> found = new ArrayList<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        found.add(delivery(rows));
                    }
                }
                return found;
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if query is null
     */
    @Override
    public int replay(InboxQuery query) {
        Condition where = condition(query);
        Set<State> replayable =
                query.states().isEmpty() ? EnumSet.of(State.DEAD, State.SKIPPED) : EnumSet.copyOf(query.states());
        replayable.retainAll(EnumSet.of(State.DEAD, State.SKIPPED, State.COMPLETED));
        if (replayable.isEmpty()) {
            return 0;
        }
        long now = clock.millis();
        return run("replay deliveries", c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE " + table + REPLAY_SET + " WHERE " + where.sql
                    + " AND state IN (" + literals(replayable) + ")")) {
                u.setLong(1, now);
                u.setLong(2, now);
                where.bind(u, 2);
                return u.executeUpdate();
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if id is null
     */
    @Override
    public boolean replay(String id) {
        Objects.requireNonNull(id, "id cannot be null");
        OptionalLong rowId = parseId(id);
        if (rowId.isEmpty()) {
            return false;
        }
        long now = clock.millis();
        return run("replay a delivery", c -> {
            try (PreparedStatement u = c.prepareStatement(
                    "UPDATE " + table + REPLAY_SET + " WHERE id = ? AND state IN ('DEAD', 'SKIPPED', 'COMPLETED')")) {
                u.setLong(1, now);
                u.setLong(2, now);
                u.setLong(3, rowId.getAsLong());
                return u.executeUpdate() == 1;
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if query is null
     */
    @Override
    public int purge(InboxQuery query) {
        Condition where = condition(query);
        return run("purge deliveries", c -> {
            try (PreparedStatement d =
                    c.prepareStatement("DELETE FROM " + table + " WHERE " + where.sql + " AND state <> 'IN_FLIGHT'")) {
                where.bind(d, 0);
                return d.executeUpdate();
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if before is null
     * @throws IllegalArgumentException if batch is not positive
     */
    @Override
    public int purgeSettled(Instant before, int batch) {
        Objects.requireNonNull(before, "before cannot be null");
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive but was " + batch);
        }
        long cutoff = millis(before);
        String sql = dialect.deleteBatch(table, "state IN ('COMPLETED', 'SKIPPED') AND updated_at < ?");
        return run("purge settled deliveries", c -> {
            try (PreparedStatement d = c.prepareStatement(sql)) {
                d.setLong(1, cutoff);
                d.setInt(2, batch);
                if (dialect.deleteBatchRepeatsCondition()) {
                    d.setLong(3, cutoff);
                }
                return d.executeUpdate();
            }
        });
    }

    /** {@inheritDoc} */
    @Override
    public InboxStats stats(String endpoint) {
        return run("count deliveries", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT state, COUNT(*), MIN(received_at) FROM " + table
                    + (endpoint == null ? "" : " WHERE endpoint = ?") + " GROUP BY state")) {
                if (endpoint != null) {
                    s.setString(1, endpoint);
                }
                Map<State, Long> counts = new EnumMap<>(State.class);
                Instant oldestPending = null;
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        State state = State.valueOf(rows.getString(1));
                        counts.put(state, rows.getLong(2));
                        if (state == State.PENDING) {
                            oldestPending = Instant.ofEpochMilli(rows.getLong(3));
                        }
                    }
                }
                return new InboxStats(counts, oldestPending);
            }
        });
    }

    /**
     * Creates the table and its indexes unless they exist, with this dialect's DDL ({@link #ddl()}). Needs the rights
     * to create tables; otherwise run the DDL in a migration.
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
     * The DDL for this inbox's table and dialect: the resource {@link Dialect#schemaResource()} with this inbox's table
     * name. For migration tools (Flyway, Liquibase).
     *
     * @throws IllegalStateException if the resource cannot be read
     */
    public String ddl() {
        String resource = dialect.schemaResource();
        String text;
        try (InputStream in = JdbcInbox.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + resource, e);
        }
        String simple = table.substring(table.indexOf('.') + 1);
        // PostgreSQL and MySQL put an index in its table's schema and refuse a qualified name; H2 wants it qualified.
        // A constraint's name is plain everywhere.
        String index = dialect.qualifiesIndexNames() ? table : simple;
        return text.replace(DEFAULT_TABLE + "_dedupe", "\u0001")
                .replace(DEFAULT_TABLE + "_", "\u0000")
                .replace(DEFAULT_TABLE, table)
                .replace("\u0000", index + "_")
                .replace("\u0001", simple + "_dedupe");
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

    private List<InboxLease> read(Connection c, List<Long> ids) throws SQLException {
        List<InboxLease> leases = new ArrayList<>();
        if (ids.isEmpty()) {
            return leases;
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM " + table + " WHERE id IN (" + placeholders(ids.size()) + ")")) {
            int i = 0;
            for (long id : ids) {
                s.setLong(++i, id);
            }
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    leases.add(lease(rows));
                }
            }
        }
        return leases;
    }

    private static InboxLease lease(ResultSet row) throws SQLException {
        StoredDelivery d = delivery(row);
        return new InboxLease(d, row.getString("owner_token"), d.nextAttemptAt());
    }

    private static StoredDelivery delivery(ResultSet row) throws SQLException {
        long eventTimestamp = row.getLong("event_timestamp");
        Instant eventAt = row.wasNull() ? null : Instant.ofEpochMilli(eventTimestamp);
        InboxEntry entry = new InboxEntry(
                row.getString("endpoint"),
                row.getString("dedupe_key"),
                row.getString("scheme_id"),
                row.getString("method"),
                row.getString("url"),
                HeadersCodec.decode(row.getString("headers")),
                row.getBytes("body"),
                row.getString("remote_address"),
                row.getString("event_id"),
                row.getString("event_type"),
                eventAt,
                row.getString("matched_key"),
                row.getString("ordering_key"),
                InboxEntry.Ordering.valueOf(row.getString("ordering_mode")),
                row.getLong("sequence_no"),
                Instant.ofEpochMilli(row.getLong("received_at")));
        return new StoredDelivery(
                Long.toString(row.getLong("id")),
                entry,
                State.valueOf(row.getString("state")),
                row.getInt("attempts"),
                Instant.ofEpochMilli(row.getLong("next_attempt_at")),
                row.getString("last_error"),
                Instant.ofEpochMilli(row.getLong("updated_at")));
    }

    /** A WHERE condition and its parameters, from an {@link InboxQuery} (the limit aside). */
    private static final class Condition {
        final String sql;
        final List<Object> params;

        Condition(String sql, List<Object> params) {
            this.sql = sql;
            this.params = params;
        }

        /** Binds the parameters after position {@code from}; returns the last position bound. */
        int bind(PreparedStatement s, int from) throws SQLException {
            int i = from;
            for (Object p : params) {
                if (p instanceof Long l) {
                    s.setLong(++i, l);
                } else {
                    s.setString(++i, (String) p);
                }
            }
            return i;
        }
    }

    private static Condition condition(InboxQuery query) {
        Objects.requireNonNull(query, "query cannot be null");
        StringBuilder sql = new StringBuilder("1 = 1");
        List<Object> params = new ArrayList<>();
        query.endpoint().ifPresent(e -> {
            sql.append(" AND endpoint = ?");
            params.add(e);
        });
        query.eventType().ifPresent(t -> {
            sql.append(" AND event_type = ?");
            params.add(t);
        });
        if (!query.states().isEmpty()) {
            sql.append(" AND state IN (").append(literals(query.states())).append(')');
        }
        query.receivedFrom().ifPresent(from -> {
            sql.append(" AND received_at >= ?");
            params.add(millis(from));
        });
        query.receivedBefore().ifPresent(before -> {
            sql.append(" AND received_at < ?");
            params.add(millis(before));
        });
        return new Condition(sql.toString(), params);
    }

    /** The states as quoted SQL literals: enum names, so nothing from a caller reaches the SQL text. */
    private static String literals(Collection<State> states) {
        return states.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    /** The lock of an ordering key on PostgreSQL: the first 8 bytes of SHA-256 over endpoint, NUL, key. */
    static long lockKey(String endpoint, String orderingKey) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        byte[] hash = sha.digest((endpoint + "\u0000" + orderingKey).getBytes(StandardCharsets.UTF_8));
        long key = 0;
        for (int i = 0; i < 8; i++) {
            key = (key << 8) | (hash[i] & 0xff);
        }
        return key;
    }

    private static long idOf(InboxLease lease) {
        return parseId(lease.id()).orElse(-1);
    }

    private static OptionalLong parseId(String id) {
        try {
            return OptionalLong.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(String operation, Work<T> work) {
        return execute(operation, false, work);
    }

    private <T> T transact(String operation, Work<T> work) {
        return execute(operation, true, work);
    }

    private <T> T execute(String operation, boolean transaction, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                if (c.getAutoCommit() == transaction) {
                    c.setAutoCommit(!transaction);
                }
                if (!transaction) {
                    return work.run(c);
                }
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (attempt < ROLLBACK_ATTEMPTS && isRolledBack(e)) {
                    continue;
                }
                throw unavailable(operation, e);
            } catch (RuntimeException e) {
                throw new StoreUnavailableException(
                        "JDBC inbox failed to " + operation + " in table " + table + ": "
                                + e.getClass().getName(),
                        e);
            }
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The message names the operation and what the driver classified, never the driver's text (it may hold a URL). */
    private StoreUnavailableException unavailable(String operation, SQLException e) {
        return new StoreUnavailableException(
                "JDBC inbox failed to " + operation + " in table " + table + ": SQLState " + e.getSQLState()
                        + ", vendor code " + e.getErrorCode() + " ("
                        + e.getClass().getName() + ")",
                e);
    }

    private static boolean isRolledBack(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("40");
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

    private static long millis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "JdbcInbox[table=" + table + ", dialect=" + dialect + "]";
    }

    /** Configures a {@link JdbcInbox}. Each option may be set once. Not thread-safe. */
    public static final class Builder {
        private DataSource dataSource;
        private String table;
        private Dialect dialect;
        private Clock clock;
        private Boolean skipLocked;

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
         * The table's name, optionally qualified by a schema ({@code webhooks.hookwarden_inbox}); default {@value
         * JdbcInbox#DEFAULT_TABLE}. Each part is a plain SQL identifier: a letter or underscore, then letters, digits
         * or underscores, at most 48 characters (so the index names fit every dialect).
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
         * The SQL dialect; default detected from the database's product name when the inbox is built, which takes one
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
         * The clock that stamps due dates, leases and changes as epoch milliseconds; default the system UTC clock.
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
         * Whether claims use {@code FOR UPDATE SKIP LOCKED}; default detected at the first claim (a statement the
         * database either parses or refuses). With false, a claim selects candidates and takes each with a conditional
         * update; correct, but workers then race for the same rows instead of passing each other's.
         *
         * @throws IllegalStateException if already set
         */
        public Builder skipLocked(boolean skipLocked) {
            once(this.skipLocked, "skipLocked");
            this.skipLocked = skipLocked;
            return this;
        }

        /**
         * The inbox. Without a {@link #dialect(Dialect)}, takes one connection to read the database's product name.
         *
         * @throws IllegalStateException if no data source was set, or the database is none of the supported products
         * @throws StoreUnavailableException if the dialect must be detected and the database cannot be reached
         */
        public JdbcInbox build() {
            if (dataSource == null) {
                throw new IllegalStateException("dataSource is required");
            }
            return new JdbcInbox(this, dialect == null ? detect(dataSource) : dialect);
        }

        private static Dialect detect(DataSource dataSource) {
            String product;
            try (Connection c = dataSource.getConnection()) {
                product = c.getMetaData().getDatabaseProductName();
            } catch (SQLException e) {
                throw new StoreUnavailableException(
                        "JDBC inbox cannot detect the database's dialect: SQLState " + e.getSQLState()
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
