package io.hookwarden.spring.docs;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.MockMvcDeliveries;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Issue 18: the test that docs/spring.md ("Testing your handlers") shows, run as written; a new user found the old
 * snippet's {@code fixtures} undefined, and had to declare one clock customizer per endpoint. The part between the
 * markers is the snippet, and {@link StripeWebhooksDocsTest} holds the page to it.
 */
// docs/spring.md: begin
@WebMvcTest(
        controllers = StripeWebhooks.class,
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + StripeWebhooksTest.SECRET
        })
class StripeWebhooksTest {
    static final String SECRET = "whsec_test_0123456789abcdefghij";
    static final String EVENT = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"invoice.paid\"}";

    @TestConfiguration
    static class TestClock {
        @Bean
        MutableClock clock() { // the application's Clock bean is every endpoint's clock
            return MutableClock.atEpochSecond(1_700_000_000L);
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    MutableClock clock;

    WebhookFixtures stripe() { // signs with the endpoint's secret, at the endpoint's time
        return WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .clock(clock)
                .build();
    }

    @Test
    void processesASignedDeliveryOnce() throws Exception {
        WebhookRequest delivery = stripe().delivery(EVENT).signed();
        mvc.perform(MockMvcDeliveries.request(delivery, "/webhooks/stripe"))
                .andExpect(status().isOk()); // a void handler answers 200
        mvc.perform(MockMvcDeliveries.request(delivery, "/webhooks/stripe"))
                .andExpect(jsonPath("$.reason").value("DUPLICATE"));
    }

    @Test
    void refusesAForgedDelivery() throws Exception {
        mvc.perform(MockMvcDeliveries.request(stripe().delivery(EVENT).forged(), "/webhooks/stripe"))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void refusesADeliveryOlderThanFiveMinutes() throws Exception {
        WebhookRequest delivery = stripe().delivery(EVENT).signed();
        clock.advance(Duration.ofMinutes(6)); // no sleeping
        mvc.perform(MockMvcDeliveries.request(delivery, "/webhooks/stripe"))
                .andExpect(jsonPath("$.reason").value("TIMESTAMP_TOO_OLD"));
    }
}
// docs/spring.md: end
