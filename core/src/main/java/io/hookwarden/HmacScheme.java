package io.hookwarden;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A scheme that signs with an HMAC written into one header, configured rather than coded: header name, algorithm,
 * encoding, prefix, and a template of the signed content over {@code {id}}, {@code {timestamp}}, {@code {body}} and
 * {@code {url}}. GitHub and Slack are instances of it; so can be most of the long tail of providers. A signature header
 * of {@code key=value} items with its own timestamp ({@code t=..,v1=..}, as Mux and Calendly send) is read with {@link
 * Builder#signatureItems(char, String, String)}.
 *
 * <pre>{@code
 * Scheme acme = Schemes.hmac()
 *     .id("acme")
 *     .signatureHeader("X-Acme-Signature").prefix("sha256=")
 *     .algorithm(HmacAlgorithm.SHA256).encoding(SignatureEncoding.HEX)
 *     .timestampHeader("X-Acme-Timestamp")
 *     .signedContent("{timestamp}.{body}")
 *     .build();
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class HmacScheme extends Scheme {
    private final String id;
    private final String signatureHeader;
    private final String prefix;
    private final HmacAlgorithm algorithm;
    private final SignatureEncoding encoding;
    private final ContentTemplate template;
    private final String idHeader;
    private final String timestampHeader;
    private final boolean timestampMillis;
    /** Whether the timestamp header is an RFC 3339 date-time (Zendesk, Twitch) rather than a number. */
    private final boolean timestampRfc3339;

    private final boolean boundsFuture;
    private final String eventTypeHeader;
    private final String idPointer;
    private final List<String> eventTypePointers;
    private final SecretEncoding secretEncoding;
    private final int minSecretBytes;
    private final HmacScheme fallback;
    /** The signature header read as {@code key=value} items (Mux, Calendly), or null for a plain value. */
    private final KeyValueSignatureHeader items;

    private final char itemSeparator;
    private final String itemTimestampKey;
    private final String itemSignatureKey;
    private final java.util.function.BiFunction<WebhookRequest, List<KeyMaterial>, HttpAnswer> beforeVerify;
    private final java.util.function.BiFunction<VerifiedWebhook, KeyMaterial, HttpAnswer> afterVerify;
    /** The header names in lower case, for lookups; the fields above keep the configured case for messages. */
    private final String signatureKey;

    private final String idKey;
    private final String timestampKey;
    private final String eventTypeKey;

    private HmacScheme(Builder b) {
        this.id = b.id;
        this.signatureHeader = b.signatureHeader;
        this.prefix = b.prefix;
        this.algorithm = b.algorithm;
        this.encoding = b.encoding;
        this.template = ContentTemplate.parse(b.signedContent);
        this.idHeader = b.idHeader;
        this.timestampHeader = b.timestampHeader;
        this.timestampMillis = b.timestampMillis;
        this.timestampRfc3339 = b.timestampRfc3339;
        this.boundsFuture = b.boundsFuture;
        this.eventTypeHeader = b.eventTypeHeader;
        this.idPointer = b.idPointer;
        this.eventTypePointers = List.copyOf(b.eventTypePointers);
        this.secretEncoding = b.secretEncoding;
        this.minSecretBytes = b.minSecretBytes;
        this.fallback = b.fallback;
        this.itemSeparator = b.itemSeparator;
        this.itemTimestampKey = b.itemTimestampKey;
        this.itemSignatureKey = b.itemSignatureKey;
        this.items = b.itemTimestampKey == null
                ? null
                : new KeyValueSignatureHeader(
                        b.signatureHeader, b.itemSeparator, b.itemTimestampKey, b.itemSignatureKey);
        this.beforeVerify = b.beforeVerify;
        this.afterVerify = b.afterVerify;
        this.signatureKey = HeaderValues.lookup(signatureHeader);
        this.idKey = HeaderValues.lookup(idHeader);
        this.timestampKey = HeaderValues.lookup(timestampHeader);
        this.eventTypeKey = HeaderValues.lookup(eventTypeHeader);
        if (template.uses(ContentTemplate.Token.ID) && idHeader == null) {
            throw new IllegalStateException("signed content uses {id} but no idHeader is configured");
        }
        if (template.uses(ContentTemplate.Token.TIMESTAMP) && timestampHeader == null && items == null) {
            throw new IllegalStateException(
                    "signed content uses {timestamp} but no timestampHeader or signatureItems is configured");
        }
        if (!b.boundsFuture && timestampHeader == null && items == null) {
            throw new IllegalStateException(
                    "pastOnlyWindow describes a timestamp, but no timestampHeader or signatureItems is configured");
        }
        if (b.timestampRfc3339 && (timestampHeader == null || b.timestampMillis)) {
            throw new IllegalStateException(
                    "timestampRfc3339 describes a timestampHeader, which is not configured or is read as milliseconds");
        }
        if (b.timestampMillis && timestampHeader == null) {
            throw new IllegalStateException(
                    "timestampInMillis describes a timestamp header, but no timestampHeader is configured");
        }
        if (items != null && (timestampHeader != null || !prefix.isEmpty())) {
            throw new IllegalStateException("signatureItems carries the timestamp and the signatures in "
                    + signatureHeader + "; it conflicts with timestampHeader and prefix");
        }
        if (items != null && !template.uses(ContentTemplate.Token.TIMESTAMP)) {
            throw new IllegalStateException(
                    "signatureItems reads a signed timestamp, but the signed content does not use {timestamp}");
        }
    }

    /** A builder with the defaults of {@link Schemes#hmac()}. */
    static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean boundsFuture() {
        return boundsFuture;
    }

    /** The header that carries the signature. */
    public String signatureHeader() {
        return signatureHeader;
    }

    @Override
    boolean signsUrl() {
        return template.uses(ContentTemplate.Token.URL);
    }

    @Override
    boolean signsId() {
        return idPointer != null || (idHeader != null && template.uses(ContentTemplate.Token.ID));
    }

    @Override
    String idPointer() {
        return idPointer;
    }

    @Override
    List<String> eventTypePointers() {
        return eventTypePointers;
    }

    @Override
    HttpAnswer answerBeforeVerify(WebhookRequest request, List<KeyMaterial> keys) {
        return beforeVerify == null ? null : beforeVerify.apply(request, keys);
    }

    @Override
    HttpAnswer answerAfterVerify(VerifiedWebhook webhook, KeyMaterial matched) {
        return afterVerify == null ? null : afterVerify.apply(webhook, matched);
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        KeyMaterial.Hmac key = new KeyMaterial.Hmac(label, secretBytes(label, secret, secretEncoding, minSecretBytes));
        key.prepare(algorithm);
        if (fallback != null) {
            key.prepare(fallback.algorithm);
        }
        return key;
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        Headers headers = request.headers();
        if (fallback != null && !headers.contains(signatureKey) && headers.contains(fallback.signatureKey)) {
            return fallback.parse(request);
        }
        if (items != null) {
            return parseItems(request);
        }
        String value = HeaderValues.required(headers, signatureKey, signatureHeader);
        if (!value.startsWith(prefix)) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + signatureHeader + " does not start with " + prefix);
        }
        if (value.length() == prefix.length()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + signatureHeader + " carries no signature");
        }
        String deliveryId = idHeader == null ? null : HeaderValues.optional(headers, idKey, idHeader);
        if (template.uses(ContentTemplate.Token.ID) && deliveryId == null) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "header " + idHeader + " is missing");
        }
        String timestampText =
                timestampHeader == null ? null : HeaderValues.required(headers, timestampKey, timestampHeader);
        Instant timestamp = timestampText == null
                ? null
                : timestampRfc3339 && !allDigits(timestampText)
                        ? HeaderValues.rfc3339(timestampText, timestampHeader)
                        : HeaderValues.timestamp(timestampText, timestampHeader, timestampMillis);
        if (template.uses(ContentTemplate.Token.URL) && request.url().isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "scheme " + id + " signs the request URL, which is unknown");
        }
        String eventType =
                eventTypeHeader == null ? null : headers.first(eventTypeKey).orElse(null);
        OfferedSignature candidate = new OfferedSignature(null, value, prefix.length(), value.length());
        return new Parsed(signatureHeader, deliveryId, timestampText, timestamp, eventType, List.of(candidate));
    }

    private static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /** The request's {@code key=value} signature header with this scheme's id and event type. */
    private Parsed parseItems(WebhookRequest request) {
        Parsed signed = items.parse(request);
        Headers headers = request.headers();
        String deliveryId = idHeader == null ? null : HeaderValues.optional(headers, idKey, idHeader);
        if (template.uses(ContentTemplate.Token.ID) && deliveryId == null) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "header " + idHeader + " is missing");
        }
        if (template.uses(ContentTemplate.Token.URL) && request.url().isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "scheme " + id + " signs the request URL, which is unknown");
        }
        String eventType =
                eventTypeHeader == null ? null : headers.first(eventTypeKey).orElse(null);
        return new Parsed(
                signatureHeader, deliveryId, signed.timestampText, signed.timestamp, eventType, signed.candidates);
    }

    /**
     * The content this scheme's own template covers, whichever signature header the request carried: a delivery
     * re-sent with only its fallback header (GitHub's SHA-1 {@code X-Hub-Signature}) is the same delivery.
     */
    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        template.write(
                sink,
                parsed.id,
                parsed.timestampText,
                request.bodyBytes(),
                request.url().orElse(null));
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        HmacScheme owner = parsed.signatureHeader.equals(signatureHeader) ? this : fallback;
        byte[] mac = ((KeyMaterial.Hmac) key)
                .mac(
                        owner.algorithm,
                        owner.template,
                        parsed.id,
                        parsed.timestampText,
                        request.bodyBytes(),
                        request.url().orElse(null));
        byte[] expected = Codec.encode(mac, owner.encoding);
        boolean foldHex = owner.encoding == SignatureEncoding.HEX;
        return anyMatches(parsed.candidates, expected, foldHex);
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        Headers.Builder out = Headers.builder();
        String deliveryId = null;
        if (idHeader != null) {
            deliveryId = message.id().orElseGet(() -> UUID.randomUUID().toString());
            out.add(idHeader, deliveryId);
        }
        String timestampText = null;
        if (items != null) {
            timestampText = Long.toString(timestamp.getEpochSecond());
        } else if (timestampHeader != null) {
            timestampText = timestampRfc3339
                    ? java.time.format.DateTimeFormatter.ISO_INSTANT.format(timestamp)
                    : Long.toString(timestampMillis ? timestamp.toEpochMilli() : timestamp.getEpochSecond());
            out.add(timestampHeader, timestampText);
        }
        if (eventTypeHeader != null) {
            message.eventType().ifPresent(type -> out.add(eventTypeHeader, type));
        }
        byte[] body = message.bodyBytes();
        String url = message.url().orElse(null);
        if (template.uses(ContentTemplate.Token.URL) && url == null) {
            throw new IllegalArgumentException("scheme " + id + " signs the URL: give the message a url");
        }
        String signature = signatureValue(key, deliveryId, timestampText, body, url);
        out.add(
                signatureHeader,
                items == null
                        ? signature
                        : itemTimestampKey + "=" + timestampText + itemSeparator + itemSignatureKey + "=" + signature);
        if (fallback != null) {
            out.add(fallback.signatureHeader, fallback.signatureValue(key, deliveryId, timestampText, body, url));
        }
        return out.build();
    }

    private String signatureValue(KeyMaterial key, String deliveryId, String timestampText, byte[] body, String url) {
        byte[] mac = ((KeyMaterial.Hmac) key).mac(algorithm, template, deliveryId, timestampText, body, url);
        return prefix + new String(Codec.encode(mac, encoding), java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Configures an {@link HmacScheme}. Every option has a default (the common "HMAC-SHA256 hex of the body in a
     * header" shape); each may be set once. Not thread-safe.
     */
    public static final class Builder {
        private String id = "hmac";
        private String signatureHeader = "X-Signature";
        private String prefix = "";
        private HmacAlgorithm algorithm = HmacAlgorithm.SHA256;
        private SignatureEncoding encoding = SignatureEncoding.HEX;
        private String signedContent = "{body}";
        private String idHeader;
        private String timestampHeader;
        private boolean timestampMillis;
        private boolean timestampRfc3339;
        private boolean boundsFuture = true;
        private String eventTypeHeader;
        private String idPointer;
        private List<String> eventTypePointers = new ArrayList<>();
        private SecretEncoding secretEncoding = SecretEncoding.UTF8;
        private int minSecretBytes = 8;
        private HmacScheme fallback;
        private char itemSeparator;
        private String itemTimestampKey;
        private String itemSignatureKey;
        private java.util.function.BiFunction<WebhookRequest, List<KeyMaterial>, HttpAnswer> beforeVerify;
        private java.util.function.BiFunction<VerifiedWebhook, KeyMaterial, HttpAnswer> afterVerify;
        private final BuilderOptions options = new BuilderOptions();

        private Builder() {}

        /**
         * The scheme's id, for logs, metrics and {@code toString}. Default {@code hmac}.
         *
         * @param id a short stable name
         * @return this builder
         */
        public Builder id(String id) {
            options.once("id");
            this.id = BuilderOptions.nonBlank(id, "id");
            return this;
        }

        /**
         * The header that carries the signature. Default {@code X-Signature}.
         *
         * @param name the header name
         * @return this builder
         */
        public Builder signatureHeader(String name) {
            options.once("signatureHeader");
            this.signatureHeader = BuilderOptions.nonBlank(name, "signatureHeader");
            return this;
        }

        /**
         * Text before the signature in the header, such as {@code sha256=}. Default none.
         *
         * @param prefix the prefix; may be empty
         * @return this builder
         */
        public Builder prefix(String prefix) {
            options.once("prefix");
            this.prefix = Objects.requireNonNull(prefix, "prefix cannot be null");
            return this;
        }

        /**
         * The hash. Default SHA-256.
         *
         * @param algorithm the HMAC algorithm
         * @return this builder
         */
        public Builder algorithm(HmacAlgorithm algorithm) {
            options.once("algorithm");
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm cannot be null");
            return this;
        }

        /**
         * How the MAC is written. Default hex.
         *
         * @param encoding hex or base64
         * @return this builder
         */
        public Builder encoding(SignatureEncoding encoding) {
            options.once("encoding");
            this.encoding = Objects.requireNonNull(encoding, "encoding cannot be null");
            return this;
        }

        /**
         * What is signed: a template over {@code {id}}, {@code {timestamp}}, {@code {body}} and {@code {url}}. Default
         * {@code {body}}.
         *
         * @param template for example {@code {timestamp}.{body}}
         * @return this builder
         * @throws IllegalArgumentException on an unknown token, or a template that signs neither body nor URL
         */
        public Builder signedContent(String template) {
            options.once("signedContent");
            ContentTemplate.parse(template); // fail now, naming the problem
            this.signedContent = template;
            return this;
        }

        /**
         * The header that carries the delivery id (used for deduplication and by {@code {id}}). Default none.
         *
         * @param name the header name
         * @return this builder
         */
        public Builder idHeader(String name) {
            options.once("idHeader");
            this.idHeader = BuilderOptions.nonBlank(name, "idHeader");
            return this;
        }

        /**
         * Reads the signature header as {@code key=value} items, as Stripe, Mux and Calendly send it ({@code
         * t=1565125718,v1=854e...}): one item carries the signed timestamp (seconds since the epoch, checked for
         * freshness), and one or more carry a signature, any of which may match (several during a key rotation).
         * Blanks around keys and values are ignored; items with other keys ({@code v0}, a future {@code v2}) are
         * skipped; a second timestamp is refused. The signed content must use {@code {timestamp}}. Conflicts with
         * {@link #timestampHeader(String)} and {@link #prefix(String)}. Default: the header's whole value is the
         * signature.
         *
         * @param separator between items, such as {@code ','} or {@code ';'}
         * @param timestampKey the key of the timestamp item, such as {@code t}
         * @param signatureKey the key of a signature item, such as {@code v1}
         * @return this builder
         * @throws IllegalArgumentException if a key is blank or contains the separator or {@code =}, or the separator
         *     is {@code =} or a blank
         */
        public Builder signatureItems(char separator, String timestampKey, String signatureKey) {
            options.once("signatureItems");
            BuilderOptions.nonBlank(timestampKey, "timestampKey");
            BuilderOptions.nonBlank(signatureKey, "signatureKey");
            if (separator == '=' || Character.isWhitespace(separator)) {
                throw new IllegalArgumentException(
                        "signatureItems separator must not be = or a blank but was '" + separator + "'");
            }
            for (String key : new String[] {timestampKey, signatureKey}) {
                if (key.indexOf(separator) >= 0
                        || key.indexOf('=') >= 0
                        || !key.strip().equals(key)) {
                    throw new IllegalArgumentException("signatureItems key must not contain '" + separator
                            + "', = or surrounding blanks but was " + key);
                }
            }
            if (timestampKey.equals(signatureKey)) {
                throw new IllegalArgumentException(
                        "signatureItems needs two different keys but both were " + timestampKey);
            }
            this.itemSeparator = separator;
            this.itemTimestampKey = timestampKey;
            this.itemSignatureKey = signatureKey;
            return this;
        }

        /**
         * The header that carries the signed timestamp; when set it is required and checked for freshness. Default
         * none.
         *
         * @param name the header name
         * @return this builder
         */
        public Builder timestampHeader(String name) {
            options.once("timestampHeader");
            this.timestampHeader = BuilderOptions.nonBlank(name, "timestampHeader");
            return this;
        }

        /**
         * Reads the timestamp as milliseconds rather than seconds since the epoch.
         *
         * @return this builder
         */
        public Builder timestampInMillis() {
            options.once("timestampInMillis");
            this.timestampMillis = true;
            return this;
        }

        /**
         * Reads the timestamp header as an RFC 3339 date-time (Zendesk, Twitch), or as seconds since the epoch when it
         * is all digits; signing writes an RFC 3339 date-time in UTC.
         */
        Builder timestampRfc3339() {
            options.once("timestampRfc3339");
            this.timestampRfc3339 = true;
            return this;
        }

        /**
         * Checks only the age of timestamps, not how far in the future they are, for a provider whose clock is known to
         * run ahead. Default: both, as every built-in scheme does.
         *
         * @return this builder
         */
        public Builder pastOnlyWindow() {
            options.once("pastOnlyWindow");
            this.boundsFuture = false;
            return this;
        }

        /**
         * The header that carries the event type. Default none.
         *
         * @param name the header name
         * @return this builder
         */
        public Builder eventTypeHeader(String name) {
            options.once("eventTypeHeader");
            this.eventTypeHeader = BuilderOptions.nonBlank(name, "eventTypeHeader");
            return this;
        }

        /**
         * A JSON pointer to the delivery id in the body, for providers whose headers carry none.
         *
         * @param pointer for example {@code /id}
         * @return this builder
         */
        public Builder idPointer(String pointer) {
            options.once("idPointer");
            this.idPointer = pointer(pointer);
            return this;
        }

        /**
         * JSON pointers to the event type in the body, tried in order.
         *
         * @param pointers for example {@code /type}
         * @return this builder
         */
        public Builder eventTypePointers(String... pointers) {
            options.once("eventTypePointers");
            for (String p : pointers) {
                eventTypePointers.add(pointer(p));
            }
            return this;
        }

        private static String pointer(String pointer) {
            Objects.requireNonNull(pointer, "pointer cannot be null");
            if (!pointer.startsWith("/")) {
                throw new IllegalArgumentException("a JSON pointer starts with / but was " + pointer);
            }
            return pointer;
        }

        /**
         * How a secret string becomes key bytes. Default: its UTF-8 bytes as they are.
         *
         * @param encoding the secret encoding
         * @return this builder
         */
        public Builder secretEncoding(SecretEncoding encoding) {
            options.once("secretEncoding");
            this.secretEncoding = Objects.requireNonNull(encoding, "secretEncoding cannot be null");
            return this;
        }

        /**
         * The shortest key accepted, in bytes after decoding. Default 8.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder minSecretBytes(int bytes) {
            options.once("minSecretBytes");
            if (bytes < 1) {
                throw new IllegalArgumentException("minSecretBytes must be at least 1 but was " + bytes);
            }
            this.minSecretBytes = bytes;
            return this;
        }

        /**
         * A second, older signature header, checked only when this scheme's header is absent (GitHub's SHA-1 {@code
         * X-Hub-Signature}); signing writes both.
         *
         * @param fallback the older scheme, with the same secret encoding
         * @return this builder
         */
        Builder fallback(HmacScheme fallback) {
            options.once("fallback");
            this.fallback = Objects.requireNonNull(fallback, "fallback cannot be null");
            return this;
        }

        /** The built-in provider's unsigned handshake (X's CRC check), answered before verification. */
        Builder beforeVerify(java.util.function.BiFunction<WebhookRequest, List<KeyMaterial>, HttpAnswer> hook) {
            options.once("beforeVerify");
            this.beforeVerify = Objects.requireNonNull(hook, "beforeVerify cannot be null");
            return this;
        }

        /** The built-in provider's signed handshake (Slack's {@code url_verification}), answered after verification. */
        Builder afterVerify(java.util.function.BiFunction<VerifiedWebhook, KeyMaterial, HttpAnswer> hook) {
            options.once("afterVerify");
            this.afterVerify = Objects.requireNonNull(hook, "afterVerify cannot be null");
            return this;
        }

        /**
         * The scheme.
         *
         * @return an immutable scheme
         * @throws IllegalStateException if the template uses {@code {id}} or {@code {timestamp}} without its header,
         *     or {@link #signatureItems} is combined with a timestamp header, a prefix or a template without {@code
         *     {timestamp}}
         */
        public HmacScheme build() {
            return new HmacScheme(this);
        }
    }
}
