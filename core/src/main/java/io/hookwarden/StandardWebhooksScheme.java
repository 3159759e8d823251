package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Standard Webhooks (standardwebhooks.com), and Svix, which it grew from: headers {@code webhook-id}, {@code
 * webhook-timestamp} (seconds) and {@code webhook-signature}, a space-separated list of {@code version,signature}
 * entries over {@code id.timestamp.body}. {@code v1} is HMAC-SHA256 in base64 with a {@code whsec_} secret (base64 of
 * the key); {@code v1a} is Ed25519 with a {@code whpk_} public key (base64 of the raw 32-byte key, or of its SPKI DER
 * form) and, for signing, a {@code whsk_} private key (base64 of the seed, optionally followed by the public key).
 * Entries of other versions are skipped, not fatal. The window is two-sided.
 */
final class StandardWebhooksScheme extends Scheme {
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{id}.{timestamp}.{body}");
    private static final int MIN_SECRET_BYTES = 16;

    private static final String V1 = "v1";
    private static final String V1A = "v1a";

    /** One set of header names, lower case and built once per scheme. */
    private record Names(String id, String timestamp, String signature) {
        Names(String prefix) {
            this(prefix + "id", prefix + "timestamp", prefix + "signature");
        }
    }

    /** How a secret that is not a {@code whpk_} / {@code whsk_} key becomes HMAC key bytes. */
    enum SecretFormat {
        /** Standard Webhooks: base64, after an optional {@code whsec_} prefix. */
        WHSEC,
        /**
         * Polar: the secret's UTF-8 bytes (its SDK base64-encodes the secret before the Standard Webhooks library
         * decodes it), except that a {@code whsec_} secret is decoded as Standard Webhooks does.
         */
        UTF8_UNLESS_WHSEC
    }

    private final String id;
    private final SecretFormat secretFormat;
    /** Header name sets, tried in order: the first whose id header is present wins. */
    private final List<Names> names;

    StandardWebhooksScheme(String id, List<String> prefixes, SecretFormat secretFormat) {
        this.id = id;
        this.secretFormat = secretFormat;
        this.names = prefixes.stream().map(Names::new).toList();
    }

    /** Standard Webhooks: the signed content is {@code id.timestamp.body}. */
    @Override
    boolean signsId() {
        return true;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/type");
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        if (secret.startsWith("whpk_")) {
            try {
                return new KeyMaterial.Ed25519Public(label, decoded(label, secret, "whpk_"));
            } catch (IllegalArgumentException e) {
                throw named(label, e);
            }
        }
        if (secret.startsWith("whsk_")) {
            throw new IllegalArgumentException("secret " + label + " for scheme " + id
                    + " is a whsk_ private key: a verifier takes the whpk_ public key");
        }
        SecretEncoding encoding = secretFormat == SecretFormat.UTF8_UNLESS_WHSEC && !secret.startsWith("whsec_")
                ? SecretEncoding.UTF8
                : SecretEncoding.BASE64;
        return new KeyMaterial.Hmac(label, secretBytes(label, secret, encoding, MIN_SECRET_BYTES))
                .prepare(HmacAlgorithm.SHA256);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        if (secret.startsWith("whsk_")) {
            try {
                return new KeyMaterial.Ed25519Private(label, decoded(label, secret, "whsk_"));
            } catch (IllegalArgumentException e) {
                throw named(label, e);
            }
        }
        if (secret.startsWith("whpk_")) {
            throw new IllegalArgumentException("secret " + label + " for scheme " + id
                    + " is a whpk_ public key: signing takes the whsk_ private key");
        }
        return verificationKey(label, secret);
    }

    /** KeyMaterial's messages start with the problem ("is not ..."); this names the key and scheme before it. */
    private IllegalArgumentException named(String label, IllegalArgumentException e) {
        String what = "secret " + label + " for scheme " + id + " ";
        return e.getMessage().startsWith(what) ? e : new IllegalArgumentException(what + e.getMessage());
    }

