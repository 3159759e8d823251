package io.hookwarden.samples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerLimitsTest {
    @Test
    void anEmptyEnvironmentGivesTenSecondsOneKibibytePerSecondAnd200Threads() {
        ServerLimits limits = SampleSettings.from(Map.of()).limits();

        assertThat(limits).isEqualTo(ServerLimits.DEFAULTS);
        assertThat(limits.bodyTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(limits.minDataRate()).isEqualTo(1024);
        assertThat(limits.workerThreads()).isEqualTo(200);
    }

    @ParameterizedTest(name = "HOOKWARDEN_BODY_TIMEOUT={0}")
    @CsvSource({"2s, 2000", "2500ms, 2500", "1m, 60000", "PT3S, 3000", "7, 7000", " 4s , 4000"})
    void theBodyTimeoutIsReadInSecondsMillisecondsMinutesOrIso8601(String text, long millis) {
        ServerLimits limits = ServerLimits.from(Map.of("HOOKWARDEN_BODY_TIMEOUT", text));

        assertThat(limits.bodyTimeoutMillis()).isEqualTo(millis);
    }

    @Test
    void theDataRateAndThePoolAreReadAsWholeNumbers() {
        ServerLimits limits =
                ServerLimits.from(Map.of("HOOKWARDEN_MIN_DATA_RATE", "0", "HOOKWARDEN_WORKER_THREADS", "64"));

        assertThat(limits.minDataRate()).isZero();
        assertThat(limits.workerThreads()).isEqualTo(64);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "HOOKWARDEN_BODY_TIMEOUT, soon, 'HOOKWARDEN_BODY_TIMEOUT must be a duration such as 10s, 2500ms or PT10S but was soon'",
        "HOOKWARDEN_BODY_TIMEOUT, 0s, HOOKWARDEN_BODY_TIMEOUT must be positive but was PT0S",
        "HOOKWARDEN_MIN_DATA_RATE, -1, 'HOOKWARDEN_MIN_DATA_RATE must be a whole number, 0 or more, but was -1'",
        "HOOKWARDEN_WORKER_THREADS, 4, HOOKWARDEN_WORKER_THREADS must be 8 to 10000 but was 4"
    })
    void aBadValueIsRefusedNamingTheVariableAndEchoingIt(String name, String value, String message) {
        assertThatThrownBy(() -> ServerLimits.from(Map.of(name, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
