package io.hookwarden;

import io.hookwarden.spi.Inbox;

/**
 * A handler that an {@link InboxWorker} runs inside a transaction of its inbox ({@link Inbox#completeWith}): what it
 * writes to the inbox's database commits together with the delivery's completion, or not at all, so those effects
 * happen exactly once even when the handler runs again after a crash, a lost lease or a failed commit. Made by an
 * inbox that has transactions, such as {@code JdbcInbox.transactional(...)}.
 *
 * <p>Everything else the handler does (a call to another service, a write to another store) is at least once, as with
 * any handler: make it idempotent. It holds a database connection and a transaction for as long as it runs, so keep it
 * short.
 */
public interface TransactionalHandler extends WebhookReceiver.Handler {
    /** The inbox whose transactions this handler runs in; an {@link InboxWorker} over another inbox refuses it. */
    Inbox inbox();
}
