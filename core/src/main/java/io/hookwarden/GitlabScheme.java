package io.hookwarden;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * GitLab: no signature; {@code X-Gitlab-Token} carries the webhook's secret token itself, compared in constant time.
 * Anyone who sees one request can replay or alter it, so serve the endpoint over TLS only. Because the token is the
 * same on every delivery, it is no dedupe key: the id is {@code Idempotency-Key} (GitLab 17.4+, the same on retries),
 * else {@code X-Gitlab-Webhook-UUID}, else {@code sha256:} and the hex SHA-256 of the body. The type is {@code
 * X-Gitlab-Event}.
 */
final class GitlabScheme extends Scheme {
    private static final String TOKEN = "X-Gitlab-Token";
    private static final String TOKEN_KEY = HeaderValues.lookup(TOKEN);
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String WEBHOOK_UUID = "X-Gitlab-Webhook-UUID";
    private static final String EVENT = "X-Gitlab-Event";

    @Override
    public String id() {
        return "gitlab";
    }

    /** {@code X-Gitlab-Token} is the secret token itself. */
    @Override
    boolean carriesSecret(String headerName) {
        return Headers.sameName(TOKEN, headerName);
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return new KeyMaterial.Token(label, secretBytes(label, secret, SecretEncoding.UTF8, 8));
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        Headers headers = request.headers();
        String value = HeaderValues.required(headers, TOKEN_KEY, TOKEN);
        String id = HeaderValues.optional(headers, HeaderValues.lookup(IDEMPOTENCY_KEY), IDEMPOTENCY_KEY);
        if (id == null) {
            id = HeaderValues.optional(headers, HeaderValues.lookup(WEBHOOK_UUID), WEBHOOK_UUID);
        }
        if (id == null) {
            id = "sha256:" + TwilioScheme.sha256Hex(request.bodyBytes());
        }
        String event = headers.first(EVENT).orElse(null);
        return new Parsed(TOKEN, id, null, null, event, List.of(new OfferedSignature(null, value, 0, value.length())));
    }

    /** The token is the same on every delivery, so the dedupe key is the id {@link #parse} chose, never the token. */
    @Override
    DedupeKey defaultDedupeKey() {
        return DedupeKey.deliveryId();
    }

    /**
     * Nothing is signed (the token is the same on every delivery), so the body stands in: {@link
     * DedupeKey#signature()} then tells deliveries apart instead of naming every one the same.
     */
    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        sink.update(request.bodyBytes());
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        return ((KeyMaterial.Token) key).matches(parsed.candidates.get(0));
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        Headers.Builder out = Headers.builder()
                .add(TOKEN, ((KeyMaterial.Token) key).headerValue())
                .add(IDEMPOTENCY_KEY, message.id().orElseGet(() -> UUID.randomUUID()
                        .toString()));
        message.eventType().ifPresent(type -> out.add(EVENT, type));
        return out.build();
    }
}
