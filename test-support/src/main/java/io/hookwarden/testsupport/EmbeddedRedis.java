package io.hookwarden.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real Redis server for tests, on a free port picked first, with its append-only file in a fresh directory so that a
 * restart on the same port keeps what was written (as a production Redis with AOF does).
 */
public final class EmbeddedRedis implements AutoCloseable {
    private final int port;
    private final RedisServer server;
    private final Path dir;

    private EmbeddedRedis(int port, RedisServer server, Path dir) {
        this.port = port;
        this.server = server;
        this.dir = dir;
    }

    public static EmbeddedRedis start(String... settings) {
        try {
            return startOn(freePort(), settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server on the given port, such as one a store was told to use before anything listened there. */
    public static EmbeddedRedis startOn(int port, String... settings) {
        try {
            Path dir = Files.createTempDirectory("hookwarden-redis-");
            RedisServerBuilder builder = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("appendonly yes")
                    .setting("appendfsync always")
                    .setting("save \"\"")
                    .setting("dir " + dir.toAbsolutePath());
            for (String setting : settings) {
                builder.setting(setting);
            }
            RedisServer server = builder.build();
            EmbeddedRedis redis = new EmbeddedRedis(port, server, dir);
            server.start();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port}, without credentials. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void restart() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
