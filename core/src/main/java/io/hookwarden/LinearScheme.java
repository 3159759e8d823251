package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Linear: {@code Linear-Signature}, hex HMAC-SHA256 of the body with the webhook's signing secret (UTF-8). The
 * timestamp is not a header: it is the body's {@code webhookTimestamp}, in milliseconds, and it is checked for
 * freshness like any other (Linear's SDK allows 60 seconds; set {@code tolerance(Duration.ofSeconds(60))} to match).
 * The delivery id is {@code Linear-Delivery}, the event type {@code Linear-Event} (else the body's {@code /type}).
 */
final class LinearScheme extends Scheme {
    private static final String SIGNATURE = "Linear-Signature";
    private static final String SIGNATURE_KEY = HeaderValues.lookup(SIGNATURE);
    private static final String DELIVERY = "Linear-Delivery";
    private static final String EVENT = "Linear-Event";
    private static final String TIMESTAMP_FIELD = "webhookTimestamp";
    private static final List<String> TIMESTAMP_POINTER = List.of("/" + TIMESTAMP_FIELD);
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{body}");

    private final int minSecretBytes;

    LinearScheme() {
        this(8);
    }

    /** With another floor for the secret's length: for tests that replay vectors published with toy secrets. */
    LinearScheme(int minSecretBytes) {
        this.minSecretBytes = minSecretBytes;
    }

    @Override
    public String id() {
        return "linear";
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/type");
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return utf8HmacKey(label, secret, minSecretBytes, HmacAlgorithm.SHA256);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        Headers headers = request.headers();
        String value = HeaderValues.required(headers, SIGNATURE_KEY, SIGNATURE);
        String timestampText = BoundedJson.text(BoundedJson.parse(request.bodyBytes()), TIMESTAMP_POINTER);
        if (timestampText == null) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_PAYLOAD, "scheme linear needs webhookTimestamp in the JSON body");
        }
        Instant timestamp = HeaderValues.timestamp(timestampText, TIMESTAMP_FIELD, true);
        String delivery = HeaderValues.optional(headers, HeaderValues.lookup(DELIVERY), DELIVERY);
        String event = headers.first(EVENT).orElse(null);
        return new Parsed(
                SIGNATURE,
                delivery,
                timestampText,
                timestamp,
                event,
                List.of(new OfferedSignature(null, value, 0, value.length())));
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        CONTENT.write(sink, parsed.id, parsed.timestampText, request.bodyBytes(), null);
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        return matchesHexSha256(key, CONTENT, parsed, request);
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        if (BoundedJson.text(BoundedJson.parse(message.bodyBytes()), TIMESTAMP_POINTER) == null) {
            throw new IllegalArgumentException("scheme linear signs webhookTimestamp inside the JSON body: sign the"
                    + " whole request, or give a body with webhookTimestamp");
        }
        byte[] mac = ((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA256, CONTENT, null, null, message.bodyBytes(), null);
        Headers.Builder out = Headers.builder()
                .add(SIGNATURE, new String(Codec.hex(mac), StandardCharsets.US_ASCII))
                .add(DELIVERY, message.id().orElseGet(() -> UUID.randomUUID().toString()));
        message.eventType().ifPresent(type -> out.add(EVENT, type));
        return out.build();
    }

    /**
     * The body with {@code webhookTimestamp} set to the signing time, in milliseconds, when the body has none or the
     * message gives another time; a body that already carries the message's time is sent byte for byte.
     */
    @Override
    WebhookRequest signedRequest(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        byte[] body = message.bodyBytes();
        JsonNode root = body.length == 0 ? Handshakes.MAPPER.createObjectNode() : BoundedJson.parse(body);
        if (!(root instanceof ObjectNode object)) {
            throw new IllegalArgumentException("scheme linear sends a JSON object body");
        }
        String present = BoundedJson.text(root, TIMESTAMP_POINTER);
        String wanted = Long.toString(timestamp.toEpochMilli());
        if (present == null || (message.timestamp().isPresent() && !present.equals(wanted))) {
            object.put(TIMESTAMP_FIELD, timestamp.toEpochMilli());
            try {
                body = Handshakes.MAPPER.writeValueAsBytes(object);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the JSON body", e);
            }
        }
        WebhookMessage.Builder signed = WebhookMessage.body(body).timestamp(timestamp);
        message.id().ifPresent(signed::id);
        message.eventType().ifPresent(signed::eventType);
        message.url().ifPresent(signed::url);
        return super.signedRequest(key, signed.build(), timestamp);
    }
}
