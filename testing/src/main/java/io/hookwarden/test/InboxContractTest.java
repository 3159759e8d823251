package io.hookwarden.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.Headers;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.Inbox.Written;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxEntry.Ordering;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.InboxStats;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Inbox} passes: extend this class, return your inbox from {@link #inbox()}, and JUnit 5 runs
 * the whole protocol against it (the write as the dedupe, leased claims, heartbeats, settling by the lease's owner only,
 * strict and latest ordering, find, replay, purge, the retention sweep, stats, concurrent claims).
 *
 * <pre>{@code
 * class MyInboxContractTest extends InboxContractTest {
 *     private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 *     private static final MyInbox INBOX = new MyInbox(dataSource, CLOCK);
 *
 *     protected Inbox inbox() { return INBOX; }
 *     protected void elapse(Duration duration) { CLOCK.advance(duration); }
 * }
 * }</pre>
 *
 * <p>Every test writes to fresh random endpoints, so {@link #inbox()} may return the same inbox each time (tests run one
 * at a time). Give it an inbox of its own: the retention sweep's tests delete every completed and skipped delivery in
 * it, of every endpoint. An inbox whose clock the test controls overrides
 * {@link #elapse(Duration)} to move it; the default waits in real time, with {@link #shortLease()} kept short. The
 * entries' {@code receivedAt} and {@code eventTimestamp} have whole milliseconds, the precision an inbox must keep.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class InboxContractTest {
    private static final Duration LONG = Duration.ofMinutes(10);
    private static final Instant RECEIVED_BASE = Instant.parse("2026-01-01T00:00:00Z");
    private static final AtomicLong RECEIVED = new AtomicLong();

    /** The inbox under test; may return the same instance every time. */
    protected abstract Inbox inbox();

    /**
     * Makes {@code duration} pass for the inbox: advance its clock, or wait. The default sleeps for the duration plus a
     * margin of 100 ms, for inboxes whose time the test cannot move.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    protected void elapse(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis() + 100);
    }

    /** A lease short enough to wait out in {@link #elapse(Duration)}; default 300 ms. */
    protected Duration shortLease() {
        return Duration.ofMillis(300);
    }

    /** How many deliveries the concurrency test writes and claims from 8 threads; default 500. */
    protected int concurrentDeliveries() {
        return 500;
    }

    private Inbox inbox;
    private String endpoint;

    @BeforeEach
    void pickInbox() {
        inbox = inbox();
        endpoint = endpoint();
    }

    /** A fresh endpoint name no other test uses. */
    protected static String endpoint() {
        return "contract-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** A receipt time later than every one handed out before, in whole milliseconds. */
    private static Instant receivedAt() {
        return RECEIVED_BASE.plusMillis(RECEIVED.incrementAndGet());
    }

    private static InboxEntry entry(
            String endpoint, String key, String type, String orderingKey, Ordering ordering, long sequence) {
        return new InboxEntry(
                endpoint,
                key,
                "standard-webhooks",
                "POST",
                "https://example.test/hooks/" + endpoint,
                Headers.builder()
                        .add("webhook-id", key)
                        .add("Content-Type", "application/json")
                        .build(),
                ("{\"id\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8),
                "203.0.113.7",
                key,
                type,
                Instant.ofEpochSecond(1_767_225_600L),
                "primary",
                orderingKey,
                ordering,
                sequence,
                receivedAt());
    }

    private InboxEntry entry(String key) {
        return entry(endpoint, key, "invoice.paid", null, Ordering.NONE, 0);
    }

    private InboxEntry ordered(String key, Ordering ordering, String orderingKey, long sequence) {
        return entry(endpoint, key, "invoice.paid", orderingKey, ordering, sequence);
    }

    private InboxEntry added(InboxEntry entry) {
        assertThat(inbox.write(entry)).as("write of " + entry.dedupeKey()).isEqualTo(Written.ADDED);
        return entry;
    }

    private void addAll(String... keys) {
        for (String key : keys) {
            added(entry(key));
        }
    }

    private List<InboxLease> claim(int max, Duration lease) {
        return inbox.claim(List.of(endpoint), max, lease);
    }

    private List<InboxLease> claimAll() {
        return claim(1_000, LONG);
    }

    private InboxLease claimOne(Duration lease) {
        List<InboxLease> leases = claim(1, lease);
        assertThat(leases).as("one delivery claimed").hasSize(1);
        return leases.get(0);
    }

    private InboxLease claimOne() {
        return claimOne(LONG);
    }

    private static List<String> keys(List<InboxLease> leases) {
        List<String> keys = new ArrayList<>();
        for (InboxLease l : leases) {
            keys.add(l.delivery().entry().dedupeKey());
        }
        return keys;
    }

    private static List<String> deliveryKeys(List<StoredDelivery> deliveries) {
        List<String> keys = new ArrayList<>();
        for (StoredDelivery d : deliveries) {
            keys.add(d.entry().dedupeKey());
        }
        return keys;
    }

    /** The stored delivery of {@code key} at this test's endpoint. */
    private StoredDelivery stored(String key) {
        return stored(endpoint, key);
    }

    private StoredDelivery stored(String endpoint, String key) {
        InboxQuery query = InboxQuery.builder()
                .endpoint(endpoint)
                .limit(InboxQuery.MAX_LIMIT)
                .build();
        return inbox.find(query).stream()
                .filter(d -> d.entry().dedupeKey().equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no stored delivery " + key + " at " + endpoint));
    }

    private InboxQuery.Builder query() {
        return InboxQuery.builder().endpoint(endpoint);
    }

    /** The inbox's time at a claim: the lease's end less its length. */
    private static Instant claimedAt(InboxLease lease, Duration length) {
        return lease.until().minus(length);
    }

    @Nested
    class Writing {
        @Test
        void a_write_stores_every_component_exactly() {
            byte[] body = new byte[300];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) i;
            }
            Headers headers = Headers.builder()
                    .add("Webhook-Id", "msg_1")
                    .add("X-Repeated", "first")
                    .add("Content-Type", "application/json; charset=utf-8")
                    .add("x-repeated", "second, with a comma")
                    .add("X-Quotes", "\"[\\\"json\\\"]\" \u00e9\u4e2d\ud83d\ude00")
                    .build();
            InboxEntry entry = new InboxEntry(
                    endpoint,
                    "msg_1:\u00fcn\u00efc\u00f8de",
                    "standard-webhooks",
                    "POST",
                    "https://example.test/hooks/\u00e9?x=1&y=2",
                    headers,
                    body,
                    "2001:db8::1",
                    "msg_1",
                    "invoice.paid",
                    Instant.parse("2026-01-02T03:04:05.678Z"),
                    "key-2026",
                    "in_1",
                    Ordering.STRICT,
                    1_767_225_600_123L,
                    Instant.parse("2026-01-02T03:04:06.789Z"));

            assertThat(inbox.write(entry)).isEqualTo(Written.ADDED);

            StoredDelivery found = stored(entry.dedupeKey());
            assertThat(found.entry()).isEqualTo(entry);
            assertThat(found.entry().body()).isEqualTo(body);
            assertThat(found.entry().headers().toMap()).isEqualTo(headers.toMap());
            assertThat(found.entry().headers().all("X-REPEATED")).containsExactly("first", "second, with a comma");
            assertThat(found.state()).isEqualTo(State.PENDING);
            assertThat(found.attempts()).isZero();
            assertThat(found.lastError()).isNull();
            assertThat(inbox.get(found.id())).hasValueSatisfying(d -> {
                assertThat(d.entry()).isEqualTo(entry);
                assertThat(d.id()).isEqualTo(found.id());
                assertThat(d.state()).isEqualTo(State.PENDING);
            });
        }

        @Test
        void the_optional_components_round_trip_as_null() {
            InboxEntry entry = new InboxEntry(
                    endpoint,
                    "bare",
                    "hmac",
                    "PUT",
                    null,
                    Headers.empty(),
                    new byte[0],
                    null,
                    null,
                    null,
                    null,
                    "default",
                    null,
                    Ordering.NONE,
                    0,
                    receivedAt());

            added(entry);

            StoredDelivery found = stored("bare");
            assertThat(found.entry()).isEqualTo(entry);
            assertThat(found.entry().url()).isNull();
            assertThat(found.entry().remoteAddress()).isNull();
            assertThat(found.entry().eventId()).isNull();
            assertThat(found.entry().eventType()).isNull();
            assertThat(found.entry().eventTimestamp()).isNull();
            assertThat(found.entry().orderingKey()).isNull();
            assertThat(found.entry().bodyLength()).isZero();
            assertThat(found.entry().headers().names()).isEmpty();
        }

        @Test
        void a_large_body_round_trips() {
            byte[] body = new byte[1 << 20];
            new Random(14).nextBytes(body);
            InboxEntry entry = new InboxEntry(
                    endpoint,
                    "large",
                    "hmac",
                    "POST",
                    null,
                    Headers.empty(),
                    body,
                    null,
                    null,
                    null,
                    null,
                    "default",
                    null,
                    Ordering.NONE,
                    0,
                    receivedAt());

            added(entry);

            assertThat(stored("large").entry().body()).isEqualTo(body);
        }

        @Test
        void a_written_delivery_is_pending_and_due_at_once() {
            addAll("a");

            InboxLease lease = claimOne();

            assertThat(lease.delivery().entry().dedupeKey()).isEqualTo("a");
        }

        @Test
        void a_dedupe_key_of_the_longest_length_is_held() {
            String key = "k".repeat(InboxEntry.MAX_KEY_LENGTH);
            added(entry(key));

            assertThat(inbox.write(entry(key))).isEqualTo(Written.DUPLICATE);
            assertThat(stored(key).entry().dedupeKey()).isEqualTo(key);
        }

        @Test
        void a_null_entry_is_refused() {
            assertThatThrownBy(() -> inbox.write(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class Dedupe {
        private InboxEntry other(String key) {
            return new InboxEntry(
                    endpoint,
                    key,
                    "other-scheme",
                    "PUT",
                    "https://other.test/",
                    Headers.builder().add("X-Other", "1").build(),
                    "different".getBytes(StandardCharsets.UTF_8),
                    null,
                    "other-id",
                    "other.type",
                    null,
                    "other-key",
                    null,
                    Ordering.NONE,
                    0,
                    receivedAt());
        }

        private void assertDuplicateChangesNothing(String key) {
            StoredDelivery before = stored(key);

            Written again = inbox.write(other(key));

            assertThat(again).isEqualTo(Written.DUPLICATE);
            assertThat(stored(key)).isEqualTo(before);
            assertThat(inbox.find(query().build())).hasSize(1);
        }

        @Test
        void a_second_write_of_a_pending_delivery_is_a_duplicate_and_changes_nothing() {
            added(entry("k"));

            assertDuplicateChangesNothing("k");
        }

        @Test
        void a_second_write_of_a_delivery_in_flight_is_a_duplicate_and_changes_nothing() {
            added(entry("k"));
            claimOne();

            assertDuplicateChangesNothing("k");
        }

        @Test
        void a_second_write_of_a_completed_delivery_is_a_duplicate_and_changes_nothing() {
            added(entry("k"));
            assertThat(inbox.complete(claimOne())).isTrue();

            assertDuplicateChangesNothing("k");
        }

        @Test
        void a_second_write_of_a_dead_delivery_is_a_duplicate_and_changes_nothing() {
            added(entry("k"));
            assertThat(inbox.bury(claimOne(), "poison")).isTrue();

            assertDuplicateChangesNothing("k");
        }

        @Test
        void a_second_write_of_a_skipped_delivery_is_a_duplicate_and_changes_nothing() {
            added(entry("k"));
            assertThat(inbox.skip(claimOne(), "stale")).isTrue();

            assertDuplicateChangesNothing("k");
        }

        @Test
        void the_same_key_at_another_endpoint_is_another_delivery() {
            String elsewhere = endpoint();
            added(entry("k"));

            Written there = inbox.write(entry(elsewhere, "k", "invoice.paid", null, Ordering.NONE, 0));

            assertThat(there).isEqualTo(Written.ADDED);
            assertThat(stored(elsewhere, "k").id()).isNotEqualTo(stored("k").id());
        }

        @Test
        void keys_that_differ_only_in_case_are_different_deliveries() {
            added(entry("evt_A"));

            assertThat(inbox.write(entry("evt_a"))).isEqualTo(Written.ADDED);
        }
    }

    @Nested
    class Claiming {
        @Test
        void a_claim_takes_only_deliveries_of_the_given_endpoints() {
            String second = endpoint();
            String third = endpoint();
            added(entry("a"));
            added(entry(second, "b", "t", null, Ordering.NONE, 0));
            added(entry(third, "c", "t", null, Ordering.NONE, 0));

            List<InboxLease> leases = inbox.claim(List.of(endpoint, second), 10, LONG);

            assertThat(keys(leases)).containsExactly("a", "b");
            assertThat(inbox.claim(List.of(third), 10, LONG)).hasSize(1);
        }

        @Test
        void a_claim_takes_the_oldest_first_and_at_most_max() {
            addAll("a", "b", "c", "d", "e");

            List<InboxLease> first = claim(2, LONG);
            List<InboxLease> rest = claim(10, LONG);

            assertThat(keys(first)).containsExactly("a", "b");
            assertThat(keys(rest)).containsExactly("c", "d", "e");
        }

        @Test
        void a_claim_counts_the_attempt_sets_in_flight_and_the_lease_end() {
            InboxEntry entry = added(entry("a"));

            InboxLease lease = claimOne();

            assertThat(lease.token()).isNotBlank();
            assertThat(lease.id()).isEqualTo(stored("a").id());
            assertThat(lease.delivery().entry()).isEqualTo(entry);
            assertThat(lease.delivery().state()).isEqualTo(State.IN_FLIGHT);
            assertThat(lease.delivery().attempts()).isOne();
            assertThat(lease.delivery().nextAttemptAt()).isEqualTo(lease.until());
            StoredDelivery after = stored("a");
            assertThat(after.state()).isEqualTo(State.IN_FLIGHT);
            assertThat(after.attempts()).isOne();
            assertThat(after.nextAttemptAt()).isEqualTo(lease.until());
        }

        @Test
        void a_live_lease_is_not_claimed_again() {
            addAll("a");
            claimOne();

            assertThat(claimAll()).isEmpty();
        }

        @Test
        void a_claim_with_nothing_due_takes_nothing() {
            assertThat(claimAll()).isEmpty();
        }

        @Test
        void a_claim_returns_every_due_delivery_once_across_calls() {
            addAll("a", "b", "c");

            List<String> taken = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                taken.addAll(keys(claim(1, LONG)));
            }

            assertThat(taken).containsExactly("a", "b", "c");
        }

        @Test
        void arguments_out_of_range_are_refused() {
            assertThatThrownBy(() -> inbox.claim(List.of(), 1, LONG)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> inbox.claim(List.of(endpoint), 0, LONG))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> inbox.claim(List.of(endpoint), 1, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> inbox.claim(null, 1, LONG)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> inbox.claim(List.of(endpoint), 1, null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class Leases {
        @Test
        void an_expired_lease_is_claimed_again_with_a_new_token_and_another_attempt() throws InterruptedException {
            addAll("a");
            InboxLease crashed = claimOne(shortLease());

            elapse(shortLease());
            InboxLease again = claimOne();

            assertThat(again.id()).isEqualTo(crashed.id());
            assertThat(again.token()).isNotEqualTo(crashed.token());
            assertThat(again.delivery().attempts()).isEqualTo(2);
        }

        @Test
        void a_stale_lease_can_neither_complete_retry_bury_skip_nor_heartbeat() throws InterruptedException {
            addAll("a");
            InboxLease stale = claimOne(shortLease());
            elapse(shortLease());
            InboxLease fresh = claimOne();

            assertThat(inbox.complete(stale)).isFalse();
            assertThat(inbox.retry(stale, claimedAt(fresh, LONG), "late")).isFalse();
            assertThat(inbox.bury(stale, "late")).isFalse();
            assertThat(inbox.skip(stale, "late")).isFalse();
            assertThat(inbox.heartbeat(stale, LONG)).isEmpty();
            StoredDelivery after = stored("a");
            assertThat(after.state()).isEqualTo(State.IN_FLIGHT);
            assertThat(after.nextAttemptAt()).isEqualTo(fresh.until());
            assertThat(after.lastError()).isNull();
            assertThat(inbox.complete(fresh)).isTrue();
            assertThat(stored("a").state()).isEqualTo(State.COMPLETED);
        }

        @Test
        void a_lease_that_ran_out_can_change_nothing_even_before_anyone_claims_the_delivery_again()
                throws InterruptedException {
            addAll("a");
            InboxLease late = claimOne(shortLease());
            elapse(shortLease());

            assertThat(inbox.complete(late)).isFalse();
            assertThat(inbox.retry(late, late.until(), "late")).isFalse();
            assertThat(inbox.bury(late, "late")).isFalse();
            assertThat(inbox.skip(late, "late")).isFalse();
            assertThat(inbox.heartbeat(late, LONG)).isEmpty();
            assertThat(claimOne().id()).as("taken again, as the lease ran out").isEqualTo(late.id());
        }

        @Test
        void a_foreign_token_can_change_nothing() {
            addAll("a");
            InboxLease lease = claimOne();
            InboxLease forged = new InboxLease(lease.delivery(), "not-" + lease.token(), lease.until());

            assertThat(inbox.complete(forged)).isFalse();
            assertThat(inbox.bury(forged, "x")).isFalse();
            assertThat(inbox.heartbeat(forged, LONG)).isEmpty();
            assertThat(stored("a").state()).isEqualTo(State.IN_FLIGHT);
        }

        @Test
        void a_heartbeat_extends_the_lease_past_its_first_end() throws InterruptedException {
            addAll("a");
            InboxLease lease = claimOne(shortLease());

            InboxLease extended = inbox.heartbeat(lease, LONG).orElseThrow();
            elapse(shortLease());

            assertThat(extended.until()).isAfter(lease.until());
            assertThat(extended.token()).isEqualTo(lease.token());
            assertThat(extended.id()).isEqualTo(lease.id());
            assertThat(stored("a").nextAttemptAt()).isEqualTo(extended.until());
            assertThat(claimAll()).isEmpty();
            assertThat(inbox.complete(extended)).isTrue();
        }

        @Test
        void a_settled_lease_cannot_settle_again() {
            addAll("a");
            InboxLease lease = claimOne();
            assertThat(inbox.complete(lease)).isTrue();

            assertThat(inbox.complete(lease)).isFalse();
            assertThat(inbox.bury(lease, "x")).isFalse();
            assertThat(inbox.heartbeat(lease, LONG)).isEmpty();
            assertThat(stored("a").state()).isEqualTo(State.COMPLETED);
        }
    }

    @Nested
    class Settling {
        @Test
        void complete_records_success_and_the_delivery_is_not_claimed_again() {
            addAll("a");

            assertThat(inbox.complete(claimOne())).isTrue();

            StoredDelivery done = stored("a");
            assertThat(done.state()).isEqualTo(State.COMPLETED);
            assertThat(done.attempts()).isOne();
            assertThat(claimAll()).isEmpty();
        }

        @Test
        void complete_all_records_each_held_lease_and_refuses_only_those_it_no_longer_holds() {
            addAll("a", "b", "c", "d");
            List<InboxLease> taken = claimAll();
            assertThat(taken).hasSize(4);
            InboxLease settled = taken.get(1);
            assertThat(inbox.complete(settled)).isTrue();
            InboxLease forged = new InboxLease(
                    taken.get(2).delivery(),
                    "not-" + taken.get(2).token(),
                    taken.get(2).until());

            List<Boolean> recorded = inbox.completeAll(List.of(taken.get(0), settled, forged, taken.get(3)));

            assertThat(recorded).containsExactly(true, false, false, true);
            assertThat(stored("a").state()).isEqualTo(State.COMPLETED);
            assertThat(stored("b").state()).isEqualTo(State.COMPLETED);
            assertThat(stored("c").state()).as("its real lease still holds it").isEqualTo(State.IN_FLIGHT);
            assertThat(stored("d").state()).isEqualTo(State.COMPLETED);
            assertThat(stored("d").attempts()).isOne();
            assertThat(inbox.completeAll(List.of(taken.get(2)))).containsExactly(true);
            assertThat(stored("c").state()).isEqualTo(State.COMPLETED);
            assertThat(claimAll()).isEmpty();
        }

        @Test
        void complete_all_of_nothing_records_nothing_and_refuses_a_null_lease() {
            addAll("a", "b");
            List<InboxLease> taken = claimAll();

            assertThat(inbox.completeAll(List.of())).isEmpty();
            List<InboxLease> withNull = new ArrayList<>(taken);
            withNull.add(null);
            assertThatNullPointerException().isThrownBy(() -> inbox.completeAll(withNull));
            assertThatNullPointerException().isThrownBy(() -> inbox.completeAll(null));
            assertThat(stored("a").state()).isEqualTo(State.IN_FLIGHT);
            assertThat(stored("b").state()).isEqualTo(State.IN_FLIGHT);
        }

        @Test
        void retry_makes_the_delivery_pending_again_due_at_not_before() throws InterruptedException {
            addAll("a");
            InboxLease lease = claimOne();
            Instant notBefore = claimedAt(lease, LONG).plus(shortLease());

            assertThat(inbox.retry(lease, notBefore, "HTTP 500 from the ledger"))
                    .isTrue();

            StoredDelivery waiting = stored("a");
            assertThat(waiting.state()).isEqualTo(State.PENDING);
            assertThat(waiting.nextAttemptAt()).isEqualTo(notBefore);
            assertThat(waiting.lastError()).isEqualTo("HTTP 500 from the ledger");
            assertThat(waiting.attempts()).isOne();
            assertThat(claimAll()).as("claimed before notBefore").isEmpty();
            elapse(shortLease());
            InboxLease second = claimOne();
            assertThat(second.delivery().attempts()).isEqualTo(2);
            assertThat(second.delivery().lastError()).isEqualTo("HTTP 500 from the ledger");
        }

        @Test
        void bury_records_the_delivery_as_dead_with_its_error() {
            addAll("a");

            assertThat(inbox.bury(claimOne(), "poison: unknown currency")).isTrue();

            StoredDelivery dead = stored("a");
            assertThat(dead.state()).isEqualTo(State.DEAD);
            assertThat(dead.lastError()).isEqualTo("poison: unknown currency");
            assertThat(dead.attempts()).isOne();
            assertThat(claimAll()).isEmpty();
        }

        @Test
        void skip_records_the_delivery_as_skipped() {
            addAll("a");

            assertThat(inbox.skip(claimOne(), "sequence 3 completed already")).isTrue();

            StoredDelivery skipped = stored("a");
            assertThat(skipped.state()).isEqualTo(State.SKIPPED);
            assertThat(claimAll()).isEmpty();
        }

        @Test
        void a_long_error_is_cut_to_the_maximum_length() {
            addAll("a", "b");
            String error = "\u00e9".repeat(StoredDelivery.MAX_ERROR_LENGTH * 3);

            inbox.bury(claimOne(), error);
            inbox.retry(claimOne(), RECEIVED_BASE, error);

            assertThat(stored("a").lastError())
                    .hasSizeLessThanOrEqualTo(StoredDelivery.MAX_ERROR_LENGTH)
                    .isEqualTo(StoredDelivery.truncate(error));
            assertThat(stored("b").lastError()).isEqualTo(StoredDelivery.truncate(error));
        }

        @Test
        void settling_moves_the_last_changed_time() throws InterruptedException {
            addAll("a");
            InboxLease lease = claimOne();
            Instant claimed = stored("a").updatedAt();

            elapse(shortLease());
            inbox.complete(lease);

            assertThat(stored("a").updatedAt()).isAfter(claimed);
        }
    }

    @Nested
    class StrictOrdering {
        private InboxEntry strict(String key, String orderingKey, long sequence) {
            return added(ordered(key, Ordering.STRICT, orderingKey, sequence));
        }

        @Test
        void only_the_head_of_a_key_is_claimed_in_sequence_order() {
            strict("third", "cus_1", 30);
            strict("first", "cus_1", 10);
            strict("second", "cus_1", 20);

            List<String> order = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<InboxLease> leases = claimAll();
                assertThat(leases).hasSize(1);
                order.add(leases.get(0).delivery().entry().dedupeKey());
                inbox.complete(leases.get(0));
            }

            assertThat(order).containsExactly("first", "second", "third");
        }

        @Test
        void equal_sequences_go_in_write_order() {
            strict("a", "k", 5);
            strict("b", "k", 5);

            InboxLease first = claimOne();
            inbox.complete(first);

            assertThat(first.delivery().entry().dedupeKey()).isEqualTo("a");
            assertThat(keys(claimAll())).containsExactly("b");
        }

        @Test
        void one_claim_never_returns_two_of_the_same_key_and_other_keys_are_not_blocked() {
            for (int i = 0; i < 5; i++) {
                strict("k1-" + i, "k1", i);
                strict("k2-" + i, "k2", i);
            }
            added(entry("free"));

            List<InboxLease> leases = claimAll();

            assertThat(keys(leases)).containsExactlyInAnyOrder("k1-0", "k2-0", "free");
        }

        @Test
        void the_head_in_flight_blocks_its_key() {
            strict("a", "k", 1);
            strict("b", "k", 2);
            claimOne();

            assertThat(claimAll()).isEmpty();
        }

        @Test
        void a_dead_head_blocks_its_key_until_replayed_and_other_keys_go_on() {
            strict("a", "k", 1);
            strict("b", "k", 2);
            strict("c", "other", 1);
            InboxLease head = claimAll().stream()
                    .filter(l -> l.delivery().entry().dedupeKey().equals("a"))
                    .findFirst()
                    .orElseThrow();
            inbox.bury(head, "poison");
            strict("d", "other", 2);

            List<InboxLease> afterDeath = claimAll();

            assertThat(keys(afterDeath)).isEmpty(); // c is in flight, so d waits; b waits behind dead a
            assertThat(inbox.replay(head.id())).isTrue();
            assertThat(keys(claimAll())).containsExactly("a");
        }

        @Test
        void a_purged_dead_head_frees_its_key() {
            strict("a", "k", 1);
            strict("b", "k", 2);
            inbox.bury(claimOne(), "poison");

            assertThat(inbox.purge(query().state(State.DEAD).build())).isOne();

            assertThat(keys(claimAll())).containsExactly("b");
        }

        @Test
        void a_head_waiting_for_its_retry_keeps_its_key_blocked() throws InterruptedException {
            strict("a", "k", 1);
            strict("b", "k", 2);
            InboxLease head = claimOne();
            inbox.retry(head, claimedAt(head, LONG).plus(shortLease()), "later");

            assertThat(claimAll()).isEmpty();
            elapse(shortLease());
            assertThat(keys(claimAll())).containsExactly("a");
        }

        @Test
        void an_expired_head_is_claimed_again_before_the_next() throws InterruptedException {
            strict("a", "k", 1);
            strict("b", "k", 2);
            claimOne(shortLease());

            elapse(shortLease());

            assertThat(keys(claimAll())).containsExactly("a");
        }

        @Test
        void a_late_entry_with_a_lower_sequence_waits_while_a_later_one_is_in_flight() {
            strict("later", "k", 20);
            InboxLease inFlight = claimOne();
            strict("earlier", "k", 10);

            assertThat(claimAll()).isEmpty();
            inbox.complete(inFlight);
            assertThat(keys(claimAll())).containsExactly("earlier");
        }

        @Test
        void completed_and_skipped_deliveries_do_not_block() {
            strict("a", "k", 1);
            strict("b", "k", 2);
            strict("c", "k", 3);
            inbox.complete(claimOne());
            inbox.skip(claimOne(), "stale");

            assertThat(keys(claimAll())).containsExactly("c");
        }

        @Test
        void the_same_ordering_key_at_another_endpoint_is_another_key() {
            String elsewhere = endpoint();
            strict("a", "k", 1);
            claimOne();
            added(entry(elsewhere, "b", "t", "k", Ordering.STRICT, 2));

            assertThat(inbox.claim(List.of(elsewhere), 10, LONG)).hasSize(1);
        }
    }

    @Nested
    class LatestOrdering {
        private InboxEntry latest(String key, String orderingKey, long sequence) {
            return added(ordered(key, Ordering.LATEST, orderingKey, sequence));
        }

        @Test
        void one_delivery_of_a_key_is_in_flight_at_a_time() {
            latest("a", "k", 1);
            latest("b", "k", 2);
            latest("other", "k2", 1);

            List<InboxLease> first = claimAll();
            InboxLease ofK = first.stream()
                    .filter(l -> "k".equals(l.delivery().entry().orderingKey()))
                    .findFirst()
                    .orElseThrow();

            assertThat(first).hasSize(2);
            assertThat(claimAll()).isEmpty();
            inbox.complete(ofK);
            List<InboxLease> second = claimAll();
            assertThat(second).hasSize(1);
            assertThat(second.get(0).id()).isNotEqualTo(ofK.id());
        }

        @Test
        void a_dead_delivery_does_not_block_its_key() {
            latest("a", "k", 1);
            latest("b", "k", 2);
            InboxLease first = claimOne();
            inbox.bury(first, "poison");

            List<InboxLease> next = claimAll();

            assertThat(next).hasSize(1);
            assertThat(next.get(0).id()).isNotEqualTo(first.id());
        }

        @Test
        void the_completed_sequence_is_the_highest_completed() {
            latest("five", "k", 5);
            inbox.complete(claimOne());
            latest("three", "k", 3);
            inbox.complete(claimOne());
            latest("nine", "k", 9);
            inbox.bury(claimOne(), "dead is not completed");

            assertThat(inbox.completedSequence(endpoint, "k")).hasValue(5);
        }

        @Test
        void the_completed_sequence_is_empty_before_any_completes_and_per_endpoint() {
            latest("a", "k", 4);
            claimOne();
            String elsewhere = endpoint();
            added(entry(elsewhere, "b", "t", "k", Ordering.LATEST, 7));
            inbox.complete(inbox.claim(List.of(elsewhere), 1, LONG).get(0));

            assertThat(inbox.completedSequence(endpoint, "k")).isEmpty();
            assertThat(inbox.completedSequence(endpoint, "unknown")).isEmpty();
            assertThat(inbox.completedSequence(elsewhere, "k")).hasValue(7);
        }

        @Test
        void the_completed_sequence_is_forgotten_when_purged() {
            latest("a", "k", 4);
            inbox.complete(claimOne());

            inbox.purge(query().build());

            assertThat(inbox.completedSequence(endpoint, "k")).isEmpty();
        }
    }

    @Nested
    class Finding {
        @Test
        void find_returns_the_most_recently_received_first_up_to_the_limit() {
            addAll("a", "b", "c", "d");

            List<StoredDelivery> found = inbox.find(query().limit(3).build());

            assertThat(deliveryKeys(found)).containsExactly("d", "c", "b");
        }

        @Test
        void find_filters_by_endpoint_event_type_and_state() {
            String elsewhere = endpoint();
            added(entry(endpoint, "paid", "invoice.paid", null, Ordering.NONE, 0));
            added(entry(endpoint, "failed", "invoice.failed", null, Ordering.NONE, 0));
            added(entry(endpoint, "paid-2", "invoice.paid", null, Ordering.NONE, 0));
            added(entry(elsewhere, "paid", "invoice.paid", null, Ordering.NONE, 0));
            InboxLease first = claimOne();
            inbox.bury(first, "poison");

            assertThat(deliveryKeys(inbox.find(query().eventType("invoice.paid").build())))
                    .containsExactly("paid-2", "paid");
            assertThat(deliveryKeys(inbox.find(query().state(State.DEAD).build())))
                    .containsExactly("paid");
            assertThat(deliveryKeys(
                            inbox.find(query().state(State.PENDING, State.DEAD).build())))
                    .containsExactly("paid-2", "failed", "paid");
            assertThat(deliveryKeys(inbox.find(query().eventType("invoice.paid")
                            .state(State.PENDING)
                            .build())))
                    .containsExactly("paid-2");
            assertThat(inbox.find(InboxQuery.builder().endpoint(elsewhere).build()))
                    .singleElement()
                    .satisfies(d -> assertThat(d.state()).isEqualTo(State.PENDING));
        }

        @Test
        void find_filters_by_the_time_received() {
            InboxEntry a = added(entry("a"));
            InboxEntry b = added(entry("b"));
            InboxEntry c = added(entry("c"));

            assertThat(deliveryKeys(
                            inbox.find(query().receivedFrom(b.receivedAt()).build())))
                    .containsExactly("c", "b");
            assertThat(deliveryKeys(
                            inbox.find(query().receivedBefore(b.receivedAt()).build())))
                    .containsExactly("a");
            assertThat(deliveryKeys(inbox.find(query().receivedFrom(a.receivedAt())
                            .receivedBefore(c.receivedAt())
                            .build())))
                    .containsExactly("b", "a");
        }

        @Test
        void get_of_an_unknown_id_is_empty() {
            addAll("a");
            String id = stored("a").id();
            inbox.purge(query().build());

            assertThat(inbox.get(id)).isEmpty();
            assertThat(inbox.get("no-such-id")).isEmpty();
        }
    }

    @Nested
    class Replaying {
        @Test
        void replay_makes_dead_and_skipped_deliveries_pending_due_now_with_no_attempts() {
            addAll("dead", "skipped", "completed", "pending");
            inbox.bury(claimOne(), "poison");
            inbox.skip(claimOne(), "stale");
            inbox.complete(claimOne());

            int replayed = inbox.replay(query().build());

            assertThat(replayed).isEqualTo(2);
            StoredDelivery dead = stored("dead");
            assertThat(dead.state()).isEqualTo(State.PENDING);
            assertThat(dead.attempts()).isZero();
            assertThat(dead.lastError()).isEqualTo("poison");
            assertThat(stored("skipped").state()).isEqualTo(State.PENDING);
            assertThat(stored("completed").state()).isEqualTo(State.COMPLETED);
            assertThat(keys(claimAll())).containsExactly("dead", "skipped", "pending");
        }

        @Test
        void completed_deliveries_are_replayed_only_when_the_query_names_completed() {
            addAll("a");
            inbox.complete(claimOne());

            assertThat(inbox.replay(query().state(State.DEAD).build())).isZero();
            assertThat(inbox.replay(query().state(State.COMPLETED).build())).isOne();

            assertThat(stored("a").state()).isEqualTo(State.PENDING);
            assertThat(keys(claimAll())).containsExactly("a");
        }

        @Test
        void pending_and_in_flight_deliveries_never_change() {
            addAll("in-flight", "pending");
            InboxLease lease = claimOne();
            StoredDelivery inFlight = stored("in-flight");
            StoredDelivery pending = stored("pending");

            int replayed =
                    inbox.replay(query().state(State.PENDING, State.IN_FLIGHT).build());

            assertThat(replayed).isZero();
            assertThat(stored("in-flight")).isEqualTo(inFlight);
            assertThat(stored("pending")).isEqualTo(pending);
            assertThat(inbox.complete(lease)).isTrue();
        }

        @Test
        void replay_narrows_by_event_type() {
            added(entry(endpoint, "paid", "invoice.paid", null, Ordering.NONE, 0));
            added(entry(endpoint, "failed", "invoice.failed", null, Ordering.NONE, 0));
            inbox.bury(claimOne(), "x");
            inbox.bury(claimOne(), "x");

            assertThat(inbox.replay(query().eventType("invoice.failed").build()))
                    .isOne();

            assertThat(stored("failed").state()).isEqualTo(State.PENDING);
            assertThat(stored("paid").state()).isEqualTo(State.DEAD);
        }

        @Test
        void replay_of_one_delivery_takes_any_settled_state_but_not_pending_or_in_flight() {
            addAll("dead", "completed", "skipped", "in-flight", "pending");
            inbox.bury(claimOne(), "x");
            inbox.complete(claimOne());
            inbox.skip(claimOne(), "x");
            InboxLease inFlight = claimOne();

            assertThat(inbox.replay(stored("dead").id())).isTrue();
            assertThat(inbox.replay(stored("completed").id())).isTrue();
            assertThat(inbox.replay(stored("skipped").id())).isTrue();
            assertThat(inbox.replay(stored("in-flight").id())).isFalse();
            assertThat(inbox.replay(stored("pending").id())).isFalse();
            assertThat(inbox.replay("no-such-id")).isFalse();

            assertThat(stored("completed").attempts()).isZero();
            assertThat(stored("in-flight").state()).isEqualTo(State.IN_FLIGHT);
            assertThat(inbox.complete(inFlight)).isTrue();
        }

        @Test
        void a_replayed_delivery_cannot_be_settled_by_its_old_lease() {
            addAll("a");
            InboxLease old = claimOne();
            inbox.bury(old, "x");
            inbox.replay(old.id());
            InboxLease fresh = claimOne();

            assertThat(inbox.complete(old)).isFalse();
            assertThat(inbox.complete(fresh)).isTrue();
        }
    }

    @Nested
    class Purging {
        @Test
        void purge_deletes_matching_deliveries_but_not_those_in_flight() {
            addAll("in-flight", "dead", "completed", "pending");
            InboxLease lease = claimOne();
            inbox.bury(claimOne(), "x");
            inbox.complete(claimOne());

            int purged = inbox.purge(query().build());

            assertThat(purged).isEqualTo(3);
            assertThat(deliveryKeys(inbox.find(query().build()))).containsExactly("in-flight");
            assertThat(inbox.complete(lease)).isTrue();
        }

        @Test
        void a_purged_key_is_free_again() {
            addAll("a");
            inbox.complete(claimOne());

            inbox.purge(query().state(State.COMPLETED).build());

            assertThat(inbox.write(entry("a"))).isEqualTo(Written.ADDED);
            assertThat(stored("a").state()).isEqualTo(State.PENDING);
        }

        @Test
        void purge_narrows_by_state_and_leaves_other_endpoints() {
            String elsewhere = endpoint();
            addAll("dead", "pending");
            added(entry(elsewhere, "dead", "t", null, Ordering.NONE, 0));
            inbox.bury(claimOne(), "x");
            inbox.bury(inbox.claim(List.of(elsewhere), 1, LONG).get(0), "x");

            assertThat(inbox.purge(query().state(State.DEAD).build())).isOne();

            assertThat(deliveryKeys(inbox.find(query().build()))).containsExactly("pending");
            assertThat(stored(elsewhere, "dead").state()).isEqualTo(State.DEAD);
        }
    }

    @Nested
    class RetentionSweep {
        private final Instant farFuture = Instant.parse("9999-01-01T00:00:00Z");

        private void sweepEverything() {
            while (inbox.purgeSettled(farFuture, 1_000) == 1_000) {
                // earlier tests' settled deliveries
            }
        }

        @Test
        void purge_settled_deletes_at_most_a_batch_of_completed_and_skipped_deliveries() {
            sweepEverything();
            addAll("c1", "c2", "c3", "skipped", "dead", "in-flight", "pending");
            inbox.complete(claimOne());
            inbox.complete(claimOne());
            inbox.complete(claimOne());
            inbox.skip(claimOne(), "stale");
            inbox.bury(claimOne(), "x");
            claimOne();

            assertThat(inbox.purgeSettled(farFuture, 3)).isEqualTo(3);
            assertThat(inbox.purgeSettled(farFuture, 3)).isOne();
            assertThat(inbox.purgeSettled(farFuture, 3)).isZero();

            assertThat(deliveryKeys(inbox.find(query().build()))).containsExactly("pending", "in-flight", "dead");
        }

        @Test
        void purge_settled_keeps_deliveries_settled_at_or_after_the_cutoff() throws InterruptedException {
            sweepEverything();
            addAll("old", "new");
            InboxLease old = claimOne();
            inbox.complete(old);
            Instant oldSettled = stored("old").updatedAt();
            elapse(shortLease());
            inbox.complete(claimOne());
            Instant newSettled = stored("new").updatedAt();

            int purged = inbox.purgeSettled(newSettled, 10);

            assertThat(newSettled).isAfter(oldSettled);
            assertThat(purged).isOne();
            assertThat(deliveryKeys(inbox.find(query().build()))).containsExactly("new");
            assertThat(inbox.write(entry("old"))).isEqualTo(Written.ADDED);
            assertThat(inbox.write(entry("new"))).isEqualTo(Written.DUPLICATE);
        }

        @Test
        void a_batch_that_is_not_positive_is_refused() {
            assertThatThrownBy(() -> inbox.purgeSettled(farFuture, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Stats {
        @Test
        void stats_count_per_state_and_name_the_oldest_pending() {
            InboxEntry inFlight = added(entry("in-flight"));
            claimOne();
            InboxEntry oldestPending = added(entry("pending-1"));
            addAll("pending-2", "completed", "dead", "skipped");
            List<InboxLease> leases = claim(10, LONG);
            Map<String, InboxLease> byKey = new HashMap<>();
            leases.forEach(l -> byKey.put(l.delivery().entry().dedupeKey(), l));
            inbox.retry(byKey.get("pending-1"), RECEIVED_BASE, "x");
            inbox.retry(byKey.get("pending-2"), RECEIVED_BASE, "x");
            inbox.complete(byKey.get("completed"));
            inbox.bury(byKey.get("dead"), "x");
            inbox.skip(byKey.get("skipped"), "x");

            InboxStats stats = inbox.stats(endpoint);

            assertThat(stats.count(State.PENDING)).isEqualTo(2);
            assertThat(stats.count(State.IN_FLIGHT)).isOne();
            assertThat(stats.count(State.COMPLETED)).isOne();
            assertThat(stats.count(State.DEAD)).isOne();
            assertThat(stats.count(State.SKIPPED)).isOne();
            assertThat(stats.oldestPendingSince()).hasValue(oldestPending.receivedAt());
            assertThat(inFlight.receivedAt()).isBefore(oldestPending.receivedAt());
        }

        @Test
        void stats_of_all_endpoints_include_every_endpoint() {
            String elsewhere = endpoint();
            addAll("a");
            added(entry(elsewhere, "b", "t", null, Ordering.NONE, 0));

            InboxStats all = inbox.stats(null);

            assertThat(all.count(State.PENDING)).isGreaterThanOrEqualTo(2);
            assertThat(all.oldestPendingSince()).isPresent();
        }

        @Test
        void stats_of_an_empty_endpoint_are_zero() {
            InboxStats stats = inbox.stats(endpoint);

            for (State state : State.values()) {
                assertThat(stats.count(state)).as(state.name()).isZero();
            }
            assertThat(stats.oldestPendingSince()).isEmpty();
        }
    }

    @Nested
    class Concurrency {
        @Test
        void every_delivery_is_claimed_exactly_once_by_8_threads_claiming_at_once() throws Exception {
            int n = concurrentDeliveries();
            for (int i = 0; i < n; i++) {
                added(entry("d" + i));
            }
            AtomicIntegerArray claims = new AtomicIntegerArray(n);
            AtomicInteger total = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            runOnThreads(8, () -> {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (total.get() < n && System.nanoTime() < deadline) {
                    List<InboxLease> leases = claim(7, LONG);
                    if (leases.isEmpty()) {
                        Thread.yield();
                    }
                    for (InboxLease lease : leases) {
                        claims.incrementAndGet(Integer.parseInt(
                                lease.delivery().entry().dedupeKey().substring(1)));
                        total.incrementAndGet();
                        if (!inbox.complete(lease)) {
                            refused.incrementAndGet();
                        }
                    }
                }
            });

            List<Integer> notOnce = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (claims.get(i) != 1) {
                    notOnce.add(i);
                }
            }
            assertThat(notOnce).as("deliveries not claimed exactly once").isEmpty();
            assertThat(refused.get()).as("completions refused to their owner").isZero();
            assertThat(inbox.stats(endpoint).count(State.COMPLETED)).isEqualTo(n);
        }

        @Test
        void strict_keys_claimed_by_8_threads_are_handled_one_at_a_time_in_sequence_order() throws Exception {
            int keys = 10;
            int perKey = 8;
            List<InboxEntry> entries = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                for (int s = 0; s < perKey; s++) {
                    entries.add(ordered("k" + k + "-" + s, Ordering.STRICT, "key-" + k, s));
                }
            }
            Collections.shuffle(entries, new Random(14));
            entries.forEach(InboxContractTest.this::added);
            Map<String, AtomicBoolean> busy = new ConcurrentHashMap<>();
            Map<String, List<Long>> seen = new ConcurrentHashMap<>();
            Set<String> overlaps = ConcurrentHashMap.newKeySet();
            AtomicInteger total = new AtomicInteger();
            runOnThreads(8, () -> {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (total.get() < keys * perKey && System.nanoTime() < deadline) {
                    List<InboxLease> leases = claim(3, LONG);
                    if (leases.isEmpty()) {
                        Thread.yield();
                    }
                    for (InboxLease lease : leases) {
                        InboxEntry e = lease.delivery().entry();
                        AtomicBoolean flag = busy.computeIfAbsent(e.orderingKey(), k -> new AtomicBoolean());
                        if (!flag.compareAndSet(false, true)) {
                            overlaps.add(e.dedupeKey());
                        }
                        seen.computeIfAbsent(e.orderingKey(), k -> new CopyOnWriteArrayList<>())
                                .add(e.sequence());
                        flag.set(false); // before completing: the key stays held until then
                        inbox.complete(lease);
                        total.incrementAndGet();
                    }
                }
            });

            assertThat(overlaps)
                    .as("deliveries handled while another of their key was")
                    .isEmpty();
            assertThat(seen).hasSize(keys);
            List<Long> expected = new ArrayList<>();
            for (long s = 0; s < perKey; s++) {
                expected.add(s);
            }
            seen.forEach((key, sequences) -> assertThat(sequences).as(key).containsExactlyElementsOf(expected));
        }

        private void runOnThreads(int threads, ThrowingRunnable work) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        work.run();
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
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
