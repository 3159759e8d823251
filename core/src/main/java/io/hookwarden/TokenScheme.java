package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A scheme that authenticates a delivery by a static token rather than a signature, configured rather than coded: the
 * token in a named header, in {@code Authorization: Bearer}, in HTTP Basic credentials, or in a query parameter.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder()
 *     .scheme(Schemes.token().header("X-Webhook-Token").build())
 *     .keys(Keys.builder().add("2026-q3", newToken).add("2026-q2", oldToken).build()) // rotation
 *     .build();
 * }</pre>
 *
 * <p>The endpoint's keys are its tokens; several may be active at once, and {@link VerifiedWebhook#matchedKey()} names
 * the one that matched. Each token is compared by its SHA-256 digest with {@link java.security.MessageDigest#isEqual},
 * so the time taken says nothing about the token, not even its length. A missing token is {@link
 * Reason#MISSING_HEADER}, an unreadable one (another {@code Authorization} scheme, Basic credentials that are not
 * base64 or have no colon, the token given twice) {@link Reason#MALFORMED_HEADER}, and a wrong one {@link
 * Reason#SIGNATURE_MISMATCH} (401). A token shorter than the minimum (default 8 bytes, like an HMAC secret) is refused
 * when the verifier is built, unless the key set {@link Keys.Builder#allowWeakSecrets() allows weak secrets}.
 *
 * <p>A token says who sent the delivery, not what was sent, and it is the same on every delivery: anyone who sees one
 * request can send others, so serve the endpoint over TLS only. Nothing is timestamped. The dedupe key is the delivery
 * id ({@link Builder#idHeader(String)} or {@link Builder#idPointer(String)}), else the SHA-256 of the body; never the
 * token. A token in the query is replaced by {@code ***} in the URL that the verified delivery, the delivery
 * listener and the inbox see; a token header, like {@code Authorization}, is never stored by an inbox.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenScheme extends Scheme {
    /** Where the token travels. */
    enum Location {
        HEADER,
        BEARER,
        BASIC,
        BASIC_USER,
        BASIC_PASSWORD,
        QUERY
    }

    private static final String AUTHORIZATION = "Authorization";
    private static final String AUTHORIZATION_KEY = HeaderValues.lookup(AUTHORIZATION);
    /** The user name a signer sends when only the password is the token. */
    private static final String SIGNING_USER = "hookwarden";

    private final String id;
    private final Location location;
    /** The header or query parameter name; {@code Authorization} for Bearer and Basic. */
    private final String name;

    private final String nameKey;
    private final String idHeader;
    private final String idKey;
    private final String eventTypeHeader;
    private final String eventTypeKey;
    private final String idPointer;
    private final List<String> eventTypePointers;
    private final int minSecretBytes;
    /** A provider's handshake, answered once the token is verified (Event Grid's validation), or null. */
    private final java.util.function.Function<VerifiedWebhook, HttpAnswer> afterVerify;

    private TokenScheme(Builder b) {
        this.id = b.id;
        this.location = b.location;
        this.name = b.name;
        this.nameKey = HeaderValues.lookup(name);
        this.idHeader = b.idHeader;
        this.idKey = HeaderValues.lookup(idHeader);
        this.eventTypeHeader = b.eventTypeHeader;
        this.eventTypeKey = HeaderValues.lookup(eventTypeHeader);
        this.idPointer = b.idPointer;
        this.eventTypePointers = List.copyOf(b.eventTypePointers);
        this.minSecretBytes = b.minSecretBytes;
        this.afterVerify = b.afterVerify;
    }

    @Override
    HttpAnswer answerAfterVerify(VerifiedWebhook webhook, KeyMaterial matched) {
        return afterVerify == null ? null : afterVerify.apply(webhook);
    }

    /** A builder with the defaults of the scheme {@code token}: {@code Authorization: Bearer}. */
    static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return id;
    }

    /** The token's header (for Bearer and Basic, {@code Authorization}), or null when it is in the query. */
    public String tokenHeader() {
        return location == Location.QUERY ? null : name;
    }

    /** The query parameter that carries the token, or null when it is in a header. */
    public String queryParameter() {
        return location == Location.QUERY ? name : null;
    }

    /** The configured header carries the token itself, so an inbox never stores it. */
    @Override
    boolean carriesSecret(String headerName) {
        return location == Location.HEADER && Headers.sameName(name, headerName);
    }

    /** The token is the same on every delivery, so nothing is signed: no id is vouched for by it. */
    @Override
    boolean signsId() {
        return false;
    }

    @Override
    DedupeKey defaultDedupeKey() {
        return DedupeKey.deliveryId().orElse(DedupeKey.signature());
    }

    @Override
    String idPointer() {
        return idPointer;
    }

    @Override
    List<String> eventTypePointers() {
        return eventTypePointers;
    }

    /** The URL with the query token masked, so the token never leaves the verifier. */
    @Override
    WebhookRequest redacted(WebhookRequest request) {
        if (location != Location.QUERY || request.url().isEmpty()) {
            return request;
        }
        String url = request.url().get();
        String masked = UrlRedaction.maskParameter(url, name);
        return masked.equals(url) ? request : request.toBuilder().url(masked).build();
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        if (location == Location.BASIC) {
            int colon = secret.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("secret " + label + " for scheme " + id
                        + " is not user:password, as Basic credentials are configured");
            }
            // the password is the part that must be long; the whole user:password is compared
            secretBytes(label, secret.substring(colon + 1), SecretEncoding.UTF8, minSecretBytes);
            return new KeyMaterial.Token(label, secretBytes(label, secret, SecretEncoding.UTF8, 1));
        }
        if (location == Location.BASIC_USER && secret.indexOf(':') >= 0) {
            throw new IllegalArgumentException(
                    "secret " + label + " for scheme " + id + " contains ':', which a Basic user name cannot");
        }
        return new KeyMaterial.Token(label, secretBytes(label, secret, SecretEncoding.UTF8, minSecretBytes));
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        Headers headers = request.headers();
        byte[] offered =
                switch (location) {
                    case HEADER -> headerBytes(HeaderValues.required(headers, nameKey, name));
                    case BEARER -> bearer(HeaderValues.required(headers, AUTHORIZATION_KEY, AUTHORIZATION));
                    case BASIC, BASIC_USER, BASIC_PASSWORD -> basic(
                            HeaderValues.required(headers, AUTHORIZATION_KEY, AUTHORIZATION));
                    case QUERY -> query(request);
                };
        String deliveryId = idHeader == null ? null : HeaderValues.optional(headers, idKey, idHeader);
        String eventType =
                eventTypeHeader == null ? null : headers.first(eventTypeKey).orElse(null);
        return new Parsed(where(), deliveryId, null, null, eventType, List.of(), offered);
    }

    /** For messages: where the token was looked for, never what it was. */
    private String where() {
        return location == Location.QUERY ? "query parameter " + name : "header " + name;
    }

    @Override
    String mismatchDetail(Parsed parsed, int keys) {
        return "the token in " + parsed.signatureHeader + " matches none of the " + keys + " active token(s) of scheme "
                + id;
    }

    /** A header value as the bytes that were sent: a server decodes a header as Latin-1, unless it chose UTF-8. */
    private static byte[] headerBytes(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xff) {
                return value.getBytes(StandardCharsets.UTF_8);
            }
        }
        return value.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** RFC 6750 section 2.1: {@code Bearer 1*SP token}; the scheme name is case-insensitive (RFC 9110 11.1). */
    private static byte[] bearer(String value) {
        String token = credentials(value, "Bearer");
        return headerBytes(token);
    }

    /** RFC 7617: {@code Basic base64(user ":" password)}. */
    private byte[] basic(String value) {
        byte[] decoded = Codec.decodeBase64Strict(credentials(value, "Basic"));
        int colon = -1;
        if (decoded != null) {
            for (int i = 0; i < decoded.length; i++) {
                if (decoded[i] == ':') {
                    colon = i;
                    break;
                }
            }
        }
        if (decoded == null || colon < 0) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header Authorization does not carry base64 user:password credentials");
        }
        return switch (location) {
            case BASIC_USER -> java.util.Arrays.copyOfRange(decoded, 0, colon);
            case BASIC_PASSWORD -> java.util.Arrays.copyOfRange(decoded, colon + 1, decoded.length);
            default -> decoded;
        };
    }

    private static String credentials(String value, String scheme) {
        int space = value.indexOf(' ');
        if (space != scheme.length() || !value.regionMatches(true, 0, scheme, 0, scheme.length())) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header Authorization does not use the " + scheme + " scheme");
        }
        String rest = value.substring(space + 1).strip();
        if (rest.isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header Authorization carries no " + scheme + " credentials");
        }
        return rest;
    }

    private byte[] query(WebhookRequest request) {
        String query = FormBody.query(request.url().orElse(null));
        String found = null;
        if (query != null) {
            for (Map.Entry<String, String> pair : FormBody.parse(query)) {
                if (pair.getKey().equals(name)) {
                    if (found != null) {
                        throw new WebhookVerificationException(
                                Reason.MALFORMED_HEADER, "query parameter " + name + " is given more than once");
                    }
                    found = pair.getValue();
                }
            }
        }
        if (found == null) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "query parameter " + name + " is missing");
        }
        if (found.isEmpty()) {
            throw new WebhookVerificationException(Reason.MALFORMED_HEADER, "query parameter " + name + " is empty");
        }
        return found.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        return ((KeyMaterial.Token) key).matchesDigestOf(parsed.offeredToken);
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
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        KeyMaterial.Token token = (KeyMaterial.Token) key;
        Headers.Builder out = Headers.builder();
        switch (location) {
            case HEADER -> out.add(name, token.headerValue());
            case BEARER -> out.add(AUTHORIZATION, "Bearer " + token.headerValue());
            case BASIC -> out.add(AUTHORIZATION, "Basic " + token.base64());
            case BASIC_USER -> out.add(AUTHORIZATION, "Basic " + base64(token.text() + ":"));
            case BASIC_PASSWORD -> out.add(AUTHORIZATION, "Basic " + base64(SIGNING_USER + ":" + token.text()));
            case QUERY -> {} // the token goes into the URL: signedRequest
        }
        if (idHeader != null) {
            out.add(
                    idHeader,
                    message.id().orElseGet(() -> java.util.UUID.randomUUID().toString()));
        }
        if (eventTypeHeader != null) {
            message.eventType().ifPresent(type -> out.add(eventTypeHeader, type));
        }
        return out.build();
    }

    @Override
    WebhookRequest signedRequest(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        WebhookRequest request = super.signedRequest(key, message, timestamp);
        if (location != Location.QUERY) {
            return request;
        }
        String url = message.url()
                .orElseThrow(() -> new IllegalArgumentException(
                        "scheme " + id + " sends its token in the URL: give the message a url"));
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String parameter = FormBody.encode(name) + "=" + FormBody.encode(((KeyMaterial.Token) key).text());
        String withToken = base
                + (base.indexOf('?') < 0 ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&")
                + parameter
                + (hash < 0 ? "" : url.substring(hash));
        return request.toBuilder().url(withToken).build();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Configures a {@link TokenScheme}. The default is the scheme {@code token}: a Bearer token in {@code
     * Authorization}. One location may be chosen; each option may be set once. Not thread-safe.
     */
    public static final class Builder {
        private String id = "token";
        private Location location = Location.BEARER;
        private String name = AUTHORIZATION;
        private String idHeader;
        private String eventTypeHeader;
        private String idPointer;
        private final List<String> eventTypePointers = new ArrayList<>();
        private int minSecretBytes = 8;
        private java.util.function.Function<VerifiedWebhook, HttpAnswer> afterVerify;
        private final BuilderOptions options = new BuilderOptions();

        private Builder() {}

        /**
         * The scheme's id, for logs, metrics and {@code toString}. Default {@code token}.
         *
         * @param id a short stable name
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder id(String id) {
            options.once("id");
            this.id = BuilderOptions.nonBlank(id, "id");
            return this;
        }

        /**
         * The token is the whole value of this header, such as {@code X-Webhook-Token}.
         *
         * @param name the header name
         * @return this builder
         * @throws IllegalStateException if a location was already chosen
         * @throws IllegalArgumentException if the name is blank, or {@code Authorization} (use {@link #bearer()} or
         *     {@link #basic()})
         */
        public Builder header(String name) {
            options.once("location");
            String header = BuilderOptions.nonBlank(name, "header");
            if (Headers.sameName(AUTHORIZATION, header)) {
                throw new IllegalArgumentException(
                        "header Authorization carries a scheme name: use bearer() or basic() rather than header("
                                + header + ")");
            }
            return at(Location.HEADER, header);
        }

        /**
         * The token is a Bearer token: {@code Authorization: Bearer <token>} (RFC 6750). The default.
         *
         * @return this builder
         * @throws IllegalStateException if a location was already chosen
         */
        public Builder bearer() {
            options.once("location");
            return at(Location.BEARER, AUTHORIZATION);
        }

        /**
         * The token is HTTP Basic credentials (RFC 7617), given to the key set as {@code user:password}: both are
         * compared, together. The minimum length applies to the password.
         *
         * @return this builder
         * @throws IllegalStateException if a location was already chosen
         */
        public Builder basic() {
            options.once("location");
            return at(Location.BASIC, AUTHORIZATION);
        }

        /**
         * The token is the user name of HTTP Basic credentials; the password is not checked.
         *
         * @return this builder
         * @throws IllegalStateException if a location was already chosen
         */
        public Builder basicUser() {
            options.once("location");
            return at(Location.BASIC_USER, AUTHORIZATION);
        }

        /**
         * The token is the password of HTTP Basic credentials; any user name is accepted.
         *
         * @return this builder
         * @throws IllegalStateException if a location was already chosen
         */
        public Builder basicPassword() {
            options.once("location");
            return at(Location.BASIC_PASSWORD, AUTHORIZATION);
        }

        /**
         * The token is the value of this query parameter, such as {@code ?token=...}. The value is masked as {@code
         * ***} in the URL of the verified delivery, and an inbox stores no query.
         *
         * @param parameter the parameter name (decoded)
         * @return this builder
         * @throws IllegalStateException if a location was already chosen
         */
        public Builder query(String parameter) {
            options.once("location");
            return at(Location.QUERY, BuilderOptions.nonBlank(parameter, "query"));
        }

        private Builder at(Location location, String name) {
            this.location = location;
            this.name = name;
            return this;
        }

        /**
         * The header that carries the delivery id, the dedupe key. Default none: the SHA-256 of the body.
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
         * A JSON pointer to the delivery id in the body, used when no id header is configured or present.
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
         * JSON pointers to the event type in the body, tried in order.
         *
         * @param pointers for example {@code /type}
         * @return this builder
         */
        public Builder eventTypePointers(String... pointers) {
            options.once("eventTypePointers");
            for (String p : Objects.requireNonNull(pointers, "pointers cannot be null")) {
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
         * The shortest token accepted, in UTF-8 bytes. Default 8, as for HMAC secrets.
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

        /** A preset's handshake, answered after the token is verified (package-private: presets only). */
        Builder afterVerify(java.util.function.Function<VerifiedWebhook, HttpAnswer> hook) {
            options.once("afterVerify");
            this.afterVerify = Objects.requireNonNull(hook, "afterVerify cannot be null");
            return this;
        }

        /**
         * The scheme.
         *
         * @return an immutable scheme
         */
        public TokenScheme build() {
            return new TokenScheme(this);
        }
    }
}
