package io.hookwarden.cli;

import static io.hookwarden.cli.Cli.SW_BODY;
import static io.hookwarden.cli.Cli.SW_ID;
import static io.hookwarden.cli.Cli.SW_SECRET;
import static io.hookwarden.cli.Cli.SW_SIGNATURE;
import static io.hookwarden.cli.Cli.SW_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code java -jar cli/target/hookwarden.jar} as a process, as scripts do. A failsafe test: the jar exists only
 * after the package phase, and failsafe passes its path in {@code hookwarden.jar}.
 */
class ShadedJarIT {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    private Run java(Path stdin, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("hookwarden.jar", "target/hookwarden.jar"));
        assertThat(jar).as("the shaded jar; build it with ./mvnw package").isRegularFile();
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("hookwarden.jar did not finish: " + command.subList(2, command.size()));
        }
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theJarPrintsValidForTheAcceptanceCommand() throws Exception {
        Run run = java(null, Cli.vectorVerify("--body", SW_BODY, "--now", Long.toString(SW_TIMESTAMP)));

        assertThat(run.out()).isEqualTo("valid" + System.lineSeparator());
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void theJarExitsOneForATamperedBodyAndTwoForAnUnknownScheme() throws Exception {
        Run tampered = java(null, Cli.vectorVerify("--body", "{\"test\": 1}", "--now", Long.toString(SW_TIMESTAMP)));
        Run unknown = java(null, "verify", "--scheme", "nope", "--secret", SW_SECRET, "--body", "{}");

        assertThat(tampered.out().strip()).isEqualTo("invalid SIGNATURE_MISMATCH");
        assertThat(tampered.exitCode()).isEqualTo(1);
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).contains("unknown scheme").doesNotContain(SW_SECRET);
    }

    @Test
    void theJarReadsDeliveriesFromStandardInputGivenAsADash() throws Exception {
        String line = "{\"id\": \"evt-1\", \"headers\": {\"webhook-id\": \"" + SW_ID + "\", \"webhook-timestamp\": \""
                + SW_TIMESTAMP + "\", \"webhook-signature\": [\"" + SW_SIGNATURE + "\"]}, \"body\": \""
                + SW_BODY.replace("\"", "\\\"") + "\", \"now\": " + SW_TIMESTAMP + "}";
        Path stdin = Files.writeString(dir.resolve("in.jsonl"), line + "\n", StandardCharsets.UTF_8);

        Run run = java(stdin, "verify", "--scheme", "standard-webhooks", "--secret", SW_SECRET, "--deliveries", "-");

        assertThat(run.out().strip()).isEqualTo("evt-1 valid");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void theJarListsTheSchemesAndPrintsItsVersion() throws Exception {
        Run schemes = java(null, "schemes");
        Run version = java(null, "--version");

        assertThat(schemes.out().lines()).contains("standard-webhooks", "stripe", "github", "slack");
        assertThat(version.out()).startsWith("hookwarden ").doesNotContain("unknown");
    }

    @Test
    void theJarCarriesTheH2DriverAndListsAnInboxDatabase() throws Exception {
        // given: an inbox table with one delivery, written through JdbcInbox in this JVM
        String url = "jdbc:h2:" + dir.resolve("inbox").toAbsolutePath();
        org.h2.jdbcx.JdbcDataSource dataSource = new org.h2.jdbcx.JdbcDataSource();
        dataSource.setURL(url);
        io.hookwarden.inbox.jdbc.JdbcInbox inbox = io.hookwarden.inbox.jdbc.JdbcInbox.builder()
                .dataSource(dataSource)
                .build();
        inbox.createTableIfMissing();
        java.time.Instant received = java.time.Instant.parse("2026-12-01T10:00:00Z");
        inbox.write(new io.hookwarden.spi.InboxEntry(
                "stripe",
                "evt:evt_jar",
                "stripe",
                "POST",
                null,
                io.hookwarden.Headers.empty(),
                "{}".getBytes(StandardCharsets.UTF_8),
                null,
                "evt_jar",
                "invoice.paid",
                null,
                "primary",
                null,
                io.hookwarden.spi.InboxEntry.Ordering.NONE,
                0,
                received));

        // when: the jar, as a separate process, reads it
        Run list = java(null, "inbox", "list", "--jdbc-url", url);

        // then
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().strip())
                .endsWith(" pending stripe invoice.paid evt_jar attempts=0 received=2026-12-01T10:00:00Z");
    }
}
