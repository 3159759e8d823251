package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Braintree: a form body with {@code bt_signature} and {@code bt_payload} (base64 of the notification's XML). {@code
 * bt_signature} is {@code publicKey|signature} pairs joined by {@code &}; a pair whose public key is the endpoint's
 * must carry the hex HMAC-SHA1, keyed with the SHA-1 digest of the private key, of {@code bt_payload}, or of {@code
 * bt_payload} followed by a newline (the legacy form Braintree's SDKs still accept). The secret is {@code
 * publicKey:privateKey}, as the two are given for the API's Basic credentials. The payload must hold only base64
 * characters and newlines, as the SDKs require.
 *
 * <p>Answers the verification challenge {@code GET ?bt_challenge=C} (20 to 32 lower-case hex digits) with {@code
 * publicKey|hex HMAC-SHA1(SHA-1(privateKey), C)} as text, with the first key. Since that answer is a MAC of what the
 * caller chose, a {@code bt_payload} that could be a challenge is refused before any signature is checked. No id, type
 * or timestamp outside the
 * payload: the default dedupe key is the signature. {@code WebhookNotificationGateway} in braintree/braintree_java
 * compares in constant time, as this scheme does. Immutable and thread-safe.
 */
final class BraintreeScheme extends Scheme {
    static final String SIGNATURE = "bt_signature";
    static final String PAYLOAD = "bt_payload";
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{body}");
    private static final byte[] NEWLINE = {'\n'};
    /** {@code WebhookNotificationGateway}'s challenge: 20 to 32 lower-case hex digits. */
    private static final java.util.regex.Pattern CHALLENGE = java.util.regex.Pattern.compile("[a-f0-9]{20,32}");

    @Override
    public String id() {
        return "braintree";
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        int colon = secret.indexOf(':');
        if (colon <= 0 || colon == secret.length() - 1) {
            throw new IllegalArgumentException("secret " + label + " for scheme braintree is not publicKey:privateKey");
        }
        String publicKey = secret.substring(0, colon);
        for (int i = 0; i < publicKey.length(); i++) {
            char c = publicKey.charAt(i);
            if (c == '|' || c == '&' || c <= ' ' || c > '~') {
                throw new IllegalArgumentException("secret " + label
                        + " for scheme braintree has a public key with a character Braintree never" + " uses");
            }
        }
        byte[] privateKey = secretBytes(label, secret.substring(colon + 1), SecretEncoding.UTF8, 8);
        KeyMaterial.NamedHmac key = new KeyMaterial.NamedHmac(label, publicKey, sha1(privateKey));
        key.hmac.prepare(HmacAlgorithm.SHA1);
        return key;
    }

    private static byte[] sha1(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        return verificationKey(label, secret);
    }

