package io.hookwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import org.junit.jupiter.api.Test;

class SchemesCommandTest {
    @Test
    void printsEveryBuiltInSchemeIdOnItsOwnLineAndExitsZero() {
        Cli.Result result = Cli.run("schemes");

        assertThat(result.exitCode()).isZero();
        assertThat(result.lines()).containsExactlyElementsOf(Schemes.ids());
        assertThat(result.lines()).contains("standard-webhooks", "stripe", "github", "slack");
        assertThat(result.lines())
                .contains(
                        "shopify",
                        "twilio",
                        "paddle",
                        "square",
                        "zoom",
                        "linear",
                        "mailgun",
                        "meta",
                        "gitlab",
                        "discord",
                        "sendgrid",
                        "sns",
                        "x",
                        "openai",
                        "replicate",
                        "clerk",
                        "resend",
                        "polar",
                        "telegram",
                        "okta",
                        "event-grid",
                        "microsoft-graph",
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
                        "adyen",
                        "adyen-platform",
                        "braintree",
                        "zendesk",
                        "intuit",
                        "contentful",
                        "twitch",
                        "token");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void printsTheProjectVersionForVersionOnEveryCommand() {
        Cli.Result top = Cli.run("--version");
        Cli.Result verify = Cli.run("verify", "--version");

        assertThat(top.exitCode()).isZero();
        assertThat(top.out()).startsWith("hookwarden ").doesNotContain("${").doesNotContain("unknown");
        assertThat(verify.out()).isEqualTo(top.out());
    }

    @Test
    void isAUsageErrorWithoutASubcommand() {
        Cli.Result result = Cli.run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("subcommand").contains("--help");
    }

    @Test
    void isAUsageErrorForAnUnknownSubcommand() {
        Cli.Result result = Cli.run("verfiy");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("verfiy");
    }
}
