package io.hookwarden.samples.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import redis.embedded.RedisServer;

/**
 * An embedded Redis server on a free port, with an append-only file fsynced on every write in a fresh directory, so a
 * restart on the same port keeps every claim and completion (as dedupe-redis's {@code EmbeddedRedis} does).
 */
final class RestartableRedis implements RestartableStore {
    private final int port;
    private final RedisServer server;
    private final Path dir;

    private RestartableRedis(int port, RedisServer server, Path dir) {
        this.port = port;
        this.server = server;
        this.dir = dir;
    }

    static RestartableRedis start() {
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("hookwarden-faults-redis-");
            RedisServer server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("appendonly yes")
                    .setting("appendfsync always")
                    .setting("save \"\"")
                    .setting("maxmemory-policy noeviction")
                    .setting("dir " + dir.toAbsolutePath())
                    .build();
            RestartableRedis redis = new RestartableRedis(port, server, dir);
            server.start();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void restart() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
        delete(dir);
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "Redis at " + url();
    }
}
