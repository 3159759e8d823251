package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Square: {@code x-square-hmacsha256-signature}, base64 HMAC-SHA256 with the subscription's signature key (UTF-8)
 * over the notification URL followed by the body. The notification URL is the one configured at Square: give it with
 * {@link #notificationUrl(String)}, or let the request's URL stand for it (rebuilt from forwarding headers when the
 * request comes from a proxy trusted with {@link #trustedProxies(String...)}). Square signs no timestamp; the event id
 * and type are in the body ({@code /event_id}, {@code /type}). Immutable and thread-safe.
 */
public final class SquareScheme extends Scheme {
    private static final String HEADER = "x-square-hmacsha256-signature";
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{url}{body}");

    private final String notificationUrl;
    private final PublicUrl publicUrl;

    SquareScheme(String notificationUrl, PublicUrl publicUrl) {
        this.notificationUrl = notificationUrl;
        this.publicUrl = publicUrl;
    }

    @Override
    public String id() {
        return "square";
    }

    /**
     * This scheme with the notification URL configured at Square, used instead of the request's URL.
     *
     * @param url the URL exactly as configured in the Square dashboard
     * @return a new scheme; this one is unchanged
     * @throws NullPointerException if url is null
     * @throws IllegalArgumentException if url is not an absolute http or https URL (the message echoes it)
     * @throws IllegalStateException if a notification URL or trusted proxies are already set
     */
    public SquareScheme notificationUrl(String url) {
        Objects.requireNonNull(url, "url cannot be null");
        if (notificationUrl != null || publicUrl != PublicUrl.DIRECT) {
            throw new IllegalStateException(
                    "notificationUrl conflicts with a notificationUrl or trustedProxies already" + " set");
        }
        if (!(url.startsWith("https://") || url.startsWith("http://"))
                || url.strip().length() != url.length()) {
            throw new IllegalArgumentException("notificationUrl must be an absolute http(s) URL but was " + url);
        }
        return new SquareScheme(url, PublicUrl.DIRECT);
    }

    /**
     * This scheme for an endpoint behind reverse proxies: see {@link TwilioScheme#trustedProxies(String...)}.
     *
     * @param cidrs proxy addresses or ranges
     * @return a new scheme; this one is unchanged
     * @throws IllegalArgumentException if none is given or one is not an IP address or range
     * @throws IllegalStateException if a notification URL or trusted proxies are already set
     */
    public SquareScheme trustedProxies(String... cidrs) {
        Objects.requireNonNull(cidrs, "cidrs cannot be null");
        if (notificationUrl != null || publicUrl != PublicUrl.DIRECT) {
            throw new IllegalStateException(
                    "trustedProxies conflicts with a notificationUrl or trustedProxies already" + " set");
        }
        return new SquareScheme(null, PublicUrl.trusting(cidrs));
    }

    @Override
    String idPointer() {
        return "/event_id";
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/type");
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return utf8HmacKey(label, secret, 8, HmacAlgorithm.SHA256);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    private String url(WebhookRequest request) {
        return notificationUrl != null ? notificationUrl : publicUrl.of(request);
    }

    /** Square signs the notification URL: the request's own, query included, unless one is configured. */
    @Override
    boolean signsUrl() {
        return notificationUrl == null;
    }

    @Override
    Parsed parse(WebhookRequest request) {
        String value = HeaderValues.required(request.headers(), HEADER, HEADER);
        if (url(request) == null) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER,
                    "scheme square signs the notification URL: configure it, or give the request its URL");
        }
        return new Parsed(
                HEADER, null, null, null, null, List.of(new OfferedSignature(null, value, 0, value.length())));
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        CONTENT.write(sink, null, null, request.bodyBytes(), url(request));
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        byte[] mac = ((KeyMaterial.Hmac) key)
                .mac(HmacAlgorithm.SHA256, CONTENT, null, null, request.bodyBytes(), url(request));
        return parsed.candidates.get(0).matches(Codec.base64(mac), false);
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String url = notificationUrl != null
                ? notificationUrl
                : message.url()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "scheme square signs the notification URL: give the message a url"));
        byte[] mac = ((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA256, CONTENT, null, null, message.bodyBytes(), url);
        return Headers.builder()
                .add(HEADER, new String(Codec.base64(mac), StandardCharsets.US_ASCII))
                .build();
    }
}
