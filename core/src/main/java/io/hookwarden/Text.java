package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Parsing and encoding helpers for the hot path: no regex, no exceptions for control flow. */
final class Text {
    /** Seconds since the epoch at 9999-12-31T23:59:59Z: a larger timestamp is junk, not a date. */
    static final long MAX_EPOCH_SECONDS = 253_402_300_799L;

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Text() {}

    /**
     * The single value of a required header, with surrounding blanks removed.
     *
     * @throws WebhookVerificationException MISSING_HEADER when absent; MALFORMED_HEADER when blank or given twice
     */
    static String required(Headers headers, String name) {
        return required(headers, lookup(name), name);
    }

    /**
     * Like {@link #required(Headers, String)}, looking up a name already in lower case (its hash is cached, and no
     * lower-case copy is made per request) and naming {@code display} in messages.
     */
    static String required(Headers headers, String lowerCaseName, String display) {
        List<String> values = headers.allByKey(lowerCaseName);
        if (values.isEmpty()) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "header " + display + " is missing");
        }
        return single(values, display);
    }

    /** Like {@link #required(Headers, String, String)} but null when the header is absent. */
    static String optional(Headers headers, String lowerCaseName, String display) {
        List<String> values = headers.allByKey(lowerCaseName);
        return values.isEmpty() ? null : single(values, display);
    }

    /** A header name in the form {@link Headers} looks names up by. */
    static String lookup(String name) {
        return name == null ? null : Headers.key(name);
    }

    private static String single(List<String> values, String name) {
        if (values.size() > 1) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + name + " is given " + values.size() + " times");
        }
        String value = values.get(0).strip();
        if (value.isEmpty()) {
            throw new WebhookVerificationException(Reason.MALFORMED_HEADER, "header " + name + " is empty");
        }
        return value;
    }

    /**
     * A timestamp of ASCII digits only: no sign, no blanks, no fraction, at most year 9999.
     *
     * @param millis whether the number counts milliseconds rather than seconds
     * @throws WebhookVerificationException MALFORMED_HEADER otherwise
     */
    static Instant timestamp(String text, String header, boolean millis) {
        long max = millis ? MAX_EPOCH_SECONDS * 1000 + 999 : MAX_EPOCH_SECONDS;
        int length = text.length();
        if (length == 0 || length > 19) {
            throw malformedTimestamp(header, length == 0 ? "is empty" : "is too large");
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw malformedTimestamp(header, "is not a number of " + (millis ? "milliseconds" : "seconds"));
            }
            value = value * 10 + (c - '0');
            if (value > max) {
                throw malformedTimestamp(header, "is too large");
            }
        }
        return millis ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    }

    /**
     * A timestamp in seconds or, from 13 digits on, milliseconds: a 13-digit seconds value is past the year 9999 and a
     * 12-digit milliseconds value before 1973, so the length decides (Zoom sends seconds, some libraries milliseconds).
     *
     * @throws WebhookVerificationException MALFORMED_HEADER when not a timestamp
     */
    static Instant timestampSecondsOrMillis(String text, String header) {
        return timestamp(text, header, text.length() >= 13);
    }

    private static WebhookVerificationException malformedTimestamp(String header, String problem) {
        return new WebhookVerificationException(
                Reason.MALFORMED_HEADER, "timestamp in header " + header + " " + problem);
    }

    /**
     * Whether {@code source[start, end)} spells {@code expected} (ASCII), in time that depends only on the lengths:
     * the accumulate-XOR loop of {@link java.security.MessageDigest#isEqual}, over the header's chars without copying
     * them. A char outside Latin-1 never matches.
     *
     * @param foldHex whether {@code A-F} in the source count as {@code a-f}
     */
    static boolean constantTimeEquals(byte[] expected, String source, int start, int end, boolean foldHex) {
        if (end - start != expected.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < expected.length; i++) {
            int c = source.charAt(start + i);
            if (foldHex && c >= 'A' && c <= 'F') {
                c += 'a' - 'A';
            }
            diff |= c ^ (expected[i] & 0xff);
        }
        return diff == 0;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A new SHA-256 digest. */
    static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Lower-case hex of {@code bytes}, as ASCII bytes. */
    static byte[] hex(byte[] bytes) {
        byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xf];
        }
        return out;
    }

    /** Canonical padded standard base64 of {@code bytes}, as ASCII bytes. */
    static byte[] base64(byte[] bytes) {
        return Base64.getEncoder().encode(bytes);
    }

    static byte[] encode(byte[] bytes, SignatureEncoding encoding) {
        return encoding == SignatureEncoding.HEX ? hex(bytes) : base64(bytes);
    }

    /**
     * Strict standard base64: padded to a multiple of four, standard alphabet; null when not.
     *
     * @return the decoded bytes, or null
     */
    static byte[] decodeBase64Strict(String value) {
        if (value.isEmpty() || value.length() % 4 != 0) {
            return null;
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(value);
            // Refuse non-canonical trailing bits: the canonical encoding of the result must be the input.
            return Base64.getEncoder().encodeToString(decoded).equals(value) ? decoded : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Lenient standard base64 for secrets: missing padding is accepted, as the reference libraries accept it.
     *
     * @return the decoded bytes, or null when the text is not base64
     */
    static byte[] decodeBase64Secret(String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return the decoded bytes, or null when the text is not an even number of hex digits */
    static byte[] decodeHex(String value) {
        if (value.length() % 2 != 0) {
            return null;
        }
        byte[] out = new byte[value.length() / 2];
        for (int i = 0; i < out.length; i++) {
            char h = value.charAt(2 * i);
            char l = value.charAt(2 * i + 1);
            // ASCII only: Character.digit also takes other scripts' digits, such as U+0661 and U+FF11.
            int hi = h < 128 ? Character.digit(h, 16) : -1;
            int lo = l < 128 ? Character.digit(l, 16) : -1;
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }
}
