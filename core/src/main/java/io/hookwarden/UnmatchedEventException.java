package io.hookwarden;

/**
 * Thrown by a {@link Router} that rejects unmatched events when an event matches none of its patterns. A receiver
 * answers it like a failed handler: 500, the claim released, so the provider retries. The message names the event
 * type, never the payload.
 */
public class UnmatchedEventException extends HookwardenException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the event type; must not contain payload values
     */
    public UnmatchedEventException(String message) {
        super(message);
    }
}
