package io.hookwarden.spring.slice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookEndpointCustomizer;
import io.hookwarden.test.MockMvcDeliveries;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 12, written once for Spring Boot 3 ({@link WebMvcSliceTest}) and Spring Boot 4 ({@code Boot4WebMvcSliceTest}
 * in spring-adapter-boot4-test), whose {@code @WebMvcTest} annotations differ; both compile this source: a {@code
 * @WebMvcTest} slice, as an application's own test would write it, runs the same capture, verification and claim as
 * the application. Before the slice imported the auto-configuration, a handler taking only {@code @RequestBody String}
 * processed an unsigned delivery here, and one taking {@link VerifiedWebhook} failed. The requests are built by the
 * test kit's {@link MockMvcDeliveries}, so this also proves it on both.
 */
public abstract class WebMvcSliceContract {
    /** The secret of endpoint {@code stripe}, which the subclasses' {@code @WebMvcTest} properties set. */
    public static final String SECRET = "whsec_slice_0123456789abcdefghijklmn";

    /** The slice's configuration: the subclasses name it in {@code @ContextConfiguration}. */
    @SpringBootConfiguration
    @Import(StripeWebhooks.class)
    public static class App {
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

        @PostMapping("/webhooks/stripe/verified")
        @WebhookEndpoint("stripe")
        String onVerified(VerifiedWebhook webhook) {
            handled.add(webhook.id().orElseThrow());
            return "processed " + webhook.id().orElseThrow();
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
                .secret(SECRET)
                .clock(clock)
                .build();
    }

    @Test
    public void anUnsignedDeliveryIsRefusedAndTheHandlerDoesNotRun() throws Exception {
        // given: a forged event with no Stripe-Signature, to a handler that reads only @RequestBody String
        String forged = "{\"id\":\"evt_forged\",\"object\":\"event\",\"type\":\"invoice.paid\"}";

        // when / then
        mvc.perform(MockMvcRequestBuilders.post("/webhooks/stripe")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(forged))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.reason").value("MISSING_HEADER"));
        assertThat(handled).isEmpty();
    }

    @Test
    public void aDeliveryWithAWrongSignatureIsRefused401AndTheHandlerDoesNotRun() throws Exception {
        WebhookRequest forged = stripe.delivery(
                        "{\"id\":\"evt_forged\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                .forged();

        mvc.perform(MockMvcDeliveries.request(forged, "/webhooks/stripe"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.reason").value("SIGNATURE_MISMATCH"));
        assertThat(handled).isEmpty();
    }

    @Test
    public void aSignedDeliveryIsProcessedOnceAndItsReplayIsADuplicate() throws Exception {
        String body = "{\"id\":\"evt_slice_1\",\"object\":\"event\",\"type\":\"invoice.paid\"}";
        WebhookRequest delivery = stripe.delivery(body).signed();

        mvc.perform(MockMvcDeliveries.request(delivery, "/webhooks/stripe")).andExpect(status().isOk());
        mvc.perform(MockMvcDeliveries.request(delivery, "/webhooks/stripe"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.reason").value("DUPLICATE"));

        assertThat(handled).containsExactly(body);
    }

    @Test
    public void aHandlerTakingTheVerifiedWebhookGetsIt() throws Exception {
        WebhookRequest delivery = stripe.delivery(
                        "{\"id\":\"evt_slice_2\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                .signed();

        mvc.perform(MockMvcDeliveries.request(delivery, "/webhooks/stripe/verified"))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .string("processed evt_slice_2"));
        assertThat(handled).containsExactly("evt_slice_2");
    }
}
