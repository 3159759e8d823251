package io.hookwarden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Headers;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
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
            "Sign a delivery and POST it to --url with its Content-Type (default application/json), the signing"
                    + " headers and any --header; print the HTTP status of each attempt, one a line, followed by the"
                    + " problem's reason when the receiver answered with one (for example '200 DUPLICATE',"
                    + " '401 SIGNATURE_MISMATCH'); a plain status means the answer carried no reason.",
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
    private static final int MAX_ANSWER_BYTES = 65_536;
    private static final Pattern REASON = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();

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

    @Option(names = "--id", paramLabel = "ID", description = "The delivery id. Default: a fresh random one.")
    String id;

    @Option(
            names = "--event-type",
            paramLabel = "TYPE",
            description = "The event type, for schemes that send it in a header (GitHub's X-GitHub-Event).")
    String eventType;

    @Option(
            names = "--content-type",
            paramLabel = "TYPE",
            description =
                    "The body's Content-Type. Default: the one the scheme signs with, application/json for" + " most.")
    String contentType;

    @Option(
            names = "--header",
            paramLabel = "'Name: value'",
            description = "Another request header, such as 'X-GitHub-Event: push'; repeat for more. It cannot replace"
                    + " a signing header or the Content-Type (use --content-type).")
    List<String> headers = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "1")
    BodyOptions body;

    @Override
    public Integer call() {
        WebhookSigner signer = signing.signer(spec);
        URI uri = uri();
        if (repeat < 1) {
            throw Args.usage(spec, "--repeat must be at least 1 but was " + repeat);
        }
        WebhookMessage.Builder message = WebhookMessage.body(body.bytes(spec)).url(url);
        if (id != null) {
            message.id(id);
        }
        if (eventType != null) {
            message.eventType(eventType);
        }
        WebhookRequest signed;
        try {
            signed = signer.sign(message.build()); // POST, the signing headers, Content-Type: application/json
        } catch (IllegalArgumentException e) {
            throw Args.usage(spec, e.getMessage());
        }
        signed = withExtraHeaders(signed);
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
            String reason;
            try {
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                status = response.statusCode();
                reason = reason(response);
            } catch (IOException e) {
                return failed(attempt, uri, Args.describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed(attempt, uri, "interrupted");
            }
            out.println(reason == null ? Integer.toString(status) : status + " " + reason);
            all2xx &= status >= 200 && status <= 299;
        }
        return all2xx ? 0 : 1;
    }

    /**
     * The signed request with Content-Type set to {@code --content-type} and every {@code --header} added; a header
     * that would replace a signing header is a usage error (the delivery would no longer be the one signed).
     */
    private WebhookRequest withExtraHeaders(WebhookRequest signed) {
        Headers.Builder all = signed.headers().toBuilder();
        if (contentType != null) {
            all.set("Content-Type", contentType);
        }
        for (int i = 0; i < headers.size(); i++) {
            Args.Header header = Args.header(spec, headers.get(i), i + 1);
            if (header.name().equalsIgnoreCase("Content-Type")) {
                throw Args.usage(spec, "--header #" + (i + 1) + " sets Content-Type: use --content-type");
            }
            if (signed.headers().contains(header.name())) {
                throw Args.usage(
                        spec,
                        "--header #" + (i + 1) + " would replace " + header.name() + ", which the scheme sets when"
                                + " it signs");
            }
            all.add(header.name(), header.value());
        }
        return WebhookRequest.builder()
                .method(signed.method())
                .url(signed.url().orElse(null))
                .headers(all.build())
                .body(signed.body())
                .build();
    }

    /**
     * The {@code reason} of a problem answer ({@code application/problem+json} or JSON), or null: read from at most
     * {@value #MAX_ANSWER_BYTES} bytes, and printed only when it looks like a reason code, so a hostile server cannot
     * write arbitrary text to the terminal.
     */
    private static String reason(HttpResponse<InputStream> response) throws IOException {
        try (InputStream in = response.body()) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.toLowerCase(Locale.ROOT).contains("json")) {
                return null;
            }
            byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES);
            JsonNode reason;
            try {
                reason = JSON.readTree(bytes).path("reason");
            } catch (IOException malformed) {
                return null;
            }
            return reason.isTextual() && REASON.matcher(reason.asText()).matches() ? reason.asText() : null;
        }
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
