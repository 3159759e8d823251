package io.hookwarden;

import java.util.Objects;

/**
 * Thrown by {@link WebhookVerifier#verify(WebhookRequest)} when a delivery is refused. The {@link #reason()} is the
 * stable code to branch on; the message is for logs and states what was wrong (header names, timestamps, limits) but
 * never a secret, an expected signature or payload values.
 */
public class WebhookVerificationException extends HookwardenException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    /**
     * Creates an exception for a refused delivery.
     *
     * @param reason the stable reason code
     * @param message a description for logs, free of secrets
     * @throws NullPointerException if {@code reason} is null
     */
    public WebhookVerificationException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason cannot be null");
    }

    /** The stable reason code; {@link Reason#httpStatus()} gives the answer to send. */
    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + reason + ": " + getMessage();
    }
}
