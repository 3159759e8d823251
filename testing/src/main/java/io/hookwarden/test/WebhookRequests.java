package io.hookwarden.test;

import io.hookwarden.WebhookRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a fixture's {@link WebhookRequest} for the HTTP client a test drives a real server with.
 *
 * <pre>{@code
 * HttpResponse<String> response = client.send(
 *         WebhookRequests.toHttpRequest(fixtures.delivery(body).signed(), server.resolve("/webhooks/stripe")),
 *         HttpResponse.BodyHandlers.ofString());
 * }</pre>
 */
public final class WebhookRequests {
    /** Headers {@code java.net.http} sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private WebhookRequests() {}

    /**
     * A {@code java.net.http} request with the delivery's method, headers (a header given twice is sent twice) and
     * exact body bytes, sent to {@code target}.
     *
     * @throws NullPointerException if request or target is null
     */
    public static HttpRequest toHttpRequest(WebhookRequest request, URI target) {
        Objects.requireNonNull(request, "request cannot be null");
        Objects.requireNonNull(target, "target cannot be null");
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (Map.Entry<String, List<String>> header : request.headers().toMap().entrySet()) {
            if (RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String value : header.getValue()) {
                builder.header(header.getKey(), value);
            }
        }
        return builder.build();
    }

    /**
     * A {@code java.net.http} request to the delivery's own URL.
     *
     * @throws NullPointerException if request is null
     * @throws IllegalArgumentException if the delivery has no URL
     */
    public static HttpRequest toHttpRequest(WebhookRequest request) {
        Objects.requireNonNull(request, "request cannot be null");
        String url = request.url()
                .orElseThrow(() -> new IllegalArgumentException("the delivery has no URL: pass the target URI"));
        return toHttpRequest(request, URI.create(url));
    }
}
