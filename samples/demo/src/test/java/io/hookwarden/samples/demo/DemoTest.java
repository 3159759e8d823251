package io.hookwarden.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void everyDeliveryGetsTheExpectedAnswerOverHttpAndTheDemoExitsZero() {
        int exit = Demo.run(print(out));

        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(output)
                .contains("14 deliveries: 4 processed, 10 answered without running the handler; every result as"
                        + " expected.")
                .doesNotContain("UNEXPECTED")
                .containsPattern("standard +valid order.created +204 +- +ran")
                .containsPattern("github +valid push +204 +- +ran")
                .containsPattern("stripe +replay of the invoice \\(same bytes\\) +200 +DUPLICATE +-\\R")
                .containsPattern("github +forged \\(signed with another key\\) +401 +SIGNATURE_MISMATCH +-\\R")
                .containsPattern("standard +expired \\(signed 6 min ago\\) +401 +TIMESTAMP_TOO_OLD")
                .containsPattern("stripe +schema-invalid \\(amount_paid -5\\) +422 +SCHEMA_VIOLATION")
                .containsPattern("stripe +signed, but not JSON +400 +MALFORMED_PAYLOAD")
                .containsPattern("standard +handler fails \\(fail_first_attempt\\) +500 +HANDLER_FAILED +-\\R")
                .containsPattern("standard +provider retries it: processed +204 +- +ran")
                .contains("\"endpoint\":\"stripe\",\"id\":\"evt_1001\",\"type\":\"invoice.paid\"");
        assertThat(output.lines().filter(line -> line.contains("\"endpoint\""))).hasSize(4);
        // part 2, with an inbox: answered at once, handled afterwards by the worker
        assertThat(output)
                .containsPattern("slow handler \\(works 2 s\\) +200 +- +\\d{1,3} ms +handled [2-9]\\.\\d s later, once")
                .containsPattern(
                        "handler fails on its first attempt +200 +- +\\d+ ms +retried after backoff: completed on"
                                + " attempt 2")
                .containsPattern("the provider retries it \\(same bytes\\) +200 +DUPLICATE +\\d+ ms +already stored")
                .containsPattern("poison \\(this handler can never take it\\) +200 +- +\\d+ ms +dead after 1 attempt:"
                        + " io.hookwarden.PoisonDeliveryException")
                .contains("replayed after the fix: completed on attempt 1")
                .contains(
                        "GET /events: 3 deliveries handled (slow, flaky, poison), each once; every result as expected.");
    }

    @Test
    void exitsOneAndMarksTheLineWhenAResultIsNotTheExpectedOne() {
        int exit = Demo.run(
                new String[0],
                Map.of(),
                print(out),
                print(err),
                step -> step.sent().startsWith("forged") ? step.expecting(204, null, true) : step);

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsPattern("forged .* 401 +SIGNATURE_MISMATCH +- +<-- UNEXPECTED: expected 204 -, handler ran")
                .contains("1 result(s) NOT as expected.");
    }

    @Test
    void theScriptNeverPrintsASecret() {
        Demo.run(print(out));

        assertThat(out.toString(StandardCharsets.UTF_8))
                .doesNotContain("whsec_")
                .doesNotContain("demo-only-github-secret");
    }

    @Test
    void anUnknownOptionOrABadPortIsAUsageErrorWithExitCodeTwo() {
        int unknown = Demo.run(new String[] {"--surve"}, Map.of(), print(out), print(err));
        int badPort = Demo.run(new String[] {"--port", "http"}, Map.of(), print(out), print(err));

        assertThat(unknown).isEqualTo(2);
        assertThat(badPort).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown option --surve")
                .contains("--port must be a port number (0 to 65535) but was http")
                .contains("usage: java -jar samples/demo/target/demo.jar [--serve] [--port N]");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }
}
