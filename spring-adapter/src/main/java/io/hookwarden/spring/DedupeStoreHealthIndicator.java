package io.hookwarden.spring;

import io.hookwarden.spi.DedupeStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Actuator health of the dedupe store on Spring Boot 3 ({@link HealthReport#dedupeStore}): UP when the store answers a
 * probe claim, DOWN with the exception's type when it fails. Thread-safe.
 */
final class DedupeStoreHealthIndicator implements HealthIndicator {
    /** The reserved key the probe claims. */
    static final String PROBE_KEY = HealthReport.PROBE_KEY;

    private final DedupeStore store;

    DedupeStoreHealthIndicator(DedupeStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        HealthReport report = HealthReport.dedupeStore(store);
        return (report.up() ? Health.up() : Health.down())
                .withDetails(report.details())
                .build();
    }
}
