package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A delivery settles its claim once: complete and release return what the store answered, a later call does nothing,
 * a store failure or a claim no longer ours is logged and not thrown, and the listener hears how long handling took.
 * (The JDK's System.Logger writes to java.util.logging here: core has no logging binding.)
 */
class DeliveryTest {
    private static final Duration RETENTION = Duration.ofDays(1);

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final Logger jul = Logger.getLogger(Delivery.class.getName());

    @BeforeEach
    void captureLog() {
        jul.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        jul.removeHandler(capture);
    }

    /** A store that answers complete and release as told, or throws, and counts the calls. */
    private static final class ScriptedStore implements DedupeStore {
        final List<String> calls = new ArrayList<>();
        private final Boolean answer;

        /** @param answer what complete and release return, or null to throw */
        ScriptedStore(Boolean answer) {
            this.answer = answer;
        }

        @Override
        public ClaimResult claim(String key, Duration lease) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean complete(String key, Claim claim, Duration retention) {
            return answer("complete " + key + " " + retention);
        }

        @Override
        public boolean release(String key, Claim claim) {
            return answer("release " + key);
        }

        private boolean answer(String call) {
            calls.add(call);
            if (answer == null) {
                throw new StoreUnavailableException("redis is down");
            }
            return answer;
        }
    }

    /** A delivery whose lease has ended already, so a failed settlement is not retried. */
    private static Delivery delivery(DedupeStore store) {
        return new Delivery(null, store, "k", Claim.newClaim(), RETENTION, System.nanoTime());
    }

    private List<String> warnings() {
        SimpleFormatter formatter = new SimpleFormatter();
        return records.stream()
                .filter(r -> r.getLevel() == Level.WARNING)
                .map(formatter::formatMessage)
                .toList();
    }

    @Test
    void completeReturnsTheStoresYesOnceAndLaterCallsDoNothing() {
        // given
        ScriptedStore store = new ScriptedStore(true);
        Delivery delivery = delivery(store);

        // when
        boolean completed = delivery.complete();
        boolean again = delivery.complete();
        boolean released = delivery.release();
        delivery.close();

        // then
        assertThat(completed).isTrue();
        assertThat(again).isFalse();
        assertThat(released).isFalse();
        assertThat(store.calls).containsExactly("complete k PT24H");
        assertThat(delivery).hasToString("Delivery[k, completed]");
        assertThat(warnings()).isEmpty();
    }

    @Test
    void completeReturnsFalseAndWarnsWhenTheClaimIsNoLongerOurs() {
        // given
        Delivery delivery = delivery(new ScriptedStore(false));

        // when
        boolean completed = delivery.complete();

        // then
        assertThat(completed).isFalse();
        assertThat(warnings())
                .containsExactly("dedupe key k was no longer claimed by this attempt when it completed; "
                        + "its lease may have expired while the handler ran");
    }

    @Test
    void aStoreFailureWhileCompletingIsLoggedAndNotThrown() {
        // given
        Delivery delivery = delivery(new ScriptedStore(null));

        // when
        boolean completed = delivery.complete();

        // then
        assertThat(completed).isFalse();
        assertThat(delivery.isFinished()).isTrue();
        assertThat(warnings()).containsExactly("dedupe store failed to complete key k: redis is down");
    }

    @Test
    void releaseReturnsTheStoresAnswerOnceAndLaterCallsDoNothing() {
        // given
        ScriptedStore yes = new ScriptedStore(true);
        Delivery released = delivery(yes);
        Delivery notOurs = delivery(new ScriptedStore(false));

        // when
        boolean first = released.release();
        boolean again = released.release();
        boolean completedAfter = released.complete();
        boolean notOursAnswer = notOurs.release();

        // then
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(completedAfter).isFalse();
        assertThat(yes.calls).containsExactly("release k");
        assertThat(released).hasToString("Delivery[k, released]");
        assertThat(notOursAnswer).isFalse();
    }

    @Test
    void aStoreFailureWhileReleasingIsLoggedAndNotThrown() {
        // given
        Delivery delivery = delivery(new ScriptedStore(null));

        // when
        boolean released = delivery.release();

        // then
        assertThat(released).isFalse();
        assertThat(warnings()).containsExactly("dedupe store failed to release key k: redis is down");
    }

    @Test
    void aCompletionTheStoreKeepsFailingIsRetriedUntilTheLeaseEndsThenGivenUpWithAWarning() throws Exception {
        // given
        ScriptedStore down = new ScriptedStore(null);
        Delivery delivery = new Delivery(
                null,
                down,
                "k",
                Claim.newClaim(),
                RETENTION,
                System.nanoTime() + Duration.ofSeconds(1).toNanos());

        // when
        boolean completed = delivery.complete();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (warnings().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        // then
        assertThat(completed).isFalse();
        assertThat(warnings())
                .containsExactly(
                        "dedupe store failed to complete key k: redis is down",
                        "dedupe store still failed to complete key k when its lease ended; a later attempt may process "
                                + "the event again");
        assertThat(down.calls).hasSizeGreaterThan(1).allMatch(call -> call.equals("complete k PT24H"));
    }

    @Test
    void anOpenDeliveryPrintsItsKeyAndState() {
        // given
        Delivery delivery = delivery(new ScriptedStore(true));

        // when
        String printed = delivery.toString();

        // then
        assertThat(printed).isEqualTo("Delivery[k, open]");
        assertThat(delivery.isFinished()).isFalse();
    }

    @Test
    void theListenerHearsHowLongHandlingTookAndItsFailureIsOnlyLogged() {
        // given
        List<Duration> handled = new ArrayList<>();
        DeliveryListener.Observer observer = new DeliveryListener.Observer() {
            @Override
            public void completed(Duration handling, int status) {
                handled.add(handling);
                throw new IllegalStateException("listener broke");
            }

            @Override
            public void released(Duration handling, int status) {
                handled.add(handling);
            }
        };
        Delivery completed = delivery(new ScriptedStore(true));
        Delivery released = delivery(new ScriptedStore(true));
        long before = System.nanoTime();
        completed.observe(observer, before);
        released.observe(observer, before);

        // when
        boolean completedAnswer = completed.finish(204);
        boolean releasedAnswer = released.finish(500);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - before);

        // then
        assertThat(completedAnswer).isTrue();
        assertThat(releasedAnswer).isTrue();
        assertThat(handled).hasSize(2).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, elapsed));
        assertThat(warnings())
                .containsExactly("delivery listener failed for key k: java.lang.IllegalStateException: listener broke");
    }
}
