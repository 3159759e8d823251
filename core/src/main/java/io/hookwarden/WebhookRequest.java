package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A delivery as it arrived: method, URL, headers and the raw body bytes. Adapters build one from their framework's
 * request; tests and the CLI build one directly.
 *
 * <p>The body is kept as bytes, exactly as received: signatures are computed over bytes, and decoding to text and back
 * would change them. Immutable and thread-safe: the builder copies the body in (except through {@link
 * Builder#wrapBody(byte[])}, where the caller hands the array over) and {@link #body()} copies it out.
 */
public final class WebhookRequest {
    private final String method;
    private final String url;
    private final Headers headers;
    private final byte[] body;
    private final String remoteAddress;

    private WebhookRequest(Builder b) {
        this.method = b.method;
        this.url = b.url;
        this.headers = b.headers.build();
        this.body = b.body;
        this.remoteAddress = b.remoteAddress;
    }

    /** A builder; the method defaults to {@code POST} and the body to empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** The HTTP method, upper case. */
    public String method() {
        return method;
    }

    /** The full request URL as the sender addressed it, when known. */
    public Optional<String> url() {
        return Optional.ofNullable(url);
    }

    /** The headers. */
    public Headers headers() {
        return headers;
    }

    /** A copy of the raw body. */
    public byte[] body() {
        return body.clone();
    }

    /** The body length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** The address the request came from, when known. */
    public Optional<String> remoteAddress() {
        return Optional.ofNullable(remoteAddress);
    }

    /**
     * The body as a read-only buffer over the very bytes received, without a copy: for adapters that hand the body
     * on to the application (each call returns a fresh buffer positioned at the first byte).
     */
    public java.nio.ByteBuffer bodyBuffer() {
        return java.nio.ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /** The body without a copy, for the implementation's hot path; never handed to callers. */
    byte[] bodyBytes() {
        return body;
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.method = method;
        b.url = url;
        b.headers = headers.toBuilder();
        b.body = body;
        b.remoteAddress = remoteAddress;
        return b;
    }

    /**
     * Method, URL with its query values masked ({@code ?token=***}), header names and body length: never header
     * values, query values (a token may travel there) or body content.
     */
    @Override
    public String toString() {
        return "WebhookRequest[" + method + " " + (url == null ? "(no url)" : UrlRedaction.maskQuery(url)) + ", "
                + headers + ", " + body.length + " bytes]";
    }

    /** Collects a request. Not thread-safe. */
    public static final class Builder {
        private static final byte[] NO_BODY = new byte[0];

        private String method = "POST";
        private String url;
        private Headers.Builder headers = Headers.builder();
        private byte[] body = NO_BODY;
        private String remoteAddress;

        private Builder() {}

        /**
         * The HTTP method.
         *
         * @param method for example {@code POST}
         * @return this builder
         * @throws NullPointerException if null
         * @throws IllegalArgumentException if blank
         */
        public Builder method(String method) {
            Objects.requireNonNull(method, "method cannot be null");
            if (method.isBlank()) {
                throw new IllegalArgumentException("method cannot be blank");
            }
            this.method = method.toUpperCase(java.util.Locale.ROOT);
            return this;
        }

        /**
         * The full URL the sender addressed (schemes such as Twilio sign it).
         *
         * @param url the URL, or null when unknown
         * @return this builder
         */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /**
         * Adds a header value; a name given twice keeps both values.
         *
         * @param name the header name
         * @param value the value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /**
         * Adds every header of {@code headers}.
         *
         * @param headers the headers to add
         * @return this builder
         */
        public Builder headers(Headers headers) {
            Objects.requireNonNull(headers, "headers cannot be null");
            if (this.headers.isEmpty()) {
                this.headers = headers.toBuilder(); // copies only if more headers are added
            } else {
                headers.forEach(this.headers::add);
            }
            return this;
        }

        /**
         * The raw body; the array is copied.
         *
         * @param body the bytes as received
         * @return this builder
         * @throws NullPointerException if null
         */
        public Builder body(byte[] body) {
            this.body = Objects.requireNonNull(body, "body cannot be null").clone();
            return this;
        }

        /**
         * The raw body, without a copy: the request takes the array over. For adapters, which read each body into an
         * array of its own; the caller must not change the array afterwards, nor let anything else keep it, since
         * verification and the handler read those very bytes. When in doubt, use {@link #body(byte[])}.
         *
         * @param body the bytes as received, in an array no one else holds
         * @return this builder
         * @throws NullPointerException if null
         */
        public Builder wrapBody(byte[] body) {
            this.body = Objects.requireNonNull(body, "body cannot be null");
            return this;
        }

        /**
         * The body as UTF-8 text, for tests and tools: real deliveries should pass the bytes received.
         *
         * @param body the text
         * @return this builder
         */
        public Builder body(String body) {
            this.body = Objects.requireNonNull(body, "body cannot be null").getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * The address the request came from.
         *
         * @param remoteAddress an IP address, or null when unknown
         * @return this builder
         */
        public Builder remoteAddress(String remoteAddress) {
            this.remoteAddress = remoteAddress;
            return this;
        }

        /** The request. */
        public WebhookRequest build() {
            return new WebhookRequest(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookRequest r
                && method.equals(r.method)
                && Objects.equals(url, r.url)
                && headers.equals(r.headers)
                && Arrays.equals(body, r.body)
                && Objects.equals(remoteAddress, r.remoteAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, url, headers, Arrays.hashCode(body), remoteAddress);
    }
}
