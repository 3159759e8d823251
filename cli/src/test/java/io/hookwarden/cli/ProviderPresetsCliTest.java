package io.hookwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HMAC provider presets of issue 16 by id on the command line, with their SDKs' published vectors. */
class ProviderPresetsCliTest {
    /** muxinc/mux-node-sdk@0b05091f tests/api-resources/webhooks.test.ts. */
    private static final String MUX_SECRET = "SuperSecret123";

    /** Where every delivery is addressed: Trello signs it. */
    private static final String URL = "https://hooks.example.com/in?board=7";

    private static final String MUX_SIGNATURE =
            "t=1565125718,v1=854ece4c22acef7c66b57d4e504153bc512595e8e9c772ece2a68150548c19a7";

    @Test
    void verifiesMuxsPublishedVectorAtItsOwnClockAndRefusesItSixMinutesLater() {
        Cli.Result valid = Cli.run(
                "verify",
                "--scheme",
                "mux",
                "--secret",
                MUX_SECRET,
                "--header",
                "Mux-Signature: " + MUX_SIGNATURE,
                "--body",
                "{\"test\":\"body\"}",
                "--now",
                "1565125718");
        Cli.Result late = Cli.run(
                "verify",
                "--scheme",
                "mux",
                "--secret",
                MUX_SECRET,
                "--header",
                "Mux-Signature: " + MUX_SIGNATURE,
                "--body",
                "{\"test\":\"body\"}",
                "--now",
                "1565126078");

        assertThat(valid.lines()).containsExactly("valid");
        assertThat(valid.exitCode()).isZero();
        assertThat(late.lines()).containsExactly("invalid TIMESTAMP_TOO_OLD");
        assertThat(late.exitCode()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bitbucket",
                "typeform",
                "sentry",
                "lemonsqueezy",
                "vercel",
                "woocommerce",
                "line",
                "coinbase",
                "intercom",
                "xero",
                "jira",
                "dropbox",
                "mux",
                "calendly",
                "trello",
                "box",
                "hubspot",
                "hubspot-legacy",
                "docusign",
                "zendesk",
                "intuit",
                "contentful",
                "twitch"
            })
    void signsADeliveryThatItVerifies(String scheme) {
        // given: the headers `sign` prints
        String secret = "cli-provider-secret-0123";
        Cli.Result signed = Cli.run(
                "sign",
                "--scheme",
                scheme,
                "--secret",
                secret,
                "--timestamp",
                "1764700000",
                "--url",
                URL,
                "--body",
                "{\"a\":1}");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "verify", "--scheme", scheme, "--secret", secret, "--now", "1764700000", "--url", URL));
        for (String header : signed.lines()) {
            args.add("--header");
            args.add(header);
        }
        args.add("--body");
        args.add("{\"a\":1}");

        // when
        Cli.Result verified = Cli.run(args.toArray(String[]::new));

        // then
        assertThat(signed.exitCode()).isZero();
        assertThat(verified.lines()).containsExactly("valid");
    }
}
