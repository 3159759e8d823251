package io.hookwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Headers;
import io.hookwarden.inbox.kafka.KafkaInbox;
import io.hookwarden.spi.InboxEntry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** {@code kafka-inbox list|replay} against a real KRaft broker started in this JVM from Kafka's test kit. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaInboxCommandTest {
    private static KafkaClusterTestKit cluster;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "2")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("hooks", 1, (short) 1), new NewTopic("hooks.DLT", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        cluster.close();
    }

    @Test
    void lists_the_dead_letters_replays_them_once_and_then_has_none_left() {
        // Two records on the dead-letter topic, as a worker leaves them but without its four headers.
        try (KafkaInbox dead = KafkaInbox.builder()
                .bootstrapServers(cluster.bootstrapServers())
                .topic("hooks.DLT")
                .build()) {
            dead.write(entry("evt_1"));
            dead.write(entry("evt_2"));
        }
        String[] where = {"--bootstrap-servers", cluster.bootstrapServers(), "--topic", "hooks"};

        Cli.Result listed = Cli.run(args("list", where));
        Cli.Result replayed = Cli.run(args("replay", where));
        Cli.Result after = Cli.run(args("list", where));
        Cli.Result again = Cli.run(args("replay", where));

        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.lines())
                .containsExactly(
                        "0@0 billing invoice.paid evt_1 attempts=0 dead=-",
                        "0@1 billing invoice.paid evt_2 attempts=0 dead=-");
        assertThat(replayed.exitCode()).isZero();
        assertThat(replayed.lines()).containsExactly("replayed 2");
        assertThat(after.lines()).isEmpty();
        assertThat(again.lines()).containsExactly("replayed 0");
    }

    @Test
    void a_missing_topic_is_a_usage_error() {
        Cli.Result result = Cli.run("kafka-inbox", "list", "--bootstrap-servers", cluster.bootstrapServers());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--topic");
    }

    @Test
    void brokers_that_do_not_answer_exit_1() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Cli.Result result =
                Cli.run("kafka-inbox", "list", "--bootstrap-servers", "127.0.0.1:" + port, "--topic", "hooks");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("kafka unavailable");
    }

    private static String[] args(String command, String[] where) {
        String[] all = new String[2 + where.length];
        all[0] = "kafka-inbox";
        all[1] = command;
        System.arraycopy(where, 0, all, 2, where.length);
        return all;
    }

    private static InboxEntry entry(String id) {
        return new InboxEntry(
                "billing",
                id,
                "standard-webhooks",
                "POST",
                null,
                Headers.empty(),
                "{}".getBytes(StandardCharsets.UTF_8),
                null,
                id,
                "invoice.paid",
                null,
                "primary",
                null,
                InboxEntry.Ordering.NONE,
                0,
                Instant.parse("2026-01-01T00:00:00Z"));
    }
}
