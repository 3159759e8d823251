package io.hookwarden.spring;

import io.hookwarden.inbox.kafka.KafkaInbox;
import io.hookwarden.inbox.kafka.KafkaWriteOnlyInbox;
import io.hookwarden.spi.InboxEntry;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * The inbox {@code hookwarden.inbox.store=kafka} builds: one {@link KafkaInbox} per topic, each endpoint writing to its
 * own ({@code hookwarden.inbox.kafka.topics.<endpoint>}, else the pattern {@code hookwarden.inbox.kafka.topic} with
 * {@code {endpoint}} replaced by its name). Like a {@code KafkaInbox}, it only writes: the other methods throw {@link
 * UnsupportedOperationException} naming what to use instead. Thread-safe.
 */
final class KafkaInboxes extends KafkaWriteOnlyInbox implements WriteOnlyInbox, AutoCloseable {
    /** The default topic pattern. */
    static final String DEFAULT_TOPIC = "hookwarden.{endpoint}";

    private final String pattern;
    private final Map<String, String> topics;
    private final Function<String, KafkaInbox> factory;
    private final Map<String, KafkaInbox> byTopic = new ConcurrentHashMap<>();

    /**
     * @param pattern the topic pattern, {@code {endpoint}} standing for the endpoint's name
     * @param topics the topics of endpoints named apart
     * @param endpoints the endpoints writing here, whose inboxes are built now (a bad value fails start-up)
     * @param factory builds the inbox of a topic
     * @throws WebhookConfigurationException naming the property, if a topic is not a legal Kafka topic name or an inbox
     *     cannot be built
     */
    KafkaInboxes(
            String pattern,
            Map<String, String> topics,
            Collection<String> endpoints,
            Function<String, KafkaInbox> factory) {
        this.pattern = pattern;
        this.topics = Map.copyOf(topics);
        this.factory = factory;
        for (String endpoint : endpoints) {
            inbox(endpoint);
        }
    }

    /** The topic of an endpoint's deliveries. */
    String topic(String endpoint) {
        String own = topics.get(endpoint);
        return own != null ? own : pattern.replace("{endpoint}", endpoint);
    }

    /** The property an endpoint's topic comes from. */
    String topicProperty(String endpoint) {
        return topics.containsKey(endpoint)
                ? "hookwarden.inbox.kafka.topics." + endpoint
                : "hookwarden.inbox.kafka.topic";
    }

    /**
     * The inbox of an endpoint's topic, built on first use.
     *
     * @throws WebhookConfigurationException naming the property, if the topic is not a legal Kafka topic name or the
     *     inbox cannot be built
     */
    KafkaInbox inbox(String endpoint) {
        String topic = topic(endpoint);
        KafkaInbox inbox = byTopic.get(topic);
        if (inbox != null) {
            return inbox;
        }
        try {
            Topic.validate(topic);
        } catch (InvalidTopicException e) {
            throw new WebhookConfigurationException(
                    topicProperty(endpoint),
                    "the topic of endpoint " + endpoint + ", " + topic + ", is refused: " + e.getMessage(),
                    "Give a topic of letters, digits, '.', '_' and '-', at most 249 characters; {endpoint} stands for"
                            + " the endpoint's name.",
                    e);
        }
        return byTopic.computeIfAbsent(topic, factory);
    }

    /** The inboxes built so far, by topic. */
    Map<String, KafkaInbox> inboxes() {
        return Map.copyOf(byTopic);
    }

    @Override
    public Written write(InboxEntry entry) {
        return inbox(entry.endpoint()).write(entry);
    }

    @Override
    public Map<String, Object> describe(String endpoint) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("store", "kafka");
        out.put("topic", topic(endpoint));
        out.put("deadLetterTopic", topic(endpoint) + KafkaInbox.DEAD_LETTER_SUFFIX);
        out.put("skipped", WriteOnlyInbox.SKIPPED);
        return out;
    }

    @Override
    public void close() {
        KafkaException first = null;
        for (KafkaInbox inbox : byTopic.values()) {
            try {
                inbox.close();
            } catch (KafkaException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "KafkaInboxes" + byTopic.keySet();
    }

    /** The topics written to, as the refusals of {@link KafkaWriteOnlyInbox} name them. */
    @Override
    protected Collection<String> topics() {
        return List.copyOf(byTopic.keySet());
    }
}
