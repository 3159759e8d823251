package io.hookwarden.cli;

import io.hookwarden.Scheme;
import io.hookwarden.WebhookSigner;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --scheme} and {@code --secret} for the commands that sign: {@code sign} and {@code send}. */
final class SigningOptions {
    @Mixin
    SchemeOption scheme;

    @Option(
            names = "--secret",
            required = true,
            paramLabel = "SECRET",
            description = "The secret, or for an asymmetric scheme the private key, exactly as the provider shows it.")
    String secret;

    @Option(
            names = "--allow-weak-secret",
            description = "Accept a secret shorter than the scheme's minimum (a legacy GitHub or GitLab secret).")
    boolean allowWeakSecret;

    /** A signer; an unknown scheme or a secret the scheme refuses is a usage error. */
    WebhookSigner signer(CommandSpec spec) {
        Scheme resolved = scheme.resolve(spec);
        try {
            WebhookSigner.Builder signer =
                    WebhookSigner.builder().scheme(resolved).secret(secret);
            if (allowWeakSecret) {
                signer.allowWeakSecret();
            }
            return signer.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The core's message names the key's label, never the secret.
            throw Args.usage(spec, "--secret: " + e.getMessage());
        }
    }
}
