package io.hookwarden.inbox.jdbc;

import java.util.Locale;

/**
 * The SQL dialects {@link JdbcInbox} speaks. Each differs in how a write inserts a row whose key may exist already,
 * how a claim takes rows, how the retention sweep bounds its delete, and the DDL it ships ({@code
 * io/hookwarden/inbox/jdbc/schema-<dialect>.sql}). Immutable and thread-safe.
 */
public enum Dialect {
    /**
     * PostgreSQL 10 or later. A write is {@code INSERT ... ON CONFLICT (endpoint, dedupe_key) DO NOTHING}, so a
     * duplicate is an update count of zero, not an error. A claim is one statement, {@code UPDATE ... WHERE id IN
     * (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING ...}; when it took an ordered delivery it also takes a
     * transaction-scoped advisory lock per ordering key and checks the key again, so two workers never hold two
     * deliveries of one key.
     */
    POSTGRESQL("postgresql", true),
    /**
     * MySQL 8.0.1 or later and MariaDB 10.6 or later (InnoDB). A write is a plain {@code INSERT} whose duplicate-key
     * error (vendor code 1062) is the answer: {@code INSERT ... ON DUPLICATE KEY UPDATE id = id} cannot tell a
     * duplicate from an insert through Connector/J, whose default {@code CLIENT_FOUND_ROWS} flag counts a row matched
     * and left unchanged as 1, like an inserted one. {@code INSERT IGNORE} would also hide a truncation. A claim is one
     * READ COMMITTED transaction: {@code SELECT ... FOR UPDATE SKIP LOCKED}, then an {@code UPDATE} of the rows it
     * locked; when it took an ordered delivery it also locks the live rows of its ordering key ({@code FOR UPDATE},
     * waiting) and checks the key again.
     */
    MYSQL("mysql", true),
    /**
     * H2 2.x, which has {@code FOR UPDATE SKIP LOCKED} (2.3.232 and 2.5.252 skip rows another transaction locked). A
     * write is a plain {@code INSERT} whose unique violation (SQLState 23505) is the answer; a claim is a transaction
     * like MySQL's, ordered keys included.
     */
    H2("h2", true);

    private final String id;
    private final boolean skipLocked;

    Dialect(String id, boolean skipLocked) {
        this.id = id;
        this.skipLocked = skipLocked;
    }

    /**
     * The dialect of a database, from the product name its JDBC driver reports ({@link
     * java.sql.DatabaseMetaData#getDatabaseProductName()}).
     *
     * @throws NullPointerException if productName is null
     * @throws IllegalArgumentException if the product is none of PostgreSQL, MySQL, MariaDB or H2
     */
    public static Dialect ofProductName(String productName) {
        if (productName == null) {
            throw new NullPointerException("productName cannot be null");
        }
        String name = productName.trim().toLowerCase(Locale.ROOT);
        if (name.equals("postgresql")) {
            return POSTGRESQL;
        }
        if (name.equals("mysql") || name.equals("mariadb")) {
            return MYSQL;
        }
        if (name.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException(
                "no dialect for database product '" + productName
                        + "'; supported are PostgreSQL, MySQL, MariaDB and H2 (set the dialect explicitly for a compatible one)");
    }

    /** The class-path resource holding this dialect's DDL for the default table {@code hookwarden_inbox}. */
    public String schemaResource() {
        return "io/hookwarden/inbox/jdbc/schema-" + id + ".sql";
    }

    /** Whether the dialect's databases have {@code FOR UPDATE SKIP LOCKED} in the versions it names. */
    boolean skipLocked() {
        return skipLocked;
    }

    /** Whether a duplicate write is an update count of zero; otherwise it is a duplicate-key error. */
    boolean insertIgnoresDuplicates() {
        return this == POSTGRESQL;
    }

    /** The suffix that makes a plain INSERT skip a duplicate (endpoint, dedupe key), or empty. */
    String onConflict() {
        return this == POSTGRESQL ? " ON CONFLICT (endpoint, dedupe_key) DO NOTHING" : "";
    }

    /** Whether a claim is one {@code UPDATE ... RETURNING} statement. */
    boolean updateReturning() {
        return this == POSTGRESQL;
    }

    /**
     * Deletes at most {@code limit} rows matching {@code condition} (whose parameters come first, then the limit, then,
     * on PostgreSQL, the condition's parameters again: the outer delete checks the row version it sees).
     */
    String deleteBatch(String table, String condition) {
        return switch (this) {
            case POSTGRESQL -> "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " WHERE " + condition
                    + " LIMIT ?) AND " + condition;
            case MYSQL, H2 -> "DELETE FROM " + table + " WHERE " + condition + " LIMIT ?";
        };
    }

    /** Whether {@link #deleteBatch} repeats the condition's parameters after the limit. */
    boolean deleteBatchRepeatsCondition() {
        return this == POSTGRESQL;
    }

    /** Whether the index names in the DDL carry the table's schema (H2), or are plain (PostgreSQL, MySQL). */
    boolean qualifiesIndexNames() {
        return this == H2;
    }

    /** Whether a duplicate-key error of a plain INSERT means the (endpoint, dedupe key) is held. */
    static boolean isDuplicateKey(java.sql.SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == 1062;
    }
}
