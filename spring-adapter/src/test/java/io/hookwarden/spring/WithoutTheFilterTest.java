package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.Schemes;
import io.hookwarden.test.MockMvcDeliveries;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/** A webhook handler reached without the capturing filter fails closed: the handler never runs unverified. */
@SpringBootTest(classes = HooksApp.class)
@AutoConfigureMockMvc(addFilters = false)
@ActiveProfiles("hooks")
class WithoutTheFilterTest {
    @Autowired
    MockMvc mvc;

    @Autowired
    MutableClock clock;

    @Autowired
    HooksApp.Recorder recorder;

    @Test
    void aWebhookHandlerIsNeverReachedUnverified() {
        WebhookFixtures standard = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(Secrets.STANDARD)
                .clock(clock)
                .build();

        assertThatThrownBy(() -> mvc.perform(
                        MockMvcDeliveries.request(standard.delivery("{}").signed(), "/webhooks/standard")))
                .hasStackTraceContaining("was not captured by WebhookBodyFilter");
        assertThat(recorder.handled).isEmpty();
    }
}
