package io.hookwarden.test.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.servlet.HookwardenFilter;
import io.hookwarden.test.MockMvcDeliveries;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultMatcher;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A MockMvc standalone setup: a controller behind {@code HookwardenFilter}, driven by rendered deliveries. */
class MockMvcDeliveriesTest {
    private static final String SECRET = "whsec_test_secret";

    private final MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
    private final WebhookFixtures stripe = WebhookFixtures.builder()
            .scheme(Schemes.stripe())
            .secret(SECRET)
            .clock(clock)
            .build();
    private final StripeController controller = new StripeController();
    private final MockMvc mockMvc = MockMvcBuilders.standaloneSetup(controller)
            .addFilters(HookwardenFilter.builder()
                    .endpoint(
                            "/webhooks/stripe",
                            WebhookReceiver.builder()
                                    .name("stripe")
                                    .verifier(WebhookVerifier.builder()
                                            .scheme(Schemes.stripe())
                                            .secret(SECRET)
                                            .tolerance(Duration.ofMinutes(5))
                                            .clock(clock)
                                            .build())
                                    .build())
                    .build())
            .build();

    /** The application's controller: binds the verified JSON body and reads the verified delivery. */
    @RestController
    static class StripeController {
        final List<String> paid = new ArrayList<>();

        @PostMapping("/webhooks/stripe")
        ResponseEntity<Void> stripe(@RequestBody Map<String, Object> event, HttpServletRequest request) {
            VerifiedWebhook webhook = (VerifiedWebhook) request.getAttribute(HookwardenFilter.VERIFIED_WEBHOOK);
            paid.add(webhook.id().orElseThrow() + " " + event.get("type"));
            return ResponseEntity.noContent().build();
        }
    }

    /** The problem+json answer names {@code reason}. */
    private static ResultMatcher reason(String reason) {
        return result ->
                assertThat(result.getResponse().getContentAsString()).contains("\"reason\":\"" + reason + "\"");
    }

    @Test
    void aSignedDeliveryReachesTheController() throws Exception {
        mockMvc.perform(post("/webhooks/stripe")
                        .with(MockMvcDeliveries.delivery(stripe.delivery()
                                .json(Map.of("id", "evt_1", "type", "invoice.paid"))
                                .signed())))
                .andExpect(status().isNoContent());

        assertThat(controller.paid).containsExactly("evt_1 invoice.paid");
    }

    @Test
    void aTamperedDeliveryIsRefusedBeforeTheController() throws Exception {
        mockMvc.perform(MockMvcDeliveries.request(
                        stripe.delivery("{\"id\":\"evt_2\",\"type\":\"invoice.paid\"}")
                                .tampered(),
                        "/webhooks/stripe"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType("application/problem+json"))
                .andExpect(reason("SIGNATURE_MISMATCH"));

        assertThat(controller.paid).isEmpty();
    }

    @Test
    void aForgedOrReplayedDeliveryDoesNotPayTwice() throws Exception {
        var first =
                stripe.delivery("{\"id\":\"evt_3\",\"type\":\"invoice.paid\"}").signed();

        mockMvc.perform(MockMvcDeliveries.request(first, "/webhooks/stripe")).andExpect(status().isNoContent());
        mockMvc.perform(MockMvcDeliveries.request(stripe.replayOf(first), "/webhooks/stripe"))
                .andExpect(status().isOk())
                .andExpect(reason("DUPLICATE"));
        mockMvc.perform(MockMvcDeliveries.request(
                        stripe.delivery("{\"id\":\"evt_4\",\"type\":\"invoice.paid\"}")
                                .forged(),
                        "/webhooks/stripe"))
                .andExpect(status().isUnauthorized());

        assertThat(controller.paid).containsExactly("evt_3 invoice.paid");
    }
}
