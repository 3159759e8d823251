package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.hookwarden.InMemoryInbox;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.test.MockMvcDeliveries;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
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

/**
 * Issue 14: an endpoint whose receiver writes to an inbox is answered 200 as soon as the delivery is written, and the
 * application's handler method does not run in the request (a worker runs the endpoint's handler later).
 */
@SpringBootTest(classes = InboxEndpointTest.App.class, properties = "hookwarden.inbox.worker.enabled=false")
@AutoConfigureMockMvc
class InboxEndpointTest {
    static final String SECRET = "whsec_c3ByaW5nIGluYm94IHRlc3Qga2V5IDAxMjM0NTY3";

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class App {
        @Bean
        MutableClock clock() {
            return MutableClock.atEpochSecond(1_700_000_000L);
        }

        @Bean
        InMemoryInbox inbox(MutableClock clock) {
            return InMemoryInbox.builder().clock(clock).build();
        }

        @Bean
        WebhookEndpoints webhookEndpoints(MutableClock clock, InMemoryInbox inbox) {
            return WebhookEndpoints.builder()
                    .endpoint(
                            "queued",
                            WebhookReceiver.builder()
                                    .name("queued")
                                    .verifier(WebhookVerifier.builder()
                                            .scheme(Schemes.standardWebhooks())
                                            .secret(SECRET)
                                            .clock(clock)
                                            .build())
                                    .inbox(inbox)
                                    .build())
                    .build();
        }

        @Bean
        List<String> handled() {
            return new CopyOnWriteArrayList<>();
        }
    }

    @RestController
    static class Hooks {
        private final List<String> handled;

        Hooks(List<String> handled) {
            this.handled = handled;
        }

        @PostMapping("/webhooks/queued")
        @WebhookEndpoint("queued")
        String onEvent(VerifiedWebhook webhook) {
            handled.add(webhook.id().orElseThrow());
            return "processed in the request";
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    MutableClock clock;

    @Autowired
    InMemoryInbox inbox;

    @Autowired
    List<String> handled;

    @Test
    void aDeliveryWrittenToTheInboxIsAnswered200WithoutRunningTheHandlerMethod() throws Exception {
        // given
        WebhookFixtures standard = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .clock(clock)
                .build();

        // when
        mvc.perform(MockMvcDeliveries.request(
                        standard.delivery("{\"type\":\"invoice.paid\"}").signed(), "/webhooks/queued"))
                // then
                .andExpect(status().isOk())
                .andExpect(content().string(""));
        assertThat(handled).isEmpty();
        assertThat(inbox.size()).isEqualTo(1);
    }
}
