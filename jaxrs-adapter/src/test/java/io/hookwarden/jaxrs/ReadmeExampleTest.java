package io.hookwarden.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** The README's JAX-RS example, as written there, run over HTTP: it must keep working. */
class ReadmeExampleTest {
    private static final String STRIPE_WHSEC = "whsec_readme_example_secret";
    private static final MutableClock CLOCK = MutableClock.atEpochSecond(1_700_000_000);

    /** Stands in for the application's service. */
    static final class Orders {
        final List<String> paid = new CopyOnWriteArrayList<>();

        void markPaid(String id) {
            paid.add(id);
        }
    }

    static final Orders orders = new Orders();

    // README begins
    @Path("/webhooks")
    public static class StripeWebhooks {
        @POST
        @Path("stripe")
        @WebhookEndpoint("stripe") // verified and claimed before this runs
        public void stripe(VerifiedWebhook webhook) { // or String, byte[], InputStream: the verified bytes
            orders.markPaid(webhook.id().orElseThrow()); // throw: claim released, 500 problem+json, provider retries
        } // returns 204: completed; a replay is answered 200 DUPLICATE
    }

    static ResourceConfig application() {
        WebhookReceiver stripe = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.stripe())
                        .secret(STRIPE_WHSEC) // README: System.getenv("STRIPE_WHSEC")
                        .clock(CLOCK) // README: not set, the system clock
                        .build())
                .build();
        return new ResourceConfig(StripeWebhooks.class)
                .register(HookwardenFeature.builder().endpoint("stripe", stripe).build());
    }
    // README ends

    @Test
    void theReadmeExampleProcessesADeliveryOnceAndRefusesAForgery() throws Exception {
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(STRIPE_WHSEC)
                .clock(CLOCK)
                .build();
        WebhookRequest delivery = fixtures.delivery("{\"id\":\"evt_readme\",\"type\":\"invoice.paid\"}")
                .signed();
        HttpClient client = HttpClient.newHttpClient();

        try (JerseyServer server = JerseyServer.start(JerseyServer.Container.JDK_HTTP, application())) {
            int first = status(client, WebhookRequests.toHttpRequest(delivery, server.uri("/webhooks/stripe")));
            int replay = status(client, WebhookRequests.toHttpRequest(delivery, server.uri("/webhooks/stripe")));
            int forged = status(
                    client,
                    WebhookRequests.toHttpRequest(
                            fixtures.delivery("{\"id\":\"evt_forged\"}").forged(), server.uri("/webhooks/stripe")));

            assertThat(first).isEqualTo(204);
            assertThat(replay).isEqualTo(200);
            assertThat(forged).isEqualTo(401);
            assertThat(orders.paid).containsExactly("evt_readme");
        }
    }

    private static int status(HttpClient client, java.net.http.HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
