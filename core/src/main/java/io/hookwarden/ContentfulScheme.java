package io.hookwarden;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Contentful request verification ({@code verifyRequest} in contentful/node-apps-toolkit): {@code
 * x-contentful-signature} is the hex HMAC-SHA256, keyed with the signing secret (UTF-8), of the canonical request:
 *
 * <pre>
 * method \n path \n name:value;name:value... \n body
 * </pre>
 *
 * where the path is the request's path and query, normalised as the toolkit does ({@code querystring.escape} of the
 * query, then {@code encodeURI} of the whole), and the headers are those named in {@code x-contentful-signed-headers}
 * (lower-case names, values trimmed) that the request carries, with {@code x-contentful-timestamp} (milliseconds)
 * and {@code x-contentful-signed-headers} always among them, sorted by name; the signed-headers value is the sorted
 * names joined by commas. The timestamp is checked both ways by the verifier's window (the toolkit's default TTL is 30
 * seconds, past only). The event type is {@code x-contentful-topic}; no id: the default dedupe key is the signature.
 * Immutable and thread-safe.
 */
final class ContentfulScheme extends Scheme {
    static final String SIGNATURE = "x-contentful-signature";
    static final String SIGNED_HEADERS = "x-contentful-signed-headers";
    static final String TIMESTAMP = "x-contentful-timestamp";
    static final String TOPIC = "x-contentful-topic";
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{body}");
    /** Fewer names than any real request has headers, so a hostile list costs bounded work. */
    private static final int MAX_SIGNED_HEADERS = 64;
    /** The toolkit's TimestampValidator: only dates after 2020-01-01. */
    private static final long MIN_TIMESTAMP_MILLIS = 1_577_836_800_000L;

    @Override
    public String id() {
        return "contentful";
    }

