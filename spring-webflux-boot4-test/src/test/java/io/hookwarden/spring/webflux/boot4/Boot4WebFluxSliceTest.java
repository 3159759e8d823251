package io.hookwarden.spring.webflux.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Issue 18 on Spring Boot 4: a {@code @WebFluxTest} slice (Boot 4's own annotation, in {@code spring-boot-webflux-test})
 * runs the same capture, verification and claim as the application. Without the adapter's entry in Boot 4's slice
 * imports file, a handler taking only {@code @RequestBody String} would process a forged delivery here.
 */
@WebFluxTest(
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + Boot4WebFluxSliceTest.SECRET
        })
class Boot4WebFluxSliceTest {
    static final String SECRET = "whsec_webflux_boot4_slice_0123456789ab";

    @SpringBootConfiguration
    @Import(StripeWebhooks.class)
    static class App {
        @Bean
        MutableClock clock() {
            return MutableClock.atEpochSecond(1_700_000_000L);
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
        Mono<String> onEvent(@RequestBody String body) {
            handled.add(body);
            return Mono.just("processed");
        }

        @PostMapping("/webhooks/stripe/verified")
        @WebhookEndpoint("stripe")
        Mono<String> onVerified(VerifiedWebhook webhook) {
            handled.add(webhook.id().orElseThrow());
            return Mono.just("processed " + webhook.id().orElseThrow());
        }
    }

    @Autowired
    WebTestClient client;

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

    private WebTestClient.ResponseSpec post(WebhookRequest delivery, String path) {
        return client.post()
                .uri(path)
                .headers(headers -> delivery.headers().toMap().forEach(headers::addAll))
                .bodyValue(delivery.body())
                .exchange();
    }

    @Test
    void aSignedDeliveryReachesTheHandlerOnceAndItsReplayIsADuplicate() {
        String body = "{\"id\":\"evt_boot4_slice_1\",\"object\":\"event\",\"type\":\"invoice.paid\"}";
        WebhookRequest delivery = stripe.delivery(body).signed();

        post(delivery, "/webhooks/stripe")
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .isEqualTo("processed");
        post(delivery, "/webhooks/stripe")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.reason")
                .isEqualTo("DUPLICATE");
        assertThat(handled).containsExactly(body);
    }

    @Test
    void aForgedDeliveryIsRefused401AndTheHandlerDoesNotRun() {
        WebhookRequest forged = stripe.delivery(
                        "{\"id\":\"evt_boot4_forged\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                .forged();

        post(forged, "/webhooks/stripe")
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.reason")
                .isEqualTo("SIGNATURE_MISMATCH");
        assertThat(handled).isEmpty();
    }

    @Test
    void anUnsignedDeliveryIsRefusedAndTheHandlerDoesNotRun() {
        client.post()
                .uri("/webhooks/stripe")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"id\":\"evt_boot4_unsigned\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.reason")
                .isEqualTo("MISSING_HEADER");
        assertThat(handled).isEmpty();
    }

    @Test
    void aHandlerTakingTheVerifiedWebhookGetsIt() {
        WebhookRequest delivery = stripe.delivery(
                        "{\"id\":\"evt_boot4_slice_3\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                .signed();

        post(delivery, "/webhooks/stripe/verified")
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .isEqualTo("processed evt_boot4_slice_3");
        assertThat(handled).containsExactly("evt_boot4_slice_3");
    }
}
