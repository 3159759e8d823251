package io.hookwarden.spring;

import java.util.Objects;

/**
 * Start-up refused an endpoint's configuration: a missing, empty, too short or badly encoded secret, an unknown scheme,
 * an option set twice, a {@link WebhookEndpoint} naming no endpoint. The message names the property, such as {@code
 * hookwarden.endpoints.stripe.secrets[0]}, and never a secret's value. Immutable.
 */
public class WebhookConfigurationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String property;
    private final String action;

    /**
     * The exception.
     *
     * @param property the property at fault, such as {@code hookwarden.endpoints.stripe.secrets[0]}
     * @param problem what is wrong, without the value when it is a secret
     * @param action what to do about it
     * @param cause the core's refusal, or null
     * @throws NullPointerException if property, problem or action is null
     */
    public WebhookConfigurationException(String property, String problem, String action, Throwable cause) {
        super(
                Objects.requireNonNull(property, "property cannot be null") + ": "
                        + Objects.requireNonNull(problem, "problem cannot be null"),
                cause);
        this.property = property;
        this.action = Objects.requireNonNull(action, "action cannot be null");
    }

    /** The property at fault. */
    public String property() {
        return property;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
