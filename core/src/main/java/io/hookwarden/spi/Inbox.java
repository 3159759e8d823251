package io.hookwarden.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where an endpoint with an inbox writes each verified delivery before it answers 2xx, and where workers take them
 * from: acknowledge at once, process later, with retries, dead letters and replay.
 *
 * <p>The write is the dedupe: one delivery per (endpoint, dedupe key), so a provider's retry of a delivery the inbox
 * holds (pending, in flight, completed within retention, or dead) is a {@link Written#DUPLICATE}. Workers {@link
 * #claim} due deliveries with a lease, extend it while the handler runs ({@link #heartbeat}), and settle each one:
 * {@link #complete}, {@link #retry} later, {@link #bury} as dead, or {@link #skip} as stale. Every settling call acts
 * only for a lease that still holds: same owner token, and its end not yet reached by the inbox's clock. A worker whose
 * lease ran out (it stalled, or crashed and came back) can change nothing, whether or not another worker has claimed
 * the delivery since; it is simply taken again. A lease that runs out makes the delivery claimable again, so a crashed
 * worker's delivery is processed by another: delivery to handlers is at least once.
 *
 * <p>Implementations are thread-safe and shared by every replica and worker of the endpoints they serve; they keep no
 * secret (an {@link InboxEntry} holds none). Every method throws {@link StoreUnavailableException} when the store cannot
 * answer: the receiver then answers 503 and never 2xx, and workers back off. Time (due dates, leases) is the
 * implementation's clock. Run {@code InboxContractTest} from {@code hookwarden-test} against an implementation.
 */
public interface Inbox {
    /** What became of a {@link #write}. */
    enum Written {
        /** Stored durably: answer 2xx. */
        ADDED,
        /** The inbox already holds a delivery with this endpoint and dedupe key. */
        DUPLICATE
    }

    /**
     * Stores a delivery durably, pending and due at once, unless one with its endpoint and dedupe key is held.
     * Returns only once the delivery would survive the process (committed, acknowledged).
     *
     * @return {@link Written#ADDED}, or {@link Written#DUPLICATE} when held already (nothing changed)
     * @throws StoreUnavailableException when the store cannot answer or did not confirm the write
     */
    Written write(InboxEntry entry);

    /**
     * Takes up to {@code max} deliveries that are due, for a worker: pending ones whose next attempt is due, and in-flight
     * ones whose lease ran out, oldest first, honouring each one's {@link InboxEntry.Ordering}. Each is leased until now
     * plus {@code lease}, its attempts counted up by one; no other call returns it while the lease holds.
     *
     * @param endpoints the endpoints this worker serves; not empty
     * @param max the most deliveries to take; positive
     * @param lease how long each is held; positive
     * @return the leases taken, possibly none
     * @throws StoreUnavailableException when the store cannot answer
     */
    List<InboxLease> claim(Collection<String> endpoints, int max, Duration lease);

    /**
     * Extends a lease while its handler runs, to now plus {@code lease}.
     *
     * @return the lease with its new end, or empty when it no longer owns the delivery (stop: another worker may
     *     have it)
     * @throws StoreUnavailableException when the store cannot answer
     */
    Optional<InboxLease> heartbeat(InboxLease lease, Duration extension);

    /**
     * Records the handler's success: the delivery stays, completed, as a duplicate until purged.
     *
     * @return true when recorded; false when the lease no longer owns the delivery
     * @throws StoreUnavailableException when the store cannot answer
     */
    boolean complete(InboxLease lease);

    /**
     * Records several handlers' successes at once, each as {@link #complete} would (each only while its own lease
     * still holds): a worker whose handlers finish together settles them in one round trip. The default completes
     * them one after another; a store that can do better (one batch in one transaction) overrides it.
     *
     * @return for each lease, in its order, whether it was recorded (false: that lease no longer owns its delivery)
     * @throws NullPointerException if leases or one of them is null (then none is recorded)
     * @throws StoreUnavailableException when the store cannot answer; some of the leases may have been recorded
     *     before it failed, and the others are taken again when their leases run out
     */
    default List<Boolean> completeAll(List<InboxLease> leases) {
        Objects.requireNonNull(leases, "leases cannot be null");
        for (InboxLease lease : leases) {
            Objects.requireNonNull(lease, "lease cannot be null"); // before any is recorded
        }
        List<Boolean> recorded = new ArrayList<>(leases.size());
        for (InboxLease lease : leases) {
            recorded.add(complete(lease));
        }
        return recorded;
    }

    /**
     * Runs {@code work} (a handler) and records the delivery's completion in one transaction of the store, when the
     * store has transactions: what the work wrote to the store's database through the transaction commits together
     * with the completion, or neither does. An inbox without transactions (the default) refuses.
     *
     * <p>The completion is recorded only while the lease still holds, as {@link #complete} does; when it no longer
     * does, the transaction is rolled back, the work's writes with it, and the answer is false.
     *
     * @return true when the work ran and the completion was committed with its writes; false when the lease no longer
     *     owns the delivery (nothing was committed)
     * @throws Exception what the work threw, as it threw it, after rolling back its writes
     * @throws StoreUnavailableException when the store failed to open, settle or commit the transaction (nothing was
     *     committed)
     * @throws UnsupportedOperationException when the store has no transactions
     */
    default boolean completeWith(InboxLease lease, Work work) throws Exception {
        throw new UnsupportedOperationException(getClass().getName()
                + " has no transactions to run a handler in; use a handler that is not transactional");
    }

    /** A handler's run inside {@link #completeWith}. */
    @FunctionalInterface
    interface Work {
        /** Runs the handler. */
        void run() throws Exception;
    }

    /**
     * Records a failed attempt: the delivery is pending again, due at {@code notBefore}.
     *
     * @param error what failed, cut to {@link StoredDelivery#MAX_ERROR_LENGTH}; never a secret
     * @return true when recorded; false when the lease no longer owns the delivery
     * @throws StoreUnavailableException when the store cannot answer
     */
    boolean retry(InboxLease lease, Instant notBefore, String error);

    /**
     * Records the delivery as dead (out of attempts, or poison): kept, with its attempts and error, until replayed or
     * purged.
     *
     * @return true when recorded; false when the lease no longer owns the delivery
     * @throws StoreUnavailableException when the store cannot answer
     */
    boolean bury(InboxLease lease, String error);

    /**
     * Records the delivery as skipped: an event of its ordering key with a higher sequence was completed already.
     *
     * @return true when recorded; false when the lease no longer owns the delivery
     * @throws StoreUnavailableException when the store cannot answer
     */
    boolean skip(InboxLease lease, String why);

    /**
     * The highest {@link InboxEntry#sequence()} completed for an ordering key, for {@link InboxEntry.Ordering#LATEST}.
     *
     * @return the sequence, or empty when none of the key's deliveries was completed (or all were purged)
     * @throws StoreUnavailableException when the store cannot answer
     */
    OptionalLong completedSequence(String endpoint, String orderingKey);

    /**
     * One stored delivery.
     *
     * @throws StoreUnavailableException when the store cannot answer
     */
    Optional<StoredDelivery> get(String id);

    /**
     * The stored deliveries matching {@code query}, most recently received first, at most {@link InboxQuery#limit()}.
     *
     * @throws StoreUnavailableException when the store cannot answer
     */
    List<StoredDelivery> find(InboxQuery query);

    /**
     * Makes matching dead and skipped deliveries pending again, due at once, with their attempts back to zero (their
     * last error kept until the next attempt). Completed deliveries are replayed only when the query names {@link
     * StoredDelivery.State#COMPLETED} among its states; pending and in-flight ones never change.
     *
     * @return how many were replayed
     * @throws StoreUnavailableException when the store cannot answer
     */
    int replay(InboxQuery query);

    /**
     * {@link #replay(InboxQuery)} for one delivery, in any state but pending and in flight.
     *
     * @return true when replayed; false when there is no such delivery, or it is pending or in flight
     * @throws StoreUnavailableException when the store cannot answer
     */
    boolean replay(String id);

    /**
     * Deletes matching deliveries, except in-flight ones. A purged delivery's key is free: the provider's next retry of
     * it is new.
     *
     * @return how many were deleted
     * @throws StoreUnavailableException when the store cannot answer
     */
    int purge(InboxQuery query);

    /**
     * Deletes up to {@code batch} completed and skipped deliveries last changed before {@code before}: the retention
     * sweep, run often in small batches so it never holds the store for long.
     *
     * @return how many were deleted (fewer than {@code batch} when the sweep is done)
     * @throws StoreUnavailableException when the store cannot answer
     */
    int purgeSettled(Instant before, int batch);

    /**
     * Counts per state and the oldest pending delivery, for one endpoint or (with null) all.
     *
     * @throws StoreUnavailableException when the store cannot answer
     */
    InboxStats stats(String endpoint);
}
