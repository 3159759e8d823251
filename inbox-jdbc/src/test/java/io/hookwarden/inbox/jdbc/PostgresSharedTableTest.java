package io.hookwarden.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.spi.Inbox.Written;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxEntry.Ordering;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.StoredDelivery.State;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two replicas on one PostgreSQL table: two {@link JdbcInbox} instances, each on its own connection pool, with four
 * worker threads each, claiming at once. With {@code FOR UPDATE SKIP LOCKED} and with the conditional-update fallback.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresSharedTableTest {
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static HikariDataSource first;
    private static HikariDataSource second;

    @BeforeAll
    static void openPools() {
        first = TestDatabases.postgresPool();
        second = TestDatabases.postgresPool();
    }

    @AfterAll
    static void closePools() {
        first.close();
        second.close();
    }

    private static List<JdbcInbox> replicas(boolean skipLocked) {
        String table = "shared_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JdbcInbox a = JdbcInbox.builder()
                .dataSource(first)
                .table(table)
                .skipLocked(skipLocked)
                .build();
        JdbcInbox b = JdbcInbox.builder()
                .dataSource(second)
                .table(table)
                .skipLocked(skipLocked)
                .build();
        a.createTableIfMissing();
        return List.of(a, b);
    }

    @ParameterizedTest(name = "skipLocked={0}")
    @ValueSource(booleans = {true, false})
    void every_delivery_is_claimed_exactly_once_across_two_replicas(boolean skipLocked) throws Exception {
        List<JdbcInbox> replicas = replicas(skipLocked);
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            assertThat(replicas.get(i % 2).write(Entries.entry("ep", "d" + i))).isEqualTo(Written.ADDED);
        }
        AtomicIntegerArray claims = new AtomicIntegerArray(n);
        AtomicInteger total = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        runWorkers(replicas, inbox -> {
            List<InboxLease> leases = inbox.claim(List.of("ep"), 10, LEASE);
            for (InboxLease lease : leases) {
                claims.incrementAndGet(
                        Integer.parseInt(lease.delivery().entry().dedupeKey().substring(1)));
                total.incrementAndGet();
                if (!inbox.complete(lease)) {
                    refused.incrementAndGet();
                }
            }
            return total.get() < n;
        });

        List<Integer> notOnce = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (claims.get(i) != 1) {
                notOnce.add(i);
            }
        }
        assertThat(notOnce).as("deliveries not claimed exactly once").isEmpty();
        assertThat(refused.get()).isZero();
        assertThat(replicas.get(0).stats("ep").count(State.COMPLETED)).isEqualTo(n);
        dropTable(replicas.get(0).table());
    }

    @ParameterizedTest(name = "skipLocked={0}")
    @ValueSource(booleans = {true, false})
    void strict_keys_are_handled_one_at_a_time_in_order_across_two_replicas_while_late_events_arrive(boolean skipLocked)
            throws Exception {
        List<JdbcInbox> replicas = replicas(skipLocked);
        int keys = 20;
        int perKey = 10;
        List<InboxEntry> entries = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            for (int s = 0; s < perKey; s++) {
                entries.add(Entries.ordered("ep", "k" + k + "-" + s, "key-" + k, Ordering.STRICT, s));
            }
        }
        Collections.shuffle(entries, new Random(14));
        // Half now, half written by a writer thread while the workers claim: late arrivals of lower sequences.
        List<InboxEntry> late = new ArrayList<>(entries.subList(entries.size() / 2, entries.size()));
        entries.subList(0, entries.size() / 2).forEach(e -> replicas.get(0).write(e));
        Map<String, AtomicBoolean> busy = new ConcurrentHashMap<>();
        Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        Set<String> overlaps = ConcurrentHashMap.newKeySet();
        AtomicInteger total = new AtomicInteger();
        Thread writer = new Thread(() -> late.forEach(e -> replicas.get(1).write(e)), "late-writer");
        writer.start();
        runWorkers(replicas, inbox -> {
            for (InboxLease lease : inbox.claim(List.of("ep"), 4, LEASE)) {
                InboxEntry e = lease.delivery().entry();
                AtomicBoolean flag = busy.computeIfAbsent(e.orderingKey(), k -> new AtomicBoolean());
                if (!flag.compareAndSet(false, true)) {
                    overlaps.add(e.dedupeKey());
                }
                seen.computeIfAbsent(e.orderingKey(), k -> new CopyOnWriteArrayList<>())
                        .add(e.sequence());
                flag.set(false);
                inbox.complete(lease);
                total.incrementAndGet();
            }
            return total.get() < keys * perKey;
        });
        writer.join();

        assertThat(overlaps)
                .as("deliveries handled while another of their key was")
                .isEmpty();
        assertThat(total.get()).isEqualTo(keys * perKey);
        seen.forEach((key, sequences) -> assertThat(sequences).as(key).hasSize(perKey));
        dropTable(replicas.get(0).table());
    }

    /** Four threads per replica run {@code step} until it returns false, for at most two minutes. */
    private static void runWorkers(List<JdbcInbox> replicas, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                JdbcInbox inbox = replicas.get(t % 2);
                futures.add(pool.submit(() -> {
                    start.await();
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                    while (step.run(inbox) && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(3, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Step {
        boolean run(JdbcInbox inbox) throws Exception;
    }

    private static void dropTable(String table) throws SQLException {
        try (Connection c = first.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + table);
        }
    }
}
