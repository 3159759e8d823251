package io.hookwarden.samples.servlet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An embedded PostgreSQL server of one test's own, on a free port, whose data directory outlives a {@link #stop()}, so
 * that {@link #restart()} brings the same database back on the same port, as an operator's restart would ({@code
 * pg_ctl stop -m fast}, which ends every connection). The inbox's proofs and {@link StoreFaultsTest} share it. Not
 * thread-safe: the test drives it from one thread.
 */
final class TestPostgres implements RestartableStore {
    private final Path dataDirectory;
    private final int port;
    /** Whether the data directory is this server's own, deleted on {@link #close()}. */
    private final boolean ownsDirectory;

    private EmbeddedPostgres server;

    private TestPostgres(Path dataDirectory, int port, boolean ownsDirectory) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.ownsDirectory = ownsDirectory;
    }

    /** Creates the database in {@code dataDirectory} (which must not exist yet) and starts it on a free port. */
    static TestPostgres start(Path dataDirectory) {
        TestPostgres postgres = new TestPostgres(dataDirectory, freePort(), false);
        postgres.restart();
        return postgres;
    }

    /** Creates the database in a temporary directory of its own, deleted on {@link #close()}, and starts it. */
    static TestPostgres start() {
        try {
            TestPostgres postgres =
                    new TestPostgres(Files.createTempDirectory("hookwarden-test-postgres-"), freePort(), true);
            postgres.restart();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on its data directory and port; the first call creates the database. */
    @Override
    public void restart() {
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("max_connections", "200")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (a fast shutdown: open sessions are cut); the data stays for {@link #restart()}. */
    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String url() {
        return jdbcUrl();
    }

    /** The JDBC URL of the {@code postgres} database, with its user: valid across restarts. */
    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    /** A pool of {@code size} connections that waits at most {@code connectionTimeout} for one. */
    HikariDataSource pool(String name, int size, Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        return new HikariDataSource(config);
    }

    @Override
    public void close() {
        stop();
        if (ownsDirectory) {
            RestartableRedis.delete(dataDirectory);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL at " + jdbcUrl();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
