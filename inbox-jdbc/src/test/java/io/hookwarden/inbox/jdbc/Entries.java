package io.hookwarden.inbox.jdbc;

import io.hookwarden.Headers;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxEntry.Ordering;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.StoredDelivery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Entries and leases for the module's own tests. */
final class Entries {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Entries() {}

    static InboxEntry entry(String endpoint, String key) {
        return ordered(endpoint, key, null, Ordering.NONE, 0);
    }

    static InboxEntry ordered(String endpoint, String key, String orderingKey, Ordering ordering, long sequence) {
        return new InboxEntry(
                endpoint,
                key,
                "standard-webhooks",
                "POST",
                null,
                Headers.builder().add("webhook-id", key).build(),
                ("{\"id\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8),
                null,
                key,
                "invoice.paid",
                null,
                "primary",
                orderingKey,
                ordering,
                sequence,
                T0);
    }

    /** A lease on a delivery no inbox holds. */
    static InboxLease lease(String id) {
        StoredDelivery d = new StoredDelivery(id, entry("e", "k"), StoredDelivery.State.IN_FLIGHT, 1, T0, null, T0);
        return new InboxLease(d, "token", T0);
    }
}
