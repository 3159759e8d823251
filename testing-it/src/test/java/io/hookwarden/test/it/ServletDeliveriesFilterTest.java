package io.hookwarden.test.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.servlet.HookwardenFilter;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.ServletDeliveries;
import io.hookwarden.test.WebhookFixtures;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Rendered servlet requests passed straight through {@code HookwardenFilter.doFilter}, no container. */
class ServletDeliveriesFilterTest {
    private static final String STRIPE_SECRET = "whsec_test_secret";
    private static final String TWILIO_TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String TWILIO_URL = "https://hooks.example.com/webhooks/twilio?tenant=7";

    private final MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
    private final WebhookFixtures stripe = WebhookFixtures.builder()
            .scheme(Schemes.stripe())
            .secret(STRIPE_SECRET)
            .clock(clock)
            .build();
    private final HookwardenFilter filter = HookwardenFilter.builder()
            .endpoint("/webhooks/stripe", receiver("stripe", Schemes.stripe(), STRIPE_SECRET))
            .endpoint("/webhooks/twilio", receiver("twilio", Schemes.twilio(), TWILIO_TOKEN))
            .build();
    private final List<String> processed = new ArrayList<>();

    private WebhookReceiver receiver(String name, io.hookwarden.Scheme scheme, String secret) {
        return WebhookReceiver.builder()
                .name(name)
                .verifier(WebhookVerifier.builder()
                        .scheme(scheme)
                        .secret(secret)
                        .tolerance(Duration.ofMinutes(5))
                        .clock(clock)
                        .build())
                .build();
    }

    /** The application behind the filter: records the verified id and the body it reads, answers 204. */
    private final HttpServlet servlet = new HttpServlet() {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            VerifiedWebhook webhook = (VerifiedWebhook) request.getAttribute(HookwardenFilter.VERIFIED_WEBHOOK);
            processed.add(webhook.id().orElse("?") + " "
                    + new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            response.setStatus(204);
        }
    };

    private MockHttpServletResponse send(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain(servlet));
        return response;
    }

    @Test
    void aSignedDeliveryReachesTheServletWithTheVerifiedBytes() throws Exception {
        String body = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}";

        MockHttpServletResponse response =
                send(ServletDeliveries.request(stripe.delivery(body).signed(), "/webhooks/stripe"));

        assertThat(response.getStatus()).isEqualTo(204);
        assertThat(processed).containsExactly("evt_1 " + body);
    }

    @Test
    void brokenDeliveriesAreAnsweredByTheFilterAndNeverReachTheServlet() throws Exception {
        String body = "{\"id\":\"evt_2\",\"type\":\"invoice.paid\"}";

        MockHttpServletResponse tampered =
                send(ServletDeliveries.request(stripe.delivery(body).tampered(), "/webhooks/stripe"));
        MockHttpServletResponse malformed =
                send(ServletDeliveries.request(stripe.delivery(body).malformedHeader(), "/webhooks/stripe"));
        MockHttpServletResponse expired =
                send(ServletDeliveries.request(stripe.delivery(body).aged(Duration.ofMinutes(6)), "/webhooks/stripe"));

        assertThat(tampered.getStatus()).isEqualTo(401);
        assertThat(tampered.getContentType()).isEqualTo("application/problem+json");
        assertThat(tampered.getContentAsString()).contains("SIGNATURE_MISMATCH");
        assertThat(malformed.getStatus()).isEqualTo(400);
        assertThat(malformed.getContentAsString()).contains("MALFORMED_HEADER");
        assertThat(expired.getStatus()).isEqualTo(401);
        assertThat(expired.getContentAsString()).contains("TIMESTAMP_TOO_OLD");
        assertThat(processed).isEmpty();
    }

    @Test
    void aReplayIsProcessedOnceAndAnsweredAsADuplicate() throws Exception {
        WebhookRequest first =
                stripe.delivery("{\"id\":\"evt_3\",\"type\":\"invoice.paid\"}").signed();

        MockHttpServletResponse original = send(ServletDeliveries.request(first, "/webhooks/stripe"));
        MockHttpServletResponse replay = send(ServletDeliveries.request(stripe.replayOf(first), "/webhooks/stripe"));

        assertThat(original.getStatus()).isEqualTo(204);
        assertThat(replay.getStatus()).isEqualTo(200);
        assertThat(replay.getContentAsString()).contains("DUPLICATE");
        assertThat(processed).hasSize(1);
    }

    @Test
    void aSchemeThatSignsTheUrlVerifiesAgainstTheRenderedRequestUrl() throws Exception {
        WebhookFixtures twilio = WebhookFixtures.builder()
                .scheme(Schemes.twilio())
                .secret(TWILIO_TOKEN)
                .clock(clock)
                .url(TWILIO_URL)
                .build();
        WebhookRequest signed =
                twilio.delivery().body("{\"sid\":\"SM1\"}").id("SM1").signed();

        MockHttpServletResponse response = send(ServletDeliveries.request(signed));
        MockHttpServletResponse elsewhere =
                send(ServletDeliveries.request(signed, "https://other.example.com/webhooks/twilio?tenant=7"));

        assertThat(response.getStatus()).isEqualTo(204);
        assertThat(elsewhere.getStatus()).isEqualTo(401);
        assertThat(processed).hasSize(1);
    }
}
