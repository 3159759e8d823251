package io.hookwarden.inbox.kafka;

import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.StoreUnavailableException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer side of the inbox on Kafka: what an endpoint's receiver {@link
 * io.hookwarden.WebhookReceiver.Builder#inbox writes to}. Each {@link #write} publishes the delivery as one record
 * (the raw body as its value, its metadata as headers, keyed by its ordering key or else its dedupe key: see
 * docs/inbox-kafka.md) with an idempotent producer and {@code acks=all}, and returns only once the broker
 * acknowledged it; when it did not within the {@link Builder#writeTimeout write timeout}, {@link
 * StoreUnavailableException}, so the receiver answers 503 and the provider retries.
 *
 * <pre>{@code
 * KafkaInbox inbox = KafkaInbox.builder()
 *         .bootstrapServers("kafka-1:9092,kafka-2:9092")
 *         .topic("webhooks")
 *         .build();
 * WebhookReceiver receiver = WebhookReceiver.builder().name("stripe").verifier(verifier).inbox(inbox).build();
 * }</pre>
 *
 * <p><b>Only the write.</b> A topic cannot refuse a record it holds already, nor lease, settle, find or purge one: so
 * {@link #write} never answers {@link Inbox.Written#DUPLICATE} (a provider's retry is published again, and the
 * consumer's dedupe store makes it a duplicate there), and every other method of the {@link Inbox} SPI throws {@link
 * UnsupportedOperationException}. The consumer side is {@link KafkaInboxWorker} (not the core's {@code InboxWorker},
 * which would claim from this inbox), the dead letters and their replay are {@link KafkaDeadLetters}; counts per state
 * are the consumer group's lag, read with Kafka's own tools.
 *
 * <p>A write that timed out may still reach the topic later (the producer retries until its delivery timeout, which
 * is set to end with the write timeout): the provider then retries a delivery the topic holds, and the consumer
 * processes it once. Thread-safe; {@link #close()} it when the application stops.
 */
public final class KafkaInbox extends KafkaWriteOnlyInbox implements AutoCloseable {
    /** The default longest wait for the broker's acknowledgement. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(5);
    /** The suffix of the dead-letter topic's name, after the main topic's. */
    public static final String DEAD_LETTER_SUFFIX = ".DLT";

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Duration writeTimeout;

    private KafkaInbox(Builder b, Producer<byte[], byte[]> producer) {
        this.producer = producer;
        this.topic = b.topic;
        this.writeTimeout = b.writeTimeout == null ? DEFAULT_WRITE_TIMEOUT : b.writeTimeout;
    }

    /** A builder; the topic and the bootstrap servers are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Publishes the delivery and waits for the broker's acknowledgement (all in-sync replicas), at most the write
     * timeout.
     *
     * @return {@link Inbox.Written#ADDED} once acknowledged; never a duplicate (the consumer dedupes)
     * @throws NullPointerException if entry is null
     * @throws StoreUnavailableException when the broker did not acknowledge it within the write timeout, refused it,
     *     or the producer is closed; the message names the topic and the failure, never the body
     */
    @Override
    public Written write(InboxEntry entry) {
        Objects.requireNonNull(entry, "entry cannot be null");
        long deadline = System.nanoTime() + writeTimeout.toNanos();
        Future<RecordMetadata> sent;
        try {
            sent = producer.send(RecordFormat.record(topic, entry));
        } catch (RuntimeException e) { // metadata not available in max.block.ms, a closed producer, a too large record
            throw unavailable(entry, e);
        }
        try {
            sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return Written.ADDED;
        } catch (TimeoutException e) {
            throw new StoreUnavailableException(
                    "kafka inbox: topic " + topic + " did not acknowledge delivery " + entry.dedupeKey()
                            + " of endpoint " + entry.endpoint() + " within " + writeTimeout,
                    e);
        } catch (ExecutionException e) {
            throw unavailable(entry, e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(entry, e);
        }
    }

    private StoreUnavailableException unavailable(InboxEntry entry, Throwable cause) {
        return new StoreUnavailableException(
                "kafka inbox: topic " + topic + " refused delivery " + entry.dedupeKey() + " of endpoint "
                        + entry.endpoint() + ": " + cause.getClass().getName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                cause);
    }

    /** The topic deliveries are published to. */
    public String topic() {
        return topic;
    }

    /** The dead-letter topic by convention: the topic's name and {@value #DEAD_LETTER_SUFFIX}. */
    public String deadLetterTopic() {
        return topic + DEAD_LETTER_SUFFIX;
    }

    /** The longest wait for an acknowledgement. */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** Flushes what is in flight (at most the write timeout) and closes the producer. */
    @Override
    public void close() {
        producer.close(writeTimeout);
    }

    @Override
    public String toString() {
        return "KafkaInbox[topic=" + topic + ", writeTimeout=" + writeTimeout + "]";
    }

    /** This inbox's topic, as its refusals name it. */
    @Override
    protected Collection<String> topics() {
        return List.of(topic);
    }

    /** Configures a {@link KafkaInbox}. Each option may be set once. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Object> properties = new HashMap<>();
        private String topic;
        private String bootstrapServers;
        private Duration writeTimeout;
        private boolean propertiesSet;

        private Builder() {}

        /**
         * The brokers to connect to first ({@code bootstrap.servers}).
         *
         * @throws IllegalArgumentException if blank
         * @throws IllegalStateException if already set
         */
        public Builder bootstrapServers(String servers) {
            once(bootstrapServers, "bootstrapServers");
            this.bootstrapServers = nonBlank(servers, "bootstrapServers");
            return this;
        }

        /**
         * The topic deliveries are published to; its dead letters go to the same name with {@value
         * #DEAD_LETTER_SUFFIX}.
         *
         * @throws IllegalArgumentException if blank
         * @throws IllegalStateException if already set
         */
        public Builder topic(String topic) {
            once(this.topic, "topic");
            this.topic = nonBlank(topic, "topic");
            return this;
        }

        /**
         * The longest a {@link #write} waits for the broker (metadata, buffer space and the acknowledgement, all
         * told); default five seconds. Keep it well under the provider's own timeout.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder writeTimeout(Duration timeout) {
            once(writeTimeout, "writeTimeout");
            this.writeTimeout = positive(timeout, "writeTimeout");
            return this;
        }

        /**
         * More producer properties (TLS, SASL, client id, compression, linger...). The inbox sets {@code acks=all},
         * {@code enable.idempotence=true}, the byte-array serialisers, and the timeouts that bound a write ({@code
         * max.block.ms}, {@code request.timeout.ms}, {@code delivery.timeout.ms}) from the write timeout.
         *
         * @throws NullPointerException if properties is null
         * @throws IllegalArgumentException if they weaken what a 2xx promises ({@code acks} other than {@code all}
         *     or {@code -1}, {@code enable.idempotence=false}) or set a serialiser or one of the bounding timeouts
         * @throws IllegalStateException if already set
         */
        public Builder properties(Map<String, ?> properties) {
            if (propertiesSet) {
                throw new IllegalStateException("properties was already set");
            }
            Objects.requireNonNull(properties, "properties cannot be null");
            Object acks = properties.get(ProducerConfig.ACKS_CONFIG);
            if (acks != null && !"all".equals(String.valueOf(acks)) && !"-1".equals(String.valueOf(acks))) {
                throw new IllegalArgumentException(
                        "acks must be all: a 2xx promises every in-sync replica has the delivery, but was " + acks);
            }
            Object idempotence = properties.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
            if (idempotence != null && !Boolean.parseBoolean(String.valueOf(idempotence))) {
                throw new IllegalArgumentException("enable.idempotence must stay true but was " + idempotence);
            }
            for (String owned : List.of(
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
                if (properties.containsKey(owned)) {
                    throw new IllegalArgumentException(
                            owned + " is set by the inbox (from writeTimeout); leave it out of properties");
                }
            }
            this.properties.putAll(properties);
            propertiesSet = true;
            return this;
        }

        /**
         * The inbox, with its producer connected.
         *
         * @throws IllegalStateException if the topic or the bootstrap servers are missing (they may come as {@code
         *     bootstrap.servers} in {@link #properties})
         * @throws org.apache.kafka.common.KafkaException when the producer cannot be created from the properties
         */
        public KafkaInbox build() {
            if (topic == null) {
                throw new IllegalStateException("topic is required");
            }
            Map<String, Object> config = new HashMap<>(properties);
            if (bootstrapServers != null) {
                config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            }
            if (!config.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new IllegalStateException("bootstrapServers is required");
            }
            Duration timeout = writeTimeout == null ? DEFAULT_WRITE_TIMEOUT : writeTimeout;
            long millis = Math.max(1, timeout.toMillis());
            long linger = config.containsKey(ProducerConfig.LINGER_MS_CONFIG)
                    ? Long.parseLong(String.valueOf(config.get(ProducerConfig.LINGER_MS_CONFIG)))
                    : 5;
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, millis));
            // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, millis + linger));
            return new KafkaInbox(this, new KafkaProducer<>(config));
        }

        private static void once(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
        }
    }

    static String nonBlank(String value, String name) {
        Objects.requireNonNull(value, name + " cannot be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " cannot be blank");
        }
        return value;
    }

    static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name + " cannot be null");
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive but was " + value);
        }
        return value;
    }
}
