package io.hookwarden.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class MutableClockTest {
    @Test
    void standsStillUntilAdvanced() {
        MutableClock clock = MutableClock.atEpochSecond(100);

        assertThat(clock.instant()).isEqualTo(Instant.ofEpochSecond(100));
        assertThat(clock.advance(Duration.ofSeconds(5)).instant()).isEqualTo(Instant.ofEpochSecond(105));
        assertThat(clock.advance(Duration.ofSeconds(-10)).instant()).isEqualTo(Instant.ofEpochSecond(95));
        assertThat(clock.set(Instant.EPOCH).millis()).isZero();
    }

    @Test
    void aZonedViewSharesTheTime() {
        MutableClock clock = MutableClock.atEpochSecond(100);
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofMinutes(1));

        assertThat(paris.instant()).isEqualTo(Instant.ofEpochSecond(160));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }
}
