package io.hookwarden.spring.boot4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookEndpointCustomizer;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Issue 12 on Spring Boot 4: a {@code @WebMvcTest} slice runs the same verification as the application. */
@WebMvcTest
class Boot4WebMvcSliceTest {
    @SpringBootConfiguration
    @Import(StripeWebhooks.class)
    static class App {
        @Bean
        MutableClock clock() {
            return MutableClock.atEpochSecond(1_700_000_000L);
        }

        @Bean
        WebhookEndpointCustomizer stripeClock(MutableClock clock) {
            return WebhookEndpointCustomizer.verifier("stripe", verifier -> verifier.clock(clock));
        }

        @Bean
        List<String> handled() {
            return new CopyOnWriteArrayList<>();
        }
    }

    @RestController
    static class StripeWebhooks {
        private final List<String> handled;

        StripeWebhooks(List<String> handled) {
            this.handled = handled;
        }

        @PostMapping("/webhooks/stripe")
        @WebhookEndpoint("stripe")
        String onEvent(@RequestBody String body) {
            handled.add(body);
            return "processed";
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    MutableClock clock;

    @Autowired
    List<String> handled;

    WebhookFixtures stripe;

    @BeforeEach
    void fixtures() {
        handled.clear();
        stripe = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(Boot4ApplicationTest.SECRET)
                .clock(clock)
                .build();
    }

    static MockHttpServletRequestBuilder post(WebhookRequest delivery) {
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.post("/webhooks/stripe")
                .contentType(MediaType.APPLICATION_JSON)
                .content(delivery.body());
        delivery.headers().toMap().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        return request;
    }

    @Test
    void aForgedDeliveryIsRefusedAndTheHandlerDoesNotRun() throws Exception {
        mvc.perform(post(stripe.delivery("{\"id\":\"evt_forged\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                        .forged()))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.reason").value("SIGNATURE_MISMATCH"));
        assertThat(handled).isEmpty();
    }

    @Test
    void aSignedDeliveryIsProcessed() throws Exception {
        String body = "{\"id\":\"evt_boot4_slice\",\"object\":\"event\",\"type\":\"invoice.paid\"}";

        mvc.perform(post(stripe.delivery(body).signed())).andExpect(status().isOk());

        assertThat(handled).containsExactly(body);
    }
}
