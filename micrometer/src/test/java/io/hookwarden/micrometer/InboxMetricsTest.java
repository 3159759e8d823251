package io.hookwarden.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.hookwarden.InMemoryInbox;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.InboxStats;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.spi.StoredDelivery;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The inbox's gauges read a real in-memory inbox, filled by a real receiver, with time on a clock the test moves: depth
 * per state, the oldest pending delivery's age, stats read at most once per refresh interval, and a failing inbox that
 * neither throws into the registry nor is asked on every scrape.
 */
class InboxMetricsTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private final MovableClock clock = new MovableClock(T0);
    private final CountingInbox inbox =
            new CountingInbox(InMemoryInbox.builder().clock(clock).build());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final WebhookReceiver receiver = WebhookReceiver.builder()
            .name("orders")
            .verifier(WebhookVerifier.builder()
                    .scheme(Schemes.standardWebhooks())
                    .secret(SECRET)
                    .clock(clock)
                    .build())
            .inbox(inbox)
            .build();

    private final WebhookSigner signer = WebhookSigner.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .clock(clock)
            .build();

    private final Logger log = Logger.getLogger(InboxMetrics.class.getName());
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        log.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        log.removeHandler(capture);
    }

    private void receive(String id) {
        assertThat(receiver.receive(signer.sign(WebhookMessage.body("{\"order_id\":1}")
                                .id(id)
                                .eventType("order.created")
                                .build()))
                        .answer()
                        .status())
                .isEqualTo(200);
    }

    private InboxMetrics bound(Duration refresh) {
        InboxMetrics metrics = InboxMetrics.builder()
                .inbox(inbox)
                .endpoints("orders", "refunds")
                .refresh(refresh)
                .clock(clock)
                .build();
        metrics.bindTo(meters);
        return metrics;
    }

    private double depth(String endpoint, String state) {
        return meters.get(InboxMetrics.DELIVERIES)
                .tags("endpoint", endpoint, "state", state)
                .gauge()
                .value();
    }

    private double oldestPendingAge(String endpoint) {
        return meters.get(InboxMetrics.OLDEST_PENDING_AGE)
                .tag("endpoint", endpoint)
                .gauge()
                .value();
    }

    private long warnings() {
        return logged.stream().filter(r -> r.getLevel() == Level.WARNING).count();
    }

    @Test
    void reportsTheDepthOfEveryStateAndTheOldestPendingAgePerEndpoint() {
        // given: five stored at T0, then one completed, one dead, one skipped, one failed (pending again), one held
        for (String id : List.of("msg_a", "msg_b", "msg_c", "msg_d", "msg_e")) {
            receive(id);
        }
        List<InboxLease> leases = inbox.claim(List.of("orders"), 5, Duration.ofHours(1));
        assertThat(leases).hasSize(5);
        assertThat(inbox.complete(leases.get(0))).isTrue();
        assertThat(inbox.bury(leases.get(1), "poison")).isTrue();
        assertThat(inbox.skip(leases.get(2), "stale")).isTrue();
        assertThat(inbox.retry(leases.get(3), T0.plus(Duration.ofHours(1)), "down"))
                .isTrue();
        clock.advance(Duration.ofSeconds(90));

        // when
        bound(Duration.ofSeconds(10));

        // then
        assertThat(depth("orders", "pending")).isEqualTo(1);
        assertThat(depth("orders", "in_flight")).isEqualTo(1);
        assertThat(depth("orders", "completed")).isEqualTo(1);
        assertThat(depth("orders", "dead")).isEqualTo(1);
        assertThat(depth("orders", "skipped")).isEqualTo(1);
        assertThat(oldestPendingAge("orders")).isEqualTo(90.0);
        assertThat(depth("refunds", "pending")).isZero();
        assertThat(oldestPendingAge("refunds")).isZero();
        assertThat(meters.get(InboxMetrics.OLDEST_PENDING_AGE)
                        .tag("endpoint", "orders")
                        .gauge()
                        .getId()
                        .getBaseUnit())
                .isEqualTo("seconds");
    }

    @Test
    void theAgeGrowsWithTheClockWhileTheStatsAreCached() {
        // given
        receive("msg_a");
        bound(Duration.ofSeconds(10));
        assertThat(oldestPendingAge("orders")).isZero();

        // when
        clock.advance(Duration.ofMillis(2500));

        // then: the same stats, read once, and an age measured now
        assertThat(oldestPendingAge("orders")).isEqualTo(2.5);
        assertThat(inbox.statsCalls("orders")).isEqualTo(1);
    }

    @Test
    void readsTheStatsOncePerRefreshIntervalWhateverTheScrapes() {
        // given: one pending, every gauge of the endpoint read once (a scrape)
        receive("msg_a");
        bound(Duration.ofSeconds(10));
        assertThat(meters.getMetersAsString()).contains("pending");
        assertThat(depth("orders", "pending")).isEqualTo(1);
        assertThat(inbox.statsCalls("orders")).isEqualTo(1);

        // when: another stored, scraped again just inside the interval
        receive("msg_b");
        clock.advance(Duration.ofMillis(9999));
        meters.getMetersAsString();

        // then: not asked again; the cached depth
        assertThat(depth("orders", "pending")).isEqualTo(1);
        assertThat(inbox.statsCalls("orders")).isEqualTo(1);

        // when: the interval ran out
        clock.advance(Duration.ofMillis(1));

        // then
        assertThat(depth("orders", "pending")).isEqualTo(2);
        assertThat(depth("orders", "dead")).isZero();
        assertThat(inbox.statsCalls("orders")).isEqualTo(2);
    }

    @Test
    void aFailingInboxGivesNaNIsAskedOncePerIntervalAndIsLoggedOncePerOutage() {
        // given: read once
        receive("msg_a");
        bound(Duration.ofSeconds(10));
        assertThat(depth("orders", "pending")).isEqualTo(1);

        // when: the inbox fails, and the interval ran out
        inbox.failing = true;
        clock.advance(Duration.ofSeconds(10));

        // then: no exception into the registry, no value rather than a stale one
        assertThat(meters.getMetersAsString()).contains("NaN");
        assertThat(depth("orders", "pending")).isNaN();
        assertThat(oldestPendingAge("orders")).isNaN();
        assertThat(inbox.statsCalls("orders")).isEqualTo(2);
        assertThat(warnings()).isEqualTo(1);
        assertThat(logged.get(0).getMessage())
                .contains("StoreUnavailableException")
                .doesNotContain("hunter2");

        // when: still failing, scraped within and after the next interval
        depth("orders", "pending");
        clock.advance(Duration.ofSeconds(10));
        assertThat(depth("orders", "pending")).isNaN();

        // then: asked once more, not logged again
        assertThat(inbox.statsCalls("orders")).isEqualTo(3);
        assertThat(warnings()).isEqualTo(1);

        // when: the inbox answers again
        inbox.failing = false;
        clock.advance(Duration.ofSeconds(10));

        // then
        assertThat(depth("orders", "pending")).isEqualTo(1);
        assertThat(logged).anyMatch(r -> r.getLevel() == Level.INFO);

        // when: a second outage
        inbox.failing = true;
        clock.advance(Duration.ofSeconds(10));

        // then: logged again, once
        assertThat(depth("orders", "pending")).isNaN();
        assertThat(warnings()).isEqualTo(2);
    }

    @Test
    void aZeroRefreshReadsTheStatsOnEveryRead() {
        // given
        receive("msg_a");
        bound(Duration.ZERO);

        // when
        depth("orders", "pending");
        depth("orders", "pending");

        // then
        assertThat(inbox.statsCalls("orders")).isEqualTo(2);
    }

    @Test
    void theDefaultRefreshIsTenSeconds() {
        // given
        receive("msg_a");
        InboxMetrics.builder()
                .inbox(inbox)
                .endpoints("orders")
                .clock(clock)
                .build()
                .bindTo(meters);
        depth("orders", "pending");

        // when
        clock.advance(Duration.ofSeconds(9));
        depth("orders", "pending");
        clock.advance(Duration.ofSeconds(1));
        depth("orders", "pending");

        // then
        assertThat(InboxMetrics.DEFAULT_REFRESH).isEqualTo(Duration.ofSeconds(10));
        assertThat(inbox.statsCalls("orders")).isEqualTo(2);
    }

    @Test
    void refusesAMissingInboxNoEndpointARepeatedEndpointAndANegativeRefresh() {
        assertThatIllegalStateException()
                .isThrownBy(() -> InboxMetrics.builder().endpoints("orders").build())
                .withMessage("inbox is required");
        assertThatIllegalStateException()
                .isThrownBy(() -> InboxMetrics.builder().inbox(inbox).build())
                .withMessage("at least one endpoint is required");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InboxMetrics.builder().endpoints("orders", "orders"))
                .withMessage("endpoint orders is given twice");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InboxMetrics.builder().refresh(Duration.ofSeconds(-1)))
                .withMessage("refresh cannot be negative but was PT-1S");
        assertThatIllegalStateException()
                .isThrownBy(() -> InboxMetrics.builder().refresh(Duration.ZERO).refresh(Duration.ZERO))
                .withMessage("refresh is already set");
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The inbox, counting stats calls per endpoint, and failing them on demand. */
    private static final class CountingInbox implements Inbox {
        private final Inbox delegate;
        private final java.util.Map<String, Integer> statsCalls = new java.util.concurrent.ConcurrentHashMap<>();
        volatile boolean failing;

        CountingInbox(Inbox delegate) {
            this.delegate = delegate;
        }

        int statsCalls(String endpoint) {
            return statsCalls.getOrDefault(endpoint, 0);
        }

        @Override
        public InboxStats stats(String endpoint) {
            statsCalls.merge(endpoint, 1, Integer::sum);
            if (failing) {
                throw new StoreUnavailableException("connection refused (db password hunter2)");
            }
            return delegate.stats(endpoint);
        }

        @Override
        public Written write(InboxEntry entry) {
            return delegate.write(entry);
        }

        @Override
        public List<InboxLease> claim(Collection<String> endpoints, int max, Duration lease) {
            return delegate.claim(endpoints, max, lease);
        }

        @Override
        public Optional<InboxLease> heartbeat(InboxLease lease, Duration extension) {
            return delegate.heartbeat(lease, extension);
        }

        @Override
        public boolean complete(InboxLease lease) {
            return delegate.complete(lease);
        }

        @Override
        public boolean retry(InboxLease lease, Instant notBefore, String error) {
            return delegate.retry(lease, notBefore, error);
        }

        @Override
        public boolean bury(InboxLease lease, String error) {
            return delegate.bury(lease, error);
        }

        @Override
        public boolean skip(InboxLease lease, String why) {
            return delegate.skip(lease, why);
        }

        @Override
        public OptionalLong completedSequence(String endpoint, String orderingKey) {
            return delegate.completedSequence(endpoint, orderingKey);
        }

        @Override
        public Optional<StoredDelivery> get(String id) {
            return delegate.get(id);
        }

        @Override
        public List<StoredDelivery> find(InboxQuery query) {
            return delegate.find(query);
        }

        @Override
        public int replay(InboxQuery query) {
            return delegate.replay(query);
        }

        @Override
        public boolean replay(String id) {
            return delegate.replay(id);
        }

        @Override
        public int purge(InboxQuery query) {
            return delegate.purge(query);
        }

        @Override
        public int purgeSettled(Instant before, int batch) {
            return delegate.purgeSettled(before, batch);
        }
    }
}
