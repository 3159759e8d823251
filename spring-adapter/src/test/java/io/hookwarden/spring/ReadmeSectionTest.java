package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.hookwarden.Schemes;
import io.hookwarden.test.MockMvcDeliveries;
import io.hookwarden.test.WebhookFixtures;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The README section proposed for the Spring adapter, compiled and run as written. */
@SpringBootTest(
        classes = ReadmeSectionTest.App.class,
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=${STRIPE_WEBHOOK_SECRET}",
            "STRIPE_WEBHOOK_SECRET=" + ReadmeSectionTest.SECRET,
        })
@AutoConfigureMockMvc
class ReadmeSectionTest {
    static final String SECRET = "whsec_readme_0123456789abcdefghij";

    // README: begin
    @RestController
    static class StripeWebhooks {
        private final Billing billing;

        StripeWebhooks(Billing billing) {
            this.billing = billing;
        }

        @PostMapping("/webhooks/stripe")
        @WebhookEndpoint("stripe")
        void onEvent(@WebhookPayload StripeEvent event) {
            billing.apply(event); // runs once per event; throw, and Stripe's retry is processed
        }
    }

    record StripeEvent(String id, String type) {}
    // README: end

    static class Billing {
        final List<StripeEvent> applied = new CopyOnWriteArrayList<>();

        void apply(StripeEvent event) {
            applied.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(StripeWebhooks.class)
    static class App {
        @Bean
        Billing billing() {
            return new Billing();
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    Billing billing;

    @Test
    void theExampleProcessesASignedEventOnceAndRefusesAForgedOne() throws Exception {
        WebhookFixtures stripe = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(SECRET)
                .clock(Clock.systemUTC())
                .build();
        String event = "{\"id\":\"evt_readme\",\"object\":\"event\",\"type\":\"invoice.paid\",\"livemode\":false}";

        mvc.perform(MockMvcDeliveries.request(stripe.delivery(event).signed(), "/webhooks/stripe"))
                .andExpect(status().isOk());
        mvc.perform(MockMvcDeliveries.request(stripe.delivery(event).signed(), "/webhooks/stripe"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.reason").value("DUPLICATE"));
        mvc.perform(MockMvcDeliveries.request(stripe.delivery(event).forged(), "/webhooks/stripe"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.reason").value("SIGNATURE_MISMATCH"));

        assertThat(billing.applied).containsExactly(new StripeEvent("evt_readme", "invoice.paid"));
    }
}
