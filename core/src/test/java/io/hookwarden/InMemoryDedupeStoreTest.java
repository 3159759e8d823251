package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult.Status;
import io.hookwarden.spi.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The bound; the protocol itself is DedupeStoreContractTest's, run in hookwarden-test. */
class InMemoryDedupeStoreTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T12:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private InMemoryDedupeStore store(int maximumSize) {
        return InMemoryDedupeStore.builder()
                .maximumSize(maximumSize)
                .clock(clock)
                .build();
    }

    private static void completeKey(InMemoryDedupeStore store, String key, Duration retention) {
        Claim claim = store.claim(key, HOUR).claim().orElseThrow();
        assertThat(store.complete(key, claim, retention)).isTrue();
    }

    @Test
    void whenFullExpiredKeysAreDroppedFirst() {
        InMemoryDedupeStore store = store(10);
        for (int i = 0; i < 10; i++) {
            completeKey(store, "k" + i, i < 5 ? Duration.ofMinutes(1) : HOUR);
        }
        now.set(now.get().plus(Duration.ofMinutes(2)));

        assertThat(store.claim("new", HOUR).status()).isEqualTo(Status.CLAIMED);

        assertThat(store.size()).isEqualTo(6);
        for (int i = 5; i < 10; i++) {
            assertThat(store.claim("k" + i, HOUR).status()).isEqualTo(Status.DUPLICATE);
        }
    }

    @Test
    void whenFullOfLiveKeysTheCompletedOnesNearestTheirEndGoFirstAndLeasesStay() {
        InMemoryDedupeStore store = store(10);
        for (int i = 0; i < 5; i++) {
            store.claim("lease" + i, HOUR);
        }
        for (int i = 0; i < 5; i++) {
            completeKey(store, "done" + i, Duration.ofMinutes(10 + i));
        }

        assertThat(store.claim("new", HOUR).status()).isEqualTo(Status.CLAIMED);

        assertThat(store.size()).isLessThanOrEqualTo(10);
        assertThat(store.claim("done0", HOUR).status()).isEqualTo(Status.CLAIMED);
        assertThat(store.claim("done4", HOUR).status()).isEqualTo(Status.DUPLICATE);
        for (int i = 0; i < 5; i++) {
            assertThat(store.claim("lease" + i, HOUR).status()).isEqualTo(Status.IN_PROGRESS);
        }
    }

    @Test
    void whenEveryKeyIsALiveLeaseANewClaimFailsClosed() {
        InMemoryDedupeStore store = store(3);
        for (int i = 0; i < 3; i++) {
            store.claim("lease" + i, HOUR);
        }

        assertThatThrownBy(() -> store.claim("new", HOUR))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("all 3 keys are live leases");
        assertThat(store.claim("lease0", HOUR).status()).isEqualTo(Status.IN_PROGRESS);
    }

    @Test
    void purgeDropsOnlyExpiredKeys() {
        InMemoryDedupeStore store = store(100);
        store.claim("short", Duration.ofSeconds(1));
        store.claim("long", HOUR);
        now.set(now.get().plusSeconds(2));

        assertThat(store.purgeExpired()).isEqualTo(1);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.claim("long", HOUR).status()).isEqualTo(Status.IN_PROGRESS);
    }

    @Test
    void theBoundMustBePositive() {
        assertThatThrownBy(() -> InMemoryDedupeStore.builder().maximumSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maximumSize must be at least 1 but was 0");
    }

    @Test
    void theBoundMayBeOneKey() {
        // given
        InMemoryDedupeStore store = store(1);

        // when
        Status first = store.claim("only", HOUR).status();

        // then
        assertThat(first).isEqualTo(Status.CLAIMED);
        assertThat(store).hasToString("InMemoryDedupeStore[size=1, maximumSize=1]");
    }

    @Test
    void whenFullOfCompletedKeysItEvictsDownToNinetyPercentAndNoFurther() {
        // given: 20 completed keys, retained 1 to 20 minutes
        InMemoryDedupeStore store = store(20);
        for (int i = 1; i <= 20; i++) {
            completeKey(store, "done" + i, Duration.ofMinutes(i));
        }

        // when
        Status claimed = store.claim("new", HOUR).status();

        // then: the two nearest the end of their retention went, the third stayed
        assertThat(claimed).isEqualTo(Status.CLAIMED);
        assertThat(store.size()).isEqualTo(19);
        assertThat(store.claim("done3", HOUR).status()).isEqualTo(Status.DUPLICATE);
        assertThat(store.claim("done2", HOUR).status()).isEqualTo(Status.CLAIMED);
    }

    @Test
    void aLeaseEndsExactlyWhenItsDurationHasPassed() {
        // given
        InMemoryDedupeStore store = store(10);
        Claim first = store.claim("k", Duration.ofMinutes(1)).claim().orElseThrow();
        now.set(now.get().plus(Duration.ofMinutes(1)));

        // when
        boolean completed = store.complete("k", first, HOUR);
        Status again = store.claim("k", HOUR).status();

        // then
        assertThat(completed).isFalse();
        assertThat(again).isEqualTo(Status.CLAIMED);
    }

    @Test
    void anExpiredLeaseCanNeitherCompleteNorReleaseEvenIfNobodyClaimedAgain() {
        // given
        InMemoryDedupeStore store = store(10);
        Claim claim = store.claim("k", Duration.ofMinutes(1)).claim().orElseThrow();
        now.set(now.get().plus(Duration.ofMinutes(2)));

        // when
        boolean completed = store.complete("k", claim, HOUR);
        boolean released = store.release("k", claim);

        // then
        assertThat(completed).isFalse();
        assertThat(released).isFalse();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aStaleOwnerCanNeitherCompleteNorReleaseTheNewOwnersClaim() {
        // given: the first lease ran out and another attempt claimed the key
        InMemoryDedupeStore store = store(10);
        Claim stale = store.claim("k", Duration.ofMinutes(1)).claim().orElseThrow();
        now.set(now.get().plus(Duration.ofMinutes(2)));
        Claim current = store.claim("k", HOUR).claim().orElseThrow();

        // when
        boolean released = store.release("k", stale);
        boolean completed = store.complete("k", stale, HOUR);

        // then: the new owner's lease holds, and only the new owner settles it
        assertThat(released).isFalse();
        assertThat(completed).isFalse();
        assertThat(store.claim("k", HOUR).status()).isEqualTo(Status.IN_PROGRESS);
        assertThat(store.complete("k", current, HOUR)).isTrue();
        assertThat(store.claim("k", HOUR).status()).isEqualTo(Status.DUPLICATE);
    }

    @Test
    void completingOrReleasingAnUnknownKeyDoesNothing() {
        // given
        InMemoryDedupeStore store = store(10);
        Claim elsewhere = store.claim("other", HOUR).claim().orElseThrow();

        // when
        boolean completed = store.complete("k", elsewhere, HOUR);
        boolean released = store.release("k", elsewhere);

        // then
        assertThat(completed).isFalse();
        assertThat(released).isFalse();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aLeaseTooLongForTheClockNeverEnds() {
        // given
        InMemoryDedupeStore store = store(10);
        store.claim("k", ChronoUnit.FOREVER.getDuration());
        now.set(now.get().plus(Duration.ofDays(365L * 1000)));

        // when
        Status again = store.claim("k", HOUR).status();

        // then
        assertThat(again).isEqualTo(Status.IN_PROGRESS);
    }

    @Test
    void refusesANullOrEmptyKeyInEveryVerb() {
        // given
        InMemoryDedupeStore store = store(10);
        Claim claim = store.claim("k", HOUR).claim().orElseThrow();

        // when / then
        for (String key : new String[] {null, ""}) {
            String message = key == null ? "key cannot be null" : "key cannot be empty";
            assertThatThrownBy(() -> store.claim(key, HOUR)).hasMessage(message);
            assertThatThrownBy(() -> store.complete(key, claim, HOUR)).hasMessage(message);
            assertThatThrownBy(() -> store.release(key, claim)).hasMessage(message);
        }
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void refusesALeaseOrRetentionThatIsNotPositive() {
        // given
        InMemoryDedupeStore store = store(10);
        Claim claim = store.claim("k", HOUR).claim().orElseThrow();

        // when / then
        assertThatThrownBy(() -> store.claim("other", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lease must be positive but was PT0S");
        assertThatThrownBy(() -> store.claim("other", null)).hasMessage("lease cannot be null");
        assertThatThrownBy(() -> store.complete("k", claim, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retention must be positive but was PT-1S");
        assertThatThrownBy(() -> store.complete("k", claim, null)).hasMessage("retention cannot be null");
        assertThatThrownBy(() -> store.complete("k", null, HOUR)).hasMessage("claim cannot be null");
        assertThatThrownBy(() -> store.release("k", null)).hasMessage("claim cannot be null");
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.complete("k", claim, HOUR)).isTrue();
    }
}
