package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Mailgun: no header; the body carries {@code timestamp}, {@code token} and {@code signature} (hex HMAC-SHA256 of
 * {@code timestamp + token} with the HTTP webhook signing key, UTF-8): in a JSON body as the {@code signature} object,
 * in a form body (legacy webhooks, routes) as fields. The timestamp, in seconds, is checked for freshness. Note that
 * Mailgun's signature covers the timestamp and token, <em>not</em> the event: it proves the request came from Mailgun
 * recently, and Mailgun relies on TLS for the rest. The id is the event's {@code /event-data/id}, else the token; the
 * type is {@code /event-data/event}.
 */
final class MailgunScheme extends Scheme {
    private static final String FIELD = "signature";
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{body}");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String id() {
        return "mailgun";
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return utf8HmacKey(label, secret, 8, HmacAlgorithm.SHA256);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    /**
     * The candidate's source is {@code timestamp + token + signature}; the signature is its region from {@code
     * start}, and what was signed is the text before it.
     */
    @Override
    Parsed parse(WebhookRequest request) {
        byte[] body = request.bodyBytes();
        String timestamp = null;
        String token = null;
        String signature = null;
        String id = null;
        String type = null;
        JsonNode root = BoundedJson.parse(body);
        if (root != null) {
            JsonNode fields = root.path(FIELD);
            timestamp = text(fields.get("timestamp"));
            token = text(fields.get("token"));
            signature = text(fields.get("signature"));
            id = text(root.path("event-data").get("id"));
            type = text(root.path("event-data").get("event"));
        } else if (FormBody.looksLikeForm(body)) {
            for (Map.Entry<String, String> pair : FormBody.parse(body)) {
                switch (pair.getKey()) {
                    case "timestamp" -> timestamp = timestamp == null ? pair.getValue() : "";
                    case "token" -> token = token == null ? pair.getValue() : "";
                    case "signature" -> signature = signature == null ? pair.getValue() : "";
                    case "event" -> type = pair.getValue();
                    default -> {}
                }
            }
        }
        if (timestamp == null || token == null || signature == null) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_PAYLOAD,
                    "scheme mailgun needs signature.timestamp, .token and .signature in the" + " body");
        }
        if (timestamp.isEmpty() || token.isEmpty() || signature.isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_PAYLOAD,
                    "scheme mailgun found an empty (or repeated) timestamp, token or" + " signature in the body");
        }
        Instant instant = HeaderValues.timestamp(timestamp, "signature.timestamp", false);
        String source = timestamp + token + signature;
        int start = timestamp.length() + token.length();
        return new Parsed(
                FIELD,
                id != null && !id.isEmpty() ? id : token,
                timestamp,
                instant,
                type,
                List.of(new OfferedSignature(null, source, start, source.length())));
    }

    private static String text(JsonNode node) {
        return node != null && (node.isTextual() || node.isNumber()) ? node.asText() : null;
    }

    /** Mailgun signs its timestamp and token, which {@link #parse} put before the signature in the candidate. */
    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        OfferedSignature c = parsed.candidates.get(0);
        sink.update(Codec.utf8(c.source().substring(0, c.start())));
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        OfferedSignature c = parsed.candidates.get(0);
        byte[] signed = Codec.utf8(c.source().substring(0, c.start()));
        byte[] expected =
                Codec.hex(((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA256, CONTENT, null, null, signed, null));
        return c.matches(expected, true);
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        throw new IllegalArgumentException("scheme mailgun signs inside the body: sign the whole request");
    }

    /** The JSON body with its {@code signature} object set: the timestamp, a fresh 50-character token, the MAC. */
    @Override
    WebhookRequest signedRequest(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        byte[] body = message.bodyBytes();
        JsonNode root = body.length == 0 ? Handshakes.MAPPER.createObjectNode() : BoundedJson.parse(body);
        if (!(root instanceof ObjectNode object)) {
            throw new IllegalArgumentException("scheme mailgun sends a JSON object body");
        }
        byte[] random = new byte[25];
        RANDOM.nextBytes(random);
        String token = new String(Codec.hex(random), StandardCharsets.US_ASCII);
        String ts = Long.toString(timestamp.getEpochSecond());
        byte[] mac =
                ((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA256, CONTENT, null, null, Codec.utf8(ts + token), null);
        object.putObject(FIELD)
                .put("timestamp", ts)
                .put("token", token)
                .put("signature", new String(Codec.hex(mac), StandardCharsets.US_ASCII));
        try {
            body = Handshakes.MAPPER.writeValueAsBytes(object);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the JSON body", e);
        }
        return WebhookRequest.builder()
                .url(message.url().orElse(null))
                .header("Content-Type", "application/json")
                .body(body)
                .build();
    }
}
