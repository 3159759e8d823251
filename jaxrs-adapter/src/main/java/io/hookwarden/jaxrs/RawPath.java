package io.hookwarden.jaxrs;

/**
 * Whether the path of a request line, as sent, can be read as more than one path. JAX-RS matches a resource method on
 * the path after dropping matrix parameters and an optional trailing slash, and decoding escapes; a webhook endpoint
 * accepts only the one spelling that needs none of that, so a proxy or firewall in front that reads the raw path sees
 * the same endpoint as the application (issue 12).
 *
 * <p>Stateless and thread-safe.
 */
final class RawPath {
    private RawPath() {}

    /**
     * True when the raw path has a matrix parameter ({@code ;}), an empty segment ({@code //} or a trailing {@code /}),
     * a dot segment or a segment ending in a dot, a backslash, or a percent escape of a character that needs none
     * (letters, digits, {@code -._~}) or that changes the path's structure ({@code / \ ; %}). Escapes that are the only
     * spelling of their character (a space, a non-ASCII letter in a template parameter) are left alone.
     *
     * @param rawPath the path of the request URI, undecoded; null or empty is not ambiguous
     */
    static boolean isAmbiguous(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
            return false;
        }
        if (rawPath.indexOf(';') >= 0
                || rawPath.indexOf('\\') >= 0
                || rawPath.contains("//")
                || rawPath.endsWith("/")) {
            return true;
        }
        for (String segment : rawPath.split("/")) {
            if (segment.endsWith(".")) {
                return true;
            }
        }
        for (int i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 1)) {
            if (i + 2 >= rawPath.length()) {
                return true;
            }
            int hi = Character.digit(rawPath.charAt(i + 1), 16);
            int lo = Character.digit(rawPath.charAt(i + 2), 16);
            if (hi < 0 || lo < 0 || needsNoEscape((char) (hi * 16 + lo))) {
                return true;
            }
        }
        return false;
    }

    /** RFC 3986 section 2.3: unreserved characters are never escaped; and the ones that split or escape a path. */
    private static boolean needsNoEscape(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "-._~/\\;%".indexOf(c) >= 0;
    }
}
