package io.hookwarden.cli;

import io.hookwarden.inbox.kafka.KafkaDeadLetters;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kafka-inbox}: the dead letters of a Kafka inbox ({@code hookwarden-inbox-kafka}): list those not replayed yet,
 * and replay them to the main topic. One line per dead letter; never a header value or the body.
 */
@Command(
        name = "kafka-inbox",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "List or replay the dead letters (<topic>.DLT) of a Kafka inbox (hookwarden-inbox-kafka).",
        subcommands = {KafkaInboxCommand.List.class, KafkaInboxCommand.Replay.class})
final class KafkaInboxCommand {
    /** Exit code when the brokers could not be reached or failed. */
    static final int BROKER_FAILED = 1;

    private KafkaInboxCommand() {}

    /** Where the topic is. */
    static final class Topic {
        @Option(
                names = "--bootstrap-servers",
                required = true,
                paramLabel = "HOST:PORT[,...]",
                description = "The brokers to connect to first, for example kafka-1:9092,kafka-2:9092.")
        String servers;

        @Option(
                names = "--topic",
                required = true,
                paramLabel = "TOPIC",
                description = "The inbox's main topic; its dead letters are on TOPIC.DLT.")
        String topic;

        @Option(
                names = "--group",
                paramLabel = "GROUP",
                description = "The consumer group whose offsets on TOPIC.DLT say what was replayed."
                        + " Default: TOPIC.DLT.replay.")
        String group;

        KafkaDeadLetters open(CommandSpec spec) {
            if (servers.isBlank() || topic.isBlank() || (group != null && group.isBlank())) {
                throw Args.usage(spec, "--bootstrap-servers, --topic and --group cannot be blank");
            }
            KafkaDeadLetters.Builder b =
                    KafkaDeadLetters.builder().bootstrapServers(servers).topic(topic);
            if (group != null) {
                b.groupId(group);
            }
            return b.build();
        }
    }

    private static int guarded(CommandSpec spec, Callable<Integer> action) {
        try {
            return action.call();
        } catch (KafkaException | IllegalStateException e) {
            spec.commandLine()
                    .getErr()
                    .println(spec.name() + ": kafka unavailable: "
                            + e.getClass().getSimpleName() + ": " + e.getMessage());
            return BROKER_FAILED;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String line(KafkaDeadLetters.DeadLetter d) {
        StringBuilder line = new StringBuilder()
                .append(d.partition())
                .append('@')
                .append(d.offset())
                .append(' ')
                .append(orDash(d.endpoint()))
                .append(' ')
                .append(orDash(d.eventType()))
                .append(' ')
                .append(orDash(d.eventId()))
                .append(" attempts=")
                .append(d.attempts())
                .append(" dead=")
                .append(d.deadAt() == null ? "-" : d.deadAt().toString());
        if (d.error() != null) {
            line.append(" error=").append(d.error().replaceAll("[\\r\\n\\t]+", " "));
        }
        return line.toString();
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    /** {@code kafka-inbox list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = {
                "Print the dead letters not replayed yet, oldest first per partition, one a line:",
                "PARTITION@OFFSET ENDPOINT EVENT_TYPE EVENT_ID attempts=N dead=INSTANT [error=LAST_ERROR]"
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed (possibly none)", "1:the brokers failed", "2:usage error"})
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Topic topic;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "100",
                description = "The most dead letters to print, 1 to 10000. Default: ${DEFAULT-VALUE}.")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 10_000) {
                throw Args.usage(spec, "--limit must be 1 to 10000 but was " + limit);
            }
            return guarded(spec, () -> {
                try (KafkaDeadLetters dead = topic.open(spec)) {
                    PrintWriter out = spec.commandLine().getOut();
                    for (KafkaDeadLetters.DeadLetter letter : dead.list(limit)) {
                        out.println(line(letter));
                    }
                }
                return 0;
            });
        }
    }

    /** {@code kafka-inbox replay}. */
    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Republish every dead letter not replayed yet to the main topic, as first published, and mark"
                    + " them replayed. Prints 'replayed N'.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:replayed (possibly none)", "1:the brokers failed", "2:usage error"})
    static final class Replay implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Topic topic;

        @Override
        public Integer call() {
            return guarded(spec, () -> {
                try (KafkaDeadLetters dead = topic.open(spec)) {
                    spec.commandLine().getOut().println("replayed " + dead.replay());
                }
                return 0;
            });
        }
    }
}