    @Override
    boolean signsUrl() {
        return true;
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return utf8HmacKey(label, secret, 8, HmacAlgorithm.SHA256);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    /**
     * The candidate's source is the canonical request without its body, followed by the signature, which starts at
     * {@code start}.
     */
    @Override
    Parsed parse(WebhookRequest request) {
        Headers headers = request.headers();
        String signature = HeaderValues.required(headers, SIGNATURE, SIGNATURE).strip();
        String list =
                HeaderValues.required(headers, SIGNED_HEADERS, SIGNED_HEADERS).strip();
        String timestampText =
                HeaderValues.required(headers, TIMESTAMP, TIMESTAMP).strip();
        Instant timestamp = HeaderValues.timestamp(timestampText, TIMESTAMP, true);
        if (timestamp.toEpochMilli() <= MIN_TIMESTAMP_MILLIS) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "timestamp in header " + TIMESTAMP + " is before 2020");
        }
        if (signature.length() != 64) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + SIGNATURE + " is not 64 hex digits");
        }
        String[] names = list.split(",", -1);
        if (names.length < 2 || names.length > MAX_SIGNED_HEADERS) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER,
                    "header " + SIGNED_HEADERS + " names fewer than 2 or more than " + MAX_SIGNED_HEADERS + " headers");
        }
        String url = request.url()
                .orElseThrow(() -> new WebhookVerificationException(
                        Reason.MALFORMED_HEADER, "scheme contentful signs the request path, which is unknown"));
        TreeMap<String, String> signed = new TreeMap<>();
        for (String name : names) {
            // the toolkit matches the listed names against lower-cased header names, exactly
            if (name.equals(TIMESTAMP)
                    || name.equals(SIGNED_HEADERS)
                    || name.isEmpty()
                    || !name.equals(name.toLowerCase(Locale.ROOT).strip())
                    || signed.containsKey(name)) {
                continue;
            }
            String value = HeaderValues.optional(headers, name, name);
            if (value != null) {
                signed.put(name, value.strip());
            }
        }
        signed.put(TIMESTAMP, Long.toString(timestamp.toEpochMilli()));
        signed.put(SIGNED_HEADERS, "");
        signed.put(SIGNED_HEADERS, String.join(",", signed.keySet()));
        String canonical = canonical(request.method(), path(url), signed);
        String eventType = headers.first(TOPIC).orElse(null);
        return new Parsed(
                SIGNATURE,
                null,
                timestampText,
                timestamp,
                eventType,
                List.of(new OfferedSignature(
                        null, canonical + signature, canonical.length(), canonical.length() + signature.length())));
    }

    /** {@code method \n path \n name:value;... \n}, before the body. */
    private static String canonical(String method, String path, TreeMap<String, String> headers) {
        StringBuilder out = new StringBuilder(method).append('\n').append(path).append('\n');
        boolean first = true;
        for (var header : headers.entrySet()) {
            if (!first) {
                out.append(';');
            }
            first = false;
            out.append(header.getKey()).append(':').append(header.getValue());
        }
        return out.append('\n').toString();
    }

    /**
     * The toolkit's {@code getNormalizedEncodedURI} of the URL's path and query: the text between the first and a
     * second {@code ?} escaped as by {@code querystring.escape}, then the whole as by {@code encodeURI}.
     */
    static String path(String url) {
        int scheme = url.indexOf("://");
        int pathStart = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
        if (pathStart < 0) {
            return "/";
        }
        int hash = url.indexOf('#', pathStart);
        String uri = url.substring(pathStart, hash < 0 ? url.length() : hash);
        int q = uri.indexOf('?');
        if (q < 0) {
            return encode(uri, "-_.!~*'();,/?:@&=+$#");
        }
        int q2 = uri.indexOf('?', q + 1);
        String search = uri.substring(q + 1, q2 < 0 ? uri.length() : q2);
        String escaped = encode(search, "-_.!~*'()");
        String pathname = uri.substring(0, q);
        return encode(escaped.isEmpty() ? pathname : pathname + "?" + escaped, "-_.!~*'();,/?:@&=+$#");
    }

    /** Percent-encodes the UTF-8 bytes of every character but ASCII letters, digits and {@code unreserved}. */
    private static String encode(String text, String unreserved) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || (c < 0x80 && unreserved.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

    private static byte[] content(Parsed parsed, WebhookRequest request) {
        OfferedSignature c = parsed.candidates.get(0);
        byte[] head = Codec.utf8(c.source().substring(0, c.start()));
        byte[] body = request.bodyBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + body.length);
        out.writeBytes(head);
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        sink.update(content(parsed, request));
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        byte[] expected = Codec.hex(((KeyMaterial.Hmac) key)
                .mac(HmacAlgorithm.SHA256, CONTENT, null, null, content(parsed, request), null));
        return parsed.candidates.get(0).matches(expected, true);
    }

    /**
     * Signs as Contentful does for a POST to the message's URL: the timestamp and signed-headers headers, plus the
     * topic (the message's event type) when it has one, all signed.
     */
    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String url = message.url()
                .orElseThrow(() ->
                        new IllegalArgumentException("scheme contentful signs the URL's path: give the message a url"));
        TreeMap<String, String> signed = new TreeMap<>();
        message.eventType().ifPresent(type -> signed.put(TOPIC, type));
        signed.put(TIMESTAMP, Long.toString(timestamp.toEpochMilli()));
        signed.put(SIGNED_HEADERS, "");
        signed.put(SIGNED_HEADERS, String.join(",", signed.keySet()));
        byte[] head = Codec.utf8(canonical("POST", path(url), signed));
        byte[] body = message.bodyBytes();
        ByteArrayOutputStream content = new ByteArrayOutputStream(head.length + body.length);
        content.writeBytes(head);
        content.writeBytes(body);
        byte[] mac =
                ((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA256, CONTENT, null, null, content.toByteArray(), null);
        Headers.Builder out = Headers.builder();
        List<String> order = new ArrayList<>(signed.keySet());
        for (String name : order) {
            out.add(name, signed.get(name));
        }
        return out.add(SIGNATURE, new String(Codec.hex(mac), StandardCharsets.US_ASCII))
                .build();
    }
}
