/**
 * What you implement to put Hookwarden on your own infrastructure:
 *
 * <ul>
 *   <li>{@link io.hookwarden.spi.DedupeStore}: the atomic claim behind exactly-once processing ({@link
 *       io.hookwarden.spi.Claim}, {@link io.hookwarden.spi.ClaimResult}); a store that cannot answer throws {@link
 *       io.hookwarden.spi.StoreUnavailableException}, and the receiver fails closed. {@code hookwarden-test}'s {@code
 *       DedupeStoreContractTest} checks an implementation.
 *   <li>{@link io.hookwarden.spi.PayloadValidator}: another schema engine than the built-in JSON Schema validator.
 * </ul>
 */
package io.hookwarden.spi;
