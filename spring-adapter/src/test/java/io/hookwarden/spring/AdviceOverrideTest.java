package io.hookwarden.spring;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.hookwarden.Schemes;
import io.hookwarden.test.MockMvcDeliveries;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** An application's own advice for WebhookRejectedException wins over the default one, even unordered. */
@SpringBootTest(classes = {HooksApp.class, AdviceOverrideTest.OwnAdvice.class})
@AutoConfigureMockMvc
@ActiveProfiles("hooks")
@Import(AdviceOverrideTest.OwnAdvice.class)
class AdviceOverrideTest {
    @Autowired
    MockMvc mvc;

    @Autowired
    MutableClock clock;

    /** Not ordered at all, like most applications' advice: it still comes before the auto-configured default. */
    @RestControllerAdvice
    static class OwnAdvice {
        @ExceptionHandler(WebhookRejectedException.class)
        ResponseEntity<Map<String, Object>> rejected(WebhookRejectedException e) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN)
                    .body(Map.of("error", e.reason().name(), "endpoint", e.endpoint(), "by", "application"));
        }
    }

    @Test
    void theApplicationsAdviceAnswersRefusals() throws Exception {
        WebhookFixtures stripe = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(Secrets.STRIPE)
                .clock(clock)
                .build();

        mvc.perform(MockMvcDeliveries.request(
                        stripe.delivery("{\"id\":\"evt_1\"}").forged(), "/webhooks/stripe"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.by").value("application"))
                .andExpect(jsonPath("$.error").value("SIGNATURE_MISMATCH"))
                .andExpect(jsonPath("$.endpoint").value("stripe"));
    }
}
