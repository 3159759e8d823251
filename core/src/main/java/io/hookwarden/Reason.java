package io.hookwarden;

/**
 * Why a delivery was refused (or, for {@link #DUPLICATE}, not processed again): a stable code that appears in logs,
 * metrics and the {@code application/problem+json} answer, with the HTTP status that makes a provider retry exactly
 * when it should.
 *
 * <p>The codes and statuses are part of Hookwarden's contract; scripts and dashboards may depend on them.
 */
public enum Reason {
    /** The body is larger than the configured limit. Not retried. */
    PAYLOAD_TOO_LARGE(413, "Payload too large", false),
    /** The request came from an address outside the allowlist. Not retried. */
    SOURCE_NOT_ALLOWED(403, "Source not allowed", false),
    /**
     * The endpoint does not receive on this method: only {@code POST} (and {@code GET} for the handshakes that use it)
     * is verified and claimed, so a signed delivery sent first as {@code OPTIONS} or {@code TRACE} can never use up
     * the provider's genuine {@code POST}. Answered with {@code Allow: POST}. Not retried.
     */
    METHOD_NOT_ALLOWED(405, "Method not allowed", false),
    /** A header the scheme requires is absent. Not retried. */
    MISSING_HEADER(400, "Missing header", false),
    /** A header the scheme requires is present but unusable (empty, junk, wrong prefix, duplicated). Not retried. */
    MALFORMED_HEADER(400, "Malformed header", false),
    /** No signature in the request matches any active key. Not retried. */
    SIGNATURE_MISMATCH(401, "Signature mismatch", false),
    /**
     * The request can be read more than one way, so it is refused rather than guessed at: a path to an endpoint
     * spelled with path parameters, encoded characters, dot segments, repeated or trailing slashes or another case.
     * Not retried.
     */
    AMBIGUOUS_REQUEST(400, "Ambiguous request", false),
    /** The signed timestamp is older than the maximum age. Not retried. */
    TIMESTAMP_TOO_OLD(401, "Timestamp too old", false),
    /** The signed timestamp is further in the future than the allowed skew. Not retried. */
    TIMESTAMP_IN_FUTURE(401, "Timestamp in the future", false),
    /** The body is not the document the endpoint requires (for example, not JSON). Not retried. */
    MALFORMED_PAYLOAD(400, "Malformed payload", false),
    /** The body does not satisfy the schema registered for its event type and version. Not retried. */
    SCHEMA_VIOLATION(422, "Schema violation", false),
    /** The delivery was processed before; answered with success so the provider stops retrying. */
    DUPLICATE(200, "Duplicate delivery", false),
    /** Another attempt holds the claim for this delivery right now; the provider should retry later. */
    IN_PROGRESS(409, "Delivery in progress", true),
    /** The dedupe store cannot be reached; the delivery is refused (fail closed) so the provider retries. */
    STORE_UNAVAILABLE(503, "Dedupe store unavailable", true),
    /** The application's handler failed; its claim was released so the provider's retry can process it. */
    HANDLER_FAILED(500, "Handler failed", true),
    /**
     * The keys to verify the delivery with could not be had: a scheme that fetches its keys (a JWKS URL) could not
     * reach them and has none cached that fit. Refused so the provider retries; nothing was verified.
     */
    KEYS_UNAVAILABLE(503, "Verification keys unavailable", true);

    private final int httpStatus;
    private final String title;
    private final boolean retryable;

    Reason(int httpStatus, String title, boolean retryable) {
        this.httpStatus = httpStatus;
        this.title = title;
        this.retryable = retryable;
    }

    /** The HTTP status a receiver answers with for this reason. */
    public int httpStatus() {
        return httpStatus;
    }

    /** A short human title, safe to show to the sender: it never contains request data. */
    public String title() {
        return title;
    }

    /** Whether the answer asks the provider to retry the delivery later. */
    public boolean retryable() {
        return retryable;
    }
}
