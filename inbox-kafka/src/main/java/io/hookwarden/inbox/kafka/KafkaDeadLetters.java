package io.hookwarden.inbox.kafka;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The dead letters of a Kafka inbox ({@code <topic>.DLT}, written by {@link KafkaInboxWorker}): {@link #list} the ones
 * not replayed yet, and {@link #replay} them, each republished to the main topic as it was first published (its key,
 * body and headers, without the dead-letter headers), so the workers run it again.
 *
 * <pre>{@code
 * try (KafkaDeadLetters dead = KafkaDeadLetters.builder().bootstrapServers("kafka-1:9092").topic("webhooks").build()) {
 *     dead.list(100).forEach(System.out::println);
 *     int replayed = dead.replay();
 * }
 * }</pre>
 *
 * <p>Which dead letters were replayed is the offset of a consumer group of the dead-letter topic ({@code
 * <topic>.DLT.replay} by default): a replay takes those after it, up to the end the topic had when the replay began,
 * and commits past each batch once the main topic acknowledged it. A replay cut short publishes some again the next
 * time; the workers' dedupe store makes a delivery published twice run once. A delivery that dies again after a replay
 * is a new dead letter. Not thread-safe: one replay at a time.
 */
public final class KafkaDeadLetters implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long a read of the dead letters waits for the records it knows are there before it gives up. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final String deadLetterTopic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Duration writeTimeout;

    /**
     * One dead letter, as a person reads it.
     *
     * @param partition its partition of the dead-letter topic
     * @param offset its offset there
     * @param endpoint the endpoint it was received at; null when the record was not an inbox entry
     * @param dedupeKey its dedupe key; null when the record was not an inbox entry
     * @param eventId the event's id; null when unknown
     * @param eventType the event's type; null when unknown
     * @param attempts how many attempts its handler had
     * @param error the last error, free of secrets
     * @param deadAt when it died; null when unknown
     * @param source where the worker read it, {@code topic-partition@offset}
     */
    public record DeadLetter(
            int partition,
            long offset,
            String endpoint,
            String dedupeKey,
            String eventId,
            String eventType,
            int attempts,
            String error,
            Instant deadAt,
            String source) {}

    private KafkaDeadLetters(Builder b) {
        this.topic = b.topic;
        this.deadLetterTopic = b.topic + KafkaInbox.DEAD_LETTER_SUFFIX;
        this.writeTimeout = KafkaInbox.DEFAULT_WRITE_TIMEOUT;
        Map<String, Object> c = new HashMap<>(b.properties);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, b.groupId == null ? deadLetterTopic + ".replay" : b.groupId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(c);
        this.producer = new KafkaProducer<>(
                KafkaInboxWorker.deadLetterProducerConfig(b.bootstrapServers, b.properties, writeTimeout));
    }

    /** A builder; the bootstrap servers and the main topic are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The main topic that replays publish to. */
    public String topic() {
        return topic;
    }

    /** The dead-letter topic. */
    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    /**
     * The dead letters not replayed yet, oldest first per partition, at most {@code max}; changes nothing.
     *
     * @throws IllegalArgumentException if max is below 1
     * @throws org.apache.kafka.common.KafkaException when the brokers cannot answer
     */
    public List<DeadLetter> list(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1 but was " + max);
        }
        List<DeadLetter> out = new ArrayList<>();
        read(max, batch -> {
            for (ConsumerRecord<byte[], byte[]> r : batch) {
                out.add(describe(r));
            }
        });
        return out;
    }

    /**
     * Republishes every dead letter not replayed yet to the main topic, and marks them replayed.
     *
     * @return how many were republished
     * @throws org.apache.kafka.common.KafkaException when the brokers cannot answer (those republished so far are
     *     marked replayed only when their batch was)
     * @throws IllegalStateException when the main topic did not acknowledge a republished record in time (nothing of
     *     that batch is marked replayed)
     */
    public int replay() {
        int[] count = {0};
        read(Integer.MAX_VALUE, batch -> {
            List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
            Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : batch) {
                RecordHeaders headers = new RecordHeaders();
                for (Header h : r.headers()) {
                    if (!KafkaInboxWorker.isDeadLetterHeader(h.key())) {
                        headers.add(h);
                    }
                }
                sent.add(producer.send(new ProducerRecord<>(topic, null, r.key(), r.value(), headers)));
                next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            for (Future<RecordMetadata> f : sent) {
                try {
                    f.get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("replay to " + topic + " interrupted", e);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException(
                            "topic " + topic + " did not acknowledge a replayed dead letter: " + e, e);
                }
            }
            consumer.commitSync(next);
            count[0] += batch.size();
        });
        return count[0];
    }

    private interface Batch {
        void accept(List<ConsumerRecord<byte[], byte[]>> records);
    }

    /** Reads from the group's position to the end the topic had at the start, at most {@code max}, in batches. */
    private void read(int max, Batch each) {
        List<PartitionInfo> infos = consumer.partitionsFor(deadLetterTopic, writeTimeout);
        if (infos == null || infos.isEmpty()) {
            return; // no dead letter was ever written
        }
        Set<TopicPartition> partitions = new HashSet<>();
        for (PartitionInfo info : infos) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        consumer.assign(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, writeTimeout);
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata at = committed.get(tp);
            if (at == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, at.offset());
            }
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, writeTimeout);
        int taken = 0;
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (taken < max && !done(partitions, end)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(
                        "dead letters of " + deadLetterTopic + " could not be read within " + READ_TIMEOUT);
            }
            List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() < end.get(tp) && taken < max) {
                    batch.add(r);
                    taken++;
                }
            }
            for (TopicPartition tp : partitions) {
                if (consumer.position(tp) >= end.get(tp)) {
                    consumer.pause(List.of(tp)); // past the end the replay began with: newer ones wait for the next
                }
            }
            if (!batch.isEmpty()) {
                each.accept(batch);
            }
        }
        consumer.unsubscribe();
    }

    private boolean done(Set<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    private static DeadLetter describe(ConsumerRecord<byte[], byte[]> r) {
        var h = r.headers();
        int attempts;
        try {
            attempts = Integer.parseInt(Objects.requireNonNullElse(RecordFormat.text(h, RecordFormat.ATTEMPTS), "0"));
        } catch (NumberFormatException e) {
            attempts = 0;
        }
        Instant deadAt;
        try {
            String at = RecordFormat.text(h, RecordFormat.DEAD_AT);
            deadAt = at == null ? null : Instant.parse(at);
        } catch (DateTimeParseException e) {
            deadAt = null;
        }
        return new DeadLetter(
                r.partition(),
                r.offset(),
                RecordFormat.text(h, RecordFormat.ENDPOINT),
                RecordFormat.text(h, RecordFormat.DEDUPE_KEY),
                RecordFormat.text(h, RecordFormat.EVENT_ID),
                RecordFormat.text(h, RecordFormat.EVENT_TYPE),
                attempts,
                RecordFormat.text(h, RecordFormat.ERROR),
                deadAt,
                RecordFormat.text(h, RecordFormat.SOURCE));
    }

    /** Closes the clients. */
    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(writeTimeout));
        producer.close(writeTimeout);
    }

    @Override
    public String toString() {
        return "KafkaDeadLetters[" + deadLetterTopic + " -> " + topic + "]";
    }

    /** Configures {@link KafkaDeadLetters}. Each option may be set once. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Object> properties = new HashMap<>();
        private boolean propertiesSet;
        private String bootstrapServers;
        private String topic;
        private String groupId;

        private Builder() {}

        /**
         * The brokers to connect to first.
         *
         * @throws IllegalArgumentException if blank
         * @throws IllegalStateException if already set
         */
        public Builder bootstrapServers(String servers) {
            once(bootstrapServers, "bootstrapServers");
            this.bootstrapServers = KafkaInbox.nonBlank(servers, "bootstrapServers");
            return this;
        }

        /**
         * The main topic: dead letters are read from it with {@value KafkaInbox#DEAD_LETTER_SUFFIX}, replays go to it.
         *
         * @throws IllegalArgumentException if blank
         * @throws IllegalStateException if already set
         */
        public Builder topic(String topic) {
            once(this.topic, "topic");
            this.topic = KafkaInbox.nonBlank(topic, "topic");
            return this;
        }

        /**
         * The consumer group whose offsets on the dead-letter topic say what was replayed; default {@code
         * <topic>.DLT.replay}.
         *
         * @throws IllegalArgumentException if blank
         * @throws IllegalStateException if already set
         */
        public Builder groupId(String groupId) {
            once(this.groupId, "groupId");
            this.groupId = KafkaInbox.nonBlank(groupId, "groupId");
            return this;
        }

        /**
         * More client properties (TLS, SASL...), for the consumer and the producer alike.
         *
         * @throws NullPointerException if null
         * @throws IllegalStateException if already set
         */
        public Builder properties(Map<String, ?> properties) {
            if (propertiesSet) {
                throw new IllegalStateException("properties was already set");
            }
            this.properties.putAll(Objects.requireNonNull(properties, "properties cannot be null"));
            propertiesSet = true;
            return this;
        }

        /**
         * The clients, connected.
         *
         * @throws IllegalStateException if the bootstrap servers or the topic are missing
         */
        public KafkaDeadLetters build() {
            if (bootstrapServers == null) {
                throw new IllegalStateException("bootstrapServers is required");
            }
            if (topic == null) {
                throw new IllegalStateException("topic is required");
            }
            return new KafkaDeadLetters(this);
        }

        private static void once(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
        }
    }
}
