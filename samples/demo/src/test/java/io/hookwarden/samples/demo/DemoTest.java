package io.hookwarden.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoTest {
    @Test
    void everyDeliveryGetsTheExpectedVerdictAndTheDemoExitsZero() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        int exit = Demo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(output)
                .contains("17 deliveries: 6 accepted, 11 refused; every verdict as expected.")
                .doesNotContain("UNEXPECTED")
                .containsPattern("standard-webhooks +valid +accepted \\(key current\\) +200")
                .containsPattern("stripe +old key \\(rotation\\) +accepted \\(key previous\\) +200")
                .containsPattern("stripe +expired \\(6 min old\\) +refused TIMESTAMP_TOO_OLD +401")
                .containsPattern("github +tampered +refused SIGNATURE_MISMATCH +401")
                .containsPattern("github +signature header junk +refused MALFORMED_HEADER +400");
    }

    @Test
    void theDemoNeverPrintsASecret() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Demo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

        assertThat(buffer.toString(StandardCharsets.UTF_8))
                .doesNotContain("whsec_")
                .doesNotContain("demo-github-secret");
    }
}
