package io.hookwarden.test;

import io.hookwarden.WebhookRequest;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a fixture's {@link WebhookRequest} as a JAX-RS client {@link Invocation}, to send it to a real server with
 * your JAX-RS client (Jersey, RESTEasy, ...). Uses the JAX-RS 3.1 API only; needs {@code jakarta.ws.rs-api} and a
 * client implementation on the test class path.
 *
 * <pre>{@code
 * WebhookRequest delivery = fixtures.delivery(body).signed();
 * Response response = JaxrsDeliveries.invocation(client.target(baseUri).path("webhooks/stripe"), delivery).invoke();
 * }</pre>
 *
 * <p>The body is sent byte for byte. The {@code Content-Type} header becomes the entity's media type, so the client
 * may write its parameters with other spacing or case ({@code application/json;charset=UTF-8}); no built-in scheme
 * signs it. Headers the client sets itself ({@code Host}, {@code Content-Length}, {@code Connection}, {@code Expect},
 * {@code Upgrade}) are left to it. Stateless and thread-safe.
 */
public final class JaxrsDeliveries {
    /** Headers that HTTP clients set themselves, and some (HttpURLConnection) silently drop. */
    private static final Set<String> RESTRICTED =
            Set.of("connection", "content-length", "content-type", "expect", "host", "upgrade");

    private static final Set<String> BODILESS = Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE");

    private JaxrsDeliveries() {}

    /**
     * An invocation of the delivery, with its method, headers (a header given twice is sent twice) and exact body,
     * to {@code target}.
     *
     * @param target where to send it, such as {@code client.target(server).path("webhooks/stripe")}
     * @param delivery the delivery, typically from {@link WebhookFixtures}
     * @return the invocation, to {@code invoke()} or {@code submit()}
     * @throws NullPointerException if target or delivery is null
     */
    public static Invocation invocation(WebTarget target, WebhookRequest delivery) {
        Objects.requireNonNull(target, "target cannot be null");
        Objects.requireNonNull(delivery, "delivery cannot be null");
        Invocation.Builder builder = target.request();
        for (Map.Entry<String, List<String>> header : delivery.headers().toMap().entrySet()) {
            if (RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String value : header.getValue()) {
                builder.header(header.getKey(), value);
            }
        }
        byte[] body = delivery.body();
        String method = delivery.method();
        if (body.length == 0 && BODILESS.contains(method.toUpperCase(Locale.ROOT))) {
            return builder.build(method);
        }
        MediaType type = delivery.headers()
                .first("Content-Type")
                .map(MediaType::valueOf)
                .orElse(MediaType.APPLICATION_OCTET_STREAM_TYPE);
        return builder.build(method, Entity.entity(body, type));
    }

    /**
     * An invocation of the delivery to its own URL (set by {@link WebhookFixtures.Builder#url}).
     *
     * @param client the client to send it with
     * @param delivery the delivery, typically from {@link WebhookFixtures}
     * @return the invocation
     * @throws NullPointerException if client or delivery is null
     * @throws IllegalArgumentException if the delivery has no URL
     */
    public static Invocation invocation(Client client, WebhookRequest delivery) {
        Objects.requireNonNull(client, "client cannot be null");
        Objects.requireNonNull(delivery, "delivery cannot be null");
        String url = delivery.url()
                .orElseThrow(() -> new IllegalArgumentException("the delivery has no URL: pass a WebTarget"));
        return invocation(client.target(url), delivery);
    }
}
