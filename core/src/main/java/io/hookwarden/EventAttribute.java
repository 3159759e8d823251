package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Where an endpoint reads an event's type or version: a header, a JSON pointer, a segment of the URL path, a form
 * parameter, or the scheme's own place ({@link #schemeEventType()}). Chain with {@link #orElse(EventAttribute)}.
 *
 * <pre>{@code
 * WebhookReceiver.builder()
 *     .eventType(EventAttribute.header("X-GitHub-Event"))          // GitHub's default anyway
 *     .version(EventAttribute.header("X-Webhook-Version").orElse(EventAttribute.pathSegment(1)))  // /webhooks/v2/...
 * }</pre>
 *
 * <p>Implementations return null when the delivery has no such value, read only what the signature covers where the
 * value matters for security, and must be thread-safe.
 */
@FunctionalInterface
public interface EventAttribute {
    /**
     * The value for one event.
     *
     * @param webhook the verified delivery
     * @param event the event's JSON inside a batch delivery; null for a single-event delivery, whose JSON is {@link
     *     VerifiedWebhook#jsonIfPresent()} (parsed only if asked for)
     * @return the value, or null when there is none
     */
    String of(VerifiedWebhook webhook, JsonNode event);

    /** This attribute, or {@code next} when it finds nothing. */
    default EventAttribute orElse(EventAttribute next) {
        Objects.requireNonNull(next, "next cannot be null");
        return (webhook, event) -> {
            String value = of(webhook, event);
            return value != null ? value : next.of(webhook, event);
        };
    }

    /**
     * The event type where the scheme carries it: {@code X-GitHub-Event}, Stripe's and Standard Webhooks' {@code
     * /type}, Slack's {@code /event/type}. The default type of a receiver. Inside a batch, the scheme's header, else
     * the scheme's pointers into each event.
     */
    static EventAttribute schemeEventType() {
        return (webhook, event) ->
                event == null ? webhook.schemeEventType().orElse(null) : webhook.schemeEventTypeOf(event);
    }

    /** No value: the default version of a receiver. */
    static EventAttribute none() {
        return (webhook, event) -> null;
    }

    /**
     * A header's value, such as {@code X-GitHub-Event} or {@code X-Webhook-Version}; blank counts as absent.
     *
     * @throws NullPointerException if name is null
     * @throws IllegalArgumentException if name is blank
     */
    static EventAttribute header(String name) {
        Objects.requireNonNull(name, "name cannot be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("header name cannot be blank");
        }
        return (webhook, event) -> webhook.request()
                .headers()
                .first(name)
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .orElse(null);
    }

    /**
     * A string or number member of the event's JSON, such as {@code /type} or {@code /api_version}; inside a batch,
     * relative to each event.
     *
     * @throws NullPointerException if pointer is null
     * @throws IllegalArgumentException if pointer does not start with '/'
     */
    static EventAttribute jsonPointer(String pointer) {
        Objects.requireNonNull(pointer, "pointer cannot be null");
        if (!pointer.startsWith("/")) {
            throw new IllegalArgumentException("JSON pointer must start with '/' but was " + pointer);
        }
        List<String> pointers = List.of(pointer);
        return (webhook, event) -> {
            JsonNode root = event != null ? event : webhook.jsonIfPresent().orElse(null);
            String value = BoundedJson.text(root, pointers);
            return value == null || value.isEmpty() ? null : value;
        };
    }

    /**
     * A segment of the request URL's path, counted from 0: for {@code /webhooks/v2/stripe}, segment 0 is {@code
     * webhooks} and segment 1 is {@code v2}. Null when the request has no URL or the path is shorter.
     *
     * @throws IllegalArgumentException if index is negative
     */
    static EventAttribute pathSegment(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("path segment index must not be negative but was " + index);
        }
        return (webhook, event) -> {
            String url = webhook.request().url().orElse(null);
            if (url == null) {
                return null;
            }
            String path;
            try {
                path = URI.create(url).getPath();
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (path == null) {
                return null;
            }
            int seen = 0;
            int start = path.startsWith("/") ? 1 : 0;
            while (start <= path.length()) {
                int end = path.indexOf('/', start);
                if (end < 0) {
                    end = path.length();
                }
                if (seen++ == index) {
                    return end > start ? path.substring(start, end) : null;
                }
                start = end + 1;
            }
            return null;
        };
    }

    /**
     * A parameter of a form-encoded body ({@code application/x-www-form-urlencoded}), such as a Slack command's
     * {@code command}; null when the body is not a form or has no such parameter.
     *
     * @throws NullPointerException if name is null
     * @throws IllegalArgumentException if name is blank
     */
    static EventAttribute formParameter(String name) {
        Objects.requireNonNull(name, "name cannot be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("form parameter name cannot be blank");
        }
        return (webhook, event) -> {
            List<String> values;
            try {
                values = webhook.form().get(name);
            } catch (InvalidPayloadException e) {
                return null;
            }
            return values == null || values.get(0).isEmpty() ? null : values.get(0);
        };
    }
}
