package io.hookwarden.spring.webflux.slice;

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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Issue 18, written once for Spring Boot 3 ({@link WebFluxSliceTest}) and Spring Boot 4 ({@code Boot4WebFluxSliceTest}
 * in spring-webflux-boot4-test), whose {@code @WebFluxTest} annotations differ: a slice, as an application's own test
 * would write it, runs the same capture,
 * verification and claim as the application, through {@link WebTestClient}. Before the slice imported the
 * auto-configuration, a handler taking only {@code @RequestBody String} processed a forged delivery here, and one taking
 * {@link VerifiedWebhook} failed.
 */
public abstract class WebFluxSliceContract {
    /** The secret of endpoint {@code stripe}, which the subclasses' {@code @WebFluxTest} properties set. */
    public static final String SECRET = "whsec_webflux_slice_0123456789abcdefgh";

    /** The slice's configuration: the subclasses name it in {@code @ContextConfiguration}. */
    @SpringBootConfiguration
    @Import(StripeWebhooks.class)
    public static class App {
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

    /** The delivery as WebTestClient sends it: its headers and its exact bytes. */
    protected WebTestClient.ResponseSpec post(WebhookRequest delivery, String path) {
        return client.post()
                .uri(path)
                .headers(headers -> delivery.headers().toMap().forEach(headers::addAll))
                .bodyValue(delivery.body())
                .exchange();
    }

    @Test
    public void aSignedDeliveryReachesTheHandlerWithItsBytes() {
        // given
        String body = "{\"id\":\"evt_slice_1\",\"object\":\"event\",\"type\":\"invoice.paid\"}";
        WebhookRequest delivery = stripe.delivery(body).signed();

        // when / then
        post(delivery, "/webhooks/stripe")
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .isEqualTo("processed");
        assertThat(handled).containsExactly(body);
    }

    @Test
    public void aForgedDeliveryIsRefused401AndTheHandlerDoesNotRun() {
        // given: the right body and headers, signed with another secret
        WebhookRequest forged = stripe.delivery(
                        "{\"id\":\"evt_forged\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                .forged();

        // when / then
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
    public void anUnsignedDeliveryIsRefusedAndTheHandlerDoesNotRun() {
        // when: a forged event with no Stripe-Signature, to a handler that reads only @RequestBody String
        client.post()
                .uri("/webhooks/stripe")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"id\":\"evt_unsigned\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                .exchange()
                // then
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.reason")
                .isEqualTo("MISSING_HEADER");
        assertThat(handled).isEmpty();
    }

    @Test
    public void aSignedDeliveryIsProcessedOnceAndItsReplayIsADuplicate() {
        WebhookRequest delivery = stripe.delivery(
                        "{\"id\":\"evt_slice_2\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                .signed();

        post(delivery, "/webhooks/stripe").expectStatus().isOk();
        post(delivery, "/webhooks/stripe")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.reason")
                .isEqualTo("DUPLICATE");

        assertThat(handled).hasSize(1);
    }

    @Test
    public void aHandlerTakingTheVerifiedWebhookGetsIt() {
        WebhookRequest delivery = stripe.delivery(
                        "{\"id\":\"evt_slice_3\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                .signed();

        post(delivery, "/webhooks/stripe/verified")
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .isEqualTo("processed evt_slice_3");
        assertThat(handled).containsExactly("evt_slice_3");
    }
}
