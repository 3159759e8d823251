package io.hookwarden.test.it;

import static io.hookwarden.test.HookwardenAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.hookwarden.Delivery;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.servlet.HookwardenFilter;
import io.hookwarden.test.MockMvcDeliveries;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.ServletDeliveries;
import io.hookwarden.test.WebhookFixtures;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** The README's "Test your handler" section, plain, servlet filter and MockMvc (JAX-RS: JaxrsDeliveriesTest). */
class ReadmeSectionTest {
    private static final String SECRET = "whsec_test_secret";

    record InvoicePaid(String id, String type) {}

    private final MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
    private final WebhookFixtures stripe = WebhookFixtures.builder()
            .scheme(Schemes.stripe())
            .secret(SECRET)
            .clock(clock)
            .build();
    private final WebhookRequest paid =
            stripe.delivery().json(new InvoicePaid("evt_1", "invoice.paid")).signed();

    private WebhookReceiver receiver() {
        return WebhookReceiver.builder()
                .name("stripe")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.stripe())
                        .secret(SECRET)
                        .clock(clock)
                        .build())
                .build();
    }

    private final HttpServlet servlet = new HttpServlet() {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) {
            response.setStatus(204);
        }
    };

    @Test
    void plain() {
        WebhookReceiver receiver = receiver();
        try (Delivery delivery = ((Outcome.Accepted) receiver.receive(paid)).delivery()) {
            delivery.complete();
        }

        WebhookRequest tampered = stripe.delivery("{\"id\":\"evt_2\"}").tampered();
        assertThat(receiver.receive(tampered)).isRejectedWith(Reason.SIGNATURE_MISMATCH);
        assertThat(receiver.receive(stripe.replayOf(paid))).isDuplicate();
    }

    @Test
    void servletFilter() throws Exception {
        HookwardenFilter filter = HookwardenFilter.builder()
                .endpoint("/webhooks/stripe", receiver())
                .build();

        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(ServletDeliveries.request(paid, "/webhooks/stripe"), response, new MockFilterChain(servlet));

        assertThat(response.getStatus()).isEqualTo(204);
    }

    @Test
    void mockMvc() throws Exception {
        MockMvc mockMvc = MockMvcBuilders.standaloneSetup(new MockMvcDeliveriesTest.StripeController())
                .addFilters(HookwardenFilter.builder()
                        .endpoint("/webhooks/stripe", receiver())
                        .build())
                .build();

        mockMvc.perform(post("/webhooks/stripe").with(MockMvcDeliveries.delivery(paid)))
                .andExpect(status().isNoContent());
        mockMvc.perform(post("/webhooks/stripe")
                        .with(MockMvcDeliveries.delivery(
                                stripe.delivery("{\"id\":\"evt_3\"}").forged())))
                .andExpect(status().isUnauthorized());
    }
}
