package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * DocuSign Connect: {@code X-DocuSign-Signature-1}, {@code -2}, ... (one per active HMAC key of the account, up to
 * 100), each the base64 HMAC-SHA256 of the whole body with one key, the key's text used as its UTF-8 bytes as
 * DocuSign's examples do; any of them matching any key of the endpoint verifies. No timestamp; the event is the body's
 * {@code /event} ({@code envelope-completed}). Immutable and thread-safe.
 *
 * @see <a href="https://developers.docusign.com/platform/webhooks/connect/validate/">DocuSign: how to validate an HMAC
 *     signature</a>
 */
final class DocuSignScheme extends Scheme {
    static final String PREFIX = "X-DocuSign-Signature-";
    /** DocuSign Connect allows up to 100 HMAC keys, so up to 100 signature headers. */
    static final int MAX_SIGNATURES = 100;

    private static final ContentTemplate CONTENT = ContentTemplate.parse("{body}");

    @Override
    public String id() {
        return "docusign";
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/event");
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        return utf8HmacKey(label, secret, 8, HmacAlgorithm.SHA256);
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    @Override
    Parsed parse(WebhookRequest request) {
        List<OfferedSignature> candidates = new ArrayList<>(2);
        request.headers().forEach((name, value) -> {
            if (isSignatureHeader(name)) {
                if (candidates.size() == MAX_SIGNATURES) {
                    throw new WebhookVerificationException(
                            Reason.MALFORMED_HEADER, "more than " + MAX_SIGNATURES + " " + PREFIX + "N headers");
                }
                String signature = value.strip();
                if (!signature.isEmpty()) {
                    candidates.add(new OfferedSignature(null, signature, 0, signature.length()));
                }
            }
        });
        if (candidates.isEmpty()) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "header " + PREFIX + "1 is missing");
        }
        return new Parsed(PREFIX + "N", null, null, null, null, candidates);
    }

    /** {@code X-DocuSign-Signature-} (any case) followed by 1 to 3 digits. */
    static boolean isSignatureHeader(String name) {
        int digits = name.length() - PREFIX.length();
        if (digits < 1 || digits > 3 || !name.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        for (int i = PREFIX.length(); i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        CONTENT.write(sink, null, null, request.bodyBytes(), null);
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        byte[] expected = Codec.base64(
                ((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA256, CONTENT, null, null, request.bodyBytes(), null));
        return anyMatches(parsed.candidates, expected, false);
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        byte[] mac = ((KeyMaterial.Hmac) key).mac(HmacAlgorithm.SHA256, CONTENT, null, null, message.bodyBytes(), null);
        return Headers.builder()
                .add(PREFIX + "1", new String(Codec.base64(mac), StandardCharsets.US_ASCII))
                .add("X-Authorization-Digest", "HMACSHA256")
                .build();
    }
}