    /** One candidate per {@code publicKey|signature} pair: the signature's region of {@code bt_signature}. */
    @Override
    Parsed parse(WebhookRequest request) {
        Map<String, List<String>> form = FormBody.strict(request.bodyBytes());
        String signature = single(form, SIGNATURE);
        String payload = single(form, PAYLOAD);
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (!((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '+'
                    || c == '/'
                    || c == '='
                    || c == '\n')) {
                throw new WebhookVerificationException(
                        Reason.MALFORMED_PAYLOAD, "scheme braintree: " + PAYLOAD + " holds a character outside base64");
            }
        }
        // The challenge answer is the MAC of any 20 to 32 hex digits the caller chooses, and hex digits are base64:
        // such a payload could carry a signature taken from that answer, so it is refused (Braintree's never is one:
        // it is the base64 of an XML document).
        if (CHALLENGE.matcher(payload.strip()).matches()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_PAYLOAD, "scheme braintree: " + PAYLOAD + " has the form of a challenge");
        }
        List<OfferedSignature> candidates = new ArrayList<>();
        int start = 0;
        while (start <= signature.length()) {
            int end = signature.indexOf('&', start);
            end = end < 0 ? signature.length() : end;
            int bar = signature.indexOf('|', start);
            if (bar > start && bar < end - 1) {
                candidates.add(new OfferedSignature(null, signature, bar + 1, end));
            }
            start = end + 1;
        }
        if (candidates.isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_PAYLOAD, "scheme braintree: " + SIGNATURE + " holds no publicKey|signature pair");
        }
        return new Parsed(SIGNATURE, null, null, null, null, List.copyOf(candidates));
    }

    private static String single(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        if (values == null || values.size() != 1 || values.get(0).isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_PAYLOAD,
                    "scheme braintree needs exactly one non-empty " + name + " in the form body");
        }
        return values.get(0);
    }

    /** The public key of a candidate: the text between the pair's start and its {@code |}. */
    private static String publicKey(OfferedSignature c) {
        int from = c.source().lastIndexOf('&', c.start() - 2) + 1;
        return c.source().substring(from, c.start() - 1);
    }

    private static byte[] payload(WebhookRequest request) {
        return Codec.utf8(FormBody.strict(request.bodyBytes()).get(PAYLOAD).get(0));
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        byte[] payload = payload(request);
        // the legacy form with a trailing newline is the same delivery
        int length = payload.length > 0 && payload[payload.length - 1] == '\n' ? payload.length - 1 : payload.length;
        sink.update(java.util.Arrays.copyOf(payload, length));
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        KeyMaterial.NamedHmac named = (KeyMaterial.NamedHmac) key;
        byte[] payload = payload(request);
        byte[] plain = null;
        byte[] withNewline = null;
        boolean matched = false;
        for (OfferedSignature c : parsed.candidates) {
            if (!publicKey(c).equals(named.name)) {
                continue;
            }
            if (plain == null) {
                plain = Codec.hex(named.hmac.mac(HmacAlgorithm.SHA1, CONTENT, null, null, payload, null));
                withNewline = Codec.hex(named.hmac.mac(HmacAlgorithm.SHA1, CONTENT, null, null, concat(payload), null));
            }
            matched |= c.matches(plain, true) | c.matches(withNewline, true);
        }
        return matched;
    }

    private static byte[] concat(byte[] payload) {
        byte[] out = java.util.Arrays.copyOf(payload, payload.length + 1);
        out[payload.length] = NEWLINE[0];
        return out;
    }

    @Override
    String mismatchDetail(Parsed parsed, int keys) {
        return "no signature in " + SIGNATURE + " for the public key of any of the " + keys + " active key(s) matches "
                + PAYLOAD;
    }

    /** {@code GET ?bt_challenge=C}: answered with the first key's {@code publicKey|hex HMAC-SHA1(C)}. */
    @Override
    HttpAnswer answerBeforeVerify(WebhookRequest request, List<KeyMaterial> keys) {
        if (!"GET".equals(request.method())) {
            return null;
        }
        String query = FormBody.query(request.url().orElse(null));
        String challenge = query == null ? null : FormBody.first(query, "bt_challenge");
        if (challenge == null) {
            return null;
        }
        if (!CHALLENGE.matcher(challenge).matches()) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "Braintree challenge is not 20 to 32 lower-case hex digits");
        }
        KeyMaterial.NamedHmac key = (KeyMaterial.NamedHmac) keys.get(0);
        return HttpAnswer.of(200, "text/plain; charset=utf-8", pair(key, Codec.utf8(challenge)))
                .withHeader("X-Content-Type-Options", "nosniff");
    }

    private static String pair(KeyMaterial.NamedHmac key, byte[] content) {
        return key.name + "|"
                + new String(
                        Codec.hex(key.hmac.mac(HmacAlgorithm.SHA1, CONTENT, null, null, content, null)),
                        StandardCharsets.US_ASCII);
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        throw new IllegalArgumentException("scheme braintree signs inside the form body: sign the whole request");
    }

    /**
     * A form body as Braintree posts it: {@code bt_payload} the base64 of the message's body (the notification's XML),
     * {@code bt_signature} the key's pair.
     */
    @Override
    WebhookRequest signedRequest(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        if (message.bodyBytes().length == 0) {
            throw new IllegalArgumentException("scheme braintree sends a notification: give the message a body");
        }
        String payload = java.util.Base64.getEncoder().encodeToString(message.bodyBytes());
        String form = SIGNATURE + "=" + FormBody.encode(pair((KeyMaterial.NamedHmac) key, Codec.utf8(payload))) + "&"
                + PAYLOAD + "=" + FormBody.encode(payload);
        return WebhookRequest.builder()
                .url(message.url().orElse(null))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(form.getBytes(StandardCharsets.US_ASCII))
                .build();
    }
}
