package io.hookwarden.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in KRaft mode, in this JVM, from Kafka's own test kit: one controller and one broker as separate
 * nodes (so the broker can be stopped and started again while the controller keeps the metadata), on ports the kit
 * binds first. The Kafka artifacts are optional here: a module that starts one declares {@code
 * kafka-test-common-runtime} in test scope itself.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    private static EmbeddedKafka shared;

    /**
     * One broker for the test classes that only need topics of their own (each names its topics and groups apart), so
     * the module's run starts it once; stopped when the test JVM exits. A test that stops the broker starts its own.
     */
    public static synchronized EmbeddedKafka shared() {
        if (shared == null) {
            EmbeddedKafka broker = start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-test-broker-stop"));
            shared = broker;
        }
        return shared;
    }

    public static EmbeddedKafka start() {
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(false)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build())
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("num.partitions", "1")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("the in-process Kafka broker did not start", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopic(String name, int partitions) {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("topic " + name + " was not created", e);
        }
    }

    /** Creates the topic and its dead-letter topic ({@code <name>.DLT}, hookwarden-inbox-kafka's convention). */
    public void createTopicAndDeadLetters(String name, int partitions) {
        createTopic(name, partitions);
        createTopic(name + ".DLT", partitions);
    }

    /** Creates each topic with one partition. */
    public void createTopics(String... names) {
        for (String name : names) {
            createTopic(name, 1);
        }
    }

    private BrokerServer broker() {
        return cluster.brokers().values().iterator().next();
    }

    /** Stops the broker; the controller keeps running. */
    public void stopBroker() {
        BrokerServer broker = broker();
        broker.shutdown(Duration.ofSeconds(10));
        broker.awaitShutdown();
    }

    /** Starts the stopped broker again, on the same port and log directory. */
    public void startBroker() {
        broker().startup();
        try {
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not come back", e);
        }
    }

    /**
     * How many records of {@code topic} the group has not committed past: the end offsets minus the committed ones.
     */
    public long lag(String group, String topic) {
        try (Admin admin = cluster.admin()) {
            var description =
                    admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            description
                    .get(topic)
                    .partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            long lag = 0;
            for (var end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                lag += end.getValue().offset() - (at == null ? 0 : at.offset());
            }
            return lag;
        } catch (Exception e) {
            throw new IllegalStateException("the lag of group " + group + " could not be read", e);
        }
    }

    /** The client ids of the group's members (a worker's client id is its name), sorted. */
    public List<String> members(String group) {
        try (Admin admin = cluster.admin()) {
            return admin
                    .describeConsumerGroups(List.of(group))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(group)
                    .members()
                    .stream()
                    .map(m -> m.clientId())
                    .sorted()
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException("the members of group " + group + " could not be read", e);
        }
    }

    /** Every record of the topic, from the start to its end now. */
    public List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        Map<String, Object> config = new java.util.HashMap<>();
        config.put("bootstrap.servers", bootstrapServers());
        config.put("key.deserializer", ByteArrayDeserializer.class);
        config.put("value.deserializer", ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> out = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " could not be read to its end");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            return out;
        }
    }

    public Map<String, Object> clientProperties() {
        return Map.of("bootstrap.servers", bootstrapServers());
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("the in-process Kafka broker did not stop cleanly", e);
        }
    }
}
