package io.hookwarden;

import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Retries, in the background, the completion or release of a claim the store failed to record when its handler
 * finished (issue 17: a store that went down mid-request). The sender already has its answer; until the claim is
 * settled, its other attempts of the event are answered {@code IN_PROGRESS}. A completion recorded before the lease
 * ends keeps them from processing the event a second time once the lease runs out; a release recorded lets them in
 * without waiting for it. Attempts back off from {@value #FIRST_DELAY_MILLIS} ms, doubling, to {@value
 * #MAX_DELAY_MILLIS} ms, and stop when the store answers (yes or no: a no means the claim is no longer ours) or the
 * lease has ended. They run on {@value #THREADS} daemon threads for the JVM, started on first use: a store whose
 * failures are slow (a connection timeout) makes each round of attempts take that long per {@value #THREADS} pending
 * settlements, so a lease well above the store's timeouts leaves room for many. Thread-safe.
 */
final class SettlementRetry {
    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());
    static final long FIRST_DELAY_MILLIS = 50;
    static final long MAX_DELAY_MILLIS = 1_000;
    static final int THREADS = 4;

    private static volatile ScheduledExecutorService executor;

    private SettlementRetry() {}

    /**
     * Calls {@code settle} (a store's complete or release of {@code key}) after a delay, again after each failure,
     * until it answers or {@link System#nanoTime()} reaches {@code leaseEndsAt}.
     */
    static void schedule(String operation, String key, BooleanSupplier settle, long leaseEndsAt) {
        if (System.nanoTime() - leaseEndsAt >= 0) {
            return;
        }
        schedule(operation, key, settle, leaseEndsAt, FIRST_DELAY_MILLIS);
    }

    private static void schedule(String operation, String key, BooleanSupplier settle, long leaseEndsAt, long delay) {
        executor().schedule(() -> attempt(operation, key, settle, leaseEndsAt, delay), delay, TimeUnit.MILLISECONDS);
    }

    private static void attempt(String operation, String key, BooleanSupplier settle, long leaseEndsAt, long delay) {
        if (System.nanoTime() - leaseEndsAt >= 0) {
            LOG.log(
                    Level.WARNING,
                    "dedupe store still failed to {0} key {1} when its lease ended; a later attempt may process "
                            + "the event again",
                    operation,
                    key);
            return;
        }
        boolean recorded;
        try {
            recorded = settle.getAsBoolean();
        } catch (RuntimeException e) {
            schedule(operation, key, settle, leaseEndsAt, Math.min(delay * 2, MAX_DELAY_MILLIS));
            return;
        }
        LOG.log(
                Level.INFO,
                recorded
                        ? "dedupe store recorded the {0} of key {1} on a retry"
                        : "dedupe key {1} was no longer claimed by this attempt when a retry tried to {0} it",
                operation,
                key);
    }

    private static ScheduledExecutorService executor() {
        ScheduledExecutorService e = executor;
        if (e == null) {
            synchronized (SettlementRetry.class) {
                e = executor;
                if (e == null) {
                    ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(THREADS, task -> {
                        Thread thread = new Thread(task, "hookwarden-settlement-retry");
                        thread.setDaemon(true);
                        return thread;
                    });
                    created.setRemoveOnCancelPolicy(true);
                    executor = created;
                    e = created;
                }
            }
        }
        return e;
    }
}
