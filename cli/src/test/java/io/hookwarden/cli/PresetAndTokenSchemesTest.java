package io.hookwarden.cli;

import static io.hookwarden.cli.Cli.SW_BODY;
import static io.hookwarden.cli.Cli.SW_ID;
import static io.hookwarden.cli.Cli.SW_SECRET;
import static io.hookwarden.cli.Cli.SW_SIGNATURE;
import static io.hookwarden.cli.Cli.SW_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Standard Webhooks presets and the token scheme (issue 16) by id on the command line. */
class PresetAndTokenSchemesTest {
    private static final String TOKEN = "tok_live_8f3Kq2vXz9Lm";

    @ParameterizedTest
    @CsvSource({"openai, webhook-", "replicate, webhook-", "clerk, svix-", "resend, svix-"})
    void eachPresetVerifiesThePublishedVectorWithItsProvidersHeaders(String scheme, String prefix) {
        Cli.Result result = Cli.run(
                "verify",
                "--scheme",
                scheme,
                "--secret",
                SW_SECRET,
                "--header",
                prefix + "id: " + SW_ID,
                "--header",
                prefix + "timestamp: " + SW_TIMESTAMP,
                "--header",
                prefix + "signature: " + SW_SIGNATURE,
                "--body",
                SW_BODY,
                "--now",
                Long.toString(SW_TIMESTAMP));

        assertThat(result.lines()).containsExactly("valid");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void theTokenSchemeSignsABearerTokenAndVerifiesIt() {
        Cli.Result signed = Cli.run("sign", "--scheme", "token", "--secret", TOKEN, "--body", "{}");
        Cli.Result valid = Cli.run(
                "verify",
                "--scheme",
                "token",
                "--secret",
                TOKEN,
                "--header",
                "Authorization: Bearer " + TOKEN,
                "--body",
                "{}");
        Cli.Result wrong = Cli.run(
                "verify",
                "--scheme",
                "token",
                "--secret",
                TOKEN,
                "--header",
                "Authorization: Bearer x" + TOKEN,
                "--body",
                "{}");
        Cli.Result missing = Cli.run("verify", "--scheme", "token", "--secret", TOKEN, "--body", "{}");

        assertThat(signed.lines()).contains("Authorization: Bearer " + TOKEN);
        assertThat(valid.lines()).containsExactly("valid");
        assertThat(wrong.lines()).containsExactly("invalid SIGNATURE_MISMATCH");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(missing.lines()).containsExactly("invalid MISSING_HEADER");
    }
}
