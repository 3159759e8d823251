package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The providers' handshakes, answered by their schemes (see {@link Scheme#answerBeforeVerify} and {@link
 * Scheme#answerAfterVerify}). Each matches only its exact shape and answers JSON built by Jackson, never text pasted
 * together; an echoed challenge must be a short token of safe characters, otherwise the request is not a handshake
 * and goes on to verification, where it fails.
 */
final class Handshakes {
    /** The longest challenge echoed back; providers send 32 to 64 characters. */
    static final int MAX_CHALLENGE = 256;

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] URL_VERIFICATION = Codec.ascii("url_verification");
    private static final byte[] URL_VALIDATION = Codec.ascii("endpoint.url_validation");
    private static final byte[] TYPE = Codec.ascii("\"type\"");
    private static final byte[] EVENT_GRID_VALIDATION = Codec.ascii("SubscriptionValidationEvent");
    private static final byte[] WEBHOOK_ID = Codec.ascii("webhook_id=");
    private static final byte[] EVENTS = Codec.ascii("\"events\"");

    private Handshakes() {}

    /** Slack: a verified {@code {"type":"url_verification","challenge":...}} is answered with the challenge. */
    static HttpAnswer slack(VerifiedWebhook webhook, KeyMaterial matched) {
        byte[] body = webhook.request().bodyBytes();
        if (!contains(body, URL_VERIFICATION)) {
            return null; // the common case: an event, not parsed here
        }
        JsonNode root = BoundedJson.parse(body);
        if (root == null || !"url_verification".equals(text(root, "type"))) {
            return null;
        }
        String challenge = text(root, "challenge");
        if (!safeToken(challenge)) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_PAYLOAD, "Slack url_verification carries no usable challenge");
        }
        return json(MAPPER.createObjectNode().put("challenge", challenge));
    }

    /**
     * Zoom: a verified {@code endpoint.url_validation} event is answered with {@code {"plainToken", "encryptedToken"}},
     * encryptedToken = hex HMAC-SHA256(secret, plainToken).
     */
    static HttpAnswer zoom(VerifiedWebhook webhook, KeyMaterial matched) {
        byte[] body = webhook.request().bodyBytes();
        if (!contains(body, URL_VALIDATION)) {
            return null;
        }
        JsonNode root = BoundedJson.parse(body);
        if (root == null || !"endpoint.url_validation".equals(text(root, "event"))) {
            return null;
        }
        JsonNode payload = root.get("payload");
        String plainToken = payload == null ? null : text(payload, "plainToken");
        if (!safeToken(plainToken)) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_PAYLOAD, "Zoom endpoint.url_validation carries no usable plainToken");
        }
        String encrypted =
                new String(Codec.hex(mac((KeyMaterial.Hmac) matched, plainToken)), StandardCharsets.US_ASCII);
        return json(MAPPER.createObjectNode().put("plainToken", plainToken).put("encryptedToken", encrypted));
    }

    /** Discord: a verified {@code PING} ({@code "type": 1}) is answered with {@code {"type":1}}. */
    static HttpAnswer discord(VerifiedWebhook webhook, KeyMaterial matched) {
        byte[] body = webhook.request().bodyBytes();
        if (!contains(body, TYPE)) {
            return null;
        }
        JsonNode root = BoundedJson.parse(body);
        JsonNode type = root == null ? null : root.get("type");
        if (type == null || !type.isIntegralNumber() || type.asInt() != 1) {
            return null;
        }
        return json(MAPPER.createObjectNode().put("type", 1));
    }

    /**
     * X (Twitter) CRC: {@code GET ?crc_token=T} is answered with {@code {"response_token": "sha256=" + base64
     * HMAC-SHA256(consumer secret, T)}}. The check is unsigned and the answer is a MAC, so the token must not be
     * something X itself would sign as a body: short, of token characters, and not a JSON document.
     */
    static HttpAnswer xCrc(WebhookRequest request, List<KeyMaterial> keys) {
        if (!"GET".equals(request.method())) {
            return null;
        }
        String token = FormBody.first(nullToEmpty(FormBody.query(request.url().orElse(null))), "crc_token");
        if (token == null) {
            return null;
        }
        if (!safeToken(token) || BoundedJson.parse(Codec.utf8(token)) != null) {
            throw new WebhookVerificationException(Reason.MALFORMED_HEADER, "X CRC check carries no usable crc_token");
        }
        String response = "sha256="
                + new String(Codec.base64(mac((KeyMaterial.Hmac) keys.get(0), token)), StandardCharsets.US_ASCII);
        return json(MAPPER.createObjectNode().put("response_token", response));
    }

    /**
     * Meta: {@code GET ?hub.mode=subscribe&hub.verify_token=V&hub.challenge=C} is answered with C as text when V is
     * the configured verify token, and refused as a signature mismatch when it is not (or none is configured).
     */
    static HttpAnswer metaSubscribe(WebhookRequest request, byte[] verifyToken) {
        if (!"GET".equals(request.method())) {
            return null;
        }
        String query = FormBody.query(request.url().orElse(null));
        if (query == null || !"subscribe".equals(FormBody.first(query, "hub.mode"))) {
            return null;
        }
        String token = FormBody.first(query, "hub.verify_token");
        String challenge = FormBody.first(query, "hub.challenge");
        if (token == null || challenge == null) {
            return null;
        }
        if (verifyToken == null) {
            throw new WebhookVerificationException(
                    Reason.SIGNATURE_MISMATCH, "Meta subscription check, but scheme meta has no verify token");
        }
        if (!java.security.MessageDigest.isEqual(Codec.utf8(token), verifyToken)) {
            throw new WebhookVerificationException(
                    Reason.SIGNATURE_MISMATCH, "Meta subscription check with a hub.verify_token that does not match");
        }
        if (!safeToken(challenge)) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "Meta subscription check carries no usable hub.challenge");
        }
        return HttpAnswer.of(200, "text/plain; charset=utf-8", challenge);
    }

    /**
     * Azure Event Grid: a verified {@code Microsoft.EventGrid.SubscriptionValidationEvent} (the body an array whose first
     * event has that {@code eventType} and a {@code data.validationCode}) is answered with {@code {"validationResponse":
     * code}}, which completes the subscription. An event of any other type is an event.
     */
    static HttpAnswer eventGrid(VerifiedWebhook webhook) {
        byte[] body = webhook.request().bodyBytes();
        if (!contains(body, EVENT_GRID_VALIDATION)) {
            return null;
        }
        JsonNode root = BoundedJson.parse(body);
        JsonNode event = root != null && root.isArray() && root.size() > 0 ? root.get(0) : null;
        if (event == null
                || !event.isObject()
                || !"Microsoft.EventGrid.SubscriptionValidationEvent".equals(text(event, "eventType"))) {
            return null;
        }
        JsonNode data = event.get("data");
        String code = data == null || !data.isObject() ? null : text(data, "validationCode");
        if (!safeToken(code)) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_PAYLOAD, "Event Grid subscription validation carries no usable validationCode");
        }
        return json(MAPPER.createObjectNode().put("validationResponse", code));
    }

    /**
     * Dropbox: the verification request {@code GET ?challenge=C} is answered with C as {@code text/plain} and {@code
     * X-Content-Type-Options: nosniff}, as Dropbox asks, so the echo cannot be read as HTML. Unsigned, as Dropbox
     * sends it; the answer only repeats what the request carried.
     */
    static HttpAnswer dropbox(WebhookRequest request, List<KeyMaterial> keys) {
        if (!"GET".equals(request.method())) {
            return null;
        }
        String challenge =
                FormBody.first(nullToEmpty(FormBody.query(request.url().orElse(null))), "challenge");
        if (challenge == null) {
            return null;
        }
        if (!safeToken(challenge)) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "Dropbox verification request carries no usable challenge");
        }
        return HttpAnswer.of(200, "text/plain; charset=utf-8", challenge)
                .withHeader("X-Content-Type-Options", "nosniff");
    }

    /**
     * WooCommerce: the ping sent when a webhook is created ({@code WC_Webhook::deliver_ping}), an unsigned POST whose
     * whole body is {@code webhook_id=N}, is answered 200 with no body (WooCommerce refuses to save a webhook whose
     * ping gets anything else). It carries no signature header; a request that does goes on to verification.
     */
    static HttpAnswer wooCommercePing(WebhookRequest request, List<KeyMaterial> keys) {
        if (!"POST".equals(request.method()) || request.headers().contains("x-wc-webhook-signature")) {
            return null;
        }
        byte[] body = request.bodyBytes();
        int digits = body.length - WEBHOOK_ID.length;
        if (digits < 1 || digits > 20) {
            return null;
        }
        for (int i = 0; i < WEBHOOK_ID.length; i++) {
            if (body[i] != WEBHOOK_ID[i]) {
                return null;
            }
        }
        for (int i = WEBHOOK_ID.length; i < body.length; i++) {
            if (body[i] < '0' || body[i] > '9') {
                return null;
            }
        }
        return HttpAnswer.ok();
    }

    /**
     * Xero: a verified "intent to receive" request ({@code "events": []}, the first of the validation series) is
     * answered 200 with no body, as Xero requires; its mis-signed requests never get here (401, signature mismatch).
     */
    static HttpAnswer xeroIntentToReceive(VerifiedWebhook webhook, KeyMaterial matched) {
        byte[] body = webhook.request().bodyBytes();
        if (!contains(body, EVENTS)) {
            return null;
        }
        JsonNode root = BoundedJson.parse(body);
        JsonNode events = root == null ? null : root.get("events");
        if (events == null || !events.isArray() || !events.isEmpty()) {
            return null;
        }
        return HttpAnswer.ok();
    }

    /**
     * Twitch EventSub: a verified {@code webhook_callback_verification} message ({@code
     * Twitch-Eventsub-Message-Type}) is answered 200 with its {@code challenge} as {@code text/plain}, as Twitch
     * requires; notifications and revocations go on to the application.
     */
    static HttpAnswer twitch(VerifiedWebhook webhook, KeyMaterial matched) {
        String type = webhook.request()
                .headers()
                .first("twitch-eventsub-message-type")
                .orElse(null);
        if (!"webhook_callback_verification".equals(type)) {
            return null;
        }
        JsonNode root = BoundedJson.parse(webhook.request().bodyBytes());
        String challenge = root == null ? null : text(root, "challenge");
        if (!safeToken(challenge)) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_PAYLOAD, "Twitch webhook_callback_verification carries no usable challenge");
        }
        return HttpAnswer.of(200, "text/plain; charset=utf-8", challenge)
                .withHeader("X-Content-Type-Options", "nosniff");
    }

    /** A challenge that is safe to echo: 1 to {@link #MAX_CHALLENGE} of {@code A-Z a-z 0-9 - _ . ~ + / =}. */
    static boolean safeToken(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_CHALLENGE) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~'
                    || c == '+'
                    || c == '/'
                    || c == '=';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static byte[] mac(KeyMaterial.Hmac key, String text) {
        return key.mac(HmacAlgorithm.SHA256, PLAIN, null, null, Codec.utf8(text), null);
    }

    private static final ContentTemplate PLAIN = ContentTemplate.parse("{body}");

    static HttpAnswer json(ObjectNode node) {
        try {
            return HttpAnswer.of(200, "application/json", MAPPER.writeValueAsBytes(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a handshake answer", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Whether {@code haystack} contains {@code needle}: a cheap test before parsing a body as JSON. */
    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
