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
}
