package io.hookwarden;

/** How a secret string, as the provider shows it, becomes HMAC key bytes. */
public enum SecretEncoding {
    /** The string's UTF-8 bytes, as they are (Stripe, GitHub, Slack, Shopify and most others). */
    UTF8,
    /** Standard base64; an optional {@code whsec_} prefix is removed first (Standard Webhooks, Svix). */
    BASE64,
    /** Hexadecimal. */
    HEX
}
