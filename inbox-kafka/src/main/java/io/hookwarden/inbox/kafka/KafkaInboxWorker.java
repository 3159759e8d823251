package io.hookwarden.inbox.kafka;

import io.hookwarden.InvalidPayloadException;
import io.hookwarden.PoisonDeliveryException;
import io.hookwarden.RetryPolicy;
import io.hookwarden.TransactionalHandler;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.StoredDelivery;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The consumer side of the inbox on Kafka: one consumer of a consumer group that reads the deliveries a {@link
 * KafkaInbox} published and runs their endpoint's handler (a {@link io.hookwarden.Router} or any {@link
 * WebhookReceiver.Handler}), given the same {@link VerifiedWebhook} the request would have given it.
 *
 * <pre>{@code
 * try (KafkaInboxWorker worker = KafkaInboxWorker.builder()
 *         .bootstrapServers("kafka-1:9092")
 *         .topic("webhooks")
 *         .groupId("billing")
 *         .endpoint(stripeReceiver, router)
 *         .dedupeStore(RedisDedupeStore.create(redis))
 *         .build()
 *         .start()) {
 *     ...                                                   // until the application stops
 * }
 * }</pre>
 *
 * <p><b>Each record</b>, in partition order, on the worker's one thread: the delivery's dedupe key (endpoint and
 * dedupe key) is claimed in the {@link Builder#dedupeStore dedupe store}; a key completed before (the provider's retry,
 * published twice, or a record read again after a rebalance) is skipped; the handler runs; its success completes the
 * key, its failure releases it. A handler that throws {@link PoisonDeliveryException} or {@link
 * InvalidPayloadException}, a record that is not an inbox entry, and a delivery out of attempts go to the dead-letter
 * topic ({@code <topic>.DLT}) with the error and the attempt count in headers; {@link KafkaDeadLetters} replays them.
 * Offsets are committed after each poll's records are settled (completed, duplicate, or acknowledged by the dead-letter
 * topic), never before.
 *
 * <p><b>Retries keep the partition's order.</b> A handler that throws anything else is tried again after the {@link
 * Builder#retryPolicy retry policy}'s backoff: the worker seeks its partition back to the record and pauses it until
 * then, while it goes on with its other partitions. Nothing behind the record in its partition runs before it, so
 * events of one key (one partition) are handled in order; the price is that the partition waits for the backoff, so
 * choose a policy whose total wait the partition can afford (the attempts after it go to the dead letters, and a
 * replay runs them again). The attempt count lives in the worker: a partition that moves to another worker starts
 * counting again. A dead-lettered delivery no longer holds its key back (unlike the JDBC inbox's strict order).
 *
 * <p><b>Failures of the stores.</b> When the dedupe store or the dead-letter topic cannot answer, the record is not
 * settled: its partition pauses with an exponential backoff (to 30 s) and the record is taken again. A claim held by
 * another attempt (a worker that lost the partition while its handler ran) waits, its partition paused, until that
 * attempt settles it or its {@link Builder#lease lease} runs out. So delivery to handlers is at least once, and once
 * per dedupe retention for handlers that finish within their lease; keep handlers idempotent for the rest.
 *
 * <p><b>Threads.</b> One thread, {@code hookwarden-kafka-<name>}, polls and runs the handlers: run more workers (at most
 * one per partition helps) for more parallelism. A handler must return within the consumer's {@code
 * max.poll.interval.ms} (default five minutes), or the group takes its partitions away. Thread-safe; {@link
 * #stop(Duration) stop} it when the application stops.
 */
public final class KafkaInboxWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KafkaInboxWorker.class.getName());

    /** How long {@link #close()} waits for the running handler before interrupting it. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
    /** The default wait in one poll when nothing arrives. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    /** How long a partition waits before a claim another attempt holds is tried again. */
    static final Duration IN_PROGRESS_WAIT = Duration.ofSeconds(1);
    /** The first wait after a store failed; doubled per failure. */
    static final Duration OUTAGE_BASE = Duration.ofMillis(200);
    /** The longest wait after store failures. */
    static final Duration MAX_OUTAGE_BACKOFF = Duration.ofSeconds(30);

    private enum Lifecycle {
        NEW,
        RUNNING,
        STOPPED
    }

    private record Endpoint(WebhookReceiver receiver, WebhookReceiver.Handler handler) {}

    /** What is left to do for a record whose handler already ran: record the success, or publish the dead letter. */
    private sealed interface Pending {}

    private record PendingCompletion(String key, Claim claim) implements Pending {}

    private record PendingDeadLetter(String error, int attempts) implements Pending {}

    /** A paused partition: the record it waits on, when it is due again, and what its attempts left. */
    private record Waiting(long offset, int attempts, long dueNanos, Pending pending) {}

    /** The outcome of one record: settled (commit past it), or wait (seek back and pause until due). */
    private record Step(boolean settled, Waiting waiting) {
        static final Step SETTLED = new Step(true, null);
    }

    private final String name;
    private final String topic;
    private final String deadLetterTopic;
    private final Map<String, Endpoint> endpoints;
    private final DedupeStore store;
    private final RetryPolicy retryPolicy;
    private final Duration lease;
    private final Duration retention;
    private final Duration pollTimeout;
    private final Duration writeTimeout;
    private final String keyPrefix;
    private final Clock clock;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;

    private final Thread thread;
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean interrupting;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    // Owned by the worker's thread.
    private final Map<TopicPartition, Waiting> waiting = new HashMap<>();
    /** Partitions whose wait is over: the first record read of each picks up where it stood. */
    private final Map<TopicPartition, Waiting> resumed = new HashMap<>();

    private final Map<TopicPartition, OffsetAndMetadata> settled = new HashMap<>();
    private int storeFailures;

    private KafkaInboxWorker(Builder b) {
        this.endpoints = Map.copyOf(b.endpoints);
        this.topic = b.topic;
        this.deadLetterTopic = b.topic + KafkaInbox.DEAD_LETTER_SUFFIX;
        this.name = b.name != null ? b.name : b.groupId;
        this.store = b.store;
        this.retryPolicy = b.retryPolicy == null ? RetryPolicy.defaults() : b.retryPolicy;
        this.lease = b.lease == null ? WebhookReceiver.DEFAULT_LEASE : b.lease;
        this.retention = b.retention == null ? WebhookReceiver.DEFAULT_RETENTION : b.retention;
        this.pollTimeout = b.pollTimeout == null ? DEFAULT_POLL_TIMEOUT : b.pollTimeout;
        this.writeTimeout = KafkaInbox.DEFAULT_WRITE_TIMEOUT;
        this.keyPrefix = b.keyPrefix == null ? "hookwarden:kafka:" : b.keyPrefix;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;

        Map<String, Object> consumer = new HashMap<>(b.properties);
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, b.groupId);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, name);
        consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumerConfig = consumer;
        this.producerConfig = deadLetterProducerConfig(b.bootstrapServers, b.properties, writeTimeout);
        this.producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, name + "-dead-letters");
        this.thread = new Thread(this::run, "hookwarden-kafka-" + name);
        this.thread.setDaemon(true);
    }

    /** The dead-letter producer's configuration: the shared properties that a producer knows, acks=all, idempotent. */
    static Map<String, Object> deadLetterProducerConfig(
            String bootstrapServers, Map<String, Object> properties, Duration writeTimeout) {
        Map<String, Object> producer = new HashMap<>();
        properties.forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k)) {
                producer.put(k, v);
            }
        });
        long millis = writeTimeout.toMillis();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
        producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) millis);
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) millis);
        producer.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return producer;
    }

    /** A builder; the bootstrap servers, topic, group id, dedupe store and at least one endpoint are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Joins the group and starts consuming.
     *
     * @return this worker
     * @throws IllegalStateException if already started or stopped
     */
    public KafkaInboxWorker start() {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.RUNNING)) {
            throw new IllegalStateException("worker " + name + " was already " + lifecycle.get());
        }
        thread.start();
        return this;
    }

    /**
     * Stops: polls no more, lets the running handler finish for up to {@code grace}, then interrupts it (its delivery
     * is released, not committed, and runs again on the partition's next owner); commits what was settled and leaves
     * the group, so its partitions move at once. Does nothing when not running.
     *
     * @return true when the worker ended within the grace period without interrupting a handler
     * @throws NullPointerException if grace is null
     * @throws IllegalArgumentException if grace is negative
     */
    public boolean stop(Duration grace) {
        Objects.requireNonNull(grace, "grace cannot be null");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace cannot be negative but was " + grace);
        }
        if (lifecycle.getAndSet(Lifecycle.STOPPED) != Lifecycle.RUNNING) {
            return true;
        }
        stopping = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            if (ended.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            interrupting = true;
            thread.interrupt();
            ended.await(Math.max(5_000, lease.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** {@link #stop(Duration)} with {@link #DEFAULT_GRACE}. */
    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }

    /** Whether started and not stopped. */
    public boolean isRunning() {
        return lifecycle.get() == Lifecycle.RUNNING;
    }

    /** The worker's name, in its thread's name and its log lines; default the group id. */
    public String name() {
        return name;
    }

    private void run() {
        KafkaProducer<byte[], byte[]> deadLetters = null;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig)) {
            deadLetters = new KafkaProducer<>(producerConfig);
            consumer = c;
            if (stopping) {
                return;
            }
            c.subscribe(List.of(topic), new Rebalance(c));
            while (!stopping) {
                resumeDue(c);
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = c.poll(pollTimeout);
                } catch (WakeupException | InterruptException e) {
                    break;
                }
                for (TopicPartition tp : records.partitions()) {
                    if (stopping) {
                        break; // what is left is not settled: the partition's next owner reads it
                    }
                    if (waiting.containsKey(tp)) {
                        continue; // fetched before it paused: read again from the record it waits on
                    }
                    for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                        Step step = handle(record, deadLetters);
                        if (step.settled()) {
                            settled.put(tp, new OffsetAndMetadata(record.offset() + 1));
                        } else if (!stopping) {
                            wait(c, tp, step.waiting());
                            break;
                        }
                        if (stopping) {
                            break;
                        }
                    }
                }
                commit(c);
            }
            Thread.interrupted(); // commit and leave the group cleanly even when interrupted
            commit(c);
        } catch (RuntimeException e) {
            LOG.log(
                    Level.ERROR,
                    "kafka inbox worker " + name + " stopped on a failure: "
                            + e.getClass().getName(),
                    e);
        } finally {
            if (deadLetters != null) {
                deadLetters.close(writeTimeout);
            }
            consumer = null;
            lifecycle.set(Lifecycle.STOPPED);
            ended.countDown();
        }
    }

    /** Resumes the paused partitions whose wait is over; they are fetched again from the record they wait on. */
    private void resumeDue(KafkaConsumer<byte[], byte[]> c) {
        if (waiting.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        List<TopicPartition> due = new ArrayList<>();
        waiting.forEach((tp, w) -> {
            if (now - w.dueNanos() >= 0) {
                due.add(tp);
            }
        });
        if (!due.isEmpty()) {
            for (TopicPartition tp : due) {
                resumed.put(tp, waiting.remove(tp));
            }
            c.resume(due);
        }
    }

    private void wait(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, Waiting w) {
        c.seek(tp, w.offset());
        c.pause(List.of(tp));
        waiting.put(tp, w);
    }

    private void commit(KafkaConsumer<byte[], byte[]> c) {
        if (settled.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(settled);
        settled.clear();
        try {
            c.commitSync(offsets);
        } catch (WakeupException e) {
            c.commitSync(offsets); // a wakeup is for the poll; the settled offsets still go
        } catch (KafkaException e) {
            // A rebalance took the partitions: their next owner reads the records again and finds them done.
            LOG.log(
                    Level.WARNING,
                    "kafka inbox worker " + name + " could not commit " + offsets.size() + " partitions' offsets ("
                            + e.getClass().getName() + "); their records are read again and found done");
        }
    }

    /** One record: claim, handle, settle; or, when it waited before, what was left to do. */
    private Step handle(ConsumerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> dlt) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        Waiting before = resumed.remove(tp);
        if (before != null && before.offset() != record.offset()) {
            before = null; // the partition moved on (a rebalance, a reset): start afresh
        }
        int attempts = before == null ? 0 : before.attempts();
        if (before != null && before.pending() instanceof PendingDeadLetter dead) {
            return deadLetter(record, dead.error(), dead.attempts(), dlt);
        }
        if (before != null && before.pending() instanceof PendingCompletion done) {
            return completeClaim(record, done.key(), done.claim(), attempts);
        }
        InboxEntry entry;
        try {
            entry = RecordFormat.entry(record);
        } catch (RecordFormat.MalformedRecordException e) {
            LOG.log(
                    Level.WARNING,
                    "record " + RecordFormat.source(record) + " is not an inbox entry: " + e.getMessage());
            return deadLetter(record, describe(e), 0, dlt);
        }
        Endpoint endpoint = endpoints.get(entry.endpoint());
        if (endpoint == null) {
            return deadLetter(record, "no endpoint " + entry.endpoint() + " in kafka inbox worker " + name, 0, dlt);
        }
        String key = keyPrefix + entry.endpoint() + ":" + entry.dedupeKey();
        ClaimResult claimed;
        try {
            claimed = store.claim(key, lease);
        } catch (RuntimeException e) {
            return outage(record, attempts, null, "claim", e);
        }
        storeFailures = 0;
        switch (claimed.status()) {
            case DUPLICATE:
                return Step.SETTLED;
            case IN_PROGRESS:
                return new Step(false, new Waiting(record.offset(), attempts, due(jittered(IN_PROGRESS_WAIT)), null));
            default:
                break;
        }
        Claim claim = claimed.claim().orElseThrow();
        VerifiedWebhook webhook;
        try {
            webhook = endpoint.receiver().restore(entry);
        } catch (RuntimeException e) { // a stored delivery that cannot be rebuilt never will be
            release(key, claim);
            return deadLetter(record, describe(e), attempts, dlt);
        }
        Throwable failure = null;
        try {
            endpoint.handler().handle(webhook);
        } catch (Throwable t) { // the application's code: an Error fails the attempt too, never the worker
            failure = t;
        }
        boolean interrupted = Thread.interrupted();
        if (failure == null) {
            return completeClaim(record, key, claim, attempts + 1);
        }
        release(key, claim);
        if (interrupting && (interrupted || failure instanceof InterruptedException)) {
            // Stopped under it: not the handler's fault, and not settled; the partition's next owner runs it.
            return new Step(false, new Waiting(record.offset(), attempts, System.nanoTime(), null));
        }
        int attempt = attempts + 1;
        String error = StoredDelivery.truncate(describe(failure));
        LOG.log(
                Level.WARNING,
                "handler of endpoint " + entry.endpoint() + " failed on record " + RecordFormat.source(record)
                        + " (attempt " + attempt + "): " + failure.getClass().getName());
        if (failure instanceof PoisonDeliveryException || failure instanceof InvalidPayloadException) {
            return deadLetter(record, error, attempt, dlt);
        }
        Optional<Instant> next = retryPolicy.nextAttempt(attempt, clock.instant(), ThreadLocalRandom.current());
        if (next.isEmpty()) {
            return deadLetter(record, error, attempt, dlt);
        }
        Duration wait = Duration.between(clock.instant(), next.get());
        return new Step(false, new Waiting(record.offset(), attempt, due(wait), null));
    }

    private Step completeClaim(ConsumerRecord<byte[], byte[]> record, String key, Claim claim, int attempts) {
        try {
            if (!store.complete(key, claim, retention)) {
                LOG.log(
                        Level.WARNING,
                        "kafka inbox worker " + name + " no longer held the claim on " + key + " when its handler"
                                + " returned (its lease ran out); it may run again");
            }
            storeFailures = 0;
            return Step.SETTLED;
        } catch (RuntimeException e) {
            return outage(record, attempts, new PendingCompletion(key, claim), "complete", e);
        }
    }

    private void release(String key, Claim claim) {
        try {
            store.release(key, claim);
        } catch (RuntimeException e) {
            LOG.log(
                    Level.DEBUG,
                    "kafka inbox worker " + name + " could not release " + key + " ("
                            + e.getClass().getName() + "); its lease runs out");
        }
    }

    /** Publishes the record to the dead-letter topic with the error and attempts; waits for the acknowledgement. */
    private Step deadLetter(
            ConsumerRecord<byte[], byte[]> record, String error, int attempts, KafkaProducer<byte[], byte[]> dlt) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!isDeadLetterHeader(h.key())) {
                headers.add(h);
            }
        }
        RecordFormat.put(headers, RecordFormat.ERROR, StoredDelivery.truncate(error));
        RecordFormat.put(headers, RecordFormat.ATTEMPTS, Integer.toString(attempts));
        RecordFormat.put(headers, RecordFormat.DEAD_AT, clock.instant().toString());
        RecordFormat.put(headers, RecordFormat.SOURCE, RecordFormat.source(record));
        try {
            dlt.send(new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers))
                    .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            storeFailures = 0;
            return Step.SETTLED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return outage(record, attempts, new PendingDeadLetter(error, attempts), "dead-letter", e);
        } catch (Exception e) {
            return outage(record, attempts, new PendingDeadLetter(error, attempts), "dead-letter", e);
        }
    }

    static boolean isDeadLetterHeader(String key) {
        return key.equals(RecordFormat.ERROR)
                || key.equals(RecordFormat.ATTEMPTS)
                || key.equals(RecordFormat.DEAD_AT)
                || key.equals(RecordFormat.SOURCE);
    }

    private Step outage(
            ConsumerRecord<byte[], byte[]> record, int attempts, Pending pending, String what, Exception e) {
        storeFailures++;
        if (storeFailures == 1) {
            LOG.log(
                    Level.WARNING,
                    "kafka inbox worker " + name + " failed to " + what + " record " + RecordFormat.source(record)
                            + " (" + e.getClass().getName() + "); its partition waits and tries again");
        }
        long millis = OUTAGE_BASE.toMillis() << Math.min(storeFailures - 1, 16);
        Duration wait = jittered(Duration.ofMillis(Math.min(MAX_OUTAGE_BACKOFF.toMillis(), millis)));
        return new Step(false, new Waiting(record.offset(), attempts, due(wait), pending));
    }

    private static long due(Duration wait) {
        return System.nanoTime() + Math.max(0, wait.toNanos());
    }

    /** Between three quarters and five quarters of {@code d}. */
    private static Duration jittered(Duration d) {
        long millis = d.toMillis();
        return Duration.ofMillis(millis * 3 / 4 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null
                ? failure.getClass().getName()
                : failure.getClass().getName() + ": " + message;
    }

    /** Commits what was settled of the partitions taken away, and forgets their waits. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> c;

        Rebalance(KafkaConsumer<byte[], byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : partitions) {
                waiting.remove(tp);
                resumed.remove(tp);
                OffsetAndMetadata done = settled.remove(tp);
                if (done != null) {
                    offsets.put(tp, done);
                }
            }
            if (!offsets.isEmpty()) {
                try {
                    c.commitSync(offsets);
                } catch (KafkaException e) {
                    LOG.log(
                            Level.WARNING,
                            "kafka inbox worker " + name + " could not commit the offsets of revoked partitions ("
                                    + e.getClass().getName() + "); their records are read again and found done");
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                waiting.remove(tp);
                resumed.remove(tp);
                settled.remove(tp);
            }
        }
    }

    @Override
    public String toString() {
        return "KafkaInboxWorker[" + name + ", topic=" + topic + ", endpoints=" + endpoints.keySet() + ", "
                + retryPolicy + ", lease=" + lease + ", " + lifecycle.get() + "]";
    }

    /** Configures a {@link KafkaInboxWorker}. Each option may be set once; endpoints are added. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        private final Map<String, Object> properties = new HashMap<>();
        private boolean propertiesSet;
        private String bootstrapServers;
        private String topic;
        private String groupId;
        private String name;
        private DedupeStore store;
        private RetryPolicy retryPolicy;
        private Duration lease;
        private Duration retention;
        private Duration pollTimeout;
        private String keyPrefix;
        private Clock clock;

        private Builder() {}

        /**
         * Handles the deliveries of one endpoint, those whose record names {@code receiver}'s name, each given to
         * {@code handler} as the request would have given it. The receiver need not have an inbox (a consumer
         * application builds it only to rebuild deliveries); when its inbox is a {@link KafkaInbox}, that inbox's
         * topic is the default {@link #topic}.
         *
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the handler is transactional (a topic has no transaction to run it in)
         * @throws IllegalStateException if an endpoint of that name was added already
         */
        public Builder endpoint(WebhookReceiver receiver, WebhookReceiver.Handler handler) {
            Objects.requireNonNull(receiver, "receiver cannot be null");
            Objects.requireNonNull(handler, "handler cannot be null");
            if (handler instanceof TransactionalHandler) {
                throw new IllegalArgumentException("the handler of endpoint " + receiver.name()
                        + " is transactional, but a Kafka inbox has no transaction to run it in");
            }
            if (endpoints.containsKey(receiver.name())) {
                throw new IllegalStateException("endpoint " + receiver.name() + " was already added");
            }
            endpoints.put(receiver.name(), new Endpoint(receiver, handler));
            return this;
        }

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
         * The topic to consume; default the topic of the first endpoint's {@link KafkaInbox}. Dead letters go to it
         * with {@value KafkaInbox#DEAD_LETTER_SUFFIX}.
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
         * The consumer group: workers of one group share the topic's partitions.
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
         * The worker's name, in its thread's name and log lines; default the group id.
         *
         * @throws IllegalArgumentException if blank
         * @throws IllegalStateException if already set
         */
        public Builder name(String name) {
            once(this.name, "name");
            this.name = KafkaInbox.nonBlank(name, "name");
            return this;
        }

        /**
         * Where each delivery is claimed before its handler runs and completed after: shared by every worker of the
         * group (Redis or JDBC; the in-memory store only for workers in one JVM).
         *
         * @throws NullPointerException if null
         * @throws IllegalStateException if already set
         */
        public Builder dedupeStore(DedupeStore store) {
            once(this.store, "dedupeStore");
            this.store = Objects.requireNonNull(store, "dedupeStore cannot be null");
            return this;
        }

        /**
         * When a failed delivery is tried again and how often; default {@link RetryPolicy#defaults()}. Its partition
         * waits meanwhile, so keep the total wait short enough (a few minutes) and let the dead letters hold the rest.
         *
         * @throws NullPointerException if null
         * @throws IllegalStateException if already set
         */
        public Builder retryPolicy(RetryPolicy policy) {
            once(this.retryPolicy, "retryPolicy");
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy cannot be null");
            return this;
        }

        /**
         * How long a claim in the dedupe store holds: longer than the slowest handler, or a worker that takes the
         * partition over while it runs may run it too; default one minute.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder lease(Duration lease) {
            once(this.lease, "lease");
            this.lease = KafkaInbox.positive(lease, "lease");
            return this;
        }

        /**
         * How long a completed delivery stays a duplicate in the dedupe store; default seven days. Longer than
         * providers retry and than the topic keeps records, so a replay from the topic's start finds them done.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder retention(Duration retention) {
            once(this.retention, "retention");
            this.retention = KafkaInbox.positive(retention, "retention");
            return this;
        }

        /**
         * The longest one poll waits for records; default half a second.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder pollTimeout(Duration timeout) {
            once(this.pollTimeout, "pollTimeout");
            this.pollTimeout = KafkaInbox.positive(timeout, "pollTimeout");
            return this;
        }

        /**
         * What the dedupe keys start with in the store; default {@code hookwarden:kafka:}, then the endpoint and the
         * delivery's dedupe key.
         *
         * @throws NullPointerException if null
         * @throws IllegalStateException if already set
         */
        public Builder keyPrefix(String prefix) {
            once(this.keyPrefix, "keyPrefix");
            this.keyPrefix = Objects.requireNonNull(prefix, "keyPrefix cannot be null");
            return this;
        }

        /**
         * The clock for retry times and dead letters' {@code hookwarden.dead-at}; default the system clock.
         *
         * @throws NullPointerException if null
         * @throws IllegalStateException if already set
         */
        public Builder clock(Clock clock) {
            once(this.clock, "clock");
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /**
         * More client properties (TLS, SASL, {@code max.poll.records}, {@code group.protocol}...), for the consumer
         * and, those a producer knows, for the dead-letter producer. The worker sets the group id, manual commits and
         * the byte-array (de)serialisers; it reads from the earliest offset and {@code read_committed} unless told
         * otherwise.
         *
         * @throws NullPointerException if null
         * @throws IllegalArgumentException if they turn automatic commits on
         * @throws IllegalStateException if already set
         */
        public Builder properties(Map<String, ?> properties) {
            if (propertiesSet) {
                throw new IllegalStateException("properties was already set");
            }
            Objects.requireNonNull(properties, "properties cannot be null");
            Object auto = properties.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
            if (auto != null && Boolean.parseBoolean(String.valueOf(auto))) {
                throw new IllegalArgumentException(
                        "enable.auto.commit must be false: offsets are committed once records are settled");
            }
            this.properties.putAll(properties);
            propertiesSet = true;
            return this;
        }

        /**
         * The worker, not yet started.
         *
         * @throws IllegalStateException if no endpoint was added, or the bootstrap servers, the topic (and no
         *     endpoint's inbox is a {@link KafkaInbox}), the group id or the dedupe store is missing
         */
        public KafkaInboxWorker build() {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("at least one endpoint is required");
            }
            if (topic == null) {
                topic = endpoints.values().stream()
                        .map(e -> e.receiver().inbox().orElse(null))
                        .filter(KafkaInbox.class::isInstance)
                        .map(i -> ((KafkaInbox) i).topic())
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException(
                                "topic is required: no endpoint's inbox is a KafkaInbox to take it from"));
            }
            if (bootstrapServers == null) {
                Object servers = properties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
                if (servers == null) {
                    throw new IllegalStateException("bootstrapServers is required");
                }
                bootstrapServers = String.valueOf(servers);
            }
            if (groupId == null) {
                throw new IllegalStateException("groupId is required");
            }
            if (store == null) {
                throw new IllegalStateException("dedupeStore is required: every worker of the group shares it");
            }
            return new KafkaInboxWorker(this);
        }

        private static void once(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
        }
    }
}
