package io.hookwarden;

import io.hookwarden.spi.StoredDelivery;
import java.time.Duration;

/**
 * Observes what an {@link InboxWorker} makes of each attempt on a stored delivery: the worker's side of a delivery
 * whose request was answered {@link Outcome.Queued} (reported to the endpoint's {@link DeliveryListener} as {@link
 * DeliveryListener.Observer#queued}). Called on the worker's threads once per attempt; must be quick and
 * thread-safe; an exception it throws is logged and ignored. Nothing here carries a secret.
 */
@FunctionalInterface
public interface InboxListener {
    /** What became of one attempt. */
    enum Result {
        /** The handler returned; the delivery is completed. */
        COMPLETED,
        /** The handler failed (or the worker stopped under it); the delivery is due again later. */
        RETRIED,
        /** The handler refused it as poison, or it ran out of attempts: dead until replayed or purged. */
        DEAD,
        /** An event of its ordering key with a higher sequence was completed already ({@code LATEST}). */
        SKIPPED,
        /**
         * Not settled: the lease was lost while the handler ran, or the inbox failed while settling. The delivery is
         * taken again once its lease runs out.
         */
        UNSETTLED
    }

    /**
     * One attempt ended.
     *
     * @param endpoint the endpoint's name
     * @param delivery the delivery as claimed (its attempts counting this one)
     * @param result what became of it
     * @param handling how long the handler ran (zero when it did not run)
     * @param failure what the handler threw; null when it returned or did not run
     */
    void attempted(String endpoint, StoredDelivery delivery, Result result, Duration handling, Throwable failure);
}
