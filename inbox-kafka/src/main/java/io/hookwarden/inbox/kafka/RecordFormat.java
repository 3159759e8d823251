package io.hookwarden.inbox.kafka;

import io.hookwarden.Headers;
import io.hookwarden.spi.InboxEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * How a delivery is a Kafka record, version 1 (docs/inbox-kafka.md says the same for consumers of their own): the
 * value is the raw body bytes; the key is the ordering key when there is one, else the dedupe key (UTF-8); every
 * other field is a header whose value is UTF-8 text, absent when the field is null. The request's kept headers follow
 * as one {@value #HTTP_HEADER_PREFIX}{@code <name>} header per value, in the order received. Stateless.
 */
final class RecordFormat {
    static final String VERSION = "hookwarden.version";
    static final String ENDPOINT = "hookwarden.endpoint";
    static final String DEDUPE_KEY = "hookwarden.dedupe-key";
    static final String SCHEME = "hookwarden.scheme";
    static final String METHOD = "hookwarden.method";
    static final String URL = "hookwarden.url";
    static final String REMOTE_ADDRESS = "hookwarden.remote-address";
    static final String EVENT_ID = "hookwarden.event-id";
    static final String EVENT_TYPE = "hookwarden.event-type";
    static final String EVENT_TIMESTAMP = "hookwarden.event-timestamp";
    static final String MATCHED_KEY = "hookwarden.matched-key";
    static final String ORDERING = "hookwarden.ordering";
    static final String ORDERING_KEY = "hookwarden.ordering-key";
    static final String SEQUENCE = "hookwarden.sequence";
    static final String RECEIVED_AT = "hookwarden.received-at";
    static final String HTTP_HEADER_PREFIX = "hookwarden.header.";

    /** Added to a dead letter: the last error, cut to {@code StoredDelivery.MAX_ERROR_LENGTH}. */
    static final String ERROR = "hookwarden.error";
    /** Added to a dead letter: how many attempts its handler had. */
    static final String ATTEMPTS = "hookwarden.attempts";
    /** Added to a dead letter: when it died (ISO-8601). */
    static final String DEAD_AT = "hookwarden.dead-at";
    /** Added to a dead letter: where it was read, {@code topic-partition@offset}. */
    static final String SOURCE = "hookwarden.source";

    static final String CURRENT_VERSION = "1";

    private RecordFormat() {}

    /** The record key: the ordering key when there is one, else the dedupe key. */
    static byte[] key(InboxEntry entry) {
        return utf8(entry.orderingKey() != null ? entry.orderingKey() : entry.dedupeKey());
    }

    static ProducerRecord<byte[], byte[]> record(String topic, InboxEntry entry) {
        RecordHeaders headers = new RecordHeaders();
        put(headers, VERSION, CURRENT_VERSION);
        put(headers, ENDPOINT, entry.endpoint());
        put(headers, DEDUPE_KEY, entry.dedupeKey());
        put(headers, SCHEME, entry.schemeId());
        put(headers, METHOD, entry.method());
        put(headers, URL, entry.url());
        put(headers, REMOTE_ADDRESS, entry.remoteAddress());
        put(headers, EVENT_ID, entry.eventId());
        put(headers, EVENT_TYPE, entry.eventType());
        put(
                headers,
                EVENT_TIMESTAMP,
                entry.eventTimestamp() == null ? null : entry.eventTimestamp().toString());
        put(headers, MATCHED_KEY, entry.matchedKey());
        put(headers, ORDERING, entry.ordering().name());
        put(headers, ORDERING_KEY, entry.orderingKey());
        put(headers, SEQUENCE, Long.toString(entry.sequence()));
        put(headers, RECEIVED_AT, entry.receivedAt().toString());
        entry.headers().forEach((name, value) -> put(headers, HTTP_HEADER_PREFIX + name, value));
        return new ProducerRecord<>(topic, null, key(entry), entry.body(), headers);
    }

    /**
     * The entry a record carries.
     *
     * @throws MalformedRecordException when a required header is missing or unreadable, or the version is not 1
     */
    static InboxEntry entry(ConsumerRecord<byte[], byte[]> record) {
        org.apache.kafka.common.header.Headers h = record.headers();
        String version = text(h, VERSION);
        if (!CURRENT_VERSION.equals(version)) {
            throw new MalformedRecordException("record format version " + version + " is not " + CURRENT_VERSION);
        }
        Headers.Builder kept = Headers.builder();
        for (Header header : h) {
            if (header.key().startsWith(HTTP_HEADER_PREFIX) && header.value() != null) {
                kept.add(
                        header.key().substring(HTTP_HEADER_PREFIX.length()),
                        new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        try {
            return new InboxEntry(
                    required(h, ENDPOINT),
                    required(h, DEDUPE_KEY),
                    required(h, SCHEME),
                    required(h, METHOD),
                    text(h, URL),
                    kept.build(),
                    record.value() == null ? new byte[0] : record.value(),
                    text(h, REMOTE_ADDRESS),
                    text(h, EVENT_ID),
                    text(h, EVENT_TYPE),
                    instant(text(h, EVENT_TIMESTAMP), EVENT_TIMESTAMP),
                    required(h, MATCHED_KEY),
                    text(h, ORDERING_KEY),
                    InboxEntry.Ordering.valueOf(required(h, ORDERING)),
                    Long.parseLong(required(h, SEQUENCE)),
                    instant(required(h, RECEIVED_AT), RECEIVED_AT));
        } catch (IllegalArgumentException e) { // a bad enum, number or key length
            throw new MalformedRecordException("record does not hold an inbox entry: " + e.getMessage());
        }
    }

    /** Where a record was read: {@code topic-partition@offset}. */
    static String source(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    static void put(org.apache.kafka.common.header.Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, utf8(value));
        }
    }

    /** The last value of a header as text; null when absent. */
    static String text(org.apache.kafka.common.header.Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String required(org.apache.kafka.common.header.Headers headers, String name) {
        String value = text(headers, name);
        if (value == null) {
            throw new MalformedRecordException("record has no " + name + " header");
        }
        return value;
    }

    private static Instant instant(String text, String name) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedRecordException("record header " + name + " is not an ISO-8601 instant");
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A record on the topic that is not an inbox entry: it can never be handled, so it goes to the dead letters. */
    static final class MalformedRecordException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedRecordException(String message) {
            super(message);
        }
    }
}
