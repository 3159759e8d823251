package io.hookwarden.cli;

import io.hookwarden.Headers;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookSigner;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    SigningOptions signing;

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
        WebhookSigner signer = signing.signer(spec);
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
        Headers headers;
        try {
            headers = signer.headers(message.build());
        } catch (IllegalArgumentException e) {
            throw Args.usage(spec, e.getMessage()); // a field the scheme signs is missing, such as the URL
        }
        PrintWriter out = spec.commandLine().getOut();
        headers.toMap().forEach((name, values) -> values.forEach(value -> out.println(name + ": " + value)));
        return 0;
    }
}
