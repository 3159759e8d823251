package io.hookwarden;

/** The HMAC hash functions a scheme can use. */
public enum HmacAlgorithm {
    /** HMAC-SHA1: only for providers that still sign with it (legacy GitHub, Twilio). */
    SHA1("HmacSHA1", 20),
    /** HMAC-SHA256: what most providers use. */
    SHA256("HmacSHA256", 32),
    /** HMAC-SHA512. */
    SHA512("HmacSHA512", 64);

    private final String jcaName;
    private final int macLength;

    HmacAlgorithm(String jcaName, int macLength) {
        this.jcaName = jcaName;
        this.macLength = macLength;
    }

    /** The JCA algorithm name, such as {@code HmacSHA256}. */
    public String jcaName() {
        return jcaName;
    }

    /** The length of the MAC in bytes. */
    public int macLength() {
        return macLength;
    }
}
