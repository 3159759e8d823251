package io.hookwarden.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * Twilio signs the public URL it called; behind a reverse proxy the scheme rebuilds it from forwarding headers only
 * for a request whose remote address is a trusted proxy. JAX-RS has no portable remote address, so the application
 * supplies it: here with Grizzly's request, as {@code docs/jaxrs.md} shows.
 */
class TwilioBehindProxyTest {
    private static final String TOKEN = "twilio-auth-token-0123456789abcdef";
    private static final String PUBLIC_URL = "https://hooks.example.com/twilio/sms?tenant=7";
    private static final String FORM = "MessageSid=SM1&Body=Hello+world&From=%2B14155550100";
    private static final MutableClock CLOCK = MutableClock.atEpochSecond(1_700_000_000);

    static final List<String> received = new CopyOnWriteArrayList<>();

    /** The recipe for Grizzly: the connection's peer address as a request property. */
    @PreMatching
    public static final class PeerAddress implements ContainerRequestFilter {
        static final String PROPERTY = "app.peerAddress";

        @Inject
        private Provider<Request> request;

        @Override
        public void filter(ContainerRequestContext context) {
            context.setProperty(PROPERTY, request.get().getRemoteAddr());
        }
    }

    @Path("/twilio/sms")
    public static final class SmsResource {
        @POST
        @WebhookEndpoint("twilio")
        public void sms(String form) {
            received.add(form);
        }
    }

    private static WebhookReceiver twilio() {
        return WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.twilio().trustedProxies("127.0.0.0/8", "::1/128"))
                        .secret(TOKEN)
                        .clock(CLOCK)
                        .build())
                .build();
    }

    private static int sendThroughTheProxy(JerseyServer server) throws Exception {
        WebhookRequest signed = WebhookFixtures.builder()
                .scheme(Schemes.twilio())
                .secret(TOKEN)
                .clock(CLOCK)
                .url(PUBLIC_URL)
                .build()
                .delivery(FORM)
                .signed();
        WebhookRequest forwarded = signed.toBuilder()
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "hooks.example.com")
                .build();
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        WebhookRequests.toHttpRequest(forwarded, server.uri("/twilio/sms?tenant=7")),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void verifiesTheSignedPublicUrlWhenTheApplicationSuppliesThePeerAddress() throws Exception {
        received.clear();
        ResourceConfig app = new ResourceConfig(SmsResource.class, PeerAddress.class)
                .register(HookwardenFeature.builder()
                        .endpoint("twilio", twilio())
                        .remoteAddress(request -> (String) request.getProperty(PeerAddress.PROPERTY))
                        .build());

        try (JerseyServer server = JerseyServer.start(JerseyServer.Container.GRIZZLY, app)) {
            assertThat(sendThroughTheProxy(server)).isEqualTo(204);
        }
        assertThat(received).containsExactly(FORM);
    }

    @Test
    void withoutThePeerAddressTheForwardingHeadersAreNotBelievedAndTheSignatureFails() throws Exception {
        received.clear();
        ResourceConfig app = new ResourceConfig(SmsResource.class)
                .register(
                        HookwardenFeature.builder().endpoint("twilio", twilio()).build());

        try (JerseyServer server = JerseyServer.start(JerseyServer.Container.GRIZZLY, app)) {
            assertThat(sendThroughTheProxy(server)).isEqualTo(401);
        }
        assertThat(received).isEmpty();
    }
}
