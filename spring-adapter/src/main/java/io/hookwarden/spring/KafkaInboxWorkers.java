package io.hookwarden.spring;

import io.hookwarden.RetryPolicy;
import io.hookwarden.Router;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.inbox.kafka.KafkaInboxWorker;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.Inbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.KafkaException;
import org.springframework.context.SmartLifecycle;

/**
 * The {@link KafkaInboxWorker}s of {@code hookwarden.inbox.store=kafka}: for each topic the endpoints write to, {@code
 * hookwarden.inbox.kafka.consumers} consumers of the group {@code hookwarden.inbox.kafka.group-id}, running the
 * endpoints' {@link InboxHandler} methods with the application's {@link DedupeStore}. Built by {@link InboxWorkers}
 * once every singleton exists, started with the context's lifecycle, and stopped gracefully ({@code
 * hookwarden.inbox.worker.shutdown-grace}, each running handler let finish, then settled offsets committed and the
 * group left) after the web server stopped taking requests. Thread-safe.
 */
final class KafkaInboxWorkers implements InboxWorkers.External, SmartLifecycle {
    /** The default consumer group. */
    static final String DEFAULT_GROUP = "hookwarden";

    private final KafkaInboxes inboxes;
    private final HookwardenProperties properties;
    private final DedupeStore store;
    private final Map<String, Map<String, Endpoint>> byTopic = new LinkedHashMap<>();

    private volatile List<KafkaInboxWorker> workers = List.of();
    private volatile boolean running;

    private record Endpoint(WebhookReceiver receiver, Router router) {}

    KafkaInboxWorkers(KafkaInboxes inboxes, HookwardenProperties properties, DedupeStore store) {
        this.inboxes = inboxes;
        this.properties = properties;
        this.store = store;
    }

    @Override
    public boolean serves(Inbox inbox) {
        return inbox == inboxes;
    }

    @Override
    public synchronized void add(String endpoint, WebhookReceiver receiver, Router router) {
        byTopic.computeIfAbsent(inboxes.topic(endpoint), t -> new LinkedHashMap<>())
                .put(endpoint, new Endpoint(receiver, router));
    }

    @Override
    public synchronized void build() {
        HookwardenProperties.InboxKafka kafka = properties.getInbox().getKafka();
        HookwardenProperties.Worker global = properties.getInbox().getWorker();
        int consumers = kafka.getConsumers() == null ? 1 : kafka.getConsumers();
        if (consumers < 1) {
            throw new WebhookConfigurationException(
                    "hookwarden.inbox.kafka.consumers",
                    "consumers must be at least 1 but was " + consumers,
                    "Give the consumers per topic in this instance, at least 1 (at most one per partition helps); set"
                            + " hookwarden.inbox.worker.enabled=false on instances that only receive.",
                    null);
        }
        String group = kafka.getGroupId() == null ? DEFAULT_GROUP : kafka.getGroupId();
        RetryPolicy retry = retryPolicy(global.getRetry());
        List<KafkaInboxWorker> all = new ArrayList<>();
        byTopic.forEach((topic, endpoints) -> {
            for (int i = 1; i <= consumers; i++) {
                KafkaInboxWorker.Builder worker = KafkaInboxWorker.builder();
                endpoints.forEach((name, e) -> worker.endpoint(e.receiver(), e.router()));
                String prefix = "hookwarden.inbox.kafka.";
                InboxWorkers.option(
                        prefix,
                        prefix,
                        "bootstrap-servers",
                        null,
                        kafka.getBootstrapServers(),
                        worker::bootstrapServers);
                worker.topic(topic);
                InboxWorkers.option(prefix, prefix, "group-id", null, group, worker::groupId);
                worker.name(group + "-" + topic + "-" + i);
                worker.dedupeStore(store);
                InboxWorkers.option(prefix, prefix, "poll-timeout", null, kafka.getPollTimeout(), worker::pollTimeout);
                InboxWorkers.option(prefix, prefix, "key-prefix", null, kafka.getKeyPrefix(), worker::keyPrefix);
                InboxWorkers.option(prefix, prefix, "properties", null, consumerProperties(kafka), worker::properties);
                String workerPrefix = "hookwarden.inbox.worker.";
                InboxWorkers.option(workerPrefix, workerPrefix, "lease", null, global.getLease(), worker::lease);
                InboxWorkers.option(
                        workerPrefix, workerPrefix, "retention", null, global.getRetention(), worker::retention);
                if (retry != null) {
                    worker.retryPolicy(retry);
                }
                try {
                    all.add(worker.build());
                } catch (IllegalArgumentException | IllegalStateException | KafkaException e) {
                    throw new WebhookConfigurationException(
                            "hookwarden.inbox.kafka",
                            "the Kafka worker of topic " + topic + " is refused: " + e.getMessage(),
                            "Fix hookwarden.inbox.kafka.* (bootstrap-servers, group-id, properties).",
                            e);
                }
            }
        });
        workers = List.copyOf(all);
    }

    /** The client properties, or an empty map; given to the worker once. */
    private static Map<String, Object> consumerProperties(HookwardenProperties.InboxKafka kafka) {
        return kafka.getProperties() == null ? Map.of() : Map.copyOf(kafka.getProperties());
    }

    /** {@code hookwarden.inbox.worker.retry.*}, or null when none is set. */
    private static RetryPolicy retryPolicy(HookwardenProperties.Retry retry) {
        if (retry == null || retry.isEmpty()) {
            return null;
        }
        String prefix = "hookwarden.inbox.worker.";
        RetryPolicy.Builder builder = RetryPolicy.builder();
        InboxWorkers.option(prefix, prefix, "retry.base", null, retry.getBase(), builder::base);
        InboxWorkers.option(prefix, prefix, "retry.factor", null, retry.getFactor(), builder::factor);
        InboxWorkers.option(prefix, prefix, "retry.cap", null, retry.getCap(), builder::cap);
        InboxWorkers.option(prefix, prefix, "retry.max-attempts", null, retry.getMaxAttempts(), builder::maxAttempts);
        try {
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new WebhookConfigurationException(prefix + "retry", e.getMessage(), "Fix " + prefix + "retry.*.", e);
        }
    }

    /** The workers, for each topic its consumers; empty before {@link #build} or when workers are disabled. */
    List<KafkaInboxWorker> workers() {
        return workers;
    }

    @Override
    public void start() {
        workers.forEach(KafkaInboxWorker::start);
        running = true;
    }

    /** Stops every worker at once, each letting its running handler finish within the grace, then committing. */
    @Override
    public void stop() {
        Duration grace = properties.getInbox().getWorker().getShutdownGrace();
        Duration g = grace == null ? KafkaInboxWorker.DEFAULT_GRACE : grace;
        CompletableFuture.allOf(workers.stream()
                        .map(w -> CompletableFuture.runAsync(() -> w.stop(g)))
                        .toArray(CompletableFuture[]::new))
                .join();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return InboxWorkers.PHASE;
    }

    @Override
    public String toString() {
        return "KafkaInboxWorkers" + byTopic.keySet();
    }
}
