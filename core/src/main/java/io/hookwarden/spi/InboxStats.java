package io.hookwarden.spi;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How many deliveries an inbox holds per state, and since when the oldest pending one waits: for gauges and health.
 *
 * @param counts deliveries per state; a state absent from the map has none
 * @param oldestPending when the oldest pending delivery was received; null when none is pending
 */
public record InboxStats(Map<StoredDelivery.State, Long> counts, Instant oldestPending) {
    /**
     * Copies.
     *
     * @throws NullPointerException if counts or one of its entries is null
     */
    public InboxStats {
        Objects.requireNonNull(counts, "counts cannot be null");
        Map<StoredDelivery.State, Long> copy = new EnumMap<>(StoredDelivery.State.class);
        copy.putAll(counts);
        counts = Map.copyOf(copy);
    }

    /** The number of deliveries in {@code state}. */
    public long count(StoredDelivery.State state) {
        return counts.getOrDefault(state, 0L);
    }

    /** When the oldest pending delivery was received, when one is pending. */
    public Optional<Instant> oldestPendingSince() {
        return Optional.ofNullable(oldestPending);
    }
}
