package io.hookwarden.spring;

import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import java.time.Duration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Actuator health of the dedupe store: claims a reserved key for a few seconds and releases it at once. UP when the
 * store answers (a probe from another replica holding the key is an answer too), DOWN with the exception's type when
 * it fails; the exception's message is left out, as a store's may carry a connection string. Thread-safe.
 */
final class DedupeStoreHealthIndicator implements HealthIndicator {
    /** The reserved key: no endpoint's key has this form, as those start with the endpoint's name and a colon. */
    static final String PROBE_KEY = "hookwarden-health-probe";

    private static final Duration PROBE_LEASE = Duration.ofSeconds(5);

    private final DedupeStore store;

    DedupeStoreHealthIndicator(DedupeStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("store", store.getClass().getSimpleName());
        try {
            ClaimResult result = store.claim(PROBE_KEY, PROBE_LEASE);
            result.claim().ifPresent(claim -> store.release(PROBE_KEY, claim));
            return health.withDetail("probe", result.status().name()).build();
        } catch (RuntimeException e) {
            return Health.down()
                    .withDetail("store", store.getClass().getSimpleName())
                    .withDetail("error", e.getClass().getName())
                    .build();
        }
    }
}
