package io.hookwarden.spring;

import io.hookwarden.spi.Inbox;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An inbox that only writes, whose deliveries are consumed elsewhere (a Kafka topic, read by its own workers): it
 * cannot count, list, replay or purge what it holds, so the inbox's health and Actuator endpoint skip it, saying so, the
 * inbox meters leave it out, and the core's workers do not claim from it. Free of Kafka's types, so that asking loads
 * nothing optional.
 */
interface WriteOnlyInbox {
    /** {@code io.hookwarden.inbox.kafka.KafkaInbox}, as an application may declare it as its own Inbox bean. */
    String KAFKA_INBOX = "io.hookwarden.inbox.kafka.KafkaInbox";

    /** What the health and the Actuator endpoint show for the endpoint, in place of its counts. */
    Map<String, Object> describe(String endpoint);

    /** Whether the inbox only writes: one of these, or a {@code KafkaInbox} of the application's. */
    static boolean is(Inbox inbox) {
        return inbox instanceof WriteOnlyInbox || inbox.getClass().getName().equals(KAFKA_INBOX);
    }

    /** What to show for an endpoint on a write-only inbox. */
    static Map<String, Object> details(Inbox inbox, String endpoint) {
        if (inbox instanceof WriteOnlyInbox writeOnly) {
            return writeOnly.describe(endpoint);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("store", "kafka");
        out.put("skipped", SKIPPED);
        return out;
    }

    /** Why a write-only inbox has no counts. */
    String SKIPPED = "the Kafka inbox only writes to its topic: its pending deliveries are the consumer group's lag,"
            + " its dead letters are on <topic>.DLT (KafkaDeadLetters, or the CLI's kafka-inbox list and replay)";
}
