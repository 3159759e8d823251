package io.hookwarden.spring;

import java.time.Clock;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Actuator health of the inbox endpoints on Spring Boot 3 ({@link HealthReport#inboxes}): UP with each endpoint's
 * counts per state and the age of its oldest pending delivery; DOWN when an inbox's {@code stats} fails, with the
 * exception's type only. Thread-safe.
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
        HealthReport report = HealthReport.inboxes(endpoints, clock);
        return (report.up() ? Health.up() : Health.down())
                .withDetails(report.details())
                .build();
    }
}
