package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;

/**
 * Issue 17: an application that shows the values of the Actuator's {@code configprops} and {@code env} endpoints
 * still never shows an endpoint's secret, nor a Redis password.
 */
@SpringBootTest(
        classes = ActuatorSanitizingTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + ActuatorSanitizingTest.FIRST,
            "hookwarden.endpoints.stripe.secrets[1]=" + ActuatorSanitizingTest.SECOND,
            "hookwarden.endpoints.stripe.paths[0]=/hooks/stripe",
            "hookwarden.endpoints.tenanted.scheme=github",
            "hookwarden.endpoints.tenanted.paths[0]=/hooks/tenanted",
            "hookwarden.endpoints.tenanted.tenants.from=header:X-Account-Id",
            "hookwarden.endpoints.tenanted.tenants.secrets.acme[0]=" + ActuatorSanitizingTest.TENANT,
            "management.endpoints.web.exposure.include=configprops,env",
            "management.endpoint.configprops.show-values=always",
            "management.endpoint.env.show-values=always"
        })
class ActuatorSanitizingTest {
    static final String FIRST = "whsec_actuator_first_secret_0123456789";
    static final String SECOND = "whsec_actuator_second_secret_987654321";
    /** A tenant's secret, under tenants.secrets.acme[0]. */
    static final String TENANT = "tenant-actuator-secret-0123456789";

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {}

    @LocalServerPort
    int port;

    String get(String path) throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    @Test
    void configpropsShowsTheEndpointButMasksItsSecrets() throws Exception {
        String body = get("/actuator/configprops");

        assertThat(body)
                .contains("/hooks/stripe")
                .contains("header:X-Account-Id")
                .contains("******");
        assertThat(body).doesNotContain(FIRST).doesNotContain(SECOND).doesNotContain(TENANT);
    }

    @Test
    void envMasksEachSecretProperty() throws Exception {
        String first = get("/actuator/env/hookwarden.endpoints.stripe.secrets%5B0%5D");
        String all = get("/actuator/env");

        String tenant = get("/actuator/env/hookwarden.endpoints.tenanted.tenants.secrets.acme%5B0%5D");

        assertThat(first).contains("******").doesNotContain(FIRST);
        assertThat(tenant).contains("******").doesNotContain(TENANT);
        assertThat(all)
                .contains("hookwarden.endpoints.stripe.paths[0]")
                .contains("hookwarden.endpoints.tenanted.tenants.secrets.acme[0]")
                .doesNotContain(FIRST)
                .doesNotContain(SECOND)
                .doesNotContain(TENANT);
    }

    @Test
    void aRedisUriKeepsItsAddressAndLosesItsUserAndPassword() {
        HookwardenSanitizingFunction function = new HookwardenSanitizingFunction();

        Object masked = function.apply(new SanitizableData(
                        null, "hookwarden.dedupe.redis.uri", "rediss://app:hunter2-pw@redis.internal:6380/2"))
                .getValue();
        Object plain = function.apply(
                        new SanitizableData(null, "hookwarden.dedupe.redis.uri", "redis://redis.internal:6379"))
                .getValue();
        Object other = function.apply(new SanitizableData(null, "hookwarden.dedupe.redis.key-prefix", "hw:"))
                .getValue();

        assertThat(masked).isEqualTo("rediss://****@redis.internal:6380/2");
        assertThat(plain).isEqualTo("redis://redis.internal:6379");
        assertThat(other).isEqualTo("hw:");
    }

    @Test
    void theKafkaInboxsClientCredentialsAreMaskedAndItsOtherPropertiesShown() {
        HookwardenSanitizingFunction function = new HookwardenSanitizingFunction();
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\""
                + " password=\"hunter2-kafka\";";

        Object config = function.apply(
                        new SanitizableData(null, "hookwarden.inbox.kafka.properties.sasl.jaas.config", jaas))
                .getValue();
        Object keyPassword = function.apply(
                        new SanitizableData(null, "hookwarden.inbox.kafka.properties.ssl.key.password", "hunter2-key"))
                .getValue();
        Object clientId = function.apply(
                        new SanitizableData(null, "hookwarden.inbox.kafka.properties.client.id", "billing"))
                .getValue();

        assertThat(config).isEqualTo(SanitizableData.SANITIZED_VALUE);
        assertThat(keyPassword).isEqualTo(SanitizableData.SANITIZED_VALUE);
        assertThat(clientId).isEqualTo("billing");
    }
}
