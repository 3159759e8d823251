package io.hookwarden.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.HttpAnswer;
import io.hookwarden.Reason;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the feature is built and bound, and how it shares the application with the application's own providers. */
class HookwardenFeatureConfigurationTest {
    private static final String SECRET = "whsec_configuration_test_secret_42";
    private static final MutableClock CLOCK = MutableClock.atEpochSecond(1_700_000_000);
    private static final WebhookFixtures STRIPE = WebhookFixtures.builder()
            .scheme(Schemes.stripe())
            .secret(SECRET)
            .clock(CLOCK)
            .build();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService async = Executors.newSingleThreadExecutor();
    private JerseyServer server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        async.shutdownNow();
    }

    private static WebhookReceiver receiver() {
        return WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.stripe())
                        .secret(SECRET)
                        .clock(CLOCK)
                        .build())
                .build();
    }

    private static String event() {
        return "{\"id\":\"evt_conf_" + IDS.incrementAndGet() + "\",\"type\":\"charge.succeeded\"}";
    }

    private HttpResponse<String> send(WebhookRequest delivery, String path) throws Exception {
        HttpResponse<String> response = client.send(
                WebhookRequests.toHttpRequest(delivery, server.uri(path)), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).doesNotContain(SECRET);
        return response;
    }

    @Test
    void refusesAnEndpointNameGivenTwiceABlankNameNullsAndNoEndpoints() {
        HookwardenFeature.Builder builder = HookwardenFeature.builder().endpoint("stripe", receiver());

        assertThatThrownBy(() -> builder.endpoint("stripe", receiver()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("endpoint stripe was already set");
        assertThatThrownBy(() -> builder.endpoint(" ", receiver()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name cannot be blank");
        assertThatThrownBy(() -> builder.endpoint(null, receiver()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name cannot be null");
        assertThatThrownBy(() -> builder.endpoint("github", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("receiver cannot be null");
        assertThatThrownBy(() -> HookwardenFeature.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("at least one endpoint is required");
    }

    @Test
    void refusesARemoteAddressSourceGivenTwiceOrNull() {
        HookwardenFeature.Builder builder = HookwardenFeature.builder().remoteAddress(request -> null);

        assertThatThrownBy(() -> builder.remoteAddress(request -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("remoteAddress was already set");
        assertThatThrownBy(() -> HookwardenFeature.builder().remoteAddress(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("remoteAddress cannot be null");
    }

    @Test
    void listsItsEndpointsByNameAndNeverTheirSecrets() {
        HookwardenFeature feature = HookwardenFeature.builder()
                .endpoint("stripe", receiver())
                .endpoint("billing", receiver())
                .build();

        assertThat(feature.endpoints()).containsOnlyKeys("stripe", "billing");
        assertThat(feature).hasToString("HookwardenFeature[stripe, billing]");
        assertThatThrownBy(() -> feature.endpoints().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Path("/misnamed")
    public static final class MisnamedResource {
        @POST
        @WebhookEndpoint("strpie")
        public void handle(VerifiedWebhook webhook) {}
    }

    @Test
    void anAnnotationNamingNoRegisteredEndpointFailsTheApplicationAtStartUp() {
        ResourceConfig app = new ResourceConfig(MisnamedResource.class)
                .register(HookwardenFeature.builder()
                        .endpoint("stripe", receiver())
                        .build());

        assertThatThrownBy(() -> server = JerseyServer.start(JerseyServer.Container.JDK_HTTP, app))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@WebhookEndpoint(\"strpie\")")
                .hasMessageContaining("MisnamedResource.handle")
                .hasMessageContaining("registered: [stripe]");
    }

    /** The class says one endpoint, one method another; the method's own annotation wins. */
    @Path("/override")
    @WebhookEndpoint("other")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class OverridingResource {
        @POST
        @Path("class")
        public String byClass(VerifiedWebhook webhook) {
            return "class " + webhook.id().orElseThrow();
        }

        @POST
        @Path("method")
        @WebhookEndpoint("stripe")
        public String byMethod(VerifiedWebhook webhook) {
            return "method " + webhook.id().orElseThrow() + " from "
                    + webhook.request().remoteAddress().orElse("?");
        }

        @POST
        @Path("returns-500")
        @WebhookEndpoint("stripe")
        public Response returns500(VerifiedWebhook webhook) {
            return Response.serverError()
                    .entity("stack trace of the application")
                    .build();
        }

        @POST
        @Path("maps")
        @WebhookEndpoint("stripe")
        public String maps(VerifiedWebhook webhook) {
            throw new UnsupportedOperationException("the application maps this one");
        }

        @POST
        @Path("async")
        @WebhookEndpoint("stripe")
        public void async(VerifiedWebhook webhook, @Suspended AsyncResponse response) {
            ASYNC.get().execute(() -> {
                if (webhook.bodyText().contains("fail")) {
                    response.resume(new IllegalStateException("asynchronous handler failed"));
                } else {
                    response.resume("async " + webhook.id().orElseThrow());
                }
            });
        }
    }

    /** Where asynchronous handlers run; set per test. */
    static final java.util.concurrent.atomic.AtomicReference<ExecutorService> ASYNC =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** The application's own mapper: it wins over the feature's last-resort mapper. */
    public static final class ApplicationMapper implements ExceptionMapper<UnsupportedOperationException> {
        @Override
        public Response toResponse(UnsupportedOperationException exception) {
            return Response.status(422).entity("mapped by the application").build();
        }
    }

    private void startOverridingApp() {
        ASYNC.set(async);
        server = JerseyServer.start(
                JerseyServer.Container.GRIZZLY,
                new ResourceConfig(OverridingResource.class)
                        .register(ApplicationMapper.class)
                        .register(HookwardenFeature.builder()
                                .endpoint("stripe", receiver())
                                .endpoint(
                                        "other",
                                        WebhookReceiver.builder()
                                                .verifier(WebhookVerifier.builder()
                                                        .scheme(Schemes.stripe())
                                                        .secret("whsec_another_endpoint_secret")
                                                        .clock(CLOCK)
                                                        .build())
                                                .build())
                                .remoteAddress(request -> request.getHeaderString("X-Test-Peer"))
                                .build()));
    }

    @Test
    void aMethodAnnotationWinsOverItsClassAnnotation() throws Exception {
        startOverridingApp();
        String event = event();

        HttpResponse<String> byClass = send(STRIPE.delivery(event).signed(), "/override/class");
        HttpResponse<String> byMethod =
                send(STRIPE.delivery(event).withHeader("X-Test-Peer", "203.0.113.9"), "/override/method");

        assertThat(byClass.statusCode()).isEqualTo(401);
        assertThat(byMethod.statusCode()).isEqualTo(200);
        assertThat(byMethod.body()).startsWith("method evt_conf_");
    }

    @Test
    void theRemoteAddressComesFromTheConfiguredSource() throws Exception {
        startOverridingApp();

        HttpResponse<String> response =
                send(STRIPE.delivery(event()).withHeader("X-Test-Peer", "203.0.113.9"), "/override/method");

        assertThat(response.body()).endsWith(" from 203.0.113.9");
    }

    @Test
    void aReturned500IsReplacedByTheHandlerFailedProblemAndReleasesTheClaim() throws Exception {
        startOverridingApp();
        WebhookRequest delivery = STRIPE.delivery(event()).signed();

        HttpResponse<String> failed = send(delivery, "/override/returns-500");
        HttpResponse<String> retry = send(delivery, "/override/method");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body())
                .isEqualTo(HttpAnswer.problem(Reason.HANDLER_FAILED, null).bodyText())
                .doesNotContain("stack trace");
        assertThat(failed.headers().firstValue("Retry-After")).contains("10");
        assertThat(failed.headers().firstValue("Content-Type")).contains(HttpAnswer.PROBLEM_JSON);
        assertThat(retry.statusCode()).isEqualTo(200);
    }

    @Test
    void theApplicationsOwnExceptionMapperWinsAndItsAnswerReleasesTheClaim() throws Exception {
        startOverridingApp();
        WebhookRequest delivery = STRIPE.delivery(event()).signed();

        HttpResponse<String> mapped = send(delivery, "/override/maps");
        HttpResponse<String> retry = send(delivery, "/override/method");

        assertThat(mapped.statusCode()).isEqualTo(422);
        assertThat(mapped.body()).isEqualTo("mapped by the application");
        assertThat(retry.statusCode()).isEqualTo(200);
    }

    @Test
    void anAsynchronousHandlerCompletesTheClaimWhenItResumesWithSuccess() throws Exception {
        startOverridingApp();
        WebhookRequest delivery = STRIPE.delivery(event()).signed();

        HttpResponse<String> first = send(delivery, "/override/async");
        HttpResponse<String> replay = send(delivery, "/override/async");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).startsWith("async evt_conf_");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"reason\":\"DUPLICATE\"");
    }

    @Test
    void anAsynchronousHandlerThatResumesWithAnExceptionReleasesTheClaim() throws Exception {
        startOverridingApp();
        String failing = "{\"id\":\"evt_conf_" + IDS.incrementAndGet() + "\",\"type\":\"fail\"}";
        WebhookRequest delivery = STRIPE.delivery(failing).signed();

        HttpResponse<String> failed = send(delivery, "/override/async");
        HttpResponse<String> retry = send(delivery, "/override/method");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body())
                .isEqualTo(HttpAnswer.problem(Reason.HANDLER_FAILED, null).bodyText());
        assertThat(retry.statusCode()).isEqualTo(200);
    }

    @Path("/not-a-webhook")
    public static final class UnannotatedResource {
        @POST
        public String handle(VerifiedWebhook webhook) {
            return "never";
        }
    }

    @Test
    void aMethodThatIsNotAnEndpointGetsNoVerifiedWebhook() throws Exception {
        server = JerseyServer.start(
                JerseyServer.Container.JDK_HTTP,
                new ResourceConfig(UnannotatedResource.class)
                        .register(HookwardenFeature.builder()
                                .endpoint("stripe", receiver())
                                .build()));

        HttpResponse<String> response = send(STRIPE.delivery(event()).signed(), "/not-a-webhook");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("never");
    }
}
