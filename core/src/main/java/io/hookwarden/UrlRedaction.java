package io.hookwarden;

import java.util.List;
import java.util.Map;

/**
 * Hides credentials in a request URL before it leaves the verifier: the value of a query parameter that carries a token
 * ({@link TokenScheme}), or every query value where the URL is only described ({@link WebhookRequest#toString()}).
 * The rest of the URL is kept as it was, byte for byte.
 */
final class UrlRedaction {
    /** What a hidden value is replaced with. */
    static final String MASK = "***";

    private UrlRedaction() {}

    /**
     * {@code url} with the value of every occurrence of the query parameter {@code name} (compared after decoding)
     * replaced by {@value #MASK}; the same string when the parameter is absent.
     */
    static String maskParameter(String url, String name) {
        return mask(url, name);
    }

    /** {@code url} with every query value replaced by {@value #MASK}, for descriptions ({@code toString}). */
    static String maskQuery(String url) {
        return mask(url, null);
    }

    private static String mask(String url, String only) {
        if (url == null) {
            return null;
        }
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        int hash = url.indexOf('#', q);
        int end = hash < 0 ? url.length() : hash;
        StringBuilder out = new StringBuilder(url.length()).append(url, 0, q + 1);
        boolean changed = false;
        int start = q + 1;
        while (start <= end) {
            int amp = url.indexOf('&', start);
            int segmentEnd = amp < 0 || amp > end ? end : amp;
            String segment = url.substring(start, segmentEnd);
            if (matches(segment, only)) {
                int eq = segment.indexOf('=');
                out.append(eq < 0 ? segment : segment.substring(0, eq))
                        .append('=')
                        .append(MASK);
                changed = true;
            } else {
                out.append(segment);
            }
            if (segmentEnd < end) {
                out.append('&');
            }
            start = segmentEnd + 1;
        }
        out.append(url, end, url.length());
        return changed ? out.toString() : url;
    }

    private static boolean matches(String segment, String only) {
        if (segment.isEmpty()) {
            return false;
        }
        if (only == null) {
            return true;
        }
        List<Map.Entry<String, String>> pair = FormBody.parse(segment);
        return !pair.isEmpty() && pair.get(0).getKey().equals(only);
    }
}
