package io.hookwarden.samples.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.jdbc.JdbcDedupeStore;
import io.hookwarden.redis.RedisDedupeStore;
import io.hookwarden.spi.DedupeStore;

/**
 * The dedupe store {@code HOOKWARDEN_STORE} names: {@code memory}, a {@code redis://host:port} URL, or a {@code jdbc:}
 * URL (PostgreSQL or H2; the table is created when missing). Close it when the sample stops.
 */
@SuppressWarnings("try") // close() may be interrupted while it stops what it started
public final class SampleStore implements AutoCloseable {
    /** The longest a request waits for a database connection before the store fails closed. */
    static final long CONNECTION_TIMEOUT_MILLIS = 1_000;

    private final DedupeStore store;
    private final AutoCloseable resource;
    private final String description;

    private SampleStore(DedupeStore store, AutoCloseable resource, String description) {
        this.store = store;
        this.resource = resource;
        this.description = description;
    }

    /**
     * Opens the store {@code spec} names.
     *
     * @throws IllegalArgumentException if spec is none of the three forms
     */
    public static SampleStore open(String spec) {
        if (spec.equals("memory")) {
            return new SampleStore(InMemoryDedupeStore.create(), null, "in-memory (this process only)");
        }
        if (spec.startsWith("redis://") || spec.startsWith("rediss://")) {
            RedisDedupeStore redis = RedisDedupeStore.builder().uri(spec).build();
            return new SampleStore(redis, redis, "Redis " + redis);
        }
        if (spec.startsWith("jdbc:")) {
            HikariDataSource dataSource = pool(spec, "hookwarden-sample");
            JdbcDedupeStore jdbc =
                    JdbcDedupeStore.builder().dataSource(dataSource).build();
            jdbc.createTableIfMissing();
            return new SampleStore(jdbc, dataSource, "JDBC " + jdbc.dialect() + " table " + jdbc.table());
        }
        throw new IllegalArgumentException(
                "HOOKWARDEN_STORE must be memory, a redis:// URL or a jdbc: URL but was " + redact(spec));
    }

    /** The store, for every endpoint's receiver. */
    public DedupeStore store() {
        return store;
    }

    /** What the store is, for the start-up banner; never a password. */
    public String description() {
        return description;
    }

    /**
     * A pool of 8 connections to the database {@code url} names, for the store or the inbox, that waits at most {@link
     * #CONNECTION_TIMEOUT_MILLIS} for a connection: while the database is down a delivery is answered 503 within about
     * a second (docs/dedupe-jdbc.md), not after HikariCP's default 30 s, past most providers' delivery timeout.
     */
    static HikariDataSource pool(String url, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }

    static String redact(String spec) {
        return spec.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("//[^/@]*@", "//****@");
    }

    @Override
    public void close() throws Exception {
        if (resource != null) {
            resource.close();
        }
    }
}
