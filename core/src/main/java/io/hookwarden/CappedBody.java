package io.hookwarden;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads a request body for an adapter without ever holding more than the limit (the design's size cap): a declared
 * {@code Content-Length} over the limit is refused before a byte is read, and a body of unknown length (chunked) is
 * read up to the limit and refused when one more byte follows.
 *
 * <pre>{@code
 * byte[] body = CappedBody.read(in, contentLength, verifier.maxBodyBytes()); // PAYLOAD_TOO_LARGE when over
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
final class CappedBody {
    /** The largest array the JDK allocates reliably. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private CappedBody() {}

    /**
     * Reads a body of at most {@code limit} bytes.
     *
     * @param in the body; read up to {@code limit} bytes and, when the length is unknown, one more; never closed
     * @param declaredLength the declared length ({@code Content-Length}), which frames the body; negative when unknown
     * @param limit the largest body accepted, such as {@link WebhookVerifier#maxBodyBytes()}
     * @return the body; shorter than declared when the stream ended early
     * @throws WebhookVerificationException with {@link Reason#PAYLOAD_TOO_LARGE} when the declared length exceeds the
     *     limit or the largest array, {@code Integer.MAX_VALUE - 8} bytes (nothing was read), or the stream holds more
     *     than {@code limit} bytes (reading stopped one byte past it)
     * @throws IOException if reading fails
     * @throws NullPointerException if in is null
     * @throws IllegalArgumentException if limit is not positive
     */
    static byte[] read(InputStream in, long declaredLength, long limit) throws IOException {
        Objects.requireNonNull(in, "in cannot be null");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive but was " + limit);
        }
        int max = (int) Math.min(limit, MAX_ARRAY);
        if (declaredLength > max) {
            // over the limit, or over the largest array when the limit is set above it
            throw new WebhookVerificationException(
                    Reason.PAYLOAD_TOO_LARGE,
                    "declared body of " + declaredLength + " bytes exceeds the limit of " + max + " bytes");
        }
        byte[] body = in.readNBytes(declaredLength >= 0 ? (int) declaredLength : max);
        if (body.length == max && in.read() != -1) {
            throw new WebhookVerificationException(
                    Reason.PAYLOAD_TOO_LARGE, "body exceeds the limit of " + limit + " bytes");
        }
        return body;
    }
}
