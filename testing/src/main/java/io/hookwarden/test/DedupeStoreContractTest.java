package io.hookwarden.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.ClaimResult.Status;
import io.hookwarden.spi.DedupeStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link DedupeStore} passes: extend this class, return your store from {@link #store()}, and
 * JUnit 5 runs the whole protocol against it (claim, complete, release, ownership, expiry, concurrency).
 *
 * <pre>{@code
 * class MyStoreContractTest extends DedupeStoreContractTest {
 *     private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 *     private final MyStore store = new MyStore(dataSource, clock);
 *
 *     protected DedupeStore store() { return store; }
 *     protected void elapse(Duration duration) { clock.advance(duration); }
 * }
 * }</pre>
 *
 * <p>Every test uses fresh random keys, so {@link #store()} may return the same store each time. A store whose time
 * the test controls overrides {@link #elapse(Duration)} to move its clock; the default waits in real time, for stores
 * whose expiry the server keeps (Redis), with {@link #shortLease()} kept short.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class DedupeStoreContractTest {
    private static final Duration LONG = Duration.ofMinutes(10);

    /** The store under test; may return the same instance every time. */
    protected abstract DedupeStore store();

    /**
     * Makes {@code duration} pass for the store: advance its clock, or wait. The default sleeps for the duration plus
     * a margin of 100 ms, for stores whose server expires keys.
     */
    protected void elapse(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis() + 100);
    }

    /** A lease short enough to wait out in {@link #elapse(Duration)}; default 300 ms. */
    protected Duration shortLease() {
        return Duration.ofMillis(300);
    }

    /** How many distinct event ids the concurrency test delivers from 64 threads; default 1,000. */
    protected int concurrentEvents() {
        return 1_000;
    }

    private DedupeStore store;

    @BeforeEach
    void pickStore() {
        store = store();
    }

    /** A fresh key no other test uses. */
    protected static String key() {
        return "contract:" + UUID.randomUUID();
    }

    private Claim claimOf(ClaimResult result) {
        assertThat(result.status()).isEqualTo(Status.CLAIMED);
        assertThat(result.claim()).isPresent();
        return result.claim().orElseThrow();
    }

    @Nested
    class Claiming {
        @Test
        void a_fresh_key_is_claimed_with_an_owner_token() {
            ClaimResult result = store.claim(key(), LONG);

            assertThat(result.status()).isEqualTo(Status.CLAIMED);
            assertThat(result.claim())
                    .hasValueSatisfying(c -> assertThat(c.token()).isNotBlank());
        }

        @Test
        void a_claimed_key_is_in_progress_for_another_attempt() {
            String key = key();
            store.claim(key, LONG);

            ClaimResult second = store.claim(key, LONG);

            assertThat(second.status()).isEqualTo(Status.IN_PROGRESS);
            assertThat(second.claim()).isEmpty();
        }

        @Test
        void a_completed_key_is_a_duplicate() {
            String key = key();
            Claim claim = claimOf(store.claim(key, LONG));
            assertThat(store.complete(key, claim, LONG)).isTrue();

            ClaimResult again = store.claim(key, LONG);

            assertThat(again.status()).isEqualTo(Status.DUPLICATE);
            assertThat(again.claim()).isEmpty();
        }

        @Test
        void a_released_key_can_be_claimed_again_at_once() {
            String key = key();
            Claim first = claimOf(store.claim(key, LONG));
            assertThat(store.release(key, first)).isTrue();

            Claim second = claimOf(store.claim(key, LONG));

            assertThat(second).isNotEqualTo(first);
        }

        @Test
        void keys_do_not_interfere_with_each_other() {
            String a = key();
            String b = key();
            Claim claimA = claimOf(store.claim(a, LONG));
            store.complete(a, claimA, LONG);

            assertThat(store.claim(b, LONG).status()).isEqualTo(Status.CLAIMED);
            assertThat(store.claim(a, LONG).status()).isEqualTo(Status.DUPLICATE);
        }

        @Test
        void each_claim_gets_its_own_token() {
            Set<String> tokens = new java.util.HashSet<>();
            for (int i = 0; i < 20; i++) {
                tokens.add(claimOf(store.claim(key(), LONG)).token());
            }

            assertThat(tokens).hasSize(20);
        }
    }

    @Nested
    class Ownership {
        @Test
        void the_owner_completes_its_claim() {
            String key = key();
            Claim claim = claimOf(store.claim(key, LONG));

            assertThat(store.complete(key, claim, LONG)).isTrue();
        }

        @Test
        void a_foreign_claim_cannot_complete_and_the_key_stays_in_progress() {
            String key = key();
            claimOf(store.claim(key, LONG));

            assertThat(store.complete(key, Claim.newClaim(), LONG)).isFalse();
            assertThat(store.claim(key, LONG).status()).isEqualTo(Status.IN_PROGRESS);
        }

        @Test
        void a_foreign_claim_cannot_release_and_the_key_stays_in_progress() {
            String key = key();
            claimOf(store.claim(key, LONG));

            assertThat(store.release(key, Claim.newClaim())).isFalse();
            assertThat(store.claim(key, LONG).status()).isEqualTo(Status.IN_PROGRESS);
        }

        @Test
        void a_released_claim_cannot_complete() {
            String key = key();
            Claim claim = claimOf(store.claim(key, LONG));
            store.release(key, claim);

            assertThat(store.complete(key, claim, LONG)).isFalse();
            assertThat(store.claim(key, LONG).status()).isEqualTo(Status.CLAIMED);
        }

        @Test
        void a_completed_claim_cannot_release_and_the_key_stays_a_duplicate() {
            String key = key();
            Claim claim = claimOf(store.claim(key, LONG));
            store.complete(key, claim, LONG);

            assertThat(store.release(key, claim)).isFalse();
            assertThat(store.claim(key, LONG).status()).isEqualTo(Status.DUPLICATE);
        }

        @Test
        void completing_or_releasing_an_unknown_key_is_refused() {
            String key = key();

            assertThat(store.complete(key, Claim.newClaim(), LONG)).isFalse();
            assertThat(store.release(key, Claim.newClaim())).isFalse();
            assertThat(store.claim(key, LONG).status()).isEqualTo(Status.CLAIMED);
        }
    }

    @Nested
    class Expiry {
        @Test
        void an_expired_lease_is_claimed_again() throws InterruptedException {
            String key = key();
            Claim crashed = claimOf(store.claim(key, shortLease()));

            elapse(shortLease());
            ClaimResult retry = store.claim(key, LONG);

            assertThat(claimOf(retry)).isNotEqualTo(crashed);
        }

        @Test
        void a_stale_owner_cannot_complete_a_key_claimed_again() throws InterruptedException {
            String key = key();
            Claim stale = claimOf(store.claim(key, shortLease()));
            elapse(shortLease());
            Claim fresh = claimOf(store.claim(key, LONG));

            assertThat(store.complete(key, stale, LONG)).isFalse();
            assertThat(store.claim(key, LONG).status()).isEqualTo(Status.IN_PROGRESS);
            assertThat(store.complete(key, fresh, LONG)).isTrue();
            assertThat(store.claim(key, LONG).status()).isEqualTo(Status.DUPLICATE);
        }

        @Test
        void a_stale_owner_cannot_release_a_key_claimed_again() throws InterruptedException {
            String key = key();
            Claim stale = claimOf(store.claim(key, shortLease()));
            elapse(shortLease());
            claimOf(store.claim(key, LONG));

            assertThat(store.release(key, stale)).isFalse();
            assertThat(store.claim(key, LONG).status()).isEqualTo(Status.IN_PROGRESS);
        }

        @Test
        void a_stale_owner_cannot_complete_an_expired_lease_nobody_claimed_again() throws InterruptedException {
            String key = key();
            Claim stale = claimOf(store.claim(key, shortLease()));
            elapse(shortLease());

            store.complete(key, stale, LONG);

            assertThat(store.claim(key, LONG).status()).isEqualTo(Status.CLAIMED);
        }

        @Test
        void a_completed_key_is_forgotten_after_its_retention() throws InterruptedException {
            String key = key();
            Claim claim = claimOf(store.claim(key, LONG));
            store.complete(key, claim, shortLease());

            elapse(shortLease());

            assertThat(store.claim(key, LONG).status()).isEqualTo(Status.CLAIMED);
        }

        @Test
        void a_live_lease_is_not_taken_over() throws InterruptedException {
            String key = key();
            claimOf(store.claim(key, LONG));

            elapse(shortLease());

            assertThat(store.claim(key, LONG).status()).isEqualTo(Status.IN_PROGRESS);
        }
    }

    @Nested
    class Arguments {
        @Test
        void a_lease_that_is_not_positive_is_refused() {
            assertThatThrownBy(() -> store.claim(key(), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.claim(key(), Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_missing_key_or_claim_is_refused() {
            assertThatThrownBy(() -> store.claim(null, LONG)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> store.complete(key(), null, LONG)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> store.release(key(), null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void a_missing_or_empty_key_is_refused_when_completing_and_releasing_too() {
            String key = key();
            Claim claim = store.claim(key, LONG).claim().orElseThrow();

            assertThatThrownBy(() -> store.complete(null, claim, LONG)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> store.release(null, claim)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> store.claim("", LONG)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.complete("", claim, LONG)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.release("", claim)).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.complete(key, claim, LONG))
                    .as("the refusals changed nothing")
                    .isTrue();
        }
    }

    @Nested
    class Concurrency {
        @Test
        void one_key_claimed_by_64_threads_at_once_has_exactly_one_owner() throws Exception {
            String key = key();
            ExecutorService pool = Executors.newFixedThreadPool(64);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<ClaimResult>> results = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.claim(key, LONG);
                    }));
                }
                start.countDown();
                int claimed = 0;
                for (Future<ClaimResult> f : results) {
                    Status status = f.get(60, TimeUnit.SECONDS).status();
                    assertThat(status).isIn(Status.CLAIMED, Status.IN_PROGRESS);
                    claimed += status == Status.CLAIMED ? 1 : 0;
                }
                assertThat(claimed).isOne();
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void every_event_delivered_by_64_threads_is_processed_exactly_once() throws Exception {
            int events = concurrentEvents();
            String run = key();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                ids.add(run + ":" + i);
            }
            AtomicIntegerArray processed = new AtomicIntegerArray(events);
            AtomicInteger failures = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(64);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < 64; t++) {
                    long seed = t;
                    workers.add(pool.submit(() -> {
                        List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < events; i++) {
                            order.add(i);
                        }
                        Collections.shuffle(order, new java.util.Random(seed));
                        start.await();
                        for (int i : order) {
                            deliverUntilSettled(ids.get(i), processed, i, failures);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> w : workers) {
                    w.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            List<Integer> notOnce = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                if (processed.get(i) != 1) {
                    notOnce.add(i);
                }
            }
            assertThat(notOnce).as("events not processed exactly once").isEmpty();
            assertThat(failures.get()).as("completions refused to their owner").isZero();
        }

        /** A provider's attempt: claim; process and complete when ours; retry while another attempt holds it. */
        private void deliverUntilSettled(String key, AtomicIntegerArray processed, int index, AtomicInteger failures) {
            while (true) {
                ClaimResult result = store.claim(key, LONG);
                switch (result.status()) {
                    case CLAIMED -> {
                        processed.incrementAndGet(index);
                        if (!store.complete(key, result.claim().orElseThrow(), LONG)) {
                            failures.incrementAndGet();
                        }
                        return;
                    }
                    case DUPLICATE -> {
                        return;
                    }
                    case IN_PROGRESS -> Thread.onSpinWait();
                }
            }
        }

        @Test
        void a_failed_handler_releases_and_a_later_attempt_processes_the_event() throws Exception {
            String key = key();
            Set<String> handled = ConcurrentHashMap.newKeySet();

            Claim first = claimOf(store.claim(key, LONG));
            assertThat(store.release(key, first)).isTrue();
            Claim retry = claimOf(store.claim(key, LONG));
            handled.add(retry.token());
            assertThat(store.complete(key, retry, LONG)).isTrue();

            assertThat(handled).containsExactly(retry.token());
            assertThat(store.claim(key, LONG).status()).isEqualTo(Status.DUPLICATE);
        }
    }
}
