package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Outcome;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.jdbc.JdbcDedupeStore;
import io.hookwarden.redis.RedisDedupeStore;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.embedded.RedisServer;

/**
 * {@code hookwarden.dedupe.store} against real stores: JDBC on the application's DataSource (H2), Redis on a real
 * server (embedded, on a free port) by URI, by the application's Lettuce client, and by Spring Data Redis's factory.
 */
class DedupeStoreAutoConfigurationTest {
    private static final MutableClock CLOCK = MutableClock.atEpochSecond(1_700_000_000L);
    private static RedisServer redis;
    private static int redisPort;
    private static Path redisDir;

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HookwardenAutoConfiguration.class))
            .withBean(
                    WebhookEndpointCustomizer.class,
                    () -> WebhookEndpointCustomizer.verifier("stripe", v -> v.clock(CLOCK)))
            .withPropertyValues(
                    "hookwarden.endpoints.stripe.scheme=stripe",
                    "hookwarden.endpoints.stripe.secrets[0]=" + Secrets.STRIPE);

    @BeforeAll
    static void startRedis() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            redisPort = socket.getLocalPort();
        }
        redisDir = Files.createTempDirectory("hookwarden-spring-redis-");
        redis = RedisServer.newRedisServer()
                .port(redisPort)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("dir " + redisDir.toAbsolutePath())
                .build();
        redis.start();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        redis.stop();
        try (var files = Files.walk(redisDir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    /** The endpoint processes a delivery once: the replay is a duplicate, through the configured store. */
    private static void processesOnce(ApplicationContext context, String eventId) {
        WebhookReceiver receiver = context.getBean(WebhookEndpoints.class).receiver("stripe");
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(Secrets.STRIPE)
                .clock(CLOCK)
                .build();
        WebhookRequest delivery =
                fixtures.delivery("{\"id\":\"" + eventId + "\"}").signed();

        Outcome first = receiver.receive(delivery);
        assertThat(first).isInstanceOf(Outcome.Accepted.class);
        assertThat(((Outcome.Accepted) first).delivery().complete()).isTrue();
        assertThat(receiver.receive(delivery)).isInstanceOf(Outcome.Duplicate.class);
        assertThat(context.getBean(HealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
    }

    @Configuration(proxyBeanMethods = false)
    static class H2 {
        @Bean
        DataSource dataSource() {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:hookwarden-spring;DB_CLOSE_DELAY=-1");
            return ds;
        }
    }

    @Test
    void jdbcUsesTheApplicationsDataSourceAndCreatesTheTable() {
        runner.withUserConfiguration(H2.class)
                .withPropertyValues("hookwarden.dedupe.store=jdbc", "hookwarden.dedupe.jdbc.initialize-schema=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(DedupeStore.class)).isInstanceOf(JdbcDedupeStore.class);
                    processesOnce(context, "evt_jdbc");
                });
    }

    @Test
    void jdbcWithoutADataSourceFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("hookwarden.dedupe.store=jdbc").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("hookwarden.dedupe.store");
        });
    }

    @Test
    void redisConnectsToTheConfiguredUri() {
        runner.withPropertyValues(
                        "hookwarden.dedupe.store=redis",
                        "hookwarden.dedupe.redis.uri=redis://127.0.0.1:" + redisPort,
                        "hookwarden.dedupe.redis.key-prefix=spring-uri:")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RedisDedupeStore store = context.getBean(RedisDedupeStore.class);
                    assertThat(store.keyPrefix()).isEqualTo("spring-uri:");
                    processesOnce(context, "evt_redis_uri");
                });
    }

    @Test
    void redisReusesTheApplicationsLettuceClient() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redisPort);
        try {
            runner.withBean(RedisClient.class, () -> client)
                    .withPropertyValues(
                            "hookwarden.dedupe.store=redis", "hookwarden.dedupe.redis.key-prefix=spring-client:")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(DedupeStore.class)).isInstanceOf(RedisDedupeStore.class);
                        assertThat(context.getBean(DedupeStore.class)).isInstanceOf(RedisDedupeStore.class);
                        processesOnce(context, "evt_redis_client");
                    });
        } finally {
            client.shutdown();
        }
    }

    @Test
    void redisReusesSpringDataRedisConnectionFactory() {
        runner.withConfiguration(AutoConfigurations.of(RedisAutoConfiguration.class))
                .withPropertyValues(
                        "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redisPort,
                        "hookwarden.dedupe.store=redis",
                        "hookwarden.dedupe.redis.key-prefix=spring-data:")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(DedupeStore.class)).isInstanceOf(RedisDedupeStore.class);
                    processesOnce(context, "evt_redis_data");
                });
    }

    @Test
    void redisWithNothingToConnectToFailsStartUpNamingTheProperty() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
                .withPropertyValues("hookwarden.dedupe.store=redis")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("hookwarden.dedupe.redis.uri");
                });
    }

    @Test
    void aRedisUriWithAPasswordIsNeverEchoed() {
        runner.withPropertyValues("hookwarden.dedupe.store=redis", "hookwarden.dedupe.redis.uri=http://:hunter2@x")
                .run(context -> {
                    assertThat(context).hasFailed();
                    StringBuilder messages = new StringBuilder();
                    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                        messages.append(t.getMessage());
                    }
                    assertThat(messages).contains("hookwarden.dedupe.redis.uri").doesNotContain("hunter2");
                });
    }

    @Test
    void aStoreModuleMissingFromTheClassPathFailsStartUpNamingIt() {
        runner.withClassLoader(new FilteredClassLoader("io.hookwarden.redis"))
                .withPropertyValues("hookwarden.dedupe.store=redis")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining(
                                    "hookwarden.dedupe.store: redis needs io.hookwarden:hookwarden-dedupe-redis");
                });
    }
}
