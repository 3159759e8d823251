package io.hookwarden;

import io.hookwarden.spi.Claim;
import io.hookwarden.spi.DedupeStore;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * A verified delivery whose dedupe key this attempt has claimed: run the handler, then {@link #complete()}, inside a
 * try-with-resources block. Closing without completing releases the claim, so a handler that throws never leaves an
 * event marked as processed, and the provider's retry processes it.
 *
 * <pre>{@code
 * try (Delivery delivery = accepted.delivery()) {
 *     handle(delivery.webhook());
 *     delivery.complete();
 * }
 * }</pre>
 *
 * <p>Completing and releasing happen at most once between them; later calls do nothing. A store failure while
 * completing or releasing is logged (never with a secret) and not thrown: the handler's work is done. The store is
 * asked again in the background (from 50 ms, backing off to 1 s) until it answers or the claim's lease ends, so a
 * completion lost to a store that went down mid-request is still recorded when it comes back, and the event's other
 * attempts see a duplicate rather than processing it again once the lease runs out. Thread-safe.
 */
public final class Delivery implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());
    private static final int OPEN = 0;
    private static final int COMPLETED = 1;
    private static final int RELEASED = 2;

    private final VerifiedWebhook webhook;
    private final DedupeStore store;
    private final String key;
    private final Claim claim;
    private final Duration retention;
    /** When the claim's lease ends, on {@link System#nanoTime()}: retries of a failed settlement stop there. */
    private final long leaseEndsAt;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Delivery.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** OPEN, COMPLETED or RELEASED; moved on once, by compare-and-set (a field, not an AtomicInteger per delivery). */
    private volatile int state = OPEN;

    /** The endpoint's listener for this delivery, or null; set by the receiver before the delivery is handed out. */
    private DeliveryListener.Observer observer;

    private long acceptedAt;

    Delivery(
            VerifiedWebhook webhook, DedupeStore store, String key, Claim claim, Duration retention, long leaseEndsAt) {
        this.webhook = webhook;
        this.store = store;
        this.key = key;
        this.claim = claim;
        this.retention = retention;
        this.leaseEndsAt = leaseEndsAt;
    }

    /** Reports this delivery's completion or release to {@code observer}, timing from {@code acceptedAt}. */
    void observe(DeliveryListener.Observer observer, long acceptedAt) {
        this.observer = observer;
        this.acceptedAt = acceptedAt;
    }

    /** The verified delivery. */
    public VerifiedWebhook webhook() {
        return webhook;
    }

    /** The dedupe key this delivery claimed. */
    public String key() {
        return key;
    }

    /**
     * Records the delivery as processed, so the provider's retries and other replicas see a duplicate. Call it when
     * the handler succeeded.
     *
     * @return true when the store recorded it; false when the claim was no longer ours (the lease expired and another
     *     attempt claimed the key), the store failed (it is asked again in the background until the lease ends), or
     *     the delivery was already completed or released
     */
    public boolean complete() {
        return complete(0);
    }

    private boolean complete(int status) {
        if (!STATE.compareAndSet(this, OPEN, COMPLETED)) {
            return false;
        }
        if (observer != null) {
            long took = System.nanoTime() - acceptedAt;
            notify(() -> observer.completed(java.time.Duration.ofNanos(took), status));
        }
        try {
            boolean done = store.complete(key, claim, retention);
            if (!done) {
                LOG.log(
                        Level.WARNING,
                        "dedupe key {0} was no longer claimed by this attempt when it completed; "
                                + "its lease may have expired while the handler ran",
                        key);
            }
            return done;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dedupe store failed to complete key " + key + ": " + e.getMessage());
            SettlementRetry.schedule("complete", key, () -> store.complete(key, claim, retention), leaseEndsAt);
            return false;
        }
    }

    /**
     * Gives the claim back without recording the delivery, so the provider's retry processes it. Call it when the
     * handler failed; {@link #close()} does it when neither was called.
     *
     * @return true when the store released it; false when the claim was no longer ours, the store failed (it is
     *     asked again in the background until the lease ends), or the delivery was already completed or released
     */
    public boolean release() {
        return release(0);
    }

    private boolean release(int status) {
        if (!STATE.compareAndSet(this, OPEN, RELEASED)) {
            return false;
        }
        if (observer != null) {
            long took = System.nanoTime() - acceptedAt;
            notify(() -> observer.released(java.time.Duration.ofNanos(took), status));
        }
        try {
            return store.release(key, claim);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dedupe store failed to release key " + key + ": " + e.getMessage());
            SettlementRetry.schedule("release", key, () -> store.release(key, claim), leaseEndsAt);
            return false;
        }
    }

    /**
     * Settles the delivery by the HTTP status the application answered the sender with: a 2xx completes it, anything
     * else releases it so the provider's retry processes it. Adapters call this with the status they wrote, and
     * decide nothing themselves.
     *
     * @param status the HTTP status sent to the provider
     * @return what {@link #complete()} or {@link #release()} returned
     */
    public boolean finish(int status) {
        return status >= 200 && status <= 299 ? complete(status) : release(status);
    }

    /** Runs a listener call; its failure is logged and ignored. */
    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "delivery listener failed for key " + key + ": " + e);
        }
    }

    /** Whether {@link #complete()} or {@link #release()} has run. */
    public boolean isFinished() {
        return state != OPEN;
    }

    /** Releases the claim unless the delivery was completed. */
    @Override
    public void close() {
        release();
    }

    @Override
    public String toString() {
        return "Delivery[" + key + ", "
                + switch (state) {
                    case OPEN -> "open";
                    case COMPLETED -> "completed";
                    default -> "released";
                } + "]";
    }
}
