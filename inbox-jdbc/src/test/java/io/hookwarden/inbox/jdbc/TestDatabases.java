package io.hookwarden.inbox.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The databases the tests run against, each started once per test JVM and stopped when it exits: an embedded
 * PostgreSQL 17 server on a free port, and in-memory H2 databases (native, and in MySQL mode for the MySQL SQL).
 */
final class TestDatabases {
    private static volatile Postgres postgres;

    private TestDatabases() {}

    /** A pooled data source on the shared embedded PostgreSQL server. */
    static DataSource postgres() {
        Postgres p = postgres;
        if (p == null) {
            synchronized (TestDatabases.class) {
                p = postgres;
                if (p == null) {
                    p = Postgres.start();
                    postgres = p;
                    Runtime.getRuntime().addShutdownHook(new Thread(p::close, "embedded-postgres-stop"));
                }
            }
        }
        return p.pool;
    }

    /** Another pool of its own on the shared embedded PostgreSQL server, as a second replica would have. */
    static HikariDataSource postgresPool() {
        postgres();
        return pool(postgres.server.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
    }

    /** A new pooled in-memory H2 database in its native mode, alive until the pool closes. */
    static HikariDataSource h2() {
        return pool("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", "");
    }

    /** A new pooled in-memory H2 database in MySQL compatibility mode. */
    static HikariDataSource h2MySql() {
        return pool(
                "jdbc:h2:mem:" + UUID.randomUUID()
                        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
                "sa",
                "");
    }

    /** A new embedded PostgreSQL server of its own, for a test that stops it. */
    static EmbeddedPostgres startPostgres() {
        try {
            return EmbeddedPostgres.builder().setPort(0).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HikariDataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(16);
        config.setConnectionTimeout(30_000);
        return new HikariDataSource(config);
    }

    private static final class Postgres {
        final EmbeddedPostgres server;
        final HikariDataSource pool;

        private Postgres(EmbeddedPostgres server, HikariDataSource pool) {
            this.server = server;
            this.pool = pool;
        }

        static Postgres start() {
            EmbeddedPostgres server = startPostgres();
            return new Postgres(server, pool(server.getJdbcUrl("postgres", "postgres"), "postgres", "postgres"));
        }

        void close() {
            pool.close();
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
