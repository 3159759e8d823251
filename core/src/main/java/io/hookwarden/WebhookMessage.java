package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A delivery to sign with a {@link WebhookSigner}: the body and, where the scheme carries them, the id, timestamp,
 * event type and URL. What is left out is made up when signing: a fresh id, the signer's clock for the timestamp.
 * Immutable and thread-safe.
 */
public final class WebhookMessage {
    private final byte[] body;
    private final String id;
    private final Instant timestamp;
    private final String eventType;
    private final String url;

    private WebhookMessage(Builder b) {
        this.body = b.body;
        this.id = b.id;
        this.timestamp = b.timestamp;
        this.eventType = b.eventType;
        this.url = b.url;
    }

    /**
     * A message with this body.
     *
     * @param body the exact bytes to send
     * @return a builder for the other fields
     */
    public static Builder body(byte[] body) {
        return new Builder(Objects.requireNonNull(body, "body cannot be null").clone());
    }

    /**
     * A message with this body, encoded as UTF-8.
     *
     * @param body the text to send
     * @return a builder for the other fields
     */
    public static Builder body(String body) {
        return new Builder(Objects.requireNonNull(body, "body cannot be null").getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the body. */
    public byte[] body() {
        return body.clone();
    }

    byte[] bodyBytes() {
        return body;
    }

    /** The delivery id, when given. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** The timestamp, when given. */
    public Optional<Instant> timestamp() {
        return Optional.ofNullable(timestamp);
    }

    /** The event type, when given (written where the scheme has a header for it). */
    public Optional<String> eventType() {
        return Optional.ofNullable(eventType);
    }

    /** The URL the delivery is sent to, when given (required by schemes that sign it). */
    public Optional<String> url() {
        return Optional.ofNullable(url);
    }

    @Override
    public String toString() {
        return "WebhookMessage[id=" + id + ", timestamp=" + timestamp + ", " + body.length + " bytes]";
    }

    /** Collects a message. Not thread-safe. */
    public static final class Builder {
        private final byte[] body;
        private String id;
        private Instant timestamp;
        private String eventType;
        private String url;

        private Builder(byte[] body) {
            this.body = body;
        }

        /**
         * The delivery id; by default a fresh random one.
         *
         * @param id the id
         * @return this builder
         */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id cannot be null");
            return this;
        }

        /**
         * The signed timestamp; by default the signer's clock.
         *
         * @param timestamp the instant
         * @return this builder
         */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = Objects.requireNonNull(timestamp, "timestamp cannot be null");
            return this;
        }

        /**
         * The event type.
         *
         * @param eventType for example {@code push}
         * @return this builder
         */
        public Builder eventType(String eventType) {
            this.eventType = Objects.requireNonNull(eventType, "eventType cannot be null");
            return this;
        }

        /**
         * The URL the delivery is sent to.
         *
         * @param url the full URL
         * @return this builder
         */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url cannot be null");
            return this;
        }

        /** The message. */
        public WebhookMessage build() {
            return new WebhookMessage(this);
        }
    }
}
