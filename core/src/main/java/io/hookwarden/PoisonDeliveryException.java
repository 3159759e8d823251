package io.hookwarden;

/**
 * Thrown by a handler to say that a delivery can never succeed (an event it refuses, data it will never accept): an
 * {@link InboxWorker} then marks it dead at once instead of retrying it, keeping it, with this exception as its last
 * error, until it is replayed (after a fix) or purged. Any other exception is retried with backoff. The message is
 * stored and logged: keep secrets and payload values out of it.
 */
public class PoisonDeliveryException extends HookwardenException {
    private static final long serialVersionUID = 1L;

    /**
     * A delivery that will never succeed.
     *
     * @param message why, for the operator who reads the dead delivery; no secret, no payload value
     */
    public PoisonDeliveryException(String message) {
        super(message);
    }

    /**
     * A delivery that will never succeed, with the failure that shows it.
     *
     * @param message why; no secret, no payload value
     * @param cause the underlying failure
     */
    public PoisonDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
