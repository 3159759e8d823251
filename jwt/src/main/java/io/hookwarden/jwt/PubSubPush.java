package io.hookwarden.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwarden.InvalidPayloadException;
import io.hookwarden.Reason;
import io.hookwarden.VerifiedWebhook;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Google Cloud Pub/Sub push envelope of a verified delivery: {@code {"message": {"data": base64, "messageId",
 * "publishTime", "attributes": {...}}, "subscription"}}. The message's data is the event your publisher sent.
 *
 * <pre>{@code
 * byte[] event = PubSubPush.data(webhook);            // the published bytes
 * Map<String, String> attributes = PubSubPush.attributes(webhook);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PubSubPush {
    private PubSubPush() {}

    /**
     * The published message's data, decoded from base64.
     *
     * @param webhook a delivery verified by {@link JwtSchemes#googlePubSub()}
     * @return the data; empty when the message has none (a message of attributes only)
     * @throws InvalidPayloadException MALFORMED_PAYLOAD when the body is not a push envelope or the data is not base64
     */
    public static byte[] data(VerifiedWebhook webhook) {
        JsonNode data = message(webhook).path("data");
        if (data.isMissingNode() || data.isNull()) {
            return new byte[0];
        }
        if (!data.isTextual()) {
            throw new InvalidPayloadException(Reason.MALFORMED_PAYLOAD, "/message/data is not a string");
        }
        try {
            return Base64.getDecoder().decode(data.textValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidPayloadException(Reason.MALFORMED_PAYLOAD, "/message/data is not base64");
        }
    }

    /**
     * The message's attributes.
     *
     * @param webhook a delivery verified by {@link JwtSchemes#googlePubSub()}
     * @return name to value, in the order sent; empty when there are none
     * @throws InvalidPayloadException MALFORMED_PAYLOAD when the body is not a push envelope
     */
    public static Map<String, String> attributes(VerifiedWebhook webhook) {
        JsonNode attributes = message(webhook).path("attributes");
        Map<String, String> out = new LinkedHashMap<>();
        if (attributes.isObject()) {
            for (Map.Entry<String, JsonNode> e : attributes.properties()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static JsonNode message(VerifiedWebhook webhook) {
        JsonNode message =
                Objects.requireNonNull(webhook, "webhook cannot be null").json().path("message");
        if (!message.isObject()) {
            throw new InvalidPayloadException(
                    Reason.MALFORMED_PAYLOAD, "body is not a Pub/Sub push envelope: /message is not an object");
        }
        return message;
    }
}
