package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Box: {@code box-signature-primary} and {@code box-signature-secondary}, base64 HMAC-SHA256 of the body followed by
 * the {@code box-delivery-timestamp} header (RFC 3339, such as {@code 2016-07-08T01:20:32-07:00}), each made with one
 * of the application's two signature keys (UTF-8) so that they can be rotated one at a time. Either header may be
 * absent or empty; a signature in either that matches any key of the endpoint verifies (Box's SDKs pair the primary
 * key with the primary header: both keys are the application's, so either proves the sender). {@code
 * box-signature-version} must be {@code 1} and {@code box-signature-algorithm} {@code HmacSHA256} when present. The
 * event's id and trigger are in the body ({@code /id}, {@code /trigger}); {@code box-delivery-id} is not signed.
 *
 * <p>Box's documentation rejects deliveries older than ten minutes; the window here is the verifier's tolerance (five
 * minutes by default, both ways): give {@code tolerance(Duration.ofMinutes(10))} to match Box. Box's older SDKs compare
 * signatures with {@code ===} and check only the age; this scheme compares in constant time and also bounds the
 * future. Immutable and thread-safe.
 *
 * @see <a href="https://developer.box.com/guides/webhooks/v2/signatures-v2/">Box: webhook signatures</a>
 */
final class BoxScheme extends Scheme {
    static final String PRIMARY = "box-signature-primary";
    static final String SECONDARY = "box-signature-secondary";
    static final String TIMESTAMP = "box-delivery-timestamp";
    static final String VERSION = "box-signature-version";
    static final String ALGORITHM = "box-signature-algorithm";
    static final String DELIVERY_ID = "box-delivery-id";
    private static final ContentTemplate CONTENT = ContentTemplate.parse("{body}{timestamp}");

    @Override
    public String id() {
        return "box";
    }

    @Override
    String idPointer() {
        return "/id";
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/trigger");
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
        Headers headers = request.headers();
        String version = HeaderValues.optional(headers, VERSION, VERSION);
        if (version != null && !version.equals("1")) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + VERSION + " is not 1, the only version Box signs");
        }
        String algorithm = HeaderValues.optional(headers, ALGORITHM, ALGORITHM);
        if (algorithm != null && !algorithm.equals("HmacSHA256")) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + ALGORITHM + " is not HmacSHA256");
        }
        List<OfferedSignature> candidates = new ArrayList<>(2);
        offered(headers, PRIMARY, candidates);
        offered(headers, SECONDARY, candidates);
        if (candidates.isEmpty()) {
            throw new WebhookVerificationException(
                    Reason.MISSING_HEADER, "headers " + PRIMARY + " and " + SECONDARY + " are both missing");
        }
        String timestampText = HeaderValues.required(headers, TIMESTAMP, TIMESTAMP);
        return new Parsed(PRIMARY, null, timestampText, timestamp(timestampText), null, candidates);
    }

    /** A present, non-empty signature header's value; Box may send one of the two empty. */
    private static void offered(Headers headers, String name, List<OfferedSignature> candidates) {
        int i = headers.indexOf(name, 0);
        if (i < 0) {
            return;
        }
        if (headers.indexOf(name, i + 1) >= 0) {
            throw new WebhookVerificationException(Reason.MALFORMED_HEADER, "header " + name + " is given twice");
        }
        String value = headers.valueAt(i).strip();
        if (!value.isEmpty()) {
            candidates.add(new OfferedSignature(null, value, 0, value.length()));
        }
    }

    /** An RFC 3339 date-time with an offset, as Box writes it; anything else is MALFORMED_HEADER. */
    private static Instant timestamp(String text) {
        if (text.length() > 64) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + TIMESTAMP + " is not an RFC 3339 date-time");
        }
        try {
            Instant instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
            if (instant.getEpochSecond() < 0 || instant.getEpochSecond() > HeaderValues.MAX_EPOCH_SECONDS) {
                throw new WebhookVerificationException(
                        Reason.MALFORMED_HEADER, "header " + TIMESTAMP + " is out of range");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER, "header " + TIMESTAMP + " is not an RFC 3339 date-time");
        }
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        CONTENT.write(sink, null, parsed.timestampText, request.bodyBytes(), null);
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        byte[] expected = Codec.base64(((KeyMaterial.Hmac) key)
                .mac(HmacAlgorithm.SHA256, CONTENT, null, parsed.timestampText, request.bodyBytes(), null));
        return anyMatches(parsed.candidates, expected, false);
    }

    /** Signs as Box does with one key: the primary header, the delivery timestamp in UTC, version and algorithm. */
    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        String timestampText = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                timestamp.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        byte[] mac = ((KeyMaterial.Hmac) key)
                .mac(HmacAlgorithm.SHA256, CONTENT, null, timestampText, message.bodyBytes(), null);
        Headers.Builder out = Headers.builder();
        message.id().ifPresent(id -> out.add("box-delivery-id", id));
        return out.add(TIMESTAMP, timestampText)
                .add(VERSION, "1")
                .add(ALGORITHM, "HmacSHA256")
                .add(PRIMARY, new String(Codec.base64(mac), StandardCharsets.US_ASCII))
                .build();
    }
}
