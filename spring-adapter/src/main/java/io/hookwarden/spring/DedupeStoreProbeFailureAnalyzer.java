package io.hookwarden.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a dedupe store that did not answer at start-up, with {@code hookwarden.dedupe.fail-fast=true}, into Spring
 * Boot's "APPLICATION FAILED TO START" description: which store, what it answered (its address, never a password), and
 * what to do.
 */
final class DedupeStoreProbeFailureAnalyzer extends AbstractFailureAnalyzer<DedupeStoreProbe.UnreachableException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DedupeStoreProbe.UnreachableException cause) {
        return new FailureAnalysis(
                "Hookwarden's dedupe store (" + cause.storeType() + ") did not answer at start-up, and"
                        + " hookwarden.dedupe.fail-fast=true stops the application: " + cause.getMessage(),
                "Start the store, or fix where the application looks for it (hookwarden.dedupe.redis.uri or"
                        + " spring.data.redis.* for Redis, spring.datasource.* for JDBC), and start again. To start"
                        + " while it is down, remove hookwarden.dedupe.fail-fast: deliveries are then answered 503"
                        + " STORE_UNAVAILABLE with Retry-After, and the hookwarden health is DOWN, until the store"
                        + " answers.",
                cause);
    }
}
