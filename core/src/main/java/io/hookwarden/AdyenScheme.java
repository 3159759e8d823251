package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Adyen classic notifications: no header; the JSON body's {@code notificationItems} each carry a {@code
 * NotificationRequestItem} whose {@code additionalData.hmacSignature} is the base64 HMAC-SHA256, keyed with the
 * webhook's HMAC key (hex), of its fields {@code
 * pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success}, a missing
 * field written empty and {@code success} as {@code true} or {@code false} ({@code HMACValidator.getDataToSign} in
 * Adyen/adyen-java-api-library). Every item must verify with the same key: one forged item refuses the delivery.
 *
 * <p>The delivery id is {@code pspReference:eventCode} of each item, joined by commas for a batch (Adyen retries a
 * batch whole, and two batches that share an item are still two deliveries); the type is the first item's {@code
 * eventCode}; no timestamp. Note that the signature covers those fields, not the whole item: {@code reason}, {@code
 * eventDate} and the rest of {@code additionalData} are not signed. Immutable and thread-safe.
 */
final class AdyenScheme extends Scheme {
    private static final String FIELD = "additionalData.hmacSignature";
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{body}");
    /** More items than any batch Adyen sends (at most a few dozen), so a hostile body costs bounded work. */
    static final int MAX_ITEMS = 1000;

    @Override
    public String id() {
        return "adyen";
    }

    @Override
    boolean signsId() {
        return true;
    }

    @Override
    PayloadFormat defaultFormat() {
        return PayloadFormat.JSON;
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return new KeyMaterial.Hmac(label, secretBytes(label, secret, SecretEncoding.HEX, 16))
                .prepare(HmacAlgorithm.SHA256);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    /**
     * One candidate per item: its source is the signed text followed by the item's signature, which starts at {@code
     * start}.
     */
    @Override
    Parsed parse(WebhookRequest request) {
        JsonNode items = items(BoundedJson.parse(request.bodyBytes()));
        List<OfferedSignature> candidates = new ArrayList<>(items.size());
        StringBuilder id = new StringBuilder();
        String type = null;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i).get("NotificationRequestItem");
            if (item == null || !item.isObject()) {
                throw malformed("notificationItems/" + i + " has no NotificationRequestItem object");
            }
            JsonNode signature = item.path("additionalData").get("hmacSignature");
            if (signature == null
                    || !signature.isTextual()
                    || signature.asText().isEmpty()) {
                throw malformed("notificationItems/" + i + " has no " + FIELD);
            }
            String signed = dataToSign(item);
            candidates.add(new OfferedSignature(
                    null,
                    signed + signature.asText(),
                    signed.length(),
                    signed.length() + signature.asText().length()));
            if (i > 0) {
                id.append(',');
            }
            id.append(text(item.get("pspReference"))).append(':').append(text(item.get("eventCode")));
            if (type == null) {
                type = text(item.get("eventCode"));
            }
        }
        return new Parsed(FIELD, id.toString(), null, null, type.isEmpty() ? null : type, List.copyOf(candidates));
    }

    private static JsonNode items(JsonNode root) {
        JsonNode items = root == null ? null : root.get("notificationItems");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw malformed("the body is not a JSON object with a non-empty notificationItems array");
        }
        if (items.size() > MAX_ITEMS) {
            throw malformed("notificationItems holds more than " + MAX_ITEMS + " items");
        }
        return items;
    }

    private static WebhookVerificationException malformed(String detail) {
        return new WebhookVerificationException(Reason.MALFORMED_PAYLOAD, "scheme adyen: " + detail);
    }

    /** {@code HMACValidator.getDataToSign}: eight fields joined by colons, a missing one empty. */
    static String dataToSign(JsonNode item) {
        JsonNode amount = item.path("amount");
        JsonNode success = item.get("success");
        boolean succeeded =
                success != null && (success.isBoolean() ? success.asBoolean() : "true".equalsIgnoreCase(text(success)));
        return String.join(
                ":",
                text(item.get("pspReference")),
                text(item.get("originalReference")),
                text(item.get("merchantAccountCode")),
                text(item.get("merchantReference")),
                text(amount.get("value")),
                text(amount.get("currency")),
                text(item.get("eventCode")),
                Boolean.toString(succeeded));
    }

    private static String text(JsonNode node) {
        return node != null && (node.isTextual() || node.isNumber()) ? node.asText() : "";
    }

    /** The signed text of every item, each followed by a newline. */
    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        for (OfferedSignature c : parsed.candidates) {
            sink.update(Codec.utf8(c.source().substring(0, c.start()) + "\n"));
        }
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        boolean all = true;
        for (OfferedSignature c : parsed.candidates) {
            all &= c.matches(mac(key, c.source().substring(0, c.start())), false);
        }
        return all;
    }

    private static byte[] mac(KeyMaterial key, String signed) {
        return Codec.base64(
                ((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA256, CONTENT, null, null, Codec.utf8(signed), null));
    }

    @Override
    String mismatchDetail(Parsed parsed, int keys) {
        return "not every one of the " + parsed.candidates.size() + " notification item(s) carries an " + FIELD
                + " that matches the same one of the " + keys + " active key(s) of scheme adyen";
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        throw new IllegalArgumentException("scheme adyen signs inside the body: sign the whole request");
    }

    /**
     * The JSON body with {@code additionalData.hmacSignature} set in every notification item; an item without a {@code
     * pspReference} is given the message's id (the second {@code id-2}, and so on), so the test kit's ids reach the
     * dedupe key.
     */
    @Override
    WebhookRequest signedRequest(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        JsonNode root = BoundedJson.parse(message.bodyBytes());
        JsonNode items;
        try {
            items = items(root);
        } catch (WebhookVerificationException e) {
            throw new IllegalArgumentException("scheme adyen sends a JSON object with notificationItems", e);
        }
        String id = message.id().orElse(null);
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i).get("NotificationRequestItem") instanceof ObjectNode item)) {
                throw new IllegalArgumentException("scheme adyen signs NotificationRequestItem objects");
            }
            if (id != null && !item.has("pspReference")) {
                item.put("pspReference", i == 0 ? id : id + "-" + (i + 1));
            }
            JsonNode additional = item.get("additionalData");
            ObjectNode data = additional instanceof ObjectNode o ? o : item.putObject("additionalData");
            data.put("hmacSignature", new String(mac(key, dataToSign(item)), StandardCharsets.US_ASCII));
        }
        byte[] body;
        try {
            body = Handshakes.MAPPER.writeValueAsBytes(root);
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
