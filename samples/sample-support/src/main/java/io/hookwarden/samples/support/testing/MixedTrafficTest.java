package io.hookwarden.samples.support.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.test.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's long run against one sample, which a subclass starts: {@link MixedTraffic} from 16 senders for {@link
 * MixedTraffic#seconds()} (5 s by default; {@code -Dhookwarden.soak.seconds=120} for the two minutes). Every
 * answer is the one its kind must get, so no 5xx at all; every slow sender's stalled connection is ended by the sample,
 * without a 2xx, within twice its body deadline; after the sample stops, no thread it started is left, and the
 * heap after a full collection is back within 64 MiB of where it was, plus 2 KiB per accepted delivery, which the
 * sample keeps by design (its event log and dedupe keys).
 */
public abstract class MixedTrafficTest {
    /** Settings for a sample under this run: a free port, the contract's secrets, the default limits. */
    protected static final SampleSettings SETTINGS = SampleSettings.from(Map.of(
            "PORT", "0",
            "HOOKWARDEN_STANDARD_SECRET", SampleContractTest.STANDARD_SECRET,
            "HOOKWARDEN_GITHUB_SECRET", SampleContractTest.GITHUB_SECRET,
            "HOOKWARDEN_STRIPE_SECRET", SampleContractTest.STRIPE_SECRET));

    private static final int SENDERS = 16;

    /**
     * {@link #SETTINGS} as Spring Boot properties for the Spring samples, which read the environment variables' names
     * from Spring's environment: a free port, no banner, the contract's secrets and the default limits.
     */
    protected static String[] springProperties() {
        List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off"));
        SampleContractTest.TEST_ENVIRONMENT.forEach((name, value) -> {
            if (!name.equals("PORT") && !name.equals("HOOKWARDEN_BODY_TIMEOUT")) {
                properties.add(name + "=" + value);
            }
        });
        return properties.toArray(String[]::new);
    }

    /** A started sample: where it answers, and how to stop it. */
    @SuppressWarnings("try") // close() may be interrupted while it stops what it started
    protected interface Running extends AutoCloseable {
        /** Where it answers. */
        URI uri();

        /** Stops it and everything it started. */
        @Override
        void close() throws Exception;
    }

    /**
     * Starts the sample with {@link #SETTINGS}, verifying on {@code clock}.
     *
     * @throws Exception if it cannot start
     */
    protected abstract Running start(MutableClock clock) throws Exception;

    @Test
    @SuppressWarnings("try") // close() may be interrupted while the server or inbox stops its threads
    void mixedTrafficAtFullRateGetsOnlyTheDesignedAnswersAndLeavesNoThreadAndNoHeapBehind() throws Exception {
        MutableClock clock = MutableClock.at(Instant.now());
        Map<Long, String> threadsBefore = MixedTraffic.threads();
        long heapBefore = MixedTraffic.heapAfterGc();

        MixedTraffic.Result result;
        try (Running sample = start(clock)) {
            result = MixedTraffic.run(sample.uri(), SETTINGS, clock, SENDERS, MixedTraffic.seconds());
        }
        Map<Long, String> leftBehind = MixedTraffic.leftBehind(threadsBefore, Duration.ofSeconds(10));
        long heapAfter = MixedTraffic.heapAfterGc();

        System.out.printf(
                "%s: %d answers in %s, %d valid accepted; heap after GC %d MiB before, %d MiB after; %s; stalled: %s;"
                        + " failed: %s%n",
                getClass().getSimpleName(),
                result.total(),
                MixedTraffic.seconds(),
                result.accepted(),
                heapBefore >> 20,
                heapAfter >> 20,
                result.answers(),
                result.stalled(),
                MixedTraffic.FAILURES);
        assertThat(result.wrong()).as("answers other than the designed ones").isEmpty();
        assertThat(result.answers()).containsKeys("valid", "duplicate", "forged", "malformed");
        assertThat(result.accepted()).isPositive();
        Duration deadline = SETTINGS.limits().bodyTimeout().multipliedBy(2).plusSeconds(1);
        assertThat(result.stalled())
                .as("slow senders' connections, each ended without a 2xx within %s", deadline)
                .isNotEmpty()
                .allSatisfy(stalled -> assertThat(stalled.cutOffWithin(deadline))
                        .as("%s", stalled)
                        .isTrue());
        assertThat(leftBehind).as("threads left after the sample stopped").isEmpty();
        assertThat(heapAfter - heapBefore).isLessThan((64L << 20) + 2048 * result.accepted());
    }
}
