package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stripe: {@code Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>...][,v0=...]}, HMAC-SHA256 over {@code t.body} with
 * the {@code whsec_...} secret's UTF-8 bytes as they are (Stripe does not decode it). Every {@code v1} entry is tried;
 * {@code v0} and unknown entries are ignored. Stripe's libraries check only the age of {@code t}, so the window is
 * past-only. The event id and type are in the body ({@code /id}, {@code /type}).
 */
final class StripeScheme extends Scheme {
    private static final String HEADER = "Stripe-Signature";
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{timestamp}.{body}");

    @Override
    public String id() {
        return "stripe";
    }

    @Override
    public boolean boundsFuture() {
        return false;
    }

    @Override
    String idPointer() {
        return "/id";
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/type");
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return new KeyMaterial.Hmac(label, secretBytes(label, secret, SecretEncoding.UTF8, 8))
                .prepare(HmacAlgorithm.SHA256);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        String value = Text.required(request.headers(), HEADER);
        String timestampText = null;
        List<Candidate> candidates = new ArrayList<>(2);
        int start = 0;
        while (start <= value.length()) {
            int end = value.indexOf(',', start);
            if (end < 0) {
                end = value.length();
            }
            int eq = value.indexOf('=', start);
            if (eq > start && eq < end) {
                String key = value.substring(start, eq).strip();
                String item = value.substring(eq + 1, end).strip();
                if (key.equals("t")) {
                    if (timestampText != null) {
                        throw new WebhookVerificationException(
                                Reason.MALFORMED_HEADER, "header " + HEADER + " has more than one t=");
                    }
                    timestampText = item;
                } else if (key.equals("v1") && !item.isEmpty()) {
                    candidates.add(new Candidate("v1", item, Text.candidate(item, SignatureEncoding.HEX)));
                }
            }
            start = end + 1;
        }
        if (timestampText == null) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + HEADER + " has no t= timestamp");
        }
        Instant timestamp = Text.timestamp(timestampText, "header " + HEADER, false);
        if (candidates.isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + HEADER + " has no v1= signature");
        }
        return new Parsed(HEADER, null, timestampText, timestamp, null, candidates);
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        byte[] expected = Text.hex(((KeyMaterial.Hmac) key)
                .mac(HmacAlgorithm.SHA256, CONTENT, null, parsed.timestampText, request.bodyBytes(), null));
        for (Candidate c : parsed.candidates) {
            if (MessageDigest.isEqual(expected, c.ascii())) {
                return true;
            }
        }
        return false;
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String t = Long.toString(timestamp.getEpochSecond());
        byte[] mac = ((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA256, CONTENT, null, t, message.bodyBytes(), null);
        return Headers.builder()
                .add(HEADER, "t=" + t + ",v1=" + new String(Text.hex(mac), StandardCharsets.US_ASCII))
                .build();
    }
}
