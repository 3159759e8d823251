package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stripe: {@code Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>...][,v0=...]}, HMAC-SHA256 over {@code t.body} with
 * the {@code whsec_...} secret's UTF-8 bytes as they are (Stripe does not decode it). Every {@code v1} entry is tried;
 * {@code v0} and unknown entries are ignored. Stripe's libraries check only the age of {@code t}; this scheme also
 * refuses a {@code t} further ahead than the tolerance, as every timestamped scheme here does. The event id and type are in the body ({@code /id}, {@code /type}).
 */
final class StripeScheme extends Scheme {
    private static final String HEADER = "Stripe-Signature";
    private static final String HEADER_KEY = Text.lookup(HEADER);
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{timestamp}.{body}");

    @Override
    public String id() {
        return "stripe";
    }

    /** Stripe sends JSON events only. */
    @Override
    PayloadFormat defaultFormat() {
        return PayloadFormat.JSON;
    }

    @Override
    String idPointer() {
        return "/id";
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

    @Override
    Parsed parse(WebhookRequest request) {
        String value = Text.required(request.headers(), HEADER_KEY, HEADER);
        String timestampText = null;
        List<Candidate> candidates = new ArrayList<>(2);
        int length = value.length();
        int start = 0;
        while (start <= length) {
            int end = value.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            // Stripe: comma-separated key=value items; items without '=' are skipped, as Stripe's libraries do.
            int eq = value.indexOf('=', start);
            if (eq > start && eq < end) {
                int keyStart = skipBlanks(value, start, eq);
                int keyEnd = trimBlanks(value, keyStart, eq);
                int itemStart = skipBlanks(value, eq + 1, end);
                int itemEnd = trimBlanks(value, itemStart, end);
                if (keyEnd - keyStart == 1 && value.charAt(keyStart) == 't') {
                    if (timestampText != null) {
                        throw new WebhookVerificationException(
                                Reason.MALFORMED_HEADER, "header " + HEADER + " has more than one t=");
                    }
                    timestampText = value.substring(itemStart, itemEnd);
                } else if (keyEnd - keyStart == 2 && value.startsWith("v1", keyStart) && itemEnd > itemStart) {
                    candidates.add(new Candidate("v1", value, itemStart, itemEnd));
                }
            }
            start = end + 1;
        }
        if (timestampText == null) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + HEADER + " has no t= timestamp");
        }
        Instant timestamp = Text.timestamp(timestampText, HEADER, false);
        if (candidates.isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + HEADER + " has no v1= signature");
        }
        return new Parsed(HEADER, null, timestampText, timestamp, null, candidates);
    }

    private static int skipBlanks(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimBlanks(String s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        CONTENT.write(sink, parsed.id, parsed.timestampText, request.bodyBytes(), null);
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        return matchesHexSha256(key, CONTENT, parsed, request);
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String t = Long.toString(timestamp.getEpochSecond());
        byte[] mac = ((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA256, CONTENT, null, t, message.bodyBytes(), null);
        return Headers.builder()
                .add(HEADER, "t=" + t + ",v1=" + new String(Text.hex(mac), StandardCharsets.US_ASCII))
                .build();
    }
}
