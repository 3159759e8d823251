package io.hookwarden.spi;

import io.hookwarden.Headers;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A verified delivery as a receiver writes it to an {@link Inbox}: the request as received (the raw body bytes, the
 * method, the URL, the headers the scheme reads, never a header that carries a secret), and what the receiver learned
 * from it (the scheme, the event's id, type and timestamp, the label of the key that matched, the ordering key). Enough
 * for a worker to hand the handler the same {@code VerifiedWebhook} the request would have had, and for an operator to
 * verify the stored delivery again; never a secret.
 *
 * <p>The pair ({@link #endpoint()}, {@link #dedupeKey()}) is unique in an inbox: writing it again is a duplicate. An
 * inbox keeps {@link #receivedAt()} and {@link #eventTimestamp()} to the millisecond (the receiver writes them so).
 *
 * @param endpoint the receiving endpoint's name
 * @param dedupeKey the delivery's dedupe key, at most 512 characters
 * @param schemeId the id of the scheme that verified it
 * @param method the HTTP method, upper case
 * @param url the URL as addressed (its query dropped unless the scheme signs it); null when unknown
 * @param headers the headers kept: those the scheme reads, without secrets
 * @param body the raw body bytes (copied in and out)
 * @param remoteAddress the sender's address; null when unknown
 * @param eventId the delivery's or event's id; null when the scheme carries none
 * @param eventType the event type; null when unknown
 * @param eventTimestamp the provider's signed timestamp; null when the scheme signs none
 * @param matchedKey the label of the key that verified it
 * @param orderingKey the key events are ordered by (for example a Stripe object's id), at most {@value
 *     #MAX_KEY_LENGTH} characters; null when unordered
 * @param ordering how events with the same {@code orderingKey} are ordered; {@link Ordering#NONE} when no key
 * @param sequence where the event stands among those of its ordering key (the provider's timestamp in milliseconds, or
 *     a sequence field); 0 when unordered
 * @param receivedAt when the receiver accepted it
 */
public record InboxEntry(
        String endpoint,
        String dedupeKey,
        String schemeId,
        String method,
        String url,
        Headers headers,
        byte[] body,
        String remoteAddress,
        String eventId,
        String eventType,
        Instant eventTimestamp,
        String matchedKey,
        String orderingKey,
        Ordering ordering,
        long sequence,
        Instant receivedAt) {
    /** The longest dedupe key and ordering key an inbox must hold. */
    public static final int MAX_KEY_LENGTH = 512;
    /** The longest endpoint name, event id, event type and key label an inbox must hold. */
    public static final int MAX_TEXT_LENGTH = 1024;

    /** How an endpoint orders the events of one ordering key; providers promise no order, so this is the receiver's. */
    public enum Ordering {
        /** Any order, in parallel. */
        NONE,
        /**
         * One at a time per key, in {@link #sequence()} order (then the order written): an entry waits while an
         * earlier one of its key is pending, in flight or dead. A dead head freezes its key until it is replayed and
         * completes, or is purged.
         */
        STRICT,
        /**
         * One at a time per key, in {@link #sequence()} order among those due (a dead entry does not block its key),
         * and an entry whose sequence is below that of an entry of its key already completed is skipped (recorded as
         * {@link StoredDelivery.State#SKIPPED}), never handled. The guard remembers completed entries only while the
         * inbox keeps them (the retention window).
         */
        LATEST
    }

    /**
     * Checks and copies.
     *
     * @throws NullPointerException if a required component is null (all but url, remoteAddress, eventId, eventType,
     *     eventTimestamp and orderingKey)
     * @throws IllegalArgumentException if the dedupe key or the ordering key is empty or longer than {@value
     *     #MAX_KEY_LENGTH}, the endpoint, event id, event type or matched key is longer than {@value #MAX_TEXT_LENGTH},
     *     one of these holds a NUL character (which databases refuse in text), or an ordering is given without a key
     */
    public InboxEntry {
        Objects.requireNonNull(endpoint, "endpoint cannot be null");
        Objects.requireNonNull(dedupeKey, "dedupeKey cannot be null");
        Objects.requireNonNull(schemeId, "schemeId cannot be null");
        Objects.requireNonNull(method, "method cannot be null");
        Objects.requireNonNull(headers, "headers cannot be null");
        Objects.requireNonNull(body, "body cannot be null");
        Objects.requireNonNull(matchedKey, "matchedKey cannot be null");
        Objects.requireNonNull(ordering, "ordering cannot be null");
        Objects.requireNonNull(receivedAt, "receivedAt cannot be null");
        text(endpoint, "endpoint");
        text(eventId, "eventId");
        text(eventType, "eventType");
        text(matchedKey, "matchedKey");
        text(dedupeKey, "dedupeKey");
        text(orderingKey, "orderingKey");
        if (dedupeKey.isEmpty() || dedupeKey.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "dedupeKey must have 1 to " + MAX_KEY_LENGTH + " characters but had " + dedupeKey.length());
        }
        if (orderingKey != null && (orderingKey.isEmpty() || orderingKey.length() > MAX_KEY_LENGTH)) {
            throw new IllegalArgumentException(
                    "orderingKey must have 1 to " + MAX_KEY_LENGTH + " characters but had " + orderingKey.length());
        }
        if ((orderingKey == null) != (ordering == Ordering.NONE)) {
            throw new IllegalArgumentException(
                    "ordering " + ordering + " needs an ordering key exactly when it is not NONE");
        }
        body = body.clone();
    }

    private static void text(String value, String name) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException(
                    name + " must have at most " + MAX_TEXT_LENGTH + " characters but had " + value.length());
        }
        if (value.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException(name + " cannot hold a NUL character");
        }
    }

    /** A copy of the raw body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InboxEntry e
                && endpoint.equals(e.endpoint)
                && dedupeKey.equals(e.dedupeKey)
                && schemeId.equals(e.schemeId)
                && method.equals(e.method)
                && Objects.equals(url, e.url)
                && headers.equals(e.headers)
                && Arrays.equals(body, e.body)
                && Objects.equals(remoteAddress, e.remoteAddress)
                && Objects.equals(eventId, e.eventId)
                && Objects.equals(eventType, e.eventType)
                && Objects.equals(eventTimestamp, e.eventTimestamp)
                && matchedKey.equals(e.matchedKey)
                && Objects.equals(orderingKey, e.orderingKey)
                && ordering == e.ordering
                && sequence == e.sequence
                && receivedAt.equals(e.receivedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint, dedupeKey, eventId, Arrays.hashCode(body));
    }

    /** Endpoint, dedupe key, event id and type, body length: never header values or the body. */
    @Override
    public String toString() {
        return "InboxEntry[" + endpoint + " " + dedupeKey + ", id=" + eventId + ", type=" + eventType + ", "
                + body.length + " bytes]";
    }
}
