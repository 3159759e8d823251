package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One event of a verified delivery, with the type and version its endpoint resolved: the whole body for an ordinary
 * delivery, or one element of a batch ({@link PayloadFormat#JSON_BATCH}). What a {@link Router} hands its handlers.
 *
 * <p>Immutable and thread-safe.
 */
public final class WebhookEvent {
    private final VerifiedWebhook webhook;
    private final int index;
    private final JsonNode element;
    private final String type;
    private final String version;

    WebhookEvent(VerifiedWebhook webhook, int index, JsonNode element, String type, String version) {
        this.webhook = webhook;
        this.index = index;
        this.element = element;
        this.type = type;
        this.version = version;
    }

    /** The verified delivery this event came in. */
    public VerifiedWebhook webhook() {
        return webhook;
    }

    /** The event's type, when the endpoint found one. */
    public Optional<String> type() {
        return Optional.ofNullable(type);
    }

    /** The event's version, when the endpoint reads one. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** The event's position in its batch, from 0; empty for an ordinary (single-event) delivery. */
    public Optional<Integer> index() {
        return index < 0 ? Optional.empty() : Optional.of(index);
    }

    /** The JSON pointer of this event in the body: {@code ""} for an ordinary delivery, {@code /3} in a batch. */
    public String pointer() {
        return index < 0 ? "" : "/" + index;
    }

    /**
     * The event's JSON. The tree is shared: read it, do not change it.
     *
     * @throws InvalidPayloadException MALFORMED_PAYLOAD when the body is not JSON within the limits
     */
    public JsonNode json() {
        return element != null ? element : webhook.json();
    }

    /**
     * The event bound to an application type with Jackson; members the type does not name are ignored.
     *
     * @throws InvalidPayloadException MALFORMED_PAYLOAD when the body is not JSON or the event does not fit the type;
     *     the message names the type and the failing pointer, never a value
     * @throws NullPointerException if type is null
     */
    public <T> T as(Class<T> type) {
        Objects.requireNonNull(type, "type cannot be null");
        return BoundedJson.bind(json(), type);
    }

    /** Type, version, position and the delivery: never the payload. */
    @Override
    public String toString() {
        return "WebhookEvent[type=" + type + ", version=" + version + (index < 0 ? "" : ", index=" + index) + ", "
                + webhook + "]";
    }
}
