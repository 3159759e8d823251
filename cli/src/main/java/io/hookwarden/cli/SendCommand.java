package io.hookwarden.cli;

import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code send}: sign a delivery once and POST it, one or more times, printing each HTTP status. */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Sign a delivery and POST it to --url with Content-Type: application/json and the signing headers; print"
                    + " the HTTP status of each attempt, one a line.",
            "With --repeat N the same signed delivery (identical bytes) is sent N times in a row, as a provider's retry"
                    + " would, so a receiver can show it deduplicates.",
            "Redirects are not followed. The connection times out after 10 s, each attempt after 30 s. When an attempt"
                    + " gets no response (refused, reset, timed out), its error is printed on standard error, no status"
                    + " line is printed for it, the remaining attempts are not made, and the exit code is 1."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every attempt got a 2xx status",
            "1:an attempt got another status, or no response",
            "2:usage error: bad or missing option, unknown scheme, bad URL, unreadable file, or a secret the scheme"
                    + " refuses"
        })
final class SendCommand implements Callable<Integer> {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Mixin
    SigningOptions signing;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "Where to POST: an http or https URL.")
    String url;

    @Option(
            names = "--repeat",
            paramLabel = "N",
            defaultValue = "1",
            description = "How many times to send the same signed delivery. Default: ${DEFAULT-VALUE}.")
    int repeat;

    @ArgGroup(exclusive = true, multiplicity = "1")
    BodyOptions body;

    @Override
    public Integer call() {
        WebhookSigner signer = signing.signer(spec);
        URI uri = uri();
        if (repeat < 1) {
            throw Args.usage(spec, "--repeat must be at least 1 but was " + repeat);
        }
        WebhookMessage message = WebhookMessage.body(body.bytes(spec)).url(url).build();
        WebhookRequest signed;
        try {
            signed = signer.sign(message); // POST, the signing headers, Content-Type: application/json
        } catch (IllegalArgumentException e) {
            throw Args.usage(spec, e.getMessage());
        }
        HttpRequest request = httpRequest(uri, signed);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade: every attempt is the same bytes
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        PrintWriter out = spec.commandLine().getOut();
        boolean all2xx = true;
        for (int attempt = 1; attempt <= repeat; attempt++) {
            int status;
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (IOException e) {
                return failed(attempt, uri, Args.describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed(attempt, uri, "interrupted");
            }
            out.println(status);
            all2xx &= status >= 200 && status <= 299;
        }
        return all2xx ? 0 : 1;
    }

    private URI uri() {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw Args.usage(spec, "--url is not a valid URL: " + e.getMessage());
        }
        String protocol = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(protocol.equals("http") || protocol.equals("https")) || uri.getHost() == null) {
            throw Args.usage(
                    spec,
                    "--url must be an absolute http or https URL with a host, such as"
                            + " http://localhost:8080/webhooks");
        }
        return uri;
    }

    private HttpRequest httpRequest(URI uri, WebhookRequest signed) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
        try {
            signed.headers().toMap().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw Args.usage(spec, "cannot send this request: " + e.getMessage());
        }
    }

    private int failed(int attempt, URI uri, String problem) {
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        spec.commandLine()
                .getErr()
                .println("send: attempt " + attempt + " of " + repeat + " to " + uri.getHost() + ":" + port
                        + " got no response: " + problem);
        return 1;
    }
}
