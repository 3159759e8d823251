package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * HubSpot, signature v3: {@code X-HubSpot-Signature-v3}, base64 HMAC-SHA256 with the app's client secret (UTF-8) over
 * the method, the request URI, the body and {@code X-HubSpot-Request-Timestamp} (milliseconds), concatenated. The URI
 * is the full URL HubSpot called, query included, with the characters HubSpot's documentation lists ({@code %3A :},
 * {@code %2F /}, {@code %3F ?}, {@code %40 @}, {@code %21 !}, {@code %24 $}, {@code %27 '}, {@code %28 (}, {@code
 * %29 )}, {@code %2A *}, {@code %2C ,}, {@code %3B ;}) decoded; a signature over the URL exactly as received is also
 * accepted. The URL is the request's (rebuilt behind proxies trusted with {@link #trustedProxies(String...)}) or the
 * one given to {@link #webhookUrl(String)}. The timestamp must be within the verifier's tolerance both ways (HubSpot's
 * SDKs check only that it is at most five minutes old). The event type is the first event's {@code subscriptionType}
 * (HubSpot sends a batch as a JSON array); there is no delivery id, so a retry is recognised by its signature only if
 * HubSpot signs it at the same time. The v1 and v2 signatures HubSpot also sends (a plain SHA-256 of the secret and the
 * request) are not checked. Immutable and thread-safe.
 *
 * @see <a href="https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation">
 *     HubSpot: validating requests</a>
 */
public final class HubSpotScheme extends Scheme {
    private static final String SIGNATURE = "X-HubSpot-Signature-v3";
    private static final String SIGNATURE_KEY = HeaderValues.lookup(SIGNATURE);
    private static final String TIMESTAMP = "X-HubSpot-Request-Timestamp";
    private static final String TIMESTAMP_KEY = HeaderValues.lookup(TIMESTAMP);
    /** The method travels as the template's {@code {id}}: the signed content is method + URI + body + timestamp. */
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{id}{url}{body}{timestamp}");
    /** What HubSpot's documentation decodes in the URI before signing, as pairs of (encoded, decoded). */
    private static final String[] DECODED = {
        "%3A", ":", "%2F", "/", "%3F", "?", "%40", "@", "%21", "!", "%24", "$", "%27", "'", "%28", "(", "%29", ")",
        "%2A", "*", "%2C", ",", "%3B", ";"
    };

    private final String webhookUrl;
    private final PublicUrl publicUrl;

    HubSpotScheme(String webhookUrl, PublicUrl publicUrl) {
        this.webhookUrl = webhookUrl;
        this.publicUrl = publicUrl;
    }

    @Override
    public String id() {
        return "hubspot";
    }

    /**
     * This scheme with the target URL configured at HubSpot, used instead of the request's URL.
     *
     * @param url the URL exactly as configured in the app's webhook settings
     * @return a new scheme; this one is unchanged
     * @throws NullPointerException if url is null
     * @throws IllegalArgumentException if url is not an absolute http or https URL (the message echoes it)
     * @throws IllegalStateException if a webhook URL or trusted proxies are already set
     */
    public HubSpotScheme webhookUrl(String url) {
        Objects.requireNonNull(url, "url cannot be null");
        if (webhookUrl != null || publicUrl != PublicUrl.DIRECT) {
            throw new IllegalStateException("webhookUrl conflicts with a webhookUrl or trustedProxies already set");
        }
        if (!(url.startsWith("https://") || url.startsWith("http://"))
                || url.strip().length() != url.length()) {
            throw new IllegalArgumentException("webhookUrl must be an absolute http(s) URL but was " + url);
        }
        return new HubSpotScheme(url, PublicUrl.DIRECT);
    }

    /**
     * This scheme for an endpoint behind reverse proxies: see {@link TwilioScheme#trustedProxies(String...)}.
     *
     * @param cidrs proxy addresses or ranges
     * @return a new scheme; this one is unchanged
     * @throws IllegalArgumentException if none is given or one is not an IP address or range
     * @throws IllegalStateException if a webhook URL or trusted proxies are already set
     */
    public HubSpotScheme trustedProxies(String... cidrs) {
        Objects.requireNonNull(cidrs, "cidrs cannot be null");
        if (webhookUrl != null || publicUrl != PublicUrl.DIRECT) {
            throw new IllegalStateException("trustedProxies conflicts with a webhookUrl or trustedProxies already set");
        }
        return new HubSpotScheme(null, PublicUrl.trusting(cidrs));
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/0/subscriptionType");
    }

    @Override
    boolean signsUrl() {
        return webhookUrl == null;
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
        return webhookUrl != null ? webhookUrl : publicUrl.of(request);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        Headers headers = request.headers();
        String value = HeaderValues.required(headers, SIGNATURE_KEY, SIGNATURE);
        String timestampText = HeaderValues.required(headers, TIMESTAMP_KEY, TIMESTAMP);
        Instant timestamp = HeaderValues.timestamp(timestampText, TIMESTAMP, true);
        if (url(request) == null) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER,
                    "scheme hubspot signs the request URI: configure it, or give the request its URL");
        }
        return new Parsed(
                SIGNATURE,
                null,
                timestampText,
                timestamp,
                null,
                List.of(new OfferedSignature(null, value, 0, value.length())));
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        CONTENT.write(sink, request.method(), parsed.timestampText, request.bodyBytes(), decoded(url(request)));
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        String url = url(request);
        String decoded = decoded(url);
        if (matches(key, parsed, request, decoded)) {
            return true;
        }
        return !decoded.equals(url) && matches(key, parsed, request, url);
    }

    private static boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request, String uri) {
        byte[] mac = ((KeyMaterial.Hmac) key)
                .mac(HmacAlgorithm.SHA256, CONTENT, request.method(), parsed.timestampText, request.bodyBytes(), uri);
        return parsed.candidates.get(0).matches(Codec.base64(mac), false);
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String url = webhookUrl != null
                ? webhookUrl
                : message.url()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "scheme hubspot signs the request URI: give the message a url"));
        String timestampText = Long.toString(timestamp.toEpochMilli());
        byte[] mac = ((KeyMaterial.Hmac) key)
                .mac(HmacAlgorithm.SHA256, CONTENT, "POST", timestampText, message.bodyBytes(), decoded(url));
        return Headers.builder()
                .add(TIMESTAMP, timestampText)
                .add(SIGNATURE, new String(Codec.base64(mac), StandardCharsets.US_ASCII))
                .build();
    }

    /** The URI with the characters HubSpot lists decoded (either case of hex digits); everything else as it is. */
    static String decoded(String url) {
        if (url.indexOf('%') < 0) {
            return url;
        }
        StringBuilder out = new StringBuilder(url.length());
        int i = 0;
        outer:
        while (i < url.length()) {
            if (url.charAt(i) == '%' && i + 3 <= url.length()) {
                String escape = url.substring(i, i + 3);
                for (int j = 0; j < DECODED.length; j += 2) {
                    if (DECODED[j].equalsIgnoreCase(escape)) {
                        out.append(DECODED[j + 1]);
                        i += 3;
                        continue outer;
                    }
                }
            }
            out.append(url.charAt(i));
            i++;
        }
        return out.toString();
    }
}
