package io.hookwarden.spi;

import java.time.Duration;

/**
 * Where a receiver records which deliveries it has processed, so that each event's handler runs to success exactly
 * once per retention window, even when the provider retries or several replicas receive the same event.
 *
 * <p>The protocol has three steps. {@link #claim} takes a lease on a key before the handler runs; {@link #complete}
 * marks it done after the handler succeeded; {@link #release} gives it back after the handler failed, so the
 * provider's retry can process the event. A claim carries an owner token: complete and release act only for the
 * owner, so a holder whose lease expired and was claimed again elsewhere can neither complete nor delete the new
 * claim. An expired lease (a crashed worker) can be claimed again.
 *
 * <p>Implementations are thread-safe, and shared by every replica that receives the same endpoint. Every method
 * throws {@link StoreUnavailableException} when the store cannot answer; the receiver then fails closed
 * ({@code STORE_UNAVAILABLE}, 503) and never processes a delivery it could not claim. Run {@code
 * DedupeStoreContractTest} from {@code hookwarden-test} against an implementation.
 */
public interface DedupeStore {
    /**
     * Takes the key for processing.
     *
     * @param key the dedupe key, at most 512 characters
     * @param lease how long the claim holds before another attempt may take it over; positive
     * @return {@link ClaimResult.Status#CLAIMED} with a new owner token, {@link ClaimResult.Status#DUPLICATE} when the
     *     key was completed within its retention, or {@link ClaimResult.Status#IN_PROGRESS} when another attempt
     *     holds a live lease
     * @throws StoreUnavailableException when the store cannot answer
     */
    ClaimResult claim(String key, Duration lease);

    /**
     * Marks the key processed, for the retention window, if {@code claim} still owns it.
     *
     * @param retention how long the key stays a duplicate; positive
     * @return true when recorded; false when the claim no longer owns the key (its lease expired and it was claimed
     *     again, or it was completed or released already)
     * @throws StoreUnavailableException when the store cannot answer
     */
    boolean complete(String key, Claim claim, Duration retention);

    /**
     * Gives the key back, if {@code claim} still owns it, so a later attempt can claim it at once.
     *
     * @return true when released; false when the claim no longer owns the key
     * @throws StoreUnavailableException when the store cannot answer
     */
    boolean release(String key, Claim claim);
}
