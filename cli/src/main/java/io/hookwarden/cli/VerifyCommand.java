package io.hookwarden.cli;

import io.hookwarden.Keys;
import io.hookwarden.Scheme;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verify}: one delivery from options, or recorded deliveries from a JSON lines file. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Verify one delivery given by --header, --url and --body or --body-file: print 'valid', or 'invalid"
                    + " REASON' with REASON a name such as SIGNATURE_MISMATCH or TIMESTAMP_TOO_OLD.",
            "",
            "Or verify recorded deliveries, one JSON object a line: print 'ID valid' or 'ID invalid REASON' for each, in"
                    + " input order."
        },
        footerHeading = "%nDeliveries file (--deliveries FILE.jsonl, or - for standard input):%n",
        footer = {
            "  {\"id\": \"...\",",
            "   \"headers\": {\"Name\": \"value\" | [\"value 1\", \"value 2\"], ...},",
            "   \"body\": \"text\" | \"body_base64\": \"...\",",
            "   \"url\": \"...\", \"now\": EPOCH_SECONDS}",
            "  url and now are optional; a line's now overrides --now, which overrides",
            "  the system clock. Other fields are ignored; blank lines are skipped.",
            "",
            "  A line whose id can be read but whose headers, body, url or now are",
            "  missing or wrong prints 'ID invalid MALFORMED_PAYLOAD'.",
            "  A line that is not a JSON object, or has no usable id (a non-empty string",
            "  without blanks or control characters), is a usage error naming the line:",
            "  the whole file is read first, so nothing is printed on standard output,",
            "  and the exit code is 2."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:valid (every delivery valid)",
            "1:invalid (at least one delivery invalid)",
            "2:usage error: bad or missing option, unknown scheme, unreadable file or line, or a secret the scheme"
                    + " refuses"
        })
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SchemeOption schemeOption;

    @Option(
            names = "--secret",
            required = true,
            paramLabel = "SECRET",
            description = "The secret, or for an asymmetric scheme the public key, exactly as the provider shows it."
                    + " Repeat while rotating: a delivery signed with any of them is valid.")
    List<String> secrets = new ArrayList<>();

    @Option(
            names = "--tolerance",
            paramLabel = "SECONDS",
            description = "How far the signed timestamp may be from now, in the past or the future, for every scheme"
                    + " that signs one. Default: 300.")
    Long tolerance;

    @Option(
            names = "--ignore-timestamp",
            description = "Do not check the signed timestamp at all, to re-check recorded deliveries long after they"
                    + " were sent. The signature is still checked.")
    boolean ignoreTimestamp;

    @Option(
            names = "--allow-weak-secret",
            description = "Accept a secret shorter than the scheme's minimum (a legacy GitHub or GitLab secret); a"
                    + " warning names the key, never the secret. An empty secret is always refused.")
    boolean allowWeakSecret;

    @Option(
            names = "--now",
            paramLabel = "EPOCH_SECONDS",
            description = "Check timestamps against this instant instead of the system clock.")
    Long now;

    @Option(names = "--max-body", paramLabel = "BYTES", description = "The largest body accepted. Default: 1048576.")
    Long maxBody;

    @Option(
            names = "--header",
            paramLabel = "'Name: value'",
            description = "A request header; repeat for more. A name given twice is sent with both values.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--url", paramLabel = "URL", description = "The URL the delivery was sent to.")
    String url;

    @Option(
            names = {"-v", "--verbose"},
            description = "For each invalid delivery, also print why on standard error.")
    boolean verbose;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    /** {@code --body TEXT | --body-file FILE | --deliveries FILE}. */
    static final class Input extends BodyOptions {
        @Option(
                names = "--deliveries",
                paramLabel = "FILE.jsonl",
                required = true,
                description = "Recorded deliveries, one JSON object a line (see below); - reads standard input.")
        String deliveries;
    }

    @Override
    public Integer call() {
        Scheme scheme = schemeOption.resolve(spec);
        Duration window = tolerance == null ? null : Args.seconds(spec, "--tolerance", tolerance);
        if (ignoreTimestamp && tolerance != null) {
            throw Args.usage(spec, "--ignore-timestamp and --tolerance cannot be used together");
        }
        if (maxBody != null && maxBody <= 0) {
            throw Args.usage(spec, "--max-body must be positive but was " + maxBody);
        }
        Clock clock =
                now == null ? Clock.systemUTC() : Clock.fixed(Args.epochSeconds(spec, "--now", now), ZoneOffset.UTC);
        if (input.deliveries != null) {
            if (!headers.isEmpty() || url != null) {
                throw Args.usage(
                        spec, "--header and --url describe one delivery; each line of --deliveries has its own");
            }
            WebhookVerifier verifier = verifier(scheme, window, clock);
            return verifyAll(scheme, window, verifier, deliveries()) ? 0 : 1;
        }
        WebhookRequest.Builder request = WebhookRequest.builder().method("POST").url(url);
        for (int i = 0; i < headers.size(); i++) {
            Args.Header parsed = Args.header(spec, headers.get(i), i + 1);
            request.header(parsed.name(), parsed.value());
        }
        WebhookVerifier verifier = verifier(scheme, window, clock);
        request.body(input.bytes(spec));
        return check(verifier, request.build(), "") ? 0 : 1;
    }

    private WebhookVerifier verifier(Scheme scheme, Duration window, Clock clock) {
        WebhookVerifier.Builder builder =
                WebhookVerifier.builder().scheme(scheme).keys(keys()).clock(clock);
        if (window != null) {
            builder.tolerance(window);
        }
        if (ignoreTimestamp) {
            builder.ignoreTimestamp();
        }
        if (maxBody != null) {
            builder.maxBodyBytes(maxBody);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The core names the key by label (key-1, key-2: the order of --secret), never the secret.
            throw Args.usage(spec, "--secret: " + e.getMessage());
        }
    }

    /** The --secret values as key-1, key-2, ..., short ones accepted only with --allow-weak-secret. */
    private Keys keys() {
        Keys.Builder keys = Keys.builder();
        for (int i = 0; i < secrets.size(); i++) {
            keys.add("key-" + (i + 1), secrets.get(i));
        }
        if (allowWeakSecret) {
            keys.allowWeakSecrets();
        }
        return keys.build();
    }

    private List<DeliveryFile.Delivery> deliveries() {
        String source = input.deliveries;
        try {
            if (source.equals("-")) {
                // Not closed: standard input belongs to the process.
                return DeliveryFile.read(
                        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8.newDecoder())));
            }
            try (BufferedReader reader = Files.newBufferedReader(Path.of(source), StandardCharsets.UTF_8)) {
                return DeliveryFile.read(reader);
            }
        } catch (IOException | InvalidPathException | SecurityException e) {
            throw Args.usage(spec, "--deliveries: cannot read " + source + ": " + Args.describe(e));
        } catch (DeliveryFile.Unreadable e) {
            throw Args.usage(spec, "--deliveries " + source + ", " + e.getMessage());
        }
    }

    private boolean verifyAll(
            Scheme scheme, Duration window, WebhookVerifier verifier, List<DeliveryFile.Delivery> deliveries) {
        boolean allValid = true;
        for (DeliveryFile.Delivery delivery : deliveries) {
            String prefix = delivery.id() + " ";
            if (delivery.problem() != null) {
                out().println(prefix + "invalid MALFORMED_PAYLOAD");
                if (verbose) {
                    err().println(prefix + "line " + delivery.line() + ": " + delivery.problem());
                }
                allValid = false;
                continue;
            }
            Instant lineNow = delivery.now();
            WebhookVerifier lineVerifier =
                    lineNow == null ? verifier : verifier(scheme, window, Clock.fixed(lineNow, ZoneOffset.UTC));
            allValid &= check(lineVerifier, delivery.request(), prefix);
        }
        return allValid;
    }

    private boolean check(WebhookVerifier verifier, WebhookRequest request, String prefix) {
        try {
            verifier.verify(request);
            out().println(prefix + "valid");
            return true;
        } catch (WebhookVerificationException e) {
            out().println(prefix + "invalid " + e.reason().name());
            if (verbose) {
                err().println(prefix + e.getMessage());
            }
            return false;
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
