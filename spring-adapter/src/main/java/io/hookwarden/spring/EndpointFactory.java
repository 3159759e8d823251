package io.hookwarden.spring;

import io.hookwarden.DedupeKey;
import io.hookwarden.Keys;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.DedupeStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds {@link WebhookEndpoints} from {@code hookwarden.endpoints.*} and the customizer beans. Every refusal names
 * the property (such as {@code hookwarden.endpoints.stripe.secrets[0]}), never a secret's value.
 */
final class EndpointFactory {
    private EndpointFactory() {}

    static WebhookEndpoints build(
            HookwardenProperties properties, DedupeStore store, List<WebhookEndpointCustomizer> customizers) {
        Map<String, HookwardenProperties.Endpoint> configured = properties.getEndpoints();
        Set<String> unknown = new TreeSet<>();
        for (WebhookEndpointCustomizer c : customizers) {
            if (!configured.containsKey(c.name())) {
                unknown.add(c.name());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("WebhookEndpointCustomizer beans name endpoints " + unknown
                    + " that have no hookwarden.endpoints.<name>.* properties; known: " + configured.keySet());
        }
        WebhookEndpoints.Builder endpoints = WebhookEndpoints.builder();
        configured.forEach((name, endpoint) -> {
            endpoints.endpoint(name, receiver(name, endpoint, store, customizers));
            if (endpoint.getPaths() != null && !endpoint.getPaths().isEmpty()) {
                try {
                    endpoints.paths(name, endpoint.getPaths());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(prefix(name) + "paths: " + e.getMessage(), e);
                }
            }
        });
        return endpoints.build();
    }

    private static String prefix(String name) {
        return "hookwarden.endpoints." + name + ".";
    }

    private static WebhookReceiver receiver(
            String name,
            HookwardenProperties.Endpoint p,
            DedupeStore store,
            List<WebhookEndpointCustomizer> customizers) {
        String prefix = prefix(name);
        WebhookVerifier.Builder verifier = WebhookVerifier.builder();
        if (p.getScheme() != null) {
            try {
                verifier.scheme(Schemes.byId(p.getScheme()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        prefix + "scheme: " + e.getMessage() + " (known: " + Schemes.ids() + ")", e);
            }
        }
        List<String> secrets = p.getSecrets() == null ? List.of() : p.getSecrets();
        if (secrets.isEmpty()) {
            throw new IllegalStateException(prefix + "secrets[0] is missing or empty: give the endpoint's secret, "
                    + "such as " + prefix + "secrets[0]=${WEBHOOK_SECRET}");
        }
        Keys.Builder keys = Keys.builder();
        for (int i = 0; i < secrets.size(); i++) {
            if (secrets.get(i) == null || secrets.get(i).isEmpty()) {
                throw new IllegalStateException(prefix + "secrets[" + i + "] is empty");
            }
            keys.add("secrets[" + i + "]", secrets.get(i));
        }
        verifier.keys(keys.build());
        try {
            if (p.getMaxAge() != null) {
                verifier.maxAge(p.getMaxAge());
            }
            if (p.getFutureSkew() != null) {
                verifier.futureSkew(p.getFutureSkew());
            }
            if (p.getMaxBody() != null) {
                verifier.maxBodyBytes(p.getMaxBody().toBytes());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(prefix + "*: " + e.getMessage(), e);
        }
        WebhookVerifier built;
        try {
            for (WebhookEndpointCustomizer c : customizers) {
                if (c.name().equals(name)) {
                    c.customize(verifier);
                }
            }
            built = verifier.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(secretProperty(prefix, e.getMessage()) + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(prefix + "*: " + e.getMessage(), e);
        }
        WebhookReceiver.Builder receiver =
                WebhookReceiver.builder().name(name).verifier(built).dedupeStore(store);
        HookwardenProperties.EndpointDedupe d = p.getDedupe();
        try {
            if (p.getRetryAfter() != null) {
                receiver.retryAfter(p.getRetryAfter());
            }
            if (d != null) {
                if (d.getLease() != null) {
                    receiver.lease(d.getLease());
                }
                if (d.getRetention() != null) {
                    receiver.retention(d.getRetention());
                }
                if (d.getKeyHeader() != null && d.getKeyPointer() != null) {
                    throw new IllegalStateException("dedupe.key-header and dedupe.key-pointer conflict: give one");
                }
                if (d.getKeyHeader() != null) {
                    receiver.dedupeKey(DedupeKey.header(d.getKeyHeader()));
                }
                if (d.getKeyPointer() != null) {
                    receiver.dedupeKey(DedupeKey.jsonPointer(d.getKeyPointer()));
                }
            }
            for (WebhookEndpointCustomizer c : customizers) {
                if (c.name().equals(name)) {
                    c.customize(receiver);
                }
            }
            return receiver.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException(prefix + "*: " + e.getMessage(), e);
        }
    }

    /** The core names a bad key by its label, secrets[i]: the message starts with the full property it came from. */
    private static String secretProperty(String prefix, String message) {
        int at = message == null ? -1 : message.indexOf("secrets[");
        if (at < 0) {
            return prefix + "secrets: ";
        }
        int end = message.indexOf(']', at);
        return prefix + message.substring(at, end + 1) + ": ";
    }
}
