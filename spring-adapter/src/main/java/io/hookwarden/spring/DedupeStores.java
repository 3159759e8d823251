package io.hookwarden.spring;

import io.hookwarden.jdbc.JdbcDedupeStore;
import io.hookwarden.redis.RedisDedupeStore;
import io.hookwarden.spi.DedupeStore;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The shared dedupe stores that {@code hookwarden.dedupe.store} chooses, each only when its module is on the class
 * path: {@code jdbc} on the application's {@link DataSource}, {@code redis} on {@code hookwarden.dedupe.redis.uri} or
 * the application's Lettuce client. The Redis store connects on first use, so an application starts while Redis is
 * down and answers deliveries 503 until it is up, unless {@code hookwarden.dedupe.fail-fast=true} ({@link
 * DedupeStoreProbe}).
 */
final class DedupeStores {
    private DedupeStores() {}

    /** {@code hookwarden.dedupe.store=jdbc}: a {@link JdbcDedupeStore} on the application's data source. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.hookwarden.jdbc.JdbcDedupeStore")
    @ConditionalOnProperty(prefix = "hookwarden.dedupe", name = "store", havingValue = "jdbc")
    static class Jdbc {
        @Bean
        @ConditionalOnMissingBean(DedupeStore.class)
        JdbcDedupeStore hookwardenDedupeStore(HookwardenProperties properties, ObjectProvider<DataSource> dataSources) {
            DataSource dataSource = dataSources.getIfUnique();
            if (dataSource == null) {
                throw new WebhookConfigurationException(
                        "hookwarden.dedupe.store",
                        "jdbc needs one DataSource bean, and the application has none or several",
                        "Configure spring.datasource.*, or declare a DedupeStore bean of your own.",
                        null);
            }
            HookwardenProperties.Jdbc jdbc = properties.getDedupe().getJdbc();
            JdbcDedupeStore.Builder builder = JdbcDedupeStore.builder().dataSource(dataSource);
            if (jdbc.getTable() != null) {
                try {
                    builder.table(jdbc.getTable());
                } catch (IllegalArgumentException e) {
                    throw new WebhookConfigurationException(
                            "hookwarden.dedupe.jdbc.table", e.getMessage(), "Give a plain SQL table name.", e);
                }
            }
            JdbcDedupeStore store = builder.build();
            if (jdbc.isInitializeSchema()) {
                store.createTableIfMissing();
            }
            return store;
        }
    }

    /** {@code hookwarden.dedupe.store=redis}: a {@link RedisDedupeStore}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.hookwarden.redis.RedisDedupeStore")
    @ConditionalOnProperty(prefix = "hookwarden.dedupe", name = "store", havingValue = "redis")
    static class Redis {
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(DedupeStore.class)
        RedisDedupeStore hookwardenDedupeStore(
                HookwardenProperties properties,
                ObjectProvider<RedisClient> clients,
                ObjectProvider<LettuceClient> lettuceFactories) {
            HookwardenProperties.Redis redis = properties.getDedupe().getRedis();
            RedisDedupeStore.Builder builder = RedisDedupeStore.builder();
            if (redis.getUri() != null) {
                try {
                    builder.uri(redis.getUri());
                } catch (IllegalArgumentException e) {
                    // The store's message leaves the password out.
                    throw new WebhookConfigurationException(
                            "hookwarden.dedupe.redis.uri",
                            e.getMessage(),
                            "Give redis://[[user]:password@]host[:port][/database].",
                            e);
                }
            } else if (clients.getIfUnique() != null) {
                builder.client(clients.getIfUnique());
            } else if (springDataClient(lettuceFactories) instanceof RedisClusterClient cluster) {
                builder.client(cluster);
            } else if (springDataClient(lettuceFactories) instanceof RedisClient client) {
                builder.client(client);
            } else {
                throw new WebhookConfigurationException(
                        "hookwarden.dedupe.redis.uri",
                        "is missing, and the application has no Lettuce RedisClient or LettuceConnectionFactory",
                        "Set hookwarden.dedupe.redis.uri=redis://host:6379, or configure spring.data.redis.*.",
                        null);
            }
            if (redis.getKeyPrefix() != null) {
                builder.keyPrefix(redis.getKeyPrefix());
            }
            if (redis.getCommandTimeout() != null) {
                builder.commandTimeout(redis.getCommandTimeout());
            }
            // A Redis down at start-up fails deliveries closed (503), as an outage later does; fail-fast probes it.
            return builder.connectLazily().build();
        }
    }

    private static AbstractRedisClient springDataClient(ObjectProvider<LettuceClient> lettuceFactories) {
        LettuceClient lettuce = lettuceFactories.getIfUnique();
        return lettuce == null ? null : lettuce.client();
    }

    /** The native client of Spring Data Redis's Lettuce connection factory, when the application has one. */
    @FunctionalInterface
    interface LettuceClient {
        AbstractRedisClient client();
    }

    /** Exposes Spring Data Redis's Lettuce client, so the store reuses the application's Redis configuration. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {
                "io.hookwarden.redis.RedisDedupeStore",
                "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory"
            })
    @ConditionalOnProperty(prefix = "hookwarden.dedupe", name = "store", havingValue = "redis")
    static class SpringDataRedis {
        @Bean
        LettuceClient hookwardenLettuceClient(ObjectProvider<LettuceConnectionFactory> factories) {
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
