package io.hookwarden.spring.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.MockMvcDeliveries;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Issue 12: a request that reaches the adapter with both {@code Content-Length} and {@code Transfer-Encoding}, as a
 * container that passes both headers on delivers it, is refused with 400 {@code AMBIGUOUS_REQUEST} and {@code
 * Connection: close} before anything is read or claimed, even when correctly signed.
 */
@SpringBootTest(
        classes = EdgeApp.class,
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + EdgeApp.SECRET,
            "hookwarden.endpoints.configured.scheme=stripe",
            "hookwarden.endpoints.configured.secrets[0]=" + EdgeApp.SECRET,
            "hookwarden.endpoints.configured.paths[0]=/hooks/stripe"
        })
@AutoConfigureMockMvc
class FramingMockMvcTest {
    @Autowired
    MockMvc mvc;

    @Autowired
    EdgeApp.Runs runs;

    @Autowired
    MutableClock clock;

    WebhookFixtures fixtures;

    @BeforeEach
    void fixtures() {
        runs.handled.clear();
        fixtures = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(EdgeApp.SECRET)
                .clock(clock)
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/webhooks/stripe", "/hooks/stripe"})
    void aSignedDeliveryFramedTwiceIsRefusedAndTheConnectionClosed(String path) throws Exception {
        WebhookRequest delivery = fixtures.delivery(
                        "{\"id\":\"evt_twice\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                .signed();

        mvc.perform(MockMvcDeliveries.request(delivery, path)
                        .header("Content-Length", delivery.body().length)
                        .header("Transfer-Encoding", "chunked"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.reason").value("AMBIGUOUS_REQUEST"))
                .andExpect(jsonPath("$.detail").value("both Content-Length and Transfer-Encoding are present"))
                .andExpect(header().string("Connection", "close"));
        assertThat(runs.handled).isEmpty();

        // and the same delivery, framed once, is still processed: nothing was claimed
        mvc.perform(MockMvcDeliveries.request(delivery, path)).andExpect(status().isOk());
        assertThat(runs.handled).hasSize(1);
    }
}
