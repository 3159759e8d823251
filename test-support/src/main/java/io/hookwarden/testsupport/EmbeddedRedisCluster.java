package io.hookwarden.testsupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis Cluster for tests, without Docker: one {@code redis-server} process per node, run from the binary the
 * embedded-redis jar extracts, each in cluster mode on a free port (and its bus port, port + 10000, free too) with its
 * files in one fresh directory. The masters split the 16,384 slots evenly ({@code CLUSTER MEET}, {@code CLUSTER
 * ADDSLOTS}); each master gets its replicas ({@code CLUSTER REPLICATE}). {@link #close()} kills every process and
 * deletes the directory; a JVM that exits without it kills them from a shutdown hook.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {
    private static final int SLOTS = 16_384;
    private static final Duration FORMING = Duration.ofSeconds(30);

    private final Path dir;
    private final Duration nodeTimeout;
    private final List<Node> nodes = new ArrayList<>();
    /** Every process started, those that never became a node too, so that all of them are killed. */
    private final List<Process> processes = new ArrayList<>();

    private final RedisClient admin = RedisClient.create();
    private final Thread killer = new Thread(this::killAll, "redis-cluster-killer");

    /** One redis-server process; {@code replicaOf} is the index of its master, -1 for a master. */
    public record Node(int index, int port, Process process, int replicaOf) {
        RedisURI uri() {
            return RedisURI.create("127.0.0.1", port);
        }
    }

    private EmbeddedRedisCluster(Path dir, Duration nodeTimeout) {
        this.dir = dir;
        this.nodeTimeout = nodeTimeout;
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * A formed cluster: {@code masters} masters holding every slot, each with {@code replicasPerMaster} replicas in
     * sync, every node reporting {@code cluster_state:ok}.
     *
     * @param nodeTimeout the {@code cluster-node-timeout}: how long a silent master takes to count as failed
     */
    public static EmbeddedRedisCluster start(int masters, int replicasPerMaster, Duration nodeTimeout) {
        EmbeddedRedisCluster cluster;
        try {
            cluster = new EmbeddedRedisCluster(Files.createTempDirectory("hookwarden-redis-cluster-"), nodeTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            File binary = ExecutableProvider.newJarResourceProvider().get();
            for (int m = 0; m < masters; m++) {
                cluster.launch(binary, -1);
            }
            for (int m = 0; m < masters; m++) {
                for (int r = 0; r < replicasPerMaster; r++) {
                    cluster.launch(binary, m);
                }
            }
            cluster.form(masters);
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * A cluster client seeded with every node, that refreshes its view of the cluster every 500 ms and at once on a
     * MOVED redirect or a lost connection, and rejects commands for a node it is not connected to (so a command fails
     * closed at once instead of waiting for a node that is gone).
     */
    public RedisClusterClient client() {
        List<RedisURI> seeds = nodes.stream().map(Node::uri).toList();
        RedisClusterClient client = RedisClusterClient.create(seeds);
        client.setOptions(ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofMillis(500))
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(200))
                        .refreshTriggersReconnectAttempts(1)
                        .build())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofMillis(500))
                        .build())
                .disconnectedBehavior(ClusterClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        return client;
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The master that holds {@code key}'s slot when the cluster was formed. */
    public Node masterOf(String key) {
        int slot = SlotHash.getSlot(key);
        int masters = (int) nodes.stream().filter(n -> n.replicaOf() < 0).count();
        return nodes.get(IntStream.range(0, masters)
                .filter(m -> slot >= first(m, masters) && slot <= last(m, masters))
                .findFirst()
                .orElseThrow());
    }

    /** How many keys the node holds ({@code DBSIZE}). */
    public long keys(Node node) {
        return sync(node, RedisCommands::dbsize);
    }

    /** Kills the node's process as a crash would (SIGKILL): no shutdown, nothing flushed. */
    public void kill(Node node) {
        node.process().destroyForcibly();
        try {
            if (!node.process().waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + node.port() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a node that was a replica of {@code master} now serves the master's slots, as every live node sees. */
    public boolean promoted(Node master) {
        for (Node node : nodes) {
            if (!node.process().isAlive()) {
                continue;
            }
            try (StatefulRedisConnection<String, String> c = admin.connect(node.uri())) {
                String role = c.sync().role().get(0).toString();
                if (node.replicaOf() == master.index() && !role.equals("master")) {
                    return false;
                }
                if (!c.sync().clusterInfo().contains("cluster_state:ok")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Kills every node and deletes their files. */
    @Override
    public void close() {
        killAll();
        admin.shutdown();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is already exiting, and the hook kills the nodes
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void killAll() {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts a node on a free port; tries another port when redis-server exits at once, as it does when something else
     * bound the port between the probe and its own bind.
     */
    private void launch(File binary, int replicaOf) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int port = freePortWithFreeBusPort();
            Path log = dir.resolve("redis-" + port + ".log");
            Process process = new ProcessBuilder(
                            binary.getAbsolutePath(),
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            "127.0.0.1",
                            "--dir",
                            dir.toAbsolutePath().toString(),
                            "--cluster-enabled",
                            "yes",
                            "--cluster-config-file",
                            "nodes-" + port + ".conf",
                            "--cluster-node-timeout",
                            Long.toString(nodeTimeout.toMillis()),
                            // a replica is promoted however long its link was down: the test kills the master, not the
                            // link
                            "--cluster-replica-validity-factor",
                            "0",
                            "--save",
                            "",
                            "--appendonly",
                            "no")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            processes.add(process);
            await(
                    "redis-server on port " + port + " to accept connections or exit",
                    () -> !process.isAlive() || accepts(port));
            if (process.isAlive()) {
                nodes.add(new Node(nodes.size(), port, process, replicaOf));
                return;
            }
            if (attempt == 3) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue()
                        + " on three free ports; the last said: " + Files.readString(log));
            }
        }
    }

    private void form(int masters) {
        Node seed = nodes.get(0);
        try (StatefulRedisConnection<String, String> c = admin.connect(seed.uri())) {
            for (Node node : nodes.subList(1, nodes.size())) {
                c.sync().clusterMeet("127.0.0.1", node.port());
            }
        }
        await("every node to know every other", () -> nodes.stream()
                .allMatch(n -> sync(n, s -> s.clusterNodes().lines().count() == nodes.size())));
        for (int m = 0; m < masters; m++) {
            int from = first(m, masters);
            int[] slots = IntStream.rangeClosed(from, last(m, masters)).toArray();
            sync(nodes.get(m), s -> s.clusterAddSlots(slots));
        }
        for (Node replica : nodes.subList(masters, nodes.size())) {
            String masterId = sync(nodes.get(replica.replicaOf()), RedisCommands::clusterMyId);
            await(
                    "node " + masterId + " to be known to its replica",
                    () -> sync(replica, s -> s.clusterNodes().contains(masterId)));
            sync(replica, s -> s.clusterReplicate(masterId));
        }
        await("every node to see every slot served", () -> nodes.stream()
                .allMatch(n -> sync(n, s -> s.clusterInfo().contains("cluster_state:ok"))));
        await("every replica to be in sync", () -> nodes.subList(masters, nodes.size()).stream()
                .allMatch(n -> sync(n, s -> s.info("replication").contains("master_link_status:up"))));
    }

    private static int first(int master, int masters) {
        return master * SLOTS / masters;
    }

    private static int last(int master, int masters) {
        return (master + 1) * SLOTS / masters - 1;
    }

    private <T> T sync(Node node, Function<RedisCommands<String, String>, T> command) {
        try (StatefulRedisConnection<String, String> c = admin.connect(node.uri())) {
            return command.apply(c.sync());
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls for the cluster to form; forming is Redis's gossip, which has no event to wait on. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + FORMING.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + FORMING + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    /** A free port whose cluster bus port (port + 10000) is free too: Redis 6.2 always puts the bus there. */
    @SuppressWarnings("try") // the bus socket is opened only to see that it can be
    private static int freePortWithFreeBusPort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (port + 10_000 > 65_535) {
                    continue;
                }
                try (ServerSocket bus = new ServerSocket(port + 10_000, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException busTaken) {
                    // try another
                }
            }
        }
        throw new IOException("no free port with a free bus port in 100 attempts");
    }
}
