/**
 * What you implement to put Hookwarden on your own infrastructure:
 *
 * <ul>
 *   <li>{@link io.hookwarden.spi.DedupeStore}: the atomic claim behind exactly-once processing ({@link
 *       io.hookwarden.spi.Claim}, {@link io.hookwarden.spi.ClaimResult}); a store that cannot answer throws {@link
 *       io.hookwarden.spi.StoreUnavailableException}, and the receiver fails closed. {@code hookwarden-test}'s {@code
 *       DedupeStoreContractTest} checks an implementation.
 *   <li>{@link io.hookwarden.spi.Inbox}: the durable inbox an endpoint writes verified deliveries to before it answers,
 *       and workers process them from ({@link io.hookwarden.spi.InboxEntry} as written, {@link
 *       io.hookwarden.spi.StoredDelivery} as held, {@link io.hookwarden.spi.InboxLease} while a worker has one, {@link
 *       io.hookwarden.spi.InboxQuery} to find, replay and purge, {@link io.hookwarden.spi.InboxStats} for gauges).
 *       {@code hookwarden-test}'s {@code InboxContractTest} checks an implementation.
 *   <li>{@link io.hookwarden.spi.PayloadValidator}: another schema engine than the built-in JSON Schema validator.
 * </ul>
 */
package io.hookwarden.spi;
