package io.hookwarden.cli;

import static io.hookwarden.cli.Cli.SW_BODY;
import static io.hookwarden.cli.Cli.SW_SECRET;
import static io.hookwarden.cli.Cli.SW_TIMESTAMP;
import static io.hookwarden.cli.Cli.vectorVerify;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VerifyCommandTest {
    private static final String NOW = Long.toString(SW_TIMESTAMP);

    @TempDir
    Path dir;

    @Test
    void printsValidAndExitsZeroForThePublishedStandardWebhooksVector() {
        Cli.Result result = Cli.run(vectorVerify("--body", SW_BODY, "--now", NOW));

        assertThat(result.out()).isEqualTo("valid" + System.lineSeparator());
        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
    }

    @Test
    void printsSignatureMismatchAndExitsOneWhenTheBodyIsTampered() {
        Cli.Result result = Cli.run(vectorVerify("--body", "{\"test\": 2432232315}", "--now", NOW));

        assertThat(result.lines()).containsExactly("invalid SIGNATURE_MISMATCH");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void printsTimestampTooOldWhenNowIsAThousandSecondsLater() {
        Cli.Result result = Cli.run(vectorVerify("--body", SW_BODY, "--now", Long.toString(SW_TIMESTAMP + 1000)));

        assertThat(result.lines()).containsExactly("invalid TIMESTAMP_TOO_OLD");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void printsTimestampInTheFutureWhenNowIsAThousandSecondsEarlier() {
        Cli.Result result = Cli.run(vectorVerify("--body", SW_BODY, "--now", Long.toString(SW_TIMESTAMP - 1000)));

        assertThat(result.lines()).containsExactly("invalid TIMESTAMP_IN_FUTURE");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void acceptsADeliveryAThousandSecondsOldWithAToleranceOfTwoThousandSeconds() {
        Cli.Result result = Cli.run(
                vectorVerify("--body", SW_BODY, "--now", Long.toString(SW_TIMESTAMP + 1000), "--tolerance", "2000"));

        assertThat(result.lines()).containsExactly("valid");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void aStripeDeliverySignedADayAheadIsInTheFutureUnderATolerance() {
        // given: a Stripe delivery signed with t a day after --now
        long signedAt = SW_TIMESTAMP + 86_400;
        Cli.Result signed = Cli.run(
                "sign",
                "--scheme",
                "stripe",
                "--secret",
                "whsec_stripe_test_secret",
                "--timestamp",
                Long.toString(signedAt),
                "--body",
                "{}");
        String header = signed.lines().get(0);

        // when
        Cli.Result result = Cli.run(
                "verify",
                "--scheme",
                "stripe",
                "--secret",
                "whsec_stripe_test_secret",
                "--header",
                header,
                "--body",
                "{}",
                "--now",
                NOW,
                "--tolerance",
                "300");

        // then
        assertThat(header).startsWith("Stripe-Signature: t=" + signedAt);
        assertThat(result.lines()).containsExactly("invalid TIMESTAMP_IN_FUTURE");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void ignoreTimestampAcceptsARecordedDeliveryYearsLaterButStillChecksTheSignature() {
        String years = Long.toString(SW_TIMESTAMP + 5L * 365 * 86_400);

        Cli.Result valid = Cli.run(vectorVerify("--body", SW_BODY, "--now", years, "--ignore-timestamp"));
        Cli.Result tampered = Cli.run(vectorVerify("--body", SW_BODY + " ", "--now", years, "--ignore-timestamp"));
        Cli.Result both = Cli.run(vectorVerify("--body", SW_BODY, "--ignore-timestamp", "--tolerance", "60"));

        assertThat(valid.lines()).containsExactly("valid");
        assertThat(tampered.lines()).containsExactly("invalid SIGNATURE_MISMATCH");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--ignore-timestamp and --tolerance");
    }

    @Test
    void aLegacyShortSecretIsRefusedUnlessAllowedAndAnEmptyOneAlways() {
        // given: a GitHub delivery signed with a four-character secret
        Cli.Result signed =
                Cli.run("sign", "--scheme", "github", "--secret", "abcd", "--allow-weak-secret", "--body", "{}");
        String signature = signed.lines().stream()
                .filter(l -> l.startsWith("X-Hub-Signature-256"))
                .findFirst()
                .orElseThrow();

        // when
        Cli.Result refused =
                Cli.run("verify", "--scheme", "github", "--secret", "abcd", "--header", signature, "--body", "{}");
        Cli.Result allowed = Cli.run(
                "verify",
                "--scheme",
                "github",
                "--secret",
                "abcd",
                "--allow-weak-secret",
                "--header",
                signature,
                "--body",
                "{}");
        Cli.Result empty = Cli.run(
                "verify",
                "--scheme",
                "github",
                "--secret",
                "",
                "--allow-weak-secret",
                "--header",
                signature,
                "--body",
                "{}");

        // then
        assertThat(signed.exitCode()).isZero();
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("too short").doesNotContain("abcd");
        assertThat(allowed.lines()).containsExactly("valid");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("empty");
    }

    @Test
    void acceptsADeliverySignedWithTheSecondSecretWhileRotating() {
        Cli.Result result = Cli.run(
                "verify",
                "--scheme",
                "standard-webhooks",
                "--secret",
                "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                "--secret",
                SW_SECRET,
                "--header",
                "webhook-id: " + Cli.SW_ID,
                "--header",
                "webhook-timestamp: " + SW_TIMESTAMP,
                "--header",
                "webhook-signature: " + Cli.SW_SIGNATURE,
                "--body",
                SW_BODY,
                "--now",
                NOW);

        assertThat(result.lines()).containsExactly("valid");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void refusesTheDeliveryWhenNoneOfTheRotatedSecretsSignedIt() {
        Cli.Result result = Cli.run(
                "verify",
                "--scheme",
                "standard-webhooks",
                "--secret",
                "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                "--header",
                "webhook-id: " + Cli.SW_ID,
                "--header",
                "webhook-timestamp: " + SW_TIMESTAMP,
                "--header",
                "webhook-signature: " + Cli.SW_SIGNATURE,
                "--body",
                SW_BODY,
                "--now",
                NOW);

        assertThat(result.lines()).containsExactly("invalid SIGNATURE_MISMATCH");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void readsTheBodyFileByteForByte() throws IOException {
        Path exact = Files.write(dir.resolve("body.json"), SW_BODY.getBytes(StandardCharsets.UTF_8));
        Path trailingNewline =
                Files.write(dir.resolve("newline.json"), (SW_BODY + "\n").getBytes(StandardCharsets.UTF_8));

        Cli.Result valid = Cli.run(vectorVerify("--body-file", exact.toString(), "--now", NOW));
        Cli.Result invalid = Cli.run(vectorVerify("--body-file", trailingNewline.toString(), "--now", NOW));

        assertThat(valid.lines()).containsExactly("valid");
        assertThat(invalid.lines()).containsExactly("invalid SIGNATURE_MISMATCH");
    }

    @Test
    void trimsBlanksAroundHeaderValuesAndSplitsAtTheFirstColon() {
        Cli.Result result = Cli.run(
                "verify",
                "--scheme",
                "standard-webhooks",
                "--secret",
                SW_SECRET,
                "--header",
                "webhook-id:" + Cli.SW_ID,
                "--header",
                "webhook-timestamp: \t " + SW_TIMESTAMP + "  ",
                "--header",
                "webhook-signature:   " + Cli.SW_SIGNATURE,
                "--body",
                SW_BODY,
                "--now",
                NOW);

        assertThat(result.lines()).containsExactly("valid");
    }

    @Test
    void sendsAHeaderGivenTwiceWithBothValues() {
        Cli.Result result = Cli.run(
                vectorVerify("--header", "webhook-signature: " + Cli.SW_SIGNATURE, "--body", SW_BODY, "--now", NOW));

        // The core refuses a signature header given twice: proof that both values reached it.
        assertThat(result.lines()).containsExactly("invalid MALFORMED_HEADER");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void printsMissingHeaderWhenASignatureHeaderIsAbsent() {
        Cli.Result result =
                Cli.run("verify", "--scheme", "stripe", "--secret", "whsec_test_secret", "--body", "{}", "--now", NOW);

        assertThat(result.lines()).containsExactly("invalid MISSING_HEADER");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void printsPayloadTooLargeWhenTheBodyExceedsMaxBody() {
        Cli.Result result = Cli.run(vectorVerify("--body", SW_BODY, "--now", NOW, "--max-body", "5"));

        assertThat(result.lines()).containsExactly("invalid PAYLOAD_TOO_LARGE");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void explainsTheReasonOnStandardErrorOnlyWhenVerbose() {
        String later = Long.toString(SW_TIMESTAMP + 1000);
        Cli.Result quiet = Cli.run(vectorVerify("--body", SW_BODY, "--now", later));
        Cli.Result verbose = Cli.run(vectorVerify("--body", SW_BODY, "--now", later, "--verbose"));

        assertThat(quiet.err()).isEmpty();
        assertThat(verbose.lines()).containsExactly("invalid TIMESTAMP_TOO_OLD");
        assertThat(verbose.err()).contains("older than").doesNotContain(SW_SECRET);
    }

    static Stream<Arguments> usageErrors() {
        String s = SW_SECRET;
        return Stream.of(
                Arguments.of(
                        "unknown scheme", new String[] {"verify", "--scheme", "nope", "--secret", s, "--body", "x"}),
                Arguments.of("no body", new String[] {"verify", "--scheme", "standard-webhooks", "--secret", s}),
                Arguments.of("both bodies", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", s, "--body", "x", "--body-file", "x.json"
                }),
                Arguments.of("body and deliveries", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", s, "--body", "x", "--deliveries", "d.jsonl"
                }),
                Arguments.of("no secret", new String[] {"verify", "--scheme", "standard-webhooks", "--body", "x"}),
                Arguments.of("no scheme", new String[] {"verify", "--secret", s, "--body", "x"}),
                Arguments.of("too short secret", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", "whsec_c2hvcnQ=", "--body", "x"
                }),
                Arguments.of("secret that is a private key", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", "whsk_" + s.substring(6), "--body", "x"
                }),
                Arguments.of("header without colon", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", s, "--header", "webhook-id", "--body", "x"
                }),
                Arguments.of("header with empty name", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", s, "--header", " : v", "--body", "x"
                }),
                Arguments.of("unreadable body file", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", s, "--body-file", "/no/such/file"
                }),
                Arguments.of("zero tolerance", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", s, "--tolerance", "0", "--body", "x"
                }),
                Arguments.of("huge tolerance", new String[] {
                    "verify",
                    "--scheme",
                    "standard-webhooks",
                    "--secret",
                    s,
                    "--tolerance",
                    Long.toString(Long.MAX_VALUE),
                    "--body",
                    "x"
                }),
                Arguments.of("non-numeric now", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", s, "--now", "yesterday", "--body", "x"
                }),
                Arguments.of("negative now", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", s, "--now", "-1", "--body", "x"
                }),
                Arguments.of("zero max body", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", s, "--max-body", "0", "--body", "x"
                }),
                Arguments.of("header with deliveries", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", s, "--header", "a: b", "--deliveries", "d"
                }),
                Arguments.of("unreadable deliveries", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret", s, "--deliveries", "/no/such/file.jsonl"
                }),
                Arguments.of(
                        "secret echoed as a stray argument",
                        new String[] {"verify", "--scheme", "standard-webhooks", "--secret", s, "--body", "x", s}),
                Arguments.of("secret echoed as an unknown option", new String[] {
                    "verify", "--scheme", "standard-webhooks", "--secret=" + s, "--body", "x", "--bogus=" + s
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void exitsTwoWithAMessageOnStandardErrorThatNeverShowsTheSecret(String what, String[] args) {
        Cli.Result result = Cli.run(args);

        assertThat(result.exitCode()).as(what).isEqualTo(2);
        assertThat(result.out()).as(what).isEmpty();
        assertThat(result.err()).as(what).isNotBlank().contains("--help");
        assertThat(result.err()).as(what).doesNotContain(SW_SECRET).doesNotContain(SW_SECRET.substring(6));
    }

    @Test
    void exitsTwoForAnEmptySecretAndSaysItIsEmpty() {
        Cli.Result result = Cli.run("verify", "--scheme", "stripe", "--secret", "", "--body", "x");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("--secret").contains("empty");
    }

    @Test
    void namesTheUnknownSchemeAndTheKnownOnes() {
        Cli.Result result = Cli.run("verify", "--scheme", "nope", "--secret", SW_SECRET, "--body", "x");

        assertThat(result.err()).contains("nope").contains("standard-webhooks").contains("stripe");
    }

    @Test
    void helpListsTheSchemesAndTheMalformedLinePolicyButNoSecret() {
        Cli.Result result = Cli.run("verify", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("--secret", "--deliveries", "--tolerance", "--now", "--max-body")
                .contains("standard-webhooks,", "svix,", "stripe,", "github,", "slack,", "hmac.")
                .contains("MALFORMED_PAYLOAD")
                .contains("Exit codes");
    }
}
