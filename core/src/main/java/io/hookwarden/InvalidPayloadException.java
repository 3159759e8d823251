package io.hookwarden;

import java.util.List;
import java.util.Objects;

/**
 * A verified delivery whose body is refused: not the document the endpoint requires ({@link
 * Reason#MALFORMED_PAYLOAD}: not JSON, over a parsing limit, not bindable to the requested type), or not what the
 * schema for its event type and version allows ({@link Reason#SCHEMA_VIOLATION}, with every {@link #violations()
 * violation}).
 *
 * <p>The message names JSON pointers, keywords, limits and types, never a payload value. Thrown by {@link
 * ValidationResult#orThrow()}, {@link VerifiedWebhook#json()}, {@link VerifiedWebhook#as(Class)} and {@link
 * WebhookEvent#as(Class)}; a receiver turns it into the reason's answer.
 */
public class InvalidPayloadException extends WebhookVerificationException {
    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    /**
     * A refused body with no schema violations (a malformed one).
     *
     * @param reason the stable reason code
     * @param message a description for logs, free of payload values
     * @throws NullPointerException if reason is null
     */
    public InvalidPayloadException(Reason reason, String message) {
        this(reason, message, List.of());
    }

    /**
     * A refused body with the schema violations found.
     *
     * @param reason the stable reason code
     * @param message a description for logs, free of payload values
     * @param violations every violation found; copied
     * @throws NullPointerException if reason or violations is null
     */
    public InvalidPayloadException(Reason reason, String message, List<Violation> violations) {
        super(reason, message);
        this.violations = List.copyOf(Objects.requireNonNull(violations, "violations cannot be null"));
    }

    /** Every schema violation found, in document order; empty for a malformed body. */
    public List<Violation> violations() {
        return violations == null ? List.of() : violations;
    }
}
