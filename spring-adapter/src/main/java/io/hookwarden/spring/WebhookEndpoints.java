package io.hookwarden.spring;

import io.hookwarden.WebhookReceiver;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The application's webhook endpoints: a {@link WebhookReceiver} per name (the name {@link WebhookEndpoint} gives),
 * and optionally path patterns that make a request an endpoint's even when its handler is not annotated. Built from
 * {@code hookwarden.endpoints.*} by the auto-configuration, or declared as a bean. Immutable and thread-safe.
 */
public final class WebhookEndpoints {
    private final Map<String, WebhookReceiver> receivers;
    private final Map<String, List<String>> paths;

    private WebhookEndpoints(Map<String, WebhookReceiver> receivers, Map<String, List<String>> paths) {
        this.receivers = Collections.unmodifiableMap(new LinkedHashMap<>(receivers));
        this.paths = Collections.unmodifiableMap(new LinkedHashMap<>(paths));
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The named endpoint's receiver.
     *
     * @throws IllegalArgumentException if there is no endpoint of that name
     */
    public WebhookReceiver receiver(String name) {
        WebhookReceiver receiver = receivers.get(name);
        if (receiver == null) {
            throw new IllegalArgumentException("no webhook endpoint named " + name + "; known: " + receivers.keySet());
        }
        return receiver;
    }

    /** Whether an endpoint has this name. */
    public boolean contains(String name) {
        return receivers.containsKey(name);
    }

    /** The endpoints' names, in the order given. */
    public Set<String> names() {
        return receivers.keySet();
    }

    /** Each endpoint's path patterns (Spring {@code PathPattern} syntax, within the application); may be empty. */
    public Map<String, List<String>> paths() {
        return paths;
    }

    /**
     * Warns, once at start-up, of every endpoint that nothing receives: no handler the adapter found names it and it
     * has no path patterns, so it is probably a typo or a leftover, and the requests meant for it reach the
     * application unverified or not at all. Never fails: an application may call the receivers itself.
     *
     * @param annotated the endpoint names that the adapter's {@link WebhookEndpoint} handlers give
     * @param logger where the warning goes (the adapter's own)
     */
    public void warnOfUnused(Set<String> annotated, System.Logger logger) {
        for (String name : receivers.keySet()) {
            if (!annotated.contains(name) && paths.getOrDefault(name, List.of()).isEmpty()) {
                logger.log(
                        System.Logger.Level.WARNING,
                        "Webhook endpoint {0} (hookwarden.endpoints.{0}.*) is configured but never used: no handler"
                                + " carries @WebhookEndpoint(\"{0}\") and hookwarden.endpoints.{0}.paths is empty, so"
                                + " no request is verified by it. Annotate its handler, give its paths, or remove it.",
                        name);
            }
        }
    }

    /** Calls {@code action} with each endpoint's name and receiver. */
    public void forEach(BiConsumer<String, WebhookReceiver> action) {
        receivers.forEach(action);
    }

    @Override
    public String toString() {
        return "WebhookEndpoints" + receivers.keySet();
    }

    /** Collects endpoints. Not thread-safe. */
    public static final class Builder {
        private final Map<String, WebhookReceiver> receivers = new LinkedHashMap<>();
        private final Map<String, List<String>> paths = new LinkedHashMap<>();

        private Builder() {}

        /**
         * An endpoint.
         *
         * @param name the name {@link WebhookEndpoint} gives
         * @param receiver its receiver
         * @throws NullPointerException if name or receiver is null
         * @throws IllegalArgumentException if name is blank
         * @throws IllegalStateException if the name is already used
         */
        public Builder endpoint(String name, WebhookReceiver receiver) {
            Objects.requireNonNull(name, "name cannot be null");
            Objects.requireNonNull(receiver, "receiver cannot be null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name cannot be blank");
            }
            if (receivers.putIfAbsent(name, receiver) != null) {
                throw new IllegalStateException("endpoint " + name + " was already given");
            }
            return this;
        }

        /**
         * Path patterns whose requests go to the named endpoint even when their handler carries no {@link
         * WebhookEndpoint}, such as {@code /hooks/stripe}.
         *
         * @throws NullPointerException if name or patterns is null
         * @throws IllegalArgumentException if a pattern does not start with '/'
         * @throws IllegalStateException if the endpoint already has paths
         */
        public Builder paths(String name, List<String> patterns) {
            Objects.requireNonNull(name, "name cannot be null");
            Objects.requireNonNull(patterns, "patterns cannot be null");
            for (String p : patterns) {
                Objects.requireNonNull(p, "pattern cannot be null");
                if (!p.startsWith("/")) {
                    throw new IllegalArgumentException("path pattern must start with '/' but was " + p);
                }
            }
            if (paths.putIfAbsent(name, List.copyOf(patterns)) != null) {
                throw new IllegalStateException("paths of endpoint " + name + " were already given");
            }
            return this;
        }

        /**
         * The endpoints.
         *
         * @throws IllegalStateException if a path names no endpoint
         */
        public WebhookEndpoints build() {
            for (String name : paths.keySet()) {
                if (!receivers.containsKey(name)) {
                    throw new IllegalStateException("paths given for " + name + ", which is no endpoint");
                }
            }
            return new WebhookEndpoints(receivers, paths);
        }
    }
}
