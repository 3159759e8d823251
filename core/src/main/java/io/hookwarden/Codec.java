package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The encodings signatures and secrets come in: hex and base64 (encoding and strict decoding), UTF-8 and ASCII bytes,
 * SHA-256, and the constant-time comparison of an expected signature with the one a header offers. Allocation-free
 * where it can be: the comparison reads the header's chars in place.
 */
final class Codec {
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Codec() {}

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

    /**
     * Whether {@code offered} hashes to {@code expectedDigest} (SHA-256), compared with {@link
     * java.security.MessageDigest#isEqual} over two 32-byte digests: constant time, and the offered value's length is
     * not compared at all, so it leaks nothing about the expected one's.
     */
    static boolean digestEquals(byte[] expectedDigest, byte[] offered) {
        return java.security.MessageDigest.isEqual(expectedDigest, sha256().digest(offered));
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
