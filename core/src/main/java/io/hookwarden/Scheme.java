package io.hookwarden;

import java.time.Instant;
import java.util.List;

/**
 * How one provider signs its deliveries: which headers it sends, what content it signs, with which algorithm and
 * encoding, where the delivery id, event type and timestamp live, and how its secrets become keys. The same scheme
 * verifies ({@link WebhookVerifier}) and signs ({@link WebhookSigner}).
 *
 * <p>Get one from {@link Schemes}: a built-in by name, or {@link Schemes#hmac()} configured for any provider that
 * signs with an HMAC in a header. Schemes are immutable and thread-safe. The class is sealed: a provider that signs
 * another way becomes a scheme here, with its vectors, rather than a subclass elsewhere that no test covers; a way of
 * authenticating that needs a library of its own (bearer JWTs) is an {@link io.hookwarden.spi.Authenticator} in its
 * own module, made a scheme by {@link Schemes#authenticatedBy(io.hookwarden.spi.Authenticator)}.
 */
public abstract sealed class Scheme
        permits AdyenScheme,
                AuthenticatorScheme,
                BoxScheme,
                BraintreeScheme,
                ContentfulScheme,
                DiscordScheme,
                DocuSignScheme,
                GitlabScheme,
                GraphScheme,
                HmacScheme,
                HubSpotLegacyScheme,
                HubSpotScheme,
                LinearScheme,
                MailgunScheme,
                MetaScheme,
                OktaScheme,
                PaddleScheme,
                SendgridScheme,
                SnsScheme,
                SquareScheme,
                StandardWebhooksScheme,
                StripeScheme,
                TokenScheme,
                TrelloScheme,
                TwilioScheme,
                ZoomScheme {
    /** The default dedupe keys, built once: {@link #defaultDedupeKey()} runs on every delivery. */
    private static final DedupeKey SIGNATURE = DedupeKey.signature();

    private static final DedupeKey ID_OR_SIGNATURE = DedupeKey.deliveryId().orElse(SIGNATURE);

    /** Logs the short secrets a key set allowed ({@link Keys.Builder#allowWeakSecrets()}). */
    private static final System.Logger KEYS_LOG = System.getLogger(Keys.class.getName());

    /**
     * Set while a key set that allows weak secrets builds its key material, on the building thread only: {@link
     * #secretBytes} then accepts a secret under the scheme's minimum, with a warning. Key material is built
     * synchronously by the verifier and signer builders, so nothing else runs in this window.
     */
    private static final ThreadLocal<Boolean> WEAK_SECRETS = new ThreadLocal<>();

    Scheme() {}

    /**
     * Builds key material, turning the scheme's refusal of the secret into an {@link InvalidSecretException} that
     * carries the key's label: whichever scheme refused it, and however it phrased why.
     */
    static KeyMaterial refusingAs(String label, Scheme scheme, java.util.function.Supplier<KeyMaterial> build) {
        try {
            return build.get();
        } catch (InvalidSecretException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidSecretException(label, scheme.id(), e.getMessage(), e);
        }
    }

    /** Builds key material with short secrets accepted (and warned about), for a key set that opted in. */
    static KeyMaterial allowingWeakSecrets(java.util.function.Supplier<KeyMaterial> build) {
        WEAK_SECRETS.set(Boolean.TRUE);
        try {
            return build.get();
        } finally {
            WEAK_SECRETS.remove();
        }
    }

    /** The stable id, such as {@code stripe}; {@link Schemes#byId(String)} returns the scheme for it. */
    public abstract String id();

    /**
     * Whether the scheme's own window bounds timestamps in the future as well as in the past: true for every built-in
     * scheme (Stripe included, though Stripe's own libraries check only the age); false only for a generic scheme
     * configured with {@link HmacScheme.Builder#pastOnlyWindow()}.
     */
    public boolean boundsFuture() {
        return true;
    }

    @Override
    public String toString() {
        return "Scheme[" + id() + "]";
    }

    /**
     * Whether signed deliveries may come as {@code GET} as well as {@code POST} (Twilio signs the URL of a GET
     * callback). Every other method, and GET for other schemes outside their handshakes, is refused with 405.
     */
    boolean receivesGet() {
        return false;
    }

    /**
     * Whether a header of this name carries the endpoint's secret itself (GitLab's {@code X-Gitlab-Token}), so that an
     * inbox never stores it. {@code Authorization}, {@code Proxy-Authorization} and {@code Cookie} are dropped for
     * every scheme; this names a scheme's own. Names compare case-insensitively.
     */
    boolean carriesSecret(String headerName) {
        return false;
    }

    /**
     * Whether the signature covers the request URL with its query (Twilio, Square, a generic scheme whose template
     * uses {@code {url}}), so that an inbox keeps the query to let a stored delivery be verified again; otherwise the
     * query is dropped before the URL is stored.
     */
    boolean signsUrl() {
        return false;
    }

    /**
     * The request as it may leave the verifier: to the verified delivery, the delivery listener and the inbox. By
     * default the request itself; a scheme whose credential travels in the URL ({@link TokenScheme} with a query
     * parameter) masks it there.
     */
    WebhookRequest redacted(WebhookRequest request) {
        return request;
    }

    /** The detail of a {@link Reason#SIGNATURE_MISMATCH}: where the scheme looked, never what it found. */
    String mismatchDetail(Parsed parsed, int keys) {
        return "no signature in header " + parsed.signatureHeader + " matches any of the " + keys
                + " active key(s) of scheme " + id();
    }

    /** Turns a secret or public key, as the provider hands it out, into key material for verifying. */
    abstract KeyMaterial verificationKey(String label, String secret);

    /**
     * The one key of an endpoint configured with none, for a scheme whose messages name their own verifying
     * certificate (AWS SNS), bound to the verifier's clock; null (the default) when the scheme needs configured keys.
     */
    KeyMaterial implicitKey(java.time.Clock clock) {
        return null;
    }

    /** Turns a secret or private key into key material for signing. */
    abstract KeyMaterial signingKey(String label, String secret);

    /**
     * Reads the scheme's headers.
     *
     * @throws WebhookVerificationException MISSING_HEADER or MALFORMED_HEADER
     */
    abstract Parsed parse(WebhookRequest request);

    /** Whether one of the parsed signatures was made with {@code key} over this request. */
    abstract boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request);

    /**
     * Writes the bytes the delivery's signature covers, for {@link DedupeKey#signature()}: the same bytes for every
     * spelling of the signature header that verifies (hex in either case, entries reordered, repeated, added or
     * removed, another accepted signature header), so a captured delivery re-spelt is still the same delivery. Called
     * only after {@link #matches} accepted the request.
     */
    abstract void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink);

    /** The headers that sign {@code message} at {@code timestamp}. */
    abstract Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp);

    /**
     * The complete request that signs {@code message}: by default {@code POST} to the message's URL with its body, a
     * JSON content type and {@link #sign}'s headers. Schemes whose signature lives in the body (Mailgun) or changes the
     * URL (Twilio's {@code bodySHA256}) override it.
     */
    WebhookRequest signedRequest(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        return WebhookRequest.builder()
                .url(message.url().orElse(null))
                .headers(sign(key, message, timestamp))
                .header("Content-Type", "application/json")
                .body(message.bodyBytes())
                .build();
    }

    /**
     * The answer to a provider's handshake that is not signed, such as Meta's {@code GET ?hub.mode=subscribe} or X's
     * CRC check, or null when {@code request} is not this scheme's unsigned handshake. Matches only the exact
     * handshake shape; everything else goes on to verification.
     *
     * @param keys the endpoint's active keys, for handshakes that answer with a MAC
     */
    HttpAnswer answerBeforeVerify(WebhookRequest request, List<KeyMaterial> keys) {
        return null;
    }

    /**
     * The answer to a provider's signed handshake, such as Slack's {@code url_verification} or Discord's {@code PING},
     * or null when the verified delivery is an ordinary event. Called only after the signature and timestamp passed.
     *
     * @param matched the key whose signature matched
     */
    HttpAnswer answerAfterVerify(VerifiedWebhook webhook, KeyMaterial matched) {
        return null;
    }

    /**
     * Whether the delivery id is part of the signed material (a signed header, or a field of the signed body), so a
     * forger cannot choose it. By default, when the id lives in the body: every scheme with an id pointer signs its
     * body. Where it is not (GitHub's {@code X-GitHub-Delivery} is unsigned), the receiver's
     * default dedupe key is the signature instead.
     */
    boolean signsId() {
        return idPointer() != null;
    }

    /**
     * The receiver's default dedupe key for this scheme: the signed delivery id, or else (no id in the scheme, or a
     * body without its id field, such as a Slack command) the signature. A scheme with neither (a shared token)
     * overrides it.
     */
    DedupeKey defaultDedupeKey() {
        return signsId() ? ID_OR_SIGNATURE : SIGNATURE;
    }

    /**
     * The body format a receiver requires when the application configures none and registers no schemas: {@link
     * PayloadFormat#ANY}, or {@link PayloadFormat#JSON} for providers that only ever send JSON (Stripe), so a signed
     * body that is not JSON is refused as {@code MALFORMED_PAYLOAD} rather than handed to the application.
     */
    PayloadFormat defaultFormat() {
        return PayloadFormat.ANY;
    }

    /** JSON pointer to the delivery id inside the body, for schemes whose headers carry none. */
    String idPointer() {
        return null;
    }

    /** JSON pointers to the event type inside the body, tried in order, for schemes whose headers carry none. */
    List<String> eventTypePointers() {
        return List.of();
    }

    /** An HMAC key from a secret used as its UTF-8 bytes, as most providers hand it out, with its MACs pooled. */
    final KeyMaterial utf8HmacKey(String label, String secret, int minBytes, HmacAlgorithm algorithm) {
        return new KeyMaterial.Hmac(label, secretBytes(label, secret, SecretEncoding.UTF8, minBytes))
                .prepare(algorithm);
    }

    /**
     * Whether any offered signature is the hex HMAC-SHA256 (either case) of {@code content} over the parsed timestamp
     * and the body: Stripe, Paddle, Zoom and Linear sign this way, differing only in the content.
     */
    static boolean matchesHexSha256(KeyMaterial key, ContentTemplate content, Parsed parsed, WebhookRequest request) {
        byte[] expected = Codec.hex(((KeyMaterial.Hmac) key)
                .mac(HmacAlgorithm.SHA256, content, null, parsed.timestampText, request.bodyBytes(), null));
        return anyMatches(parsed.candidates, expected, true);
    }

    /**
     * The headers of a scheme that sends its whole signature in one header and the signed time, in seconds, in another
     * (Discord, SendGrid).
     *
     * @throws WebhookVerificationException MISSING_HEADER or MALFORMED_HEADER
     */
    static Parsed signatureWithTimestamp(
            WebhookRequest request, String signatureKey, String signature, String timestampKey, String timestamp) {
        String value = HeaderValues.required(request.headers(), signatureKey, signature);
        String timestampText = HeaderValues.required(request.headers(), timestampKey, timestamp);
        return new Parsed(
                signature,
                null,
                timestampText,
                HeaderValues.timestamp(timestampText, timestamp, false),
                null,
                List.of(new OfferedSignature(null, value, 0, value.length())));
    }

    /** Whether any of {@code candidates} is {@code expected}, each compared in constant time. */
    static boolean anyMatches(List<OfferedSignature> candidates, byte[] expected, boolean foldHex) {
        for (OfferedSignature c : candidates) {
            if (c.matches(expected, foldHex)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A secret's bytes, checked: not empty, no surrounding blanks, decodable, long enough. Messages name the key's
     * label and the problem, never the secret.
     */
    final byte[] secretBytes(String label, String secret, SecretEncoding encoding, int minBytes) {
        String what = "secret " + label + " for scheme " + id();
        if (secret.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (!secret.strip().equals(secret)) {
            throw new IllegalArgumentException(what + " has leading or trailing whitespace");
        }
        if (looksLikePlaceholder(secret)) {
            throw new IllegalArgumentException(what
                    + " looks like an unresolved placeholder (${...} or #{...}): the variable or property it names is"
                    + " not set");
        }
        byte[] bytes =
                switch (encoding) {
                    case UTF8 -> Codec.utf8(secret);
                    case BASE64 -> Codec.decodeBase64Secret(
                            secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret);
                    case HEX -> Codec.decodeHex(secret);
                };
        if (bytes == null) {
            throw new IllegalArgumentException(
                    what + " is not valid " + encoding.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (bytes.length < minBytes && bytes.length > 0 && WEAK_SECRETS.get() != null) {
            KEYS_LOG.log(
                    System.Logger.Level.WARNING,
                    what + " is " + bytes.length + " bytes, under the minimum of " + minBytes
                            + "; accepted because the key set allows weak secrets: replace it with a longer one");
        } else if (bytes.length < minBytes) {
            throw new IllegalArgumentException(
                    what + " is too short: " + bytes.length + " bytes, at least " + minBytes + " required");
        }
        return bytes;
    }

    /**
     * Whether a secret is a configuration placeholder that nothing resolved, such as Spring's {@code
     * ${STRIPE_WEBHOOK_SECRET}} bound literally when the variable is unset: accepting it would let anyone who read the
     * docs sign deliveries.
     */
    static boolean looksLikePlaceholder(String secret) {
        for (String open : new String[] {"${", "#{"}) {
            int start = secret.indexOf(open);
            if (start >= 0 && secret.indexOf('}', start + open.length()) > 0) {
                return true;
            }
        }
        return false;
    }

    /** What a scheme read from a request's headers. */
    static final class Parsed {
        final String signatureHeader;
        final String id;
        final String timestampText;
        final Instant timestamp;
        final String eventType;
        final List<OfferedSignature> candidates;
        /** The token offered, for schemes that compare a static token ({@link TokenScheme}); else null. */
        final byte[] offeredToken;

        Parsed(
                String signatureHeader,
                String id,
                String timestampText,
                Instant timestamp,
                String eventType,
                List<OfferedSignature> candidates) {
            this(signatureHeader, id, timestampText, timestamp, eventType, candidates, null);
        }

        Parsed(
                String signatureHeader,
                String id,
                String timestampText,
                Instant timestamp,
                String eventType,
                List<OfferedSignature> candidates,
                byte[] offeredToken) {
            this.offeredToken = offeredToken;
            this.signatureHeader = signatureHeader;
            this.id = id;
            this.timestampText = timestampText;
            this.timestamp = timestamp;
            this.eventType = eventType;
            this.candidates = candidates;
        }
    }

    /**
     * One signature offered by the request: a region of a header value, not copied out, so the hot path allocates
     * nothing per entry.
     *
     * @param version the scheme's version tag ({@code v1}, {@code v1a}, ...) as one of the scheme's constants, or null
     *     where the scheme has none or the tag is unknown
     * @param source the header value
     * @param start where the signature starts in {@code source}
     * @param end where it ends (exclusive)
     */
    record OfferedSignature(String version, String source, int start, int end) {
        /** The signature text, copied out: for asymmetric schemes that must decode it. */
        String value() {
            return source.substring(start, end);
        }

        /**
         * Whether this signature is {@code expected} (ASCII: an encoded MAC), in time that depends only on the
         * lengths.
         *
         * @param foldHex whether upper-case hex digits in the signature count as lower-case ones
         */
        boolean matches(byte[] expected, boolean foldHex) {
            return Codec.constantTimeEquals(expected, source, start, end, foldHex);
        }
    }
}
