package io.hookwarden.jdbc;

import java.util.Locale;

/**
 * The SQL dialects {@link JdbcDedupeStore} speaks. Each differs only in how a claim inserts a key that may exist
 * already, how a purge bounds its delete, and the DDL it ships ({@code io/hookwarden/jdbc/schema-<dialect>.sql}).
 * Immutable and thread-safe.
 */
public enum Dialect {
    /**
     * PostgreSQL 9.5 or later: {@code INSERT ... ON CONFLICT DO NOTHING}, so a duplicate key is an update count of
     * zero, not an error (which would abort an enclosing transaction).
     */
    POSTGRESQL("postgresql"),
    /**
     * MySQL 5.7 or later and MariaDB 10.3 or later (InnoDB): a plain {@code INSERT} whose duplicate-key error
     * (SQLState 23000) is the answer. Not {@code INSERT IGNORE}, which would also turn a truncation or any other error
     * into a warning.
     */
    MYSQL("mysql"),
    /**
     * H2 2.x: {@code MERGE ... WHEN NOT MATCHED THEN INSERT}, so an existing key is an update count of zero; the
     * duplicate-key error (SQLState 23505) of two merges racing for a new key is the same answer.
     */
    H2("h2");

    private final String id;

    Dialect(String id) {
        this.id = id;
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

    /** The class-path resource holding this dialect's DDL for the default table {@code hookwarden_dedupe}. */
    public String schemaResource() {
        return "io/hookwarden/jdbc/schema-" + id + ".sql";
    }

    /** Inserts a fresh claim (key, owner, expiry); an update count of 1 means inserted. */
    String insert(String table) {
        String columns = " (dedupe_key, state, owner_token, expires_at) VALUES (";
        String claimed = "'" + JdbcDedupeStore.CLAIMED + "'";
        return switch (this) {
            case POSTGRESQL -> "INSERT INTO " + table + columns + "?, " + claimed + ", ?, ?)"
                    + " ON CONFLICT (dedupe_key) DO NOTHING";
            case MYSQL -> "INSERT INTO " + table + columns + "?, " + claimed + ", ?, ?)";
            case H2 -> "MERGE INTO " + table + " d USING (SELECT CAST(? AS VARCHAR(512)) k,"
                    + " CAST(? AS VARCHAR(64)) o, CAST(? AS BIGINT) e) s ON d.dedupe_key = s.k"
                    + " WHEN NOT MATCHED THEN INSERT" + columns + "s.k, " + claimed + ", s.o, s.e)";
        };
    }

    /**
     * Deletes at most {@code ?} (second parameter) expired rows (first and third parameter: now). The outer expiry
     * condition is checked again on the row version the delete sees, so a row claimed again between the subquery and
     * the delete is kept.
     */
    String purgeBatch(String table) {
        return switch (this) {
            case POSTGRESQL -> "DELETE FROM " + table + " WHERE dedupe_key IN (SELECT dedupe_key FROM " + table
                    + " WHERE expires_at <= ? LIMIT ?) AND expires_at <= ?";
            case MYSQL -> "DELETE FROM " + table + " WHERE expires_at <= ? LIMIT ?";
            case H2 -> "DELETE FROM " + table + " WHERE expires_at <= ? FETCH FIRST ? ROWS ONLY";
        };
    }

    /** Whether {@link #purgeBatch} takes now a second time, as its third parameter. */
    boolean purgeRepeatsNow() {
        return this == POSTGRESQL;
    }
}
