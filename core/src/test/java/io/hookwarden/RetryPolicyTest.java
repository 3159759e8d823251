package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void theDefaultsAreOneSecondDoubledCappedAtAnHourTwentyAttempts() {
        RetryPolicy policy = RetryPolicy.defaults();

        assertThat(policy.base()).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.factor()).isEqualTo(2.0);
        assertThat(policy.cap()).isEqualTo(Duration.ofHours(1));
        assertThat(policy.maxAttempts()).isEqualTo(20);
    }

    @ParameterizedTest(name = "after attempt {0} the ceiling is {1} ms")
    @CsvSource({
        "1, 1000",
        "2, 2000",
        "3, 4000",
        "10, 512000",
        "12, 2048000",
        "13, 3600000",
        "20, 3600000",
        "1000, 3600000"
    })
    void theCeilingGrowsByTheFactorUpToTheCap(int attempt, long millis) {
        assertThat(RetryPolicy.defaults().ceiling(attempt)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void everyDelayLiesBetweenZeroAndTheCeiling() {
        // given
        RetryPolicy policy = RetryPolicy.builder()
                .base(Duration.ofMillis(100))
                .factor(3.0)
                .cap(Duration.ofSeconds(5))
                .build();
        Random random = new Random(42);

        for (int attempt = 1; attempt <= 12; attempt++) {
            long ceiling = Math.min(5000, (long) (100 * Math.pow(3.0, attempt - 1)));
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                // when
                long delay = policy.delay(attempt, random).toMillis();

                // then
                assertThat(delay).isBetween(0L, ceiling);
                seen.add(delay);
            }
            assertThat(seen).as("full jitter spreads the delays").hasSizeGreaterThan(20);
        }
    }

    @Test
    void theSameSeedGivesTheSameDelays() {
        RetryPolicy policy = RetryPolicy.defaults();

        assertThat(policy.delay(5, new Random(7))).isEqualTo(policy.delay(5, new Random(7)));
    }

    @Test
    void theNextAttemptIsNowPlusTheDelayUntilTheLast() {
        // given
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).build();

        // when / then
        assertThat(policy.nextAttempt(1, NOW, new Random(1)))
                .hasValueSatisfying(t -> assertThat(t).isBetween(NOW, NOW.plusSeconds(1)));
        assertThat(policy.nextAttempt(2, NOW, new Random(1)))
                .hasValueSatisfying(t -> assertThat(t).isBetween(NOW, NOW.plusSeconds(2)));
        assertThat(policy.nextAttempt(3, NOW, new Random(1))).isEmpty();
    }

    @Test
    void aFactorOfOneKeepsTheCeilingAtTheBase() {
        RetryPolicy policy =
                RetryPolicy.builder().base(Duration.ofMillis(250)).factor(1.0).build();

        assertThat(policy.ceiling(15)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void badValuesAreRefusedEchoingThem() {
        assertThatThrownBy(() -> RetryPolicy.builder().base(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("base must be positive but was PT-1S");
        assertThatThrownBy(() -> RetryPolicy.builder().factor(0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("factor must be a finite number of at least 1 but was 0.5");
        assertThatThrownBy(() -> RetryPolicy.builder().factor(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be at least 1 but was 0");
        assertThatThrownBy(() -> RetryPolicy.defaults().delay(0, new Random()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attempt must be at least 1 but was 0");
    }

    @Test
    void aCapBelowTheBaseIsRefused() {
        RetryPolicy.Builder builder =
                RetryPolicy.builder().base(Duration.ofMinutes(2)).cap(Duration.ofMinutes(1));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cap PT1M is below base PT2M");
    }

    @Test
    void anOptionSetTwiceIsRefused() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(3).maxAttempts(4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("maxAttempts was already set");
    }
}
