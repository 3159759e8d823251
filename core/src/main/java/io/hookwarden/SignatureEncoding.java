package io.hookwarden;

/** How a signature's bytes are written in a header. */
public enum SignatureEncoding {
    /** Lower-case hexadecimal; upper-case digits are accepted when verifying. */
    HEX,
    /** Standard base64 (RFC 4648 section 4) with padding; compared in its canonical form, so stripped padding fails. */
    BASE64
}
