package io.hookwarden;

/**
 * The root of Hookwarden's unchecked exceptions. Messages never contain a secret, an expected signature or payload
 * values.
 */
public class HookwardenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong; must not contain secrets
     */
    public HookwardenException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong; must not contain secrets
     * @param cause the underlying failure
     */
    public HookwardenException(String message, Throwable cause) {
        super(message, cause);
    }
}
