package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.hookwarden.Schemes;
import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.test.MockMvcDeliveries;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/** With the application's dedupe store down, deliveries fail closed with 503 and the health indicator is DOWN. */
@SpringBootTest(classes = {HooksApp.class, StoreDownTest.DownStore.class})
@AutoConfigureMockMvc
@ActiveProfiles("hooks")
class StoreDownTest {
    @Configuration(proxyBeanMethods = false)
    static class DownStore {
        @Bean
        DedupeStore downStore() {
            return new DedupeStore() {
                @Override
                public ClaimResult claim(String key, Duration lease) {
                    throw new StoreUnavailableException("connection refused by store-host:6379");
                }

                @Override
                public boolean complete(String key, Claim claim, Duration retention) {
                    throw new StoreUnavailableException("connection refused by store-host:6379");
                }

                @Override
                public boolean release(String key, Claim claim) {
                    throw new StoreUnavailableException("connection refused by store-host:6379");
                }
            };
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    MutableClock clock;

    @Autowired
    HooksApp.Recorder recorder;

    @Test
    void aDeliveryIsRefusedWith503AndRetryAfterAndTheHandlerNeverRuns() throws Exception {
        WebhookFixtures standard = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(Secrets.STANDARD)
                .clock(clock)
                .build();

        String body = mvc.perform(
                        MockMvcDeliveries.request(standard.delivery("{}").signed(), "/webhooks/standard"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "30"))
                .andExpect(jsonPath("$.reason").value("STORE_UNAVAILABLE"))
                .andReturn()
                .getResponse()
                .getContentAsString();

        assertThat(body).doesNotContain("store-host");
        assertThat(recorder.handled).isEmpty();
    }

    @Test
    void theHealthIndicatorIsDown() throws Exception {
        String body = mvc.perform(get("/actuator/health/hookwarden"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.status").value("DOWN"))
                .andReturn()
                .getResponse()
                .getContentAsString();

        assertThat(body).doesNotContain("store-host");
    }
}
