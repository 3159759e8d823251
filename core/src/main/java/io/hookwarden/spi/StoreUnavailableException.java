package io.hookwarden.spi;

import io.hookwarden.HookwardenException;

/**
 * A {@link DedupeStore} or an {@link Inbox} could not answer: a connection failure, a timeout, a database error. The
 * receiver answers {@code STORE_UNAVAILABLE} (503 with {@code Retry-After}) so the provider retries; it never processes
 * a delivery it could not claim, nor answers 2xx for one it could not store; an inbox's workers back off. Messages name
 * the store and the failure, never a credential.
 */
public class StoreUnavailableException extends HookwardenException {
    private static final long serialVersionUID = 1L;

    /** With a message and the underlying failure. */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** With a message. */
    public StoreUnavailableException(String message) {
        super(message);
    }
}
