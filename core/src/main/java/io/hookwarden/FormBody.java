package io.hookwarden;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code application/x-www-form-urlencoded} text (a form body, or a URL's query) as the name-value pairs a web
 * framework hands an application: {@code +} is a space, {@code %XX} a byte, the bytes UTF-8; malformed UTF-8 becomes
 * U+FFFD. The one form decoder of the library, in two modes: lenient ({@link #parse}) as browsers are, for what a
 * scheme signs (a {@code %} not followed by two hex digits stays as it is; deterministic, so a signer and a verifier
 * agree on any input); strict ({@link #strict}) for the parameters handed to an application, which refuses a broken
 * escape and too many parameters.
 */
final class FormBody {
    /** The most parameters a strictly read form body may have. */
    static final int MAX_PARAMETERS = 10_000;

    private FormBody() {}

    /**
     * Decodes a form body (Slack commands, Twilio) into parameters, in the order received; a name given twice keeps
     * both values.
     *
     * @throws InvalidPayloadException MALFORMED_PAYLOAD when an escape is broken or there are more than {@value
     *     #MAX_PARAMETERS} parameters; the message names neither names nor values
     */
    static Map<String, List<String>> strict(byte[] body) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int count = 0;
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('&', start);
            if (end < 0) {
                end = text.length();
            }
            if (end > start) {
                if (++count > MAX_PARAMETERS) {
                    throw new InvalidPayloadException(
                            Reason.MALFORMED_PAYLOAD, "form body has more than " + MAX_PARAMETERS + " parameters");
                }
                int eq = text.indexOf('=', start);
                String name;
                String value;
                if (eq < 0 || eq > end) {
                    name = strictDecode(text, start, end, count);
                    value = "";
                } else {
                    name = strictDecode(text, start, eq, count);
                    value = strictDecode(text, eq + 1, end, count);
                }
                params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }

    private static String strictDecode(String text, int start, int end, int index) {
        String decoded = decode(text, start, end, true);
        if (decoded == null) {
            throw new InvalidPayloadException(
                    Reason.MALFORMED_PAYLOAD, "form body has a broken percent escape in parameter " + index);
        }
        return decoded;
    }

    /** The pairs in order; a pair without {@code =} has an empty value; empty pairs are skipped. */
    static List<Map.Entry<String, String>> parse(byte[] form) {
        return parse(new String(form, StandardCharsets.ISO_8859_1));
    }

    /** The pairs of {@code form}, whose chars are bytes (Latin-1) or already-decoded text. */
    static List<Map.Entry<String, String>> parse(String form) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        int start = 0;
        int length = form.length();
        while (start <= length) {
            int end = form.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                int eq = form.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    pairs.add(Map.entry(decode(form, start, end, false), ""));
                } else {
                    pairs.add(Map.entry(decode(form, start, eq, false), decode(form, eq + 1, end, false)));
                }
            }
            start = end + 1;
        }
        return pairs;
    }

    /** The first value of {@code name} in {@code query} (a URL's part after {@code ?}), or null. */
    static String first(String query, String name) {
        for (Map.Entry<String, String> pair : parse(query)) {
            if (pair.getKey().equals(name)) {
                return pair.getValue();
            }
        }
        return null;
    }

    /** The query of {@code url} (between {@code ?} and {@code #}), or null when it has none. */
    static String query(String url) {
        if (url == null) {
            return null;
        }
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        int hash = url.indexOf('#', q);
        return url.substring(q + 1, hash < 0 ? url.length() : hash);
    }

    /**
     * {@code s[start, end)} decoded; a {@code %} without two hex digits after it is kept as it is, or when {@code
     * strict} makes the result null.
     */
    private static String decode(String s, int start, int end, boolean strict) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start);
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%' && i + 2 < end && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write((hex(s.charAt(i + 1)) << 4) | hex(s.charAt(i + 2)));
                i += 2;
            } else if (c == '%' && strict) {
                return null;
            } else if (c < 0x80) {
                out.write(c);
            } else if (c < 0x100) {
                out.write(c); // a raw byte of the body
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Whether {@code body} is plausibly a form: ASCII letters, digits and {@code -._~*%+=&!$'(),;:@/?}. */
    static boolean looksLikeForm(byte[] body) {
        for (byte b : body) {
            char c = (char) (b & 0xff);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~*%+=&!$'(),;:@/?".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code value} form-encoded: unreserved characters as they are, space as {@code +}, the rest {@code %XX}. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~*".indexOf(c) >= 0) {
                out.append(c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
