package io.hookwarden.cli;

import io.hookwarden.Headers;
import io.hookwarden.Scheme;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookSigner;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sign}: the headers that sign a body, one {@code Name: value} a line. */
@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Print the headers that sign a delivery as the provider would send them, one 'Name: value' a line.",
            "Fields the scheme does not carry (such as --id for stripe) are ignored."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:signed",
            "2:usage error: bad or missing option, unknown scheme, unreadable file, or a secret the scheme refuses"
        })
final class SignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--scheme",
            required = true,
            paramLabel = "ID",
            completionCandidates = SchemeIds.class,
            description = "The provider's scheme: ${COMPLETION-CANDIDATES}.")
    String schemeId;

    @Option(
            names = "--secret",
            required = true,
            paramLabel = "SECRET",
            description = "The secret, or for an asymmetric scheme the private key, exactly as the provider shows it.")
    String secret;

    @Option(names = "--id", paramLabel = "ID", description = "The delivery id. Default: a fresh random one.")
    String id;

    @Option(
            names = "--timestamp",
            paramLabel = "EPOCH_SECONDS",
            description = "The signed timestamp. Default: the system clock.")
    Long timestamp;

    @Option(names = "--url", paramLabel = "URL", description = "The URL the delivery is sent to.")
    String url;

    @ArgGroup(exclusive = true, multiplicity = "1")
    BodyOptions body;

    @Override
    public Integer call() {
        Scheme scheme = Args.scheme(spec, schemeId);
        WebhookMessage.Builder message = WebhookMessage.body(body.bytes(spec));
        if (id != null) {
            message.id(id);
        }
        if (timestamp != null) {
            message.timestamp(Args.epochSeconds(spec, "--timestamp", timestamp));
        }
        if (url != null) {
            message.url(url);
        }
        Headers headers = sign(spec, scheme, secret, message.build());
        PrintWriter out = spec.commandLine().getOut();
        headers.toMap().forEach((name, values) -> values.forEach(value -> out.println(name + ": " + value)));
        return 0;
    }

    /** A signer; a secret the scheme refuses is a usage error. Shared with {@code send}. */
    static WebhookSigner signer(CommandSpec spec, Scheme scheme, String secret) {
        try {
            return WebhookSigner.builder().scheme(scheme).secret(secret).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The core's message names the key's label, never the secret.
            throw Args.usage(spec, "--secret: " + e.getMessage());
        }
    }

    private static Headers sign(CommandSpec spec, Scheme scheme, String secret, WebhookMessage message) {
        WebhookSigner signer = signer(spec, scheme, secret);
        try {
            return signer.headers(message);
        } catch (IllegalArgumentException e) {
            throw Args.usage(spec, e.getMessage()); // a field the scheme signs is missing, such as the URL
        }
    }
}
