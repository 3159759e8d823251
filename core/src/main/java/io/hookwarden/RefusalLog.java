package io.hookwarden;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Logs one endpoint's refusals on the logger {@value #LOGGER}: the first refusal of each reason at WARNING, then at
 * most one WARNING per reason per interval (counting the ones in between), the rest at DEBUG. A wrong secret in
 * production is then a visible warning, not a silent stream of 401s, and a flood of forgeries is a few lines a minute.
 *
 * <p>Lines name the endpoint, the reason and the refusal's detail, which never carries a secret or a signature (the
 * details of {@link WebhookVerificationException} and {@link Outcome.Rejected} are written that way). {@code
 * IN_PROGRESS} (a retry racing its own first attempt) is ordinary and logged at DEBUG only. Thread-safe, lock-free.
 */
final class RefusalLog {
    /** The logger's name, for logging configuration. */
    static final String LOGGER = "io.hookwarden.refusals";

    private static final System.Logger LOG = System.getLogger(LOGGER);

    private static final long NEVER = Long.MIN_VALUE;

    private final String endpoint;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLongArray nextWarning = new AtomicLongArray(Reason.values().length);
    private final AtomicLongArray suppressed = new AtomicLongArray(Reason.values().length);

    RefusalLog(String endpoint, Duration interval, LongSupplier nanoTime) {
        this.endpoint = endpoint;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        for (int i = 0; i < Reason.values().length; i++) {
            nextWarning.set(i, NEVER);
        }
    }

    /** One refusal: at WARNING when it is the first of its reason in the interval, else at DEBUG. */
    void refused(Reason reason, String detail) {
        if (reason != Reason.IN_PROGRESS && claimWarning(reason.ordinal())) {
            long more = suppressed.getAndSet(reason.ordinal(), 0);
            LOG.log(
                    Level.WARNING,
                    "webhook refused at endpoint " + endpoint + ": " + reason + " (" + reason.httpStatus() + "): "
                            + detail
                            + (more == 0
                                    ? ""
                                    : "; " + more + " more " + reason + " refusal(s) since the last warning"));
        } else {
            if (reason != Reason.IN_PROGRESS) {
                suppressed.incrementAndGet(reason.ordinal());
            }
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "webhook refused at endpoint " + endpoint + ": " + reason + ": " + detail);
            }
        }
    }

    /** Whether this caller is the one to warn now for the reason at {@code index}. */
    private boolean claimWarning(int index) {
        long now = nanoTime.getAsLong();
        long next = nextWarning.get(index);
        if (next != NEVER && now - next < 0) {
            return false;
        }
        return nextWarning.compareAndSet(index, next, now + intervalNanos);
    }
}
