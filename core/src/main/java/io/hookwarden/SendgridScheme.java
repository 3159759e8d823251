package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * SendGrid's signed Event Webhook: {@code X-Twilio-Email-Event-Webhook-Signature}, the base64 ASN.1 DER ECDSA P-256
 * SHA-256 signature over {@code X-Twilio-Email-Event-Webhook-Timestamp} (seconds) followed by the body, checked with
 * the verification key as SendGrid shows it: base64 of its X.509 SubjectPublicKeyInfo DER form ({@code MFkwEwYH...}),
 * PEM armour optional. For signing (tests, the CLI) the private key is base64 of its PKCS#8 DER form ({@code
 * openssl pkcs8 -topk8 -nocrypt -outform DER | base64}), PEM armour optional. The window is two-sided. The body is a
 * batch of events, so there is no single id: the signature is the dedupe key.
 */
final class SendgridScheme extends Scheme {
    private static final String SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature";
    private static final String SIGNATURE_KEY = HeaderValues.lookup(SIGNATURE);
    private static final String TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp";
    private static final String TIMESTAMP_KEY = HeaderValues.lookup(TIMESTAMP);

    @Override
    public String id() {
        return "sendgrid";
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        byte[] der = der(label, secret, "PUBLIC KEY");
        try {
            return new KeyMaterial.EcPublic(label, der);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret " + label + " for scheme sendgrid " + e.getMessage());
        }
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        byte[] der = der(label, secret, "PRIVATE KEY");
        try {
            return new KeyMaterial.EcPrivate(label, der);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret " + label + " for scheme sendgrid " + e.getMessage());
        }
    }

    /** The DER bytes of a base64 key, with or without PEM armour. */
    private byte[] der(String label, String secret, String pemType) {
        String begin = "-----BEGIN " + pemType + "-----";
        String end = "-----END " + pemType + "-----";
        String text = secret.strip();
        if (text.startsWith(begin) && text.endsWith(end)) {
            text = text.substring(begin.length(), text.length() - end.length()).replaceAll("\\s", "");
            if (text.isEmpty()) {
                throw new IllegalArgumentException("secret " + label + " for scheme sendgrid is an empty PEM block");
            }
            secret = text;
        }
        return secretBytes(label, secret, SecretEncoding.BASE64, 32);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        return signatureWithTimestamp(request, SIGNATURE_KEY, SIGNATURE, TIMESTAMP_KEY, TIMESTAMP);
    }

    /**
     * An ECDSA signature is malleable (the same content has a second valid signature), so the signature dedupe key
     * hashes what was signed, the timestamp and the body, never the signature header.
     */
    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        sink.update(Codec.ascii(parsed.timestampText));
        sink.update(request.bodyBytes());
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        byte[] signature = Codec.decodeBase64Strict(parsed.candidates.get(0).value());
        return signature != null
                && ((KeyMaterial.EcPublic) key)
                        .verify(signature, Codec.ascii(parsed.timestampText), request.bodyBytes());
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String ts = Long.toString(timestamp.getEpochSecond());
        byte[] signature = ((KeyMaterial.EcPrivate) key).sign(Codec.ascii(ts), message.bodyBytes());
        return Headers.builder()
                .add(SIGNATURE, new String(Codec.base64(signature), StandardCharsets.US_ASCII))
                .add(TIMESTAMP, ts)
                .build();
    }
}
