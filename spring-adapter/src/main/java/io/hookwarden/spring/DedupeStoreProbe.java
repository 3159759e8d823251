package io.hookwarden.spring;

import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.StoreUnavailableException;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * {@code hookwarden.dedupe.fail-fast=true}: once every bean is created, claims and releases a reserved key in the dedupe
 * store (the health check's probe), and stops the start-up when the store does not answer. Without it, an application
 * whose store is down starts and answers each delivery 503 {@code STORE_UNAVAILABLE} until the store answers.
 */
final class DedupeStoreProbe implements SmartInitializingSingleton {
    private final DedupeStore store;

    DedupeStoreProbe(DedupeStore store) {
        this.store = store;
    }

    /**
     * @throws UnreachableException if the store does not answer the probe
     */
    @Override
    public void afterSingletonsInstantiated() {
        try {
            store.claim(HealthReport.PROBE_KEY, java.time.Duration.ofSeconds(5))
                    .claim()
                    .ifPresent(claim -> store.release(HealthReport.PROBE_KEY, claim));
        } catch (StoreUnavailableException e) {
            throw new UnreachableException(store, e);
        }
    }

    /**
     * The dedupe store did not answer at start-up and {@code hookwarden.dedupe.fail-fast=true}. Its message is the
     * store's own, which names the store's address, never a password.
     */
    static final class UnreachableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        private final String storeType;

        UnreachableException(DedupeStore store, StoreUnavailableException cause) {
            super(cause.getMessage(), cause);
            this.storeType = store.getClass().getSimpleName();
        }

        /** The store's class, such as RedisDedupeStore. */
        String storeType() {
            return storeType;
        }
    }
}
