package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.MockMvcDeliveries;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/** The same application through MockMvc: the filter, interceptor and advice run without a server. */
@SpringBootTest(classes = HooksApp.class)
@AutoConfigureMockMvc
@ActiveProfiles("hooks")
class SpringWebhookMockMvcTest {
    @Autowired
    MockMvc mvc;

    @Autowired
    MutableClock clock;

    @Autowired
    HooksApp.Recorder recorder;

    WebhookFixtures stripe;
    WebhookFixtures standard;

    @BeforeEach
    void fixtures() {
        recorder.reset();
        stripe = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(Secrets.STRIPE)
                .clock(clock)
                .build();
        standard = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(Secrets.STANDARD)
                .clock(clock)
                .build();
    }

    static String stripeEvent() {
        return "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"object\":\"event\",\"type\":\"charge.refunded\"}";
    }

    @Test
    void validDeliveryReachesTheHandlerAsDto() throws Exception {
        mvc.perform(MockMvcDeliveries.request(stripe.delivery(stripeEvent()).signed(), "/webhooks/stripe/dto"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.type").value("charge.refunded"));
    }

    @Test
    void validDeliveryReachesTheHandlerAsStringAndVerifiedWebhook() throws Exception {
        mvc.perform(MockMvcDeliveries.request(stripe.delivery(stripeEvent()).signed(), "/webhooks/stripe"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.sameBody").value(true))
                .andExpect(jsonPath("$.key").value("secrets[0]"));
        assertThat(recorder.handled).hasSize(1);
    }

    @Test
    void forgedDeliveryIsAProblemWithItsReason() throws Exception {
        mvc.perform(MockMvcDeliveries.request(stripe.delivery(stripeEvent()).forged(), "/webhooks/stripe"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("Content-Type", startsWith("application/problem+json")))
                .andExpect(jsonPath("$.reason").value("SIGNATURE_MISMATCH"))
                .andExpect(jsonPath("$.title").value("Signature mismatch"))
                .andExpect(jsonPath("$.type").value("urn:hookwarden:reason:signature-mismatch"));
        assertThat(recorder.handled).isEmpty();
    }

    @Test
    void expiredDeliveryIsRefused() throws Exception {
        mvc.perform(MockMvcDeliveries.request(
                        standard.delivery("{}").aged(Duration.ofMinutes(10)), "/webhooks/standard"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.reason").value("TIMESTAMP_TOO_OLD"));
    }

    @Test
    void oversizedDeliveryIsRefusedWith413() throws Exception {
        WebhookRequest big = stripe.delivery("{\"id\":\"evt_x\",\"pad\":\"" + "z".repeat(2000) + "\"}")
                .signed();

        mvc.perform(MockMvcDeliveries.request(big, "/webhooks/stripe"))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(jsonPath("$.reason").value("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void replayIsADuplicate() throws Exception {
        WebhookRequest delivery = standard.delivery("{}").signed();

        mvc.perform(MockMvcDeliveries.request(delivery, "/webhooks/standard")).andExpect(status().isNoContent());
        mvc.perform(MockMvcDeliveries.request(delivery, "/webhooks/standard"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.reason").value("DUPLICATE"));
        assertThat(recorder.handled).hasSize(1);
    }

    @Test
    void handlerFailureIs500WithRetryAfterAndTheRetryIsProcessed() throws Exception {
        WebhookRequest delivery = standard.delivery("{}").signed();
        recorder.failures.set(1);

        mvc.perform(MockMvcDeliveries.request(delivery, "/webhooks/standard"))
                .andExpect(status().isInternalServerError())
                .andExpect(header().string("Retry-After", "30"))
                .andExpect(jsonPath("$.reason").value("HANDLER_FAILED"));
        mvc.perform(MockMvcDeliveries.request(delivery, "/webhooks/standard")).andExpect(status().isNoContent());
        assertThat(recorder.handled).hasSize(2);
    }
}
