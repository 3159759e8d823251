package io.hookwarden.spring;

import io.hookwarden.inbox.kafka.KafkaInbox;
import io.hookwarden.inbox.redis.RedisInbox;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.StoreUnavailableException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The inbox that {@code hookwarden.inbox.store} chooses, unless the application declares an {@link Inbox} bean of its
 * own: {@code redis} builds a {@link RedisInbox} on {@code hookwarden.inbox.redis.uri}, or else on the application's
 * Lettuce {@link RedisClient} bean, or else on the client of its Spring Data Redis {@link LettuceConnectionFactory};
 * {@code kafka} builds a {@link KafkaInboxes}, a {@code KafkaInbox} per topic from {@code hookwarden.inbox.kafka.*},
 * and the {@link KafkaInboxWorkers} that consume it.
 * Endpoints write to it with {@code hookwarden.endpoints.<name>.inbox.enabled=true}, as to an {@code Inbox} bean of the
 * application's, so the workers, the health indicator and the Actuator endpoint see it the same way.
 */
final class InboxStores {
    private InboxStores() {}

    /** {@code hookwarden.inbox.store=redis}: a {@link RedisInbox}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.hookwarden.inbox.redis.RedisInbox")
    @ConditionalOnProperty(prefix = "hookwarden.inbox", name = "store", havingValue = "redis")
    static class Redis {
        /**
         * @throws WebhookConfigurationException naming the property, if a {@code hookwarden.inbox.redis.*} value is
         *     refused, no Redis is given, or Redis does not answer at start-up
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(Inbox.class)
        RedisInbox hookwardenInbox(
                HookwardenProperties properties,
                ObjectProvider<RedisClient> clients,
                ObjectProvider<InboxLettuceClient> lettuceFactories) {
            HookwardenProperties.InboxRedis redis = properties.getInbox().getRedis();
            RedisInbox.Builder builder = RedisInbox.builder();
            String target;
            if (redis.getUri() != null) {
                try {
                    builder.uri(redis.getUri());
                } catch (IllegalArgumentException e) {
                    // The inbox's message leaves the password out.
                    throw new WebhookConfigurationException(
                            "hookwarden.inbox.redis.uri",
                            e.getMessage(),
                            "Give redis://[[user]:password@]host[:port][/database].",
                            e);
                }
                target = "hookwarden.inbox.redis.uri";
            } else if (clients.getIfUnique() != null) {
                builder.client(clients.getIfUnique());
                target = "the application's RedisClient";
            } else if (springDataClient(lettuceFactories) instanceof RedisClusterClient cluster) {
                builder.client(cluster);
                target = "spring.data.redis.*";
            } else if (springDataClient(lettuceFactories) instanceof RedisClient client) {
                builder.client(client);
                target = "spring.data.redis.*";
            } else {
                throw new WebhookConfigurationException(
                        "hookwarden.inbox.redis.uri",
                        "is missing, and the application has no Lettuce RedisClient or LettuceConnectionFactory",
                        "Set hookwarden.inbox.redis.uri=redis://host:6379, configure spring.data.redis.*, or declare"
                                + " an Inbox bean of your own.",
                        null);
            }
            if (redis.getKeyPrefix() != null) {
                try {
                    builder.keyPrefix(redis.getKeyPrefix());
                } catch (IllegalArgumentException e) {
                    throw new WebhookConfigurationException(
                            "hookwarden.inbox.redis.key-prefix",
                            e.getMessage(),
                            "Give a prefix without { or }: the endpoint's hash tag follows it.",
                            e);
                }
            }
            if (redis.getMaxLength() != null) {
                try {
                    builder.maxLength(redis.getMaxLength());
                } catch (IllegalArgumentException e) {
                    throw new WebhookConfigurationException(
                            "hookwarden.inbox.redis.max-length",
                            e.getMessage(),
                            "Give the most entries an endpoint's stream may hold, at least 1 (default "
                                    + RedisInbox.DEFAULT_MAX_LENGTH + ").",
                            e);
                }
            }
            if (redis.getCommandTimeout() != null) {
                try {
                    builder.commandTimeout(redis.getCommandTimeout());
                } catch (IllegalArgumentException e) {
                    throw new WebhookConfigurationException(
                            "hookwarden.inbox.redis.command-timeout",
                            e.getMessage(),
                            "Give a positive duration such as 2s, well below the provider's delivery timeout.",
                            e);
                }
            }
            try {
                // RedisInbox connects as it is built: a Redis down at start-up stops the application here.
                return builder.build();
            } catch (StoreUnavailableException e) {
                // The inbox's message leaves the password out.
                throw new WebhookConfigurationException(
                        target,
                        "Redis did not answer at start-up: " + e.getMessage(),
                        "Start Redis or correct " + target + ", or declare an Inbox bean of your own.",
                        e);
            }
        }
    }

    /** {@code hookwarden.inbox.store=redis} without the module: fails start-up naming the property. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("io.hookwarden.inbox.redis.RedisInbox")
    @ConditionalOnProperty(prefix = "hookwarden.inbox", name = "store", havingValue = "redis")
    static class RedisMissing {
        /**
         * @throws WebhookConfigurationException always, unless the application declares an {@link Inbox}
         */
        @Bean
        @ConditionalOnMissingBean(Inbox.class)
        Inbox hookwardenInbox() {
            throw new WebhookConfigurationException(
                    "hookwarden.inbox.store",
                    "redis needs io.hookwarden:hookwarden-inbox-redis on the class path",
                    "Add the dependency io.hookwarden:hookwarden-inbox-redis, or declare an Inbox bean of your own.",
                    null);
        }
    }

    /**
     * {@code hookwarden.inbox.store=kafka}: a {@link KafkaInboxes} (a {@code KafkaInbox} per topic) and the {@link
     * KafkaInboxWorkers} that consume its topics.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.hookwarden.inbox.kafka.KafkaInbox")
    @ConditionalOnProperty(prefix = "hookwarden.inbox", name = "store", havingValue = "kafka")
    static class Kafka {
        /**
         * @throws WebhookConfigurationException naming the property, if a {@code hookwarden.inbox.kafka.*} value is
         *     refused or the bootstrap servers are missing
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(Inbox.class)
        KafkaInboxes hookwardenInbox(HookwardenProperties properties) {
            HookwardenProperties.InboxKafka kafka = properties.getInbox().getKafka();
            String prefix = "hookwarden.inbox.kafka.";
            if (kafka.getBootstrapServers() == null
                    || kafka.getBootstrapServers().isBlank()) {
                throw new WebhookConfigurationException(
                        prefix + "bootstrap-servers",
                        "is missing",
                        "Set hookwarden.inbox.kafka.bootstrap-servers=kafka-1:9092,kafka-2:9092, or declare an Inbox"
                                + " bean of your own.",
                        null);
            }
            Map<String, Object> client = kafka.getProperties() == null ? Map.of() : Map.copyOf(kafka.getProperties());
            List<String> endpoints = new ArrayList<>();
            properties.getEndpoints().forEach((name, endpoint) -> {
                if (endpoint.getInbox() != null && endpoint.getInbox().isOn()) {
                    endpoints.add(name);
                }
            });
            for (String named : kafka.getTopics().keySet()) {
                if (!endpoints.contains(named)) {
                    throw new WebhookConfigurationException(
                            prefix + "topics." + named,
                            "names no endpoint with an inbox; endpoints with an inbox: " + endpoints,
                            "Name an endpoint with hookwarden.endpoints.<name>.inbox.enabled=true.",
                            null);
                }
            }
            String pattern = kafka.getTopic() == null ? KafkaInboxes.DEFAULT_TOPIC : kafka.getTopic();
            return new KafkaInboxes(pattern, kafka.getTopics(), endpoints, topic -> {
                KafkaInbox.Builder builder = KafkaInbox.builder().topic(topic);
                option(prefix + "bootstrap-servers", () -> builder.bootstrapServers(kafka.getBootstrapServers()));
                if (kafka.getWriteTimeout() != null) {
                    option(prefix + "write-timeout", () -> builder.writeTimeout(kafka.getWriteTimeout()));
                }
                option(prefix + "properties", () -> builder.properties(client));
                try {
                    return builder.build();
                } catch (KafkaException e) {
                    // A bootstrap server Kafka cannot parse, or a client property it refuses.
                    throw new WebhookConfigurationException(
                            prefix + "bootstrap-servers",
                            "the producer of topic " + topic + " could not be created: " + e.getMessage()
                                    + (e.getCause() == null
                                            ? ""
                                            : ": " + e.getCause().getMessage()),
                            "Give host:port[,host:port...] in " + prefix + "bootstrap-servers, and client properties"
                                    + " Kafka knows in " + prefix + "properties.*.",
                            e);
                }
            });
        }

        /** The consumers of the Kafka inbox's topics, when it is the endpoints' inbox. */
        @Bean
        @ConditionalOnBean(KafkaInboxes.class)
        KafkaInboxWorkers hookwardenKafkaInboxWorkers(
                KafkaInboxes inboxes, HookwardenProperties properties, DedupeStore store) {
            return new KafkaInboxWorkers(inboxes, properties, store);
        }

        private static void option(String property, Runnable set) {
            try {
                set.run();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new WebhookConfigurationException(
                        property, e.getMessage(), "Fix the value of " + property + ".", e);
            }
        }
    }

    /** {@code hookwarden.inbox.store=kafka} without the module: fails start-up naming the property. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("io.hookwarden.inbox.kafka.KafkaInbox")
    @ConditionalOnProperty(prefix = "hookwarden.inbox", name = "store", havingValue = "kafka")
    static class KafkaMissing {
        /**
         * @throws WebhookConfigurationException always, unless the application declares an {@link Inbox}
         */
        @Bean
        @ConditionalOnMissingBean(Inbox.class)
        Inbox hookwardenInbox() {
            throw new WebhookConfigurationException(
                    "hookwarden.inbox.store",
                    "kafka needs io.hookwarden:hookwarden-inbox-kafka on the class path",
                    "Add the dependency io.hookwarden:hookwarden-inbox-kafka, or declare an Inbox bean of your own.",
                    null);
        }
    }

    private static AbstractRedisClient springDataClient(ObjectProvider<InboxLettuceClient> lettuceFactories) {
        InboxLettuceClient lettuce = lettuceFactories.getIfUnique();
        return lettuce == null ? null : lettuce.client();
    }

    /**
     * The native client of Spring Data Redis's Lettuce connection factory, when the application has one; a type of its
     * own, so that it stays unique beside the dedupe store's.
     */
    @FunctionalInterface
    interface InboxLettuceClient {
        AbstractRedisClient client();
    }

    /** Exposes Spring Data Redis's Lettuce client, so the inbox reuses the application's Redis configuration. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {
                "io.hookwarden.inbox.redis.RedisInbox",
                "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory"
            })
    @ConditionalOnProperty(prefix = "hookwarden.inbox", name = "store", havingValue = "redis")
    static class SpringDataRedis {
        @Bean
        InboxLettuceClient hookwardenInboxLettuceClient(ObjectProvider<LettuceConnectionFactory> factories) {
            return () -> {
                LettuceConnectionFactory factory = factories.getIfUnique();
                if (factory == null) {
                    return null;
                }
                if (!factory.isRunning()) {
                    factory.start();
                }
                return factory.getRequiredNativeClient();
            };
        }
    }
}
