package io.hookwarden.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the sample, each started as {@code main} starts it but with {@code PORT=0}, sharing one JDBC store
 * through {@code HOOKWARDEN_STORE}: a delivery retried to the other replica is processed once.
 */
class ReplicasTest {
    private static final String STRIPE_SECRET = "whsec_spring_sample_replica_test_secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ConfigurableApplicationContext replica() {
        return new SpringApplicationBuilder(SpringBootSample.class)
                .properties(
                        "PORT=0",
                        "HOOKWARDEN_STRIPE_SECRET=" + STRIPE_SECRET,
                        "HOOKWARDEN_STORE=jdbc:h2:mem:spring-replicas;DB_CLOSE_DELAY=-1")
                .initializers(context -> context.getBeanFactory().registerSingleton("clock", clock))
                .run();
    }

    private static URI stripe(ConfigurableApplicationContext replica) {
        int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
        return URI.create("http://localhost:" + port + SampleEndpoints.STRIPE);
    }

    @Test
    void twoReplicasOnFreePortsSharingAJdbcStoreProcessADeliveryOnce() throws Exception {
        WebhookRequest delivery = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(STRIPE_SECRET)
                .clock(clock)
                .build()
                .delivery("{\"id\":\"evt_replica\",\"type\":\"invoice.paid\",\"data\":{\"object\":"
                        + "{\"id\":\"in_replica\",\"amount_paid\":500,\"currency\":\"chf\"}}}")
                .signed();
        try (ConfigurableApplicationContext a = replica();
                ConfigurableApplicationContext b = replica()) {
            HttpResponse<String> atA = client.send(
                    WebhookRequests.toHttpRequest(delivery, stripe(a)), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> atB = client.send(
                    WebhookRequests.toHttpRequest(delivery, stripe(b)), HttpResponse.BodyHandlers.ofString());

            assertThat(stripe(a).getPort()).isPositive().isNotEqualTo(stripe(b).getPort());
            assertThat(atA.statusCode()).isEqualTo(204);
            assertThat(atB.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(atB.body()).get("reason").asText()).isEqualTo("DUPLICATE");
            assertThat(a.getBean(SampleEndpoints.class).log().events()).hasSize(1);
            assertThat(b.getBean(SampleEndpoints.class).log().events()).isEmpty();
        }
    }
}
