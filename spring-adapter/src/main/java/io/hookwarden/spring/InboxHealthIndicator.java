package io.hookwarden.spring;

import io.hookwarden.spi.Inbox;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Actuator health of the inbox endpoints: UP with each endpoint's counts per state and the age of its oldest pending
 * delivery; DOWN when an inbox's {@code stats} fails, with the exception's type only (an inbox's message may carry a
 * connection string). Thread-safe.
 */
final class InboxHealthIndicator implements HealthIndicator {
    private final WebhookEndpoints endpoints;
    private final Clock clock;

    InboxHealthIndicator(WebhookEndpoints endpoints, Clock clock) {
        this.endpoints = endpoints;
        this.clock = clock;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        endpoints.forEach((name, receiver) -> receiver.inbox().ifPresent(inbox -> {
            try {
                details.put(name, details(inbox, name));
            } catch (RuntimeException e) {
                failures.put(name, e.getClass().getName());
            }
        }));
        if (!failures.isEmpty()) {
            return Health.down().withDetail("error", failures).build();
        }
        return Health.up().withDetails(details).build();
    }

    private Map<String, Object> details(Inbox inbox, String name) {
        var stats = inbox.stats(name);
        Map<String, Object> out = HookwardenInboxEndpoint.stats(stats);
        stats.oldestPendingSince().ifPresent(since -> {
            Duration age = Duration.between(since, clock.instant());
            out.put("oldestPendingAge", (age.isNegative() ? Duration.ZERO : age).toString());
        });
        return out;
    }
}
