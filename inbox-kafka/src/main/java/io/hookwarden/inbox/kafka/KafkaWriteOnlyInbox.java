package io.hookwarden.inbox.kafka;

import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.InboxStats;
import io.hookwarden.spi.StoredDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.StringJoiner;

/**
 * An {@link Inbox} that only writes to Kafka: a topic cannot refuse a record it holds already, nor lease, settle, find
 * or purge one, so every method of the SPI but {@link #write} throws {@link UnsupportedOperationException}, naming the
 * topics and what to use instead ({@link KafkaInboxWorker} consumes, {@link KafkaDeadLetters} reads and replays the
 * dead letters). {@link KafkaInbox} is one; Spring's inbox of a topic per endpoint is another.
 */
public abstract class KafkaWriteOnlyInbox implements Inbox {
    /** For subclasses. */
    protected KafkaWriteOnlyInbox() {}

    /**
     * The topics written to, as the refusals name them.
     *
     * @return the topics' names
     */
    protected abstract Collection<String> topics();

    private UnsupportedOperationException writeOnly(String what) {
        Collection<String> topics = topics();
        StringJoiner deadLetters = new StringJoiner(", ");
        topics.forEach(topic -> deadLetters.add(topic + KafkaInbox.DEAD_LETTER_SUFFIX));
        return new UnsupportedOperationException(getClass().getSimpleName() + " only writes to Kafka topic"
                + (topics.size() == 1 ? " " : "s ") + String.join(", ", topics) + "; it cannot " + what
                + ": consume with KafkaInboxWorker, and read or replay the dead letters (" + deadLetters
                + ") with KafkaDeadLetters");
    }

    /** Unsupported: a topic leases nothing; {@link KafkaInboxWorker} consumes it. */
    @Override
    public List<InboxLease> claim(Collection<String> endpoints, int max, Duration lease) {
        throw writeOnly("claim deliveries");
    }

    /** Unsupported: a topic leases nothing. */
    @Override
    public Optional<InboxLease> heartbeat(InboxLease lease, Duration extension) {
        throw writeOnly("extend a lease");
    }

    /** Unsupported: the consumer's offsets and dedupe store settle deliveries. */
    @Override
    public boolean complete(InboxLease lease) {
        throw writeOnly("complete a delivery");
    }

    /** Unsupported: the consumer retries. */
    @Override
    public boolean retry(InboxLease lease, Instant notBefore, String error) {
        throw writeOnly("retry a delivery");
    }

    /** Unsupported: the consumer publishes dead letters. */
    @Override
    public boolean bury(InboxLease lease, String error) {
        throw writeOnly("bury a delivery");
    }

    /** Unsupported: the consumer orders by partition. */
    @Override
    public boolean skip(InboxLease lease, String why) {
        throw writeOnly("skip a delivery");
    }

    /** Unsupported. */
    @Override
    public OptionalLong completedSequence(String endpoint, String orderingKey) {
        throw writeOnly("tell completed sequences");
    }

    /** Unsupported: read the topic. */
    @Override
    public Optional<StoredDelivery> get(String id) {
        throw writeOnly("look a delivery up");
    }

    /** Unsupported: read the topic, or {@link KafkaDeadLetters#list}. */
    @Override
    public List<StoredDelivery> find(InboxQuery query) {
        throw writeOnly("find deliveries");
    }

    /** Unsupported: {@link KafkaDeadLetters#replay}. */
    @Override
    public int replay(InboxQuery query) {
        throw writeOnly("replay deliveries");
    }

    /** Unsupported: {@link KafkaDeadLetters#replay}. */
    @Override
    public boolean replay(String id) {
        throw writeOnly("replay a delivery");
    }

    /** Unsupported: the topic's retention deletes records. */
    @Override
    public int purge(InboxQuery query) {
        throw writeOnly("purge deliveries");
    }

    /** Unsupported: the topic's retention deletes records. */
    @Override
    public int purgeSettled(Instant before, int batch) {
        throw writeOnly("purge settled deliveries");
    }

    /** Unsupported: the consumer group's lag is the pending count. */
    @Override
    public InboxStats stats(String endpoint) {
        throw writeOnly("count deliveries per state");
    }
}
