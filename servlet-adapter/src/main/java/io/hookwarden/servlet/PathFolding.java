package io.hookwarden.servlet;

import java.util.ArrayDeque;
import java.util.Locale;

/**
 * A request path reduced to the segments it could mean under any reading a container or Spring MVC might apply: path
 * parameters dropped, percent escapes decoded (repeatedly), dot segments resolved, empty segments collapsed, trailing
 * dots and blanks dropped, case folded. Two spellings that fold alike may reach the same handler; the adapter refuses
 * such a spelling of an endpoint with {@code AMBIGUOUS_REQUEST} rather than guess which it means. One folding for
 * every servlet-based adapter: {@link HookwardenFilter} and the Spring adapter. Stateless.
 */
public final class PathFolding {
    private PathFolding() {}

    /** The folded path, always starting with '/'. */
    public static String fold(String path) {
        ArrayDeque<String> segments = new ArrayDeque<>();
        for (String segment : decode(path).split("/", -1)) {
            int params = segment.indexOf(';');
            String s = params >= 0 ? segment.substring(0, params) : segment;
            if (!s.equals("..")) {
                s = s.replaceAll("[. ]+$", ""); // "stripe." and "stripe " name "stripe" on some file systems
            }
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                segments.pollLast();
                continue;
            }
            segments.addLast(s.toLowerCase(Locale.ROOT));
        }
        return "/" + String.join("/", segments);
    }

    /**
     * Whether a raw path (as in the request line, within the application) has only one reading: no path parameter, no
     * percent escape, no backslash, no empty or dot segment, no trailing '/'.
     */
    public static boolean isPlain(String raw) {
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            return false;
        }
        if (raw.indexOf(';') >= 0 || raw.indexOf('%') >= 0 || raw.indexOf('\\') >= 0) {
            return false;
        }
        if (raw.length() > 1 && raw.endsWith("/")) {
            return false;
        }
        for (String segment : raw.substring(1).split("/", -1)) {
            if (raw.length() > 1 && (segment.isEmpty() || segment.equals(".") || segment.equals(".."))) {
                return false;
            }
        }
        return true;
    }

    /** Percent escapes decoded, up to three times (a double-encoded escape is one more reading); bad ones kept. */
    private static String decode(String path) {
        String current = path;
        for (int round = 0; round < 3 && current.indexOf('%') >= 0; round++) {
            StringBuilder out = new StringBuilder(current.length());
            for (int i = 0; i < current.length(); i++) {
                char c = current.charAt(i);
                if (c == '%' && i + 2 < current.length()) {
                    int hi = Character.digit(current.charAt(i + 1), 16);
                    int lo = Character.digit(current.charAt(i + 2), 16);
                    if (hi >= 0 && lo >= 0) {
                        out.append((char) (hi * 16 + lo));
                        i += 2;
                        continue;
                    }
                }
                out.append(c);
            }
            current = out.toString();
        }
        return current.replace('\\', '/');
    }
}
