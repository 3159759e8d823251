package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Twilio: {@code X-Twilio-Signature}, base64 HMAC-SHA1 with the account's auth token (UTF-8) over the full URL Twilio
 * requested followed by the form parameters of the body, sorted by name, each name followed by its values (a name
 * given several times: its values sorted, duplicates once). A body that is not a form (JSON) is signed through the
 * URL instead: Twilio adds {@code bodySHA256} = hex SHA-256 of the body to the URL and signs the URL alone.
 *
 * <p>The URL must be the one Twilio requested, so the verifier tries it as received, with the port toggled (the
 * scheme's default port added when absent, any port removed when present, as Twilio's libraries do), and in WHATWG
 * normal form ({@code '} in the query as {@code %27}, lower-case host, {@code /} for an empty path). Behind a reverse
 * proxy, configure its address with {@link #trustedProxies(String...)}: the URL is then rebuilt from {@code Forwarded}
 * or {@code X-Forwarded-Proto/Host/Port} when, and only when, the request comes from one of them.
 *
 * <p>Twilio signs no timestamp and sends no signed id; a retry carries the same signature, which is the dedupe key.
 * The signature covers the decoded parameters, not the body's bytes. Immutable and thread-safe.
 */
public final class TwilioScheme extends Scheme {
    private static final String HEADER = "X-Twilio-Signature";
    private static final String HEADER_KEY = HeaderValues.lookup(HEADER);
    private static final String BODY_SHA256 = "bodySHA256";
    private static final ContentTemplate PLAIN = ContentTemplate.parse("{body}");

    private final PublicUrl publicUrl;
    private final int minSecretBytes;

    TwilioScheme(PublicUrl publicUrl, int minSecretBytes) {
        this.publicUrl = publicUrl;
        this.minSecretBytes = minSecretBytes;
    }

    @Override
    public String id() {
        return "twilio";
    }

    /**
     * This scheme for an endpoint behind reverse proxies: when a request's remote address is one of {@code cidrs},
     * the signed URL is rebuilt from its {@code Forwarded} header (or {@code X-Forwarded-Proto}, {@code -Host},
     * {@code -Port}); from any other address those headers are ignored. Needs an adapter that sets {@link
     * WebhookRequest#remoteAddress()}.
     *
     * @param cidrs proxy addresses or ranges, such as {@code 10.0.0.0/8} or {@code fd00::/8}
     * @return a new scheme; this one is unchanged
     * @throws NullPointerException if cidrs or one of them is null
     * @throws IllegalArgumentException if none is given or one is not an IP address or range (the message echoes it)
     * @throws IllegalStateException if this scheme already has trusted proxies
     */
    public TwilioScheme trustedProxies(String... cidrs) {
        Objects.requireNonNull(cidrs, "cidrs cannot be null");
        if (publicUrl != PublicUrl.DIRECT) {
            throw new IllegalStateException("trustedProxies was already set to " + publicUrl);
        }
        return new TwilioScheme(PublicUrl.trusting(cidrs), minSecretBytes);
    }

    @Override
    public String toString() {
        return publicUrl == PublicUrl.DIRECT ? super.toString() : "Scheme[twilio, trusted " + publicUrl + "]";
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return utf8HmacKey(label, secret, minSecretBytes, HmacAlgorithm.SHA1);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        String value = HeaderValues.required(request.headers(), HEADER_KEY, HEADER);
        if (publicUrl.of(request) == null) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "scheme twilio signs the request URL, which is unknown");
        }
        return new Parsed(
                HEADER, null, null, null, null, List.of(new OfferedSignature(null, value, 0, value.length())));
    }

    @Override
    boolean receivesGet() {
        return true;
    }

    /** Twilio signs the full URL, query included. */
    @Override
    boolean signsUrl() {
        return true;
    }

    /**
     * The URL as Twilio's own libraries serialise it ({@link #normalized}: every spelling {@link #matches} accepts,
     * with or without the default port, comes to the same) and the sorted form parameters, or the URL alone when it
     * carries {@code bodySHA256}: what the signature covers, in one canonical form.
     */
    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        String url = publicUrl.of(request);
        boolean hashed = FormBody.first(orEmpty(FormBody.query(url)), BODY_SHA256) != null;
        sink.update(Codec.utf8(normalized(url)));
        if (!hashed) {
            sink.update(Codec.utf8(sortedParams(request.bodyBytes())));
        }
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        String url = publicUrl.of(request);
        byte[] body = request.bodyBytes();
        String bodyHash = FormBody.first(orEmpty(FormBody.query(url)), BODY_SHA256);
        String params;
        if (bodyHash != null) {
            // Twilio: a JSON body is signed through bodySHA256 in the URL; only the URL is signed.
            if (!bodyHash.equalsIgnoreCase(sha256Hex(body))) {
                return false;
            }
            params = "";
        } else {
            params = sortedParams(body);
        }
        OfferedSignature candidate = parsed.candidates.get(0);
        for (String candidateUrl : urls(url)) {
            byte[] mac = ((KeyMaterial.Hmac) key)
                    .mac(HmacAlgorithm.SHA1, PLAIN, null, null, Codec.utf8(candidateUrl + params), null);
            if (candidate.matches(Codec.base64(mac), false)) {
                return true;
            }
        }
        return false;
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String url = message.url()
                .orElseThrow(() -> new IllegalArgumentException("scheme twilio signs the URL: give the message a url"));
        byte[] body = message.bodyBytes();
        String bodyHash = FormBody.first(orEmpty(FormBody.query(url)), BODY_SHA256);
        String params;
        if (bodyHash != null) {
            if (!bodyHash.equalsIgnoreCase(sha256Hex(body))) {
                throw new IllegalArgumentException("the url's bodySHA256 is not the SHA-256 of the body");
            }
            params = "";
        } else if (FormBody.looksLikeForm(body)) {
            params = sortedParams(body);
        } else {
            throw new IllegalArgumentException("scheme twilio signs a body that is not a form through bodySHA256 in"
                    + " the url: sign the whole request, or give a url with bodySHA256");
        }
        byte[] mac =
                ((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA1, PLAIN, null, null, Codec.utf8(url + params), null);
        return Headers.builder()
                .add(HEADER, new String(Codec.base64(mac), StandardCharsets.US_ASCII))
                .build();
    }

    /** A form body is sent as a form; any other body as JSON, with {@code bodySHA256} added to the URL. */
    @Override
    WebhookRequest signedRequest(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String url = message.url()
                .orElseThrow(() -> new IllegalArgumentException("scheme twilio signs the URL: give the message a url"));
        byte[] body = message.bodyBytes();
        boolean hashed = FormBody.first(orEmpty(FormBody.query(url)), BODY_SHA256) != null;
        boolean form = !hashed && FormBody.looksLikeForm(body);
        if (!form && !hashed) {
            int hash = url.indexOf('#');
            String base = hash < 0 ? url : url.substring(0, hash);
            url = base + (base.indexOf('?') < 0 ? "?" : "&") + BODY_SHA256 + "=" + sha256Hex(body);
        }
        WebhookMessage.Builder signed = WebhookMessage.body(body).url(url).timestamp(timestamp);
        message.id().ifPresent(signed::id);
        message.eventType().ifPresent(signed::eventType);
        return WebhookRequest.builder()
                .url(url)
                .headers(sign(key, signed.build(), timestamp))
                .header("Content-Type", form ? "application/x-www-form-urlencoded" : "application/json")
                .body(body)
                .build();
    }

    /** The URL as received, port toggled, and both again in WHATWG normal form; each once. */
    static List<String> urls(String url) {
        Set<String> out = new LinkedHashSet<>(4);
        addWithToggle(out, url);
        addWithToggle(out, normalized(url));
        return new ArrayList<>(out);
    }

    private static void addWithToggle(Set<String> out, String url) {
        out.add(url);
        PublicUrl.Parts parts = PublicUrl.Parts.of(url);
        String toggled = parts == null ? null : parts.portToggled();
        if (toggled != null) {
            out.add(toggled);
        }
    }

    /**
     * The URL as a WHATWG URL parser serialises it (what twilio-node signs): scheme and host in lower case, the
     * default port dropped, {@code /} for an empty path, and characters outside the path and query sets
     * percent-encoded as UTF-8 ({@code '} in the query of http and https URLs, among others).
     */
    static String normalized(String url) {
        PublicUrl.Parts parts = PublicUrl.Parts.of(url);
        if (parts == null) {
            return url;
        }
        String authority = parts.authority();
        int at = authority.lastIndexOf('@');
        String host = authority.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
        authority = authority.substring(0, at + 1) + host;
        if (parts.port() == parts.defaultPort() && parts.port() >= 0) {
            authority = PublicUrl.Parts.withoutPort(authority);
        }
        String rest = parts.rest();
        int hash = rest.indexOf('#');
        String fragment = hash < 0 ? "" : rest.substring(hash);
        String beforeFragment = hash < 0 ? rest : rest.substring(0, hash);
        int q = beforeFragment.indexOf('?');
        String path = q < 0 ? beforeFragment : beforeFragment.substring(0, q);
        String query = q < 0 ? null : beforeFragment.substring(q + 1);
        if (path.isEmpty()) {
            path = "/";
        }
        StringBuilder out = new StringBuilder(url.length() + 8)
                .append(parts.scheme())
                .append("://")
                .append(authority);
        percentEncode(out, path, "\"<>`{} ");
        if (query != null) {
            out.append('?');
            percentEncode(out, query, "\"<>' ");
        }
        return out.append(fragment).toString();
    }

    private static void percentEncode(StringBuilder out, String s, String extra) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || extra.indexOf(c) >= 0) {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append((char) c);
            }
        }
    }

    /** The form parameters of {@code body}, sorted by name, each followed by its sorted distinct values. */
    static String sortedParams(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        Map<String, Set<String>> byName = new TreeMap<>();
        for (Map.Entry<String, String> pair : FormBody.parse(body)) {
            byName.computeIfAbsent(pair.getKey(), k -> new TreeSet<>()).add(pair.getValue());
        }
        StringBuilder out = new StringBuilder(body.length);
        byName.forEach(
                (name, values) -> values.forEach(value -> out.append(name).append(value)));
        return out.toString();
    }

    static String sha256Hex(byte[] body) {
        return new String(Codec.hex(Codec.sha256().digest(body)), StandardCharsets.US_ASCII);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
