package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Microsoft Graph change notifications (<a
 * href="https://learn.microsoft.com/graph/change-notifications-delivery-webhooks">Receive change notifications through
 * webhooks</a>): no signature; every notification in the body's {@code value} array carries the subscription's {@code
 * clientState}, the secret you chose when you created the subscription, compared here by digest in constant time. All
 * notifications of one delivery must carry the same one (one subscription per notification URL, or subscriptions
 * that share their clientState). Lifecycle notifications ({@code lifecycleEvent}) are checked the same way.
 *
 * <p>The subscription's validation, {@code POST ?validationToken=...}, is answered before anything else with the token
 * as {@code text/plain} (and {@code X-Content-Type-Options: nosniff}), as Graph requires within ten seconds: it is
 * unauthenticated by design, so only a token of at most 1,024 printable characters is echoed, never in HTML or JSON.
 *
 * <p>Notifications carry no id of their own, so the dedupe key is {@code sha256:} and the hex SHA-256 of the body (a
 * retry resends the same body); the event type is the first notification's {@code changeType}, or its {@code
 * lifecycleEvent}. Not handled here: rich notifications' {@code validationTokens} (JWTs; see {@code hookwarden-jwt})
 * and their encrypted resource data, which reach the handler as sent.
 */
final class GraphScheme extends Scheme {
    /** The longest validation token echoed; Graph's are a sentence and a request id. */
    static final int MAX_VALIDATION_TOKEN = 1024;

    private static final String CLIENT_STATE = "clientState";
    private static final byte[] CLIENT_STATE_BYTES = Codec.ascii("\"clientState\"");

    @Override
    public String id() {
        return "microsoft-graph";
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return new KeyMaterial.Token(label, secretBytes(label, secret, SecretEncoding.UTF8, 8));
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    /** The subscription validation: {@code ?validationToken=} echoed as text, before any check. */
    @Override
    HttpAnswer answerBeforeVerify(WebhookRequest request, List<KeyMaterial> keys) {
        if (!"POST".equals(request.method())) {
            return null;
        }
        String query = FormBody.query(request.url().orElse(null));
        String token = query == null ? null : FormBody.first(query, "validationToken");
        if (token == null) {
            return null;
        }
        if (!printable(token)) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "Microsoft Graph validation carries no usable validationToken");
        }
        return HttpAnswer.of(200, "text/plain; charset=utf-8", token).withHeader("X-Content-Type-Options", "nosniff");
    }

    private static boolean printable(String token) {
        if (token.isEmpty() || token.length() > MAX_VALIDATION_TOKEN) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '<' || c == '>') {
                return false;
            }
        }
        return true;
    }

    @Override
    Parsed parse(WebhookRequest request) {
        byte[] body = request.bodyBytes();
        if (!Handshakes.contains(body, CLIENT_STATE_BYTES)) {
            throw new WebhookVerificationException(
                    Reason.MISSING_HEADER, "Microsoft Graph notification has no clientState");
        }
        JsonNode root = BoundedJson.parse(body);
        JsonNode value = root == null ? null : root.get("value");
        if (!(value instanceof ArrayNode notifications) || notifications.isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_PAYLOAD, "Microsoft Graph notification body has no value array");
        }
        String state = null;
        for (int i = 0; i < notifications.size(); i++) {
            JsonNode n = notifications.get(i);
            JsonNode s = n == null ? null : n.get(CLIENT_STATE);
            if (s == null || !s.isTextual()) {
                throw new WebhookVerificationException(
                        Reason.MISSING_HEADER, "Microsoft Graph notification " + i + " has no clientState");
            }
            if (state == null) {
                state = s.textValue();
            } else if (!state.equals(s.textValue())) {
                // the delivery's own values compared with each other, not with a secret
                throw new WebhookVerificationException(
                        Reason.SIGNATURE_MISMATCH,
                        "Microsoft Graph notifications of one delivery carry different clientStates");
            }
        }
        JsonNode first = notifications.get(0);
        String type = text(first, "changeType");
        if (type == null) {
            type = text(first, "lifecycleEvent");
        }
        String id = "sha256:" + TwilioScheme.sha256Hex(body);
        return new Parsed(
                CLIENT_STATE, id, null, null, type, List.of(new OfferedSignature(null, state, 0, state.length())));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** The clientState is the same on every notification: the id {@link #parse} chose (the body's hash) is the key. */
    @Override
    DedupeKey defaultDedupeKey() {
        return DedupeKey.deliveryId();
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        sink.update(request.bodyBytes());
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        // the body's text, decoded from JSON, compared by the digest of its UTF-8 bytes like a token in the query
        return ((KeyMaterial.Token) key)
                .matchesDigestOf(Codec.utf8(parsed.candidates.get(0).source()));
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        throw new IllegalArgumentException(
                "scheme microsoft-graph carries its clientState in the body: sign the request");
    }

    /** The body's notifications, each given the clientState; a body that is one notification is wrapped in value. */
    @Override
    WebhookRequest signedRequest(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        byte[] body = message.bodyBytes();
        JsonNode root = body.length == 0 ? Handshakes.MAPPER.createObjectNode() : BoundedJson.parse(body);
        if (!(root instanceof ObjectNode object)) {
            throw new IllegalArgumentException("scheme microsoft-graph sends a JSON object body");
        }
        String state = ((KeyMaterial.Token) key).text();
        ObjectNode wrapped = object;
        if (!(object.get("value") instanceof ArrayNode)) {
            wrapped = Handshakes.MAPPER.createObjectNode();
            wrapped.putArray("value").add(object);
        }
        for (JsonNode n : wrapped.get("value")) {
            if (!(n instanceof ObjectNode notification)) {
                throw new IllegalArgumentException("scheme microsoft-graph: every notification is a JSON object");
            }
            notification.put(CLIENT_STATE, state);
        }
        try {
            body = Handshakes.MAPPER.writeValueAsBytes(wrapped);
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
