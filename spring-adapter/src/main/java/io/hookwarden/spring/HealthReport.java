package io.hookwarden.spring;

import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.Inbox;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Hookwarden's health checks found, apart from Spring Boot's health API, which moved to another artifact and
 * package in Boot 4: the Boot 3 indicators ({@link DedupeStoreHealthIndicator}, {@link InboxHealthIndicator}) and the
 * Boot 4 ones ({@link Boot4HealthIndicator}) give the same answers. A failure is named by the exception's type only:
 * a store's message may carry a connection string.
 *
 * @param up whether the check passed
 * @param details what it shows under {@code details}
 */
record HealthReport(boolean up, Map<String, Object> details) {
    /** The reserved key: no endpoint's key has this form, as those start with the endpoint's name and a colon. */
    static final String PROBE_KEY = "hookwarden-health-probe";

    private static final Duration PROBE_LEASE = Duration.ofSeconds(5);

    /**
     * The dedupe store: claims a reserved key for a few seconds and releases it at once. Up when the store answers (a
     * probe from another replica holding the key is an answer too).
     */
    static HealthReport dedupeStore(DedupeStore store) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("store", store.getClass().getSimpleName());
        try {
            ClaimResult result = store.claim(PROBE_KEY, PROBE_LEASE);
            result.claim().ifPresent(claim -> store.release(PROBE_KEY, claim));
            details.put("probe", result.status().name());
            return new HealthReport(true, details);
        } catch (RuntimeException e) {
            details.put("error", e.getClass().getName());
            return new HealthReport(false, details);
        }
    }

    /**
     * The inbox endpoints: each one's counts per state and the age of its oldest pending delivery. An endpoint on an
     * inbox that only writes (Kafka's, {@link WriteOnlyInbox}) is skipped, its details saying why, and counts as up.
     */
    static HealthReport inboxes(WebhookEndpoints endpoints, Clock clock) {
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        endpoints.forEach((name, receiver) -> receiver.inbox().ifPresent(inbox -> {
            if (WriteOnlyInbox.is(inbox)) {
                details.put(name, WriteOnlyInbox.details(inbox, name));
                return;
            }
            try {
                details.put(name, inboxDetails(inbox, name, clock));
            } catch (RuntimeException e) {
                failures.put(name, e.getClass().getName());
            }
        }));
        if (!failures.isEmpty()) {
            return new HealthReport(false, Map.of("error", failures));
        }
        return new HealthReport(true, details);
    }

    private static Map<String, Object> inboxDetails(Inbox inbox, String name, Clock clock) {
        var stats = inbox.stats(name);
        Map<String, Object> out = HookwardenInboxEndpoint.stats(stats);
        stats.oldestPendingSince().ifPresent(since -> {
            Duration age = Duration.between(since, clock.instant());
            out.put("oldestPendingAge", (age.isNegative() ? Duration.ZERO : age).toString());
        });
        return out;
    }
}
