package io.hookwarden.benchmarks;

import io.hookwarden.Headers;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.inbox.kafka.KafkaInbox;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The accept path of an endpoint with a {@code KafkaInbox} beside its floor, in the same run: {@code accept} is {@link
 * WebhookReceiver#receive} of a signed Standard Webhooks delivery (2 KiB JSON body): verification, the payload and
 * dedupe-key checks, building the entry and its record, and {@code KafkaInbox.write}, which returns once the broker
 * acknowledged it ({@code acks=all}, idempotent). The floor {@code rawSend} is {@code KafkaProducer.send(record).get()}
 * of the same bytes (the record the receiver published, read back in the set-up: same value, same headers, a new key of
 * the same length) with a producer configured as the inbox configures its own (same acks, idempotence, timeouts and
 * linger), to a topic with as many partitions. Both at {@value #THREADS} threads, each blocking on its own send as a
 * request thread does. The broker is a real KRaft broker (one combined node) started in this JVM from Kafka's test kit:
 * it shares the machine with both sides alike.
 *
 * <p>Read {@code accept / rawSend}; the target is at least 0.8 (issue 15). The group {@code sideBySide} runs both at
 * once, half the threads each against the same broker: read {@code acceptBeside / rawBeside} there. After each
 * iteration, the records on each topic must number exactly the operations that returned (and every accept must have
 * answered 200), or the run stops.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar KafkaInboxAcceptBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(KafkaInboxAcceptBenchmark.THREADS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class KafkaInboxAcceptBenchmark {
    static final int THREADS = 8;
    static final int PARTITIONS = 6;
    private static final String ACCEPT_TOPIC = "accept";
    private static final String RAW_TOPIC = "raw";
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final Instant SIGNED_AT = Instant.parse("2026-01-15T12:00:00Z");
    private static final int BODY_SIZE = 2048;

    private KafkaClusterTestKit cluster;
    private KafkaInbox inbox;
    private KafkaProducer<byte[], byte[]> raw;
    private WebhookReceiver receiver;
    private WebhookSigner signer;
    private byte[] body;
    private byte[] templateValue;
    private Header[] templateHeaders;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private long acceptBase;
    private long rawBase;

    @Setup(Level.Trial)
    public void start() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(
                            new NewTopic(ACCEPT_TOPIC, PARTITIONS, (short) 1),
                            new NewTopic(RAW_TOPIC, PARTITIONS, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        inbox = KafkaInbox.builder()
                .bootstrapServers(cluster.bootstrapServers())
                .topic(ACCEPT_TOPIC)
                .writeTimeout(WRITE_TIMEOUT)
                .build();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, WRITE_TIMEOUT.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis() + 5);
        raw = new KafkaProducer<>(config);

        Random random = new Random(0x1B0AL);
        byte[] key = new byte[32];
        random.nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        Clock clock = Clock.fixed(SIGNED_AT, ZoneOffset.UTC);
        body = body(random);
        receiver = WebhookReceiver.builder()
                .name("orders")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(secret)
                        .clock(clock)
                        .build())
                .inbox(inbox)
                .build();
        signer = WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(secret)
                .clock(clock)
                .build();

        if (accept(signed("setup-00-0")) != 200) {
            throw new IllegalStateException("the set-up delivery was not accepted");
        }
        ConsumerRecord<byte[], byte[]> template = readOne(ACCEPT_TOPIC);
        templateValue = template.value();
        List<Header> headers = new ArrayList<>();
        template.headers().forEach(headers::add);
        templateHeaders = headers.toArray(Header[]::new);
        if (!new String(template.key(), StandardCharsets.UTF_8).equals("setup-00-0")) {
            throw new IllegalStateException("the record is not keyed by the dedupe key");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        inbox.close();
        raw.close(Duration.ofSeconds(10));
        cluster.close();
    }

    @Setup(Level.Iteration)
    public void count() throws Exception {
        accepted.reset();
        sent.reset();
        acceptBase = records(ACCEPT_TOPIC);
        rawBase = records(RAW_TOPIC);
    }

    /** Every operation that returned left exactly one record. */
    @TearDown(Level.Iteration)
    public void check() throws Exception {
        long acceptRecords = records(ACCEPT_TOPIC) - acceptBase;
        long rawRecords = records(RAW_TOPIC) - rawBase;
        if (acceptRecords != accepted.sum() || rawRecords != sent.sum()) {
            throw new IllegalStateException("the topics hold " + acceptRecords + " accepted and " + rawRecords
                    + " raw records after " + accepted.sum() + " accepts and " + sent.sum() + " raw sends");
        }
    }

    /** Each thread's next delivery, signed with its own id before each call (outside the measured time). */
    @State(Scope.Thread)
    public static class Next {
        private static final AtomicInteger THREAD_IDS = new AtomicInteger();

        private final String thread = String.format("%02d", THREAD_IDS.incrementAndGet() % 100);
        private long n;
        WebhookRequest request;
        byte[] rawKey;

        @Setup(Level.Invocation)
        public void next(KafkaInboxAcceptBenchmark bench) {
            long i = n++;
            request = bench.signed("acc-" + thread + "-" + i);
            rawKey = ("raw-" + thread + "-" + i).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public int accept(Next next) {
        int status = accept(next.request);
        if (status != 200) {
            throw new IllegalStateException("accept answered " + status);
        }
        accepted.increment();
        return status;
    }

    @Benchmark
    public long rawSend(Next next) throws InterruptedException, ExecutionException {
        long offset = raw.send(new ProducerRecord<>(
                        RAW_TOPIC, null, next.rawKey, templateValue, new RecordHeaders(templateHeaders)))
                .get()
                .offset();
        sent.increment();
        return offset;
    }

    /** The accept half of {@code sideBySide}: half the threads, at the same moments as the floor's half. */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(THREADS / 2)
    public int acceptBeside(Next next) {
        return accept(next);
    }

    /** The floor's half of {@code sideBySide}. */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(THREADS / 2)
    public long rawBeside(Next next) throws InterruptedException, ExecutionException {
        return rawSend(next);
    }

    private int accept(WebhookRequest request) {
        return receiver.receive(request).answer().status();
    }

    WebhookRequest signed(String id) {
        Headers headers = signer.headers(
                WebhookMessage.body(body).id(id).timestamp(SIGNED_AT).build());
        WebhookRequest.Builder b = WebhookRequest.builder()
                .method("POST")
                .url("https://hooks.example.com/webhooks/orders")
                .remoteAddress("203.0.113.7")
                .header("Content-Type", "application/json")
                .wrapBody(body);
        headers.forEach(b::header);
        return b.build();
    }

    private static byte[] body(Random random) {
        StringBuilder json = new StringBuilder("{\"type\":\"invoice.paid\",\"data\":{\"note\":\"");
        while (json.length() < BODY_SIZE - 3) {
            json.append((char) ('a' + random.nextInt(26)));
        }
        json.append("\"}}");
        return json.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", cluster.bootstrapServers());
        config.put("key.deserializer", ByteArrayDeserializer.class);
        config.put("value.deserializer", ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    /** How many records the topic holds: the sum of its partitions' end offsets. */
    private long records(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            return c.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    /** The only record of the topic. */
    private ConsumerRecord<byte[], byte[]> readOne(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    return r;
                }
            }
            throw new IllegalStateException("the set-up record was not found on " + topic);
        }
    }
}
