package io.hookwarden.samples.servlet;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded PostgreSQL server on a free port with its data directory kept across a stop, so a start on the same
 * port serves the same table (dedupe-jdbc's {@code PostgresStoppedTest} stops one the same way: {@code pg_ctl stop
 * -m fast}, which ends every connection).
 */
final class RestartablePostgres implements RestartableStore {
    private final int port;
    private final Path dir;
    private EmbeddedPostgres server;

    private RestartablePostgres(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    static RestartablePostgres start() {
        try {
            RestartablePostgres postgres = new RestartablePostgres(
                    RestartableRedis.freePort(), Files.createTempDirectory("hookwarden-faults-postgres-"));
            postgres.restart();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void restart() {
        try {
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
        RestartableRedis.delete(dir);
    }

    @Override
    public String toString() {
        return "PostgreSQL at " + url();
    }
}
