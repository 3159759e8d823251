package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Trello: {@code X-Trello-Webhook}, base64 HMAC-SHA1 with the application's secret (UTF-8) over the body followed by
 * the callback URL exactly as it was given when the webhook was created. Give that URL with {@link
 * #callbackUrl(String)}, or let the request's URL stand for it (rebuilt from forwarding headers when the request comes
 * from a proxy trusted with {@link #trustedProxies(String...)}, as {@link SquareScheme} does). No timestamp; the
 * action's id and type are in the body ({@code /action/id}, {@code /action/type}). Answers the {@code HEAD} request
 * Trello sends to a callback URL before it creates a webhook with 200.
 *
 * <p>Trello's documentation says its signer treats the content as a "binary" string, not UTF-8: each UTF-16 unit of
 * the text counts as its low 8 bits (an en dash, U+2013, is the byte 0x13). This scheme signs that way and verifies a
 * signature over either that form or the exact UTF-8 bytes (should Trello sign those), so a body with characters
 * beyond ASCII verifies as Trello signed it; for ASCII bodies, the usual case, both are the body's bytes. The price of
 * the "binary" form is Trello's: characters with the same low byte (U+2013 and U+3013) sign alike, so such a signature
 * does not tell them apart, and the body's bytes are no longer all covered. A body that is not valid UTF-8 is signed
 * as its bytes. Immutable and thread-safe.
 *
 * @see <a href="https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures">Trello:
 *     webhook signatures</a>
 */
public final class TrelloScheme extends Scheme {
    private static final String HEADER = "X-Trello-Webhook";
    private static final String HEADER_KEY = HeaderValues.lookup(HEADER);
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{body}");

    private final String callbackUrl;
    private final PublicUrl publicUrl;

    TrelloScheme(String callbackUrl, PublicUrl publicUrl) {
        this.callbackUrl = callbackUrl;
        this.publicUrl = publicUrl;
    }

    @Override
    public String id() {
        return "trello";
    }

    /**
     * This scheme with the callback URL given to Trello when the webhook was created, used instead of the request's
     * URL.
     *
     * @param url the {@code callbackURL} exactly as given to Trello
     * @return a new scheme; this one is unchanged
     * @throws NullPointerException if url is null
     * @throws IllegalArgumentException if url is not an absolute http or https URL (the message echoes it)
     * @throws IllegalStateException if a callback URL or trusted proxies are already set
     */
    public TrelloScheme callbackUrl(String url) {
        Objects.requireNonNull(url, "url cannot be null");
        if (callbackUrl != null || publicUrl != PublicUrl.DIRECT) {
            throw new IllegalStateException("callbackUrl conflicts with a callbackUrl or trustedProxies already set");
        }
        if (!(url.startsWith("https://") || url.startsWith("http://"))
                || url.strip().length() != url.length()) {
            throw new IllegalArgumentException("callbackUrl must be an absolute http(s) URL but was " + url);
        }
        return new TrelloScheme(url, PublicUrl.DIRECT);
    }

    /**
     * This scheme for an endpoint behind reverse proxies: see {@link TwilioScheme#trustedProxies(String...)}.
     *
     * @param cidrs proxy addresses or ranges
     * @return a new scheme; this one is unchanged
     * @throws IllegalArgumentException if none is given or one is not an IP address or range
     * @throws IllegalStateException if a callback URL or trusted proxies are already set
     */
    public TrelloScheme trustedProxies(String... cidrs) {
        Objects.requireNonNull(cidrs, "cidrs cannot be null");
        if (callbackUrl != null || publicUrl != PublicUrl.DIRECT) {
            throw new IllegalStateException(
                    "trustedProxies conflicts with a callbackUrl or trustedProxies already set");
        }
        return new TrelloScheme(null, PublicUrl.trusting(cidrs));
    }

    @Override
    String idPointer() {
        return "/action/id";
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/action/type");
    }

    /** Trello signs the callback URL: the request's own, query included, unless one is configured. */
    @Override
    boolean signsUrl() {
        return callbackUrl == null;
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return utf8HmacKey(label, secret, 8, HmacAlgorithm.SHA1);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    /** Trello checks a callback URL with {@code HEAD} before it creates a webhook, and wants 200. */
    @Override
    HttpAnswer answerBeforeVerify(WebhookRequest request, List<KeyMaterial> keys) {
        return "HEAD".equals(request.method()) ? HttpAnswer.ok() : null;
    }

    private String url(WebhookRequest request) {
        return callbackUrl != null ? callbackUrl : publicUrl.of(request);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        String value = HeaderValues.required(request.headers(), HEADER_KEY, HEADER);
        if (url(request) == null) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER,
                    "scheme trello signs the callback URL: configure it, or give the request its URL");
        }
        return new Parsed(
                HEADER, null, null, null, null, List.of(new OfferedSignature(null, value, 0, value.length())));
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        CONTENT.write(sink, null, null, signedBytes(request.bodyBytes(), url(request)), null);
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        byte[] body = request.bodyBytes();
        String url = url(request);
        byte[] binary = signedBytes(body, url);
        KeyMaterial.Hmac hmac = (KeyMaterial.Hmac) key;
        OfferedSignature offered = parsed.candidates.get(0);
        if (offered.matches(Codec.base64(hmac.mac(HmacAlgorithm.SHA1, CONTENT, null, null, binary, null)), false)) {
            return true;
        }
        byte[] utf8 = utf8Bytes(body, url);
        return !java.util.Arrays.equals(utf8, binary)
                && offered.matches(Codec.base64(hmac.mac(HmacAlgorithm.SHA1, CONTENT, null, null, utf8, null)), false);
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String url = callbackUrl != null
                ? callbackUrl
                : message.url()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "scheme trello signs the callback URL: give the message a url"));
        byte[] mac = ((KeyMaterial.Hmac) key)
                .mac(HmacAlgorithm.SHA1, CONTENT, null, null, signedBytes(message.bodyBytes(), url), null);
        return Headers.builder()
                .add(HEADER, new String(Codec.base64(mac), StandardCharsets.US_ASCII))
                .build();
    }

    /**
     * The body followed by the URL as Trello's signer sees them: the text's UTF-16 units, each cut to its low 8 bits.
     * An ASCII body is its own bytes, copied once with the URL.
     */
    static byte[] signedBytes(byte[] body, String url) {
        String text = isAscii(body) ? null : strictUtf8(body);
        int bodyLength = text == null ? body.length : text.length();
        byte[] out = new byte[bodyLength + url.length()];
        if (text == null) {
            System.arraycopy(body, 0, out, 0, body.length);
        } else {
            for (int i = 0; i < bodyLength; i++) {
                out[i] = (byte) text.charAt(i);
            }
        }
        for (int i = 0; i < url.length(); i++) {
            out[bodyLength + i] = (byte) url.charAt(i);
        }
        return out;
    }

    /** The body's bytes followed by the URL's UTF-8 bytes: what a signer that hashes UTF-8 would cover. */
    private static byte[] utf8Bytes(byte[] body, String url) {
        byte[] u = url.getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(body, body.length + u.length);
        System.arraycopy(u, 0, out, body.length, u.length);
        return out;
    }

    /** The body as text, or null when it is not valid UTF-8 (then its bytes are signed as they are). */
    private static String strictUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