    private byte[] decoded(String label, String secret, String prefix) {
        byte[] raw = Codec.decodeBase64Secret(secret.substring(prefix.length()));
        if (raw == null || raw.length == 0) {
            throw new IllegalArgumentException(
                    "secret " + label + " for scheme " + id + " is not valid base64 after the " + prefix + " prefix");
        }
        return raw;
    }

    @Override
    Parsed parse(WebhookRequest request) {
        Headers headers = request.headers();
        Names n = names.get(0);
        if (names.size() > 1 && !headers.contains(n.id())) {
            for (Names other : names) { // Svix: svix-* headers when present, else the first set that is
                if (headers.contains(other.id())) {
                    n = other;
                    break;
                }
            }
        }
        String deliveryId = HeaderValues.required(headers, n.id(), n.id());
        String timestampText = HeaderValues.required(headers, n.timestamp(), n.timestamp());
        Instant timestamp = HeaderValues.timestamp(timestampText, n.timestamp(), false);
        String value = HeaderValues.required(headers, n.signature(), n.signature());
        List<OfferedSignature> candidates = new ArrayList<>(2);
        int start = 0;
        int length = value.length();
        while (start < length) {
            int end = value.indexOf(' ', start);
            if (end < 0) {
                end = length;
            }
            int comma = value.indexOf(',', start);
            // Standard Webhooks: signatures are space-delimited "version,signature" entries; skip one without both.
            if (comma > start && comma < end - 1) {
                String version = comma - start == 2 && value.startsWith(V1, start)
                        ? V1
                        : comma - start == 3 && value.startsWith(V1A, start) ? V1A : null;
                candidates.add(new OfferedSignature(version, value, comma + 1, end));
            }
            start = end + 1;
        }
        if (candidates.isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + n.signature() + " has no version,signature entry");
        }
        return new Parsed(n.signature(), deliveryId, timestampText, timestamp, null, candidates);
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        CONTENT.write(sink, parsed.id, parsed.timestampText, request.bodyBytes(), null);
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        byte[] body = request.bodyBytes();
        if (key instanceof KeyMaterial.Hmac hmac) {
            byte[] expected = null;
            for (OfferedSignature c : parsed.candidates) {
                if (c.version() == V1) {
                    if (expected == null) {
                        expected = Codec.base64(
                                hmac.mac(HmacAlgorithm.SHA256, CONTENT, parsed.id, parsed.timestampText, body, null));
                    }
                    if (c.matches(expected, false)) {
                        return true;
                    }
                }
            }
            return false;
        }
        KeyMaterial.Ed25519Public publicKey = (KeyMaterial.Ed25519Public) key;
        for (OfferedSignature c : parsed.candidates) {
            if (c.version() == V1A) {
                byte[] signature = Codec.decodeBase64Strict(c.value());
                if (signature != null
                        && signature.length == 64
                        && publicKey.verify(CONTENT, parsed.id, parsed.timestampText, body, null, signature)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        Names n = names.get(0);
        String deliveryId = message.id()
                .orElseGet(() -> "msg_" + UUID.randomUUID().toString().replace("-", ""));
        String timestampText = Long.toString(timestamp.getEpochSecond());
        byte[] body = message.bodyBytes();
        String signature;
        if (key instanceof KeyMaterial.Hmac hmac) {
            byte[] mac = hmac.mac(HmacAlgorithm.SHA256, CONTENT, deliveryId, timestampText, body, null);
            signature = "v1," + new String(Codec.base64(mac), StandardCharsets.US_ASCII);
        } else {
            byte[] sig = ((KeyMaterial.Ed25519Private) key).sign(CONTENT, deliveryId, timestampText, body, null);
            signature = "v1a," + new String(Codec.base64(sig), StandardCharsets.US_ASCII);
        }
        return Headers.builder()
                .add(n.id(), deliveryId)
                .add(n.timestamp(), timestampText)
                .add(n.signature(), signature)
                .build();
    }
}
