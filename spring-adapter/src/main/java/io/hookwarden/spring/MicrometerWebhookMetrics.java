package io.hookwarden.spring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Micrometer meters: {@code hookwarden.deliveries} (counter; tags endpoint, outcome, reason) and {@code
 * hookwarden.verification} (timer; tag endpoint). The registry is looked up on first use, so the meters land in the
 * application's registry whatever order the auto-configurations ran in. Thread-safe.
 */
final class MicrometerWebhookMetrics implements WebhookMetrics {
    static final String DELIVERIES = "hookwarden.deliveries";
    static final String VERIFICATION = "hookwarden.verification";

    private final ObjectProvider<MeterRegistry> registries;
    private volatile MeterRegistry registry;

    MicrometerWebhookMetrics(ObjectProvider<MeterRegistry> registries) {
        this.registries = registries;
    }

    private MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            r = registries.getIfAvailable();
            registry = r;
        }
        return r;
    }

    @Override
    public void verification(String endpoint, long nanos) {
        MeterRegistry r = registry();
        if (r != null) {
            Timer.builder(VERIFICATION)
                    .description("Time to verify and claim a webhook delivery")
                    .tag("endpoint", endpoint)
                    .register(r)
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void delivery(String endpoint, Result result, String reason) {
        MeterRegistry r = registry();
        if (r != null) {
            Counter.builder(DELIVERIES)
                    .description("Webhook deliveries by endpoint, outcome and reason")
                    .tag("endpoint", endpoint)
                    .tag("outcome", result.tag())
                    .tag("reason", reason)
                    .register(r)
                    .increment();
        }
    }
}
