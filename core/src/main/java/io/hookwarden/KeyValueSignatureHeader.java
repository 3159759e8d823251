package io.hookwarden;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code key=value} signature headers of Stripe ({@code t=..,v1=..}, comma-separated), Paddle ({@code
 * ts=..;h1=..}, semicolon-separated) and any {@link HmacScheme} configured with {@code signatureItems} (Mux, Calendly): one timestamp item and one or more signature items. Blanks (spaces and tabs)
 * around keys and values are ignored; items without {@code =}, and unknown keys (Stripe's {@code v0}), are skipped, as
 * the providers' libraries do; a second timestamp item is refused. Signatures are regions of the header value, not
 * copies.
 */
final class KeyValueSignatureHeader {
    private final String header;
    private final String headerKey;
    private final char separator;
    private final String timestampKey;
    private final String signatureKey;

    /**
     * @param header the header's name, for messages
     * @param separator between items
     * @param timestampKey the key of the timestamp item ({@code t}, {@code ts})
     * @param signatureKey the key of a signature item ({@code v1}, {@code h1}), also the candidates' version
     */
    KeyValueSignatureHeader(String header, char separator, String timestampKey, String signatureKey) {
        this.header = header;
        this.headerKey = HeaderValues.lookup(header);
        this.separator = separator;
        this.timestampKey = timestampKey;
        this.signatureKey = signatureKey;
    }

    /**
     * The timestamp and the signatures of the request's header.
     *
     * @throws WebhookVerificationException MISSING_HEADER, or MALFORMED_HEADER when there is no or more than one
     *     timestamp, no signature, or the timestamp is not a number of seconds
     */
    Scheme.Parsed parse(WebhookRequest request) {
        String value = HeaderValues.required(request.headers(), headerKey, header);
        String timestampText = null;
        List<Scheme.OfferedSignature> candidates = new ArrayList<>(2);
        int length = value.length();
        int start = 0;
        while (start <= length) {
            int end = value.indexOf(separator, start);
            if (end < 0) {
                end = length;
            }
            int eq = value.indexOf('=', start);
            if (eq > start && eq < end) {
                int keyStart = skipBlanks(value, start, eq);
                int keyEnd = trimBlanks(value, keyStart, eq);
                int itemStart = skipBlanks(value, eq + 1, end);
                int itemEnd = trimBlanks(value, itemStart, end);
                if (is(value, keyStart, keyEnd, timestampKey)) {
                    if (timestampText != null) {
                        throw new WebhookVerificationException(
                                Reason.MALFORMED_HEADER,
                                "header " + header + " has more than one " + timestampKey + "=");
                    }
                    timestampText = value.substring(itemStart, itemEnd);
                } else if (is(value, keyStart, keyEnd, signatureKey) && itemEnd > itemStart) {
                    candidates.add(new Scheme.OfferedSignature(signatureKey, value, itemStart, itemEnd));
                }
            }
            start = end + 1;
        }
        if (timestampText == null) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + header + " has no " + timestampKey + "= timestamp");
        }
        Instant timestamp = HeaderValues.timestamp(timestampText, header, false);
        if (candidates.isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + header + " has no " + signatureKey + "= signature");
        }
        return new Scheme.Parsed(header, null, timestampText, timestamp, null, candidates);
    }

    private static boolean is(String s, int from, int to, String key) {
        return to - from == key.length() && s.startsWith(key, from);
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
}
