package io.hookwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.ClaimResult.Status;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.testsupport.EmbeddedRedisCluster;
import io.hookwarden.testsupport.EmbeddedRedisCluster.Node;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A Redis Cluster master crashes while 64 threads deliver 1,000 events: the store fails closed while the master's
 * slots have no master, the replica takes over (cluster-node-timeout 1 s), Lettuce follows the new topology, and every
 * event is processed exactly once.
 *
 * <p>Unlike the contract's exactly-once run, each delivery here is a provider's: a {@link StoreUnavailableException}
 * (503) is retried after a pause, and a completion that failed is retried with the same claim. The lease is 10 s,
 * longer than the failover, so a claim whose reply died with the master holds its key for 10 s and then frees it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisClusterFailoverTest {
    private static final int THREADS = 64;
    private static final int EVENTS = 1_000;
    /** The master is killed once this many events were processed, so most are processed during and after it. */
    private static final int PROCESSED_BEFORE_KILL = 300;

    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration RETENTION = Duration.ofMinutes(10);
    /** A provider's Retry-After, shortened: only paces the retries, decides nothing. */
    private static final long RETRY_AFTER_NANOS = Duration.ofMillis(20).toNanos();
    /** How often the test looks for the promoted replica; only measures, decides nothing. */
    private static final long POLL_NANOS = Duration.ofMillis(100).toNanos();

    private EmbeddedRedisCluster cluster;
    private RedisClusterClient client;
    private RedisDedupeStore store;

    private final AtomicIntegerArray processed = new AtomicIntegerArray(EVENTS);
    private final AtomicInteger processedAfterKillOnVictim = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicLong lastUnavailableNanos = new AtomicLong();
    private final AtomicInteger completionRepliesLost = new AtomicInteger();
    private final AtomicInteger completionsRefused = new AtomicInteger();
    private final AtomicLong longestInProgressNanos = new AtomicLong();
    private final CountDownLatch enoughProcessed = new CountDownLatch(PROCESSED_BEFORE_KILL);
    private volatile long killedNanos;
    /** When every live node first saw the killed master's replica as master: Redis's part of the outage. */
    private long promotedNanos;
    /** The killed master, once its process is gone. */
    private volatile Node victim;

    @BeforeEach
    void startCluster() {
        cluster = EmbeddedRedisCluster.start(3, 1, Duration.ofSeconds(1));
        client = cluster.client();
        store = RedisDedupeStore.builder()
                .client(client)
                .commandTimeout(Duration.ofMillis(500))
                .build();
    }

    @AfterEach
    void stopCluster() {
        try {
            if (store != null) {
                store.close();
            }
            if (client != null) {
                client.shutdown();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    void a_master_killed_mid_run_fails_the_store_closed_then_its_replica_takes_over_and_no_event_runs_twice()
            throws Exception {
        String run = "failover:" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            ids.add(run + ":" + i);
        }
        Node killed = cluster.masterOf(store.keyPrefix() + ids.get(0));
        long started = System.nanoTime();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                workers.add(pool.submit(() -> {
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < EVENTS; i++) {
                        order.add(i);
                    }
                    Collections.shuffle(order, new Random(seed));
                    start.await();
                    for (int i : order) {
                        deliverUntilSettled(ids.get(i), i);
                    }
                    return null;
                }));
            }
            start.countDown();

            assertThat(enoughProcessed.await(2, TimeUnit.MINUTES)).isTrue();
            killedNanos = System.nanoTime();
            cluster.kill(killed);
            victim = killed;
            while (promotedNanos == 0 && !workers.stream().allMatch(Future::isDone)) {
                if (cluster.promoted(killed)) {
                    promotedNanos = System.nanoTime();
                } else {
                    LockSupport.parkNanos(POLL_NANOS);
                }
            }

            for (Future<?> w : workers) {
                w.get(3, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long finished = System.nanoTime();

        List<Integer> notOnce = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            if (processed.get(i) != 1) {
                notOnce.add(i);
            }
        }
        System.out.printf(
                "failover: run %d ms; replica promoted %d ms after the kill; "
                        + "store unavailable %d times, the last %d ms after the kill; "
                        + "%d events processed after the kill on the killed master's slots; "
                        + "%d completions whose reply was lost; the longest wait on another attempt's claim %d ms%n",
                ms(finished - started),
                promotedNanos == 0 ? -1 : ms(promotedNanos - killedNanos),
                unavailable.get(),
                ms(lastUnavailableNanos.get() - killedNanos),
                processedAfterKillOnVictim.get(),
                completionRepliesLost.get(),
                ms(longestInProgressNanos.get()));

        assertThat(notOnce).as("events not processed exactly once").isEmpty();
        assertThat(completionsRefused.get())
                .as("completions refused to their owner")
                .isZero();
        assertThat(unavailable.get()).as("operations that failed closed").isPositive();
        assertThat(lastUnavailableNanos.get())
                .as("the store failed closed after the kill")
                .isGreaterThan(killedNanos);
        assertThat(processedAfterKillOnVictim.get())
                .as("events processed after the kill on the killed master's slots")
                .isPositive();
        assertThat(cluster.promoted(killed))
                .as("the killed master's replica serves its slots")
                .isTrue();
        for (String id : ids) {
            assertThat(settled(() -> store.claim(id, LEASE)).status())
                    .as("%s after the run", id)
                    .isEqualTo(Status.DUPLICATE);
        }
    }

    /** A provider's attempts at one event until it is processed (by this or another attempt). */
    private void deliverUntilSettled(String key, int index) {
        long firstInProgress = 0;
        while (true) {
            ClaimResult result = settled(() -> store.claim(key, LEASE));
            if (result.status() != Status.IN_PROGRESS && firstInProgress != 0) {
                long waited = System.nanoTime() - firstInProgress;
                longestInProgressNanos.accumulateAndGet(waited, Math::max);
            }
            switch (result.status()) {
                case CLAIMED -> {
                    process(key, index);
                    complete(key, result.claim().orElseThrow());
                    return;
                }
                case DUPLICATE -> {
                    return;
                }
                case IN_PROGRESS -> {
                    firstInProgress = firstInProgress == 0 ? System.nanoTime() : firstInProgress;
                    LockSupport.parkNanos(RETRY_AFTER_NANOS / 10);
                }
            }
        }
    }

    private void process(String key, int index) {
        processed.incrementAndGet(index);
        Node killed = victim;
        if (killed != null && cluster.masterOf(store.keyPrefix() + key).equals(killed)) {
            processedAfterKillOnVictim.incrementAndGet();
        }
        enoughProcessed.countDown();
    }

    /**
     * Completes until Redis answers. A retried completion that is refused may be one whose first try took effect and
     * lost its reply: then the key is already a duplicate.
     */
    private void complete(String key, Claim claim) {
        boolean retried = false;
        while (true) {
            try {
                if (store.complete(key, claim, RETENTION)) {
                    return;
                }
                if (retried && settled(() -> store.claim(key, LEASE)).status() == Status.DUPLICATE) {
                    completionRepliesLost.incrementAndGet();
                } else {
                    completionsRefused.incrementAndGet();
                }
                return;
            } catch (StoreUnavailableException e) {
                failedClosed();
                retried = true;
            }
        }
    }

    /** The operation's answer once the store gives one; each failure is counted and retried after a pause. */
    private <T> T settled(Supplier<T> operation) {
        while (true) {
            try {
                return operation.get();
            } catch (StoreUnavailableException e) {
                failedClosed();
            }
        }
    }

    private void failedClosed() {
        unavailable.incrementAndGet();
        lastUnavailableNanos.accumulateAndGet(System.nanoTime(), Math::max);
        LockSupport.parkNanos(RETRY_AFTER_NANOS);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
