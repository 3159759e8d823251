package io.hookwarden.spring;

import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A {@link HealthReport} as Spring Boot 4's health API ({@code org.springframework.boot.health.contributor}) shows it:
 * the same answers as the Boot 3 indicators. Registered by {@link HookwardenBoot4HealthAutoConfiguration}. Thread-safe.
 */
final class Boot4HealthIndicator implements HealthIndicator {
    private final Supplier<HealthReport> check;

    Boot4HealthIndicator(Supplier<HealthReport> check) {
        this.check = check;
    }

    @Override
    public Health health() {
        HealthReport report = check.get();
        return (report.up() ? Health.up() : Health.down())
                .withDetails(report.details())
                .build();
    }
}
