package io.hookwarden.spring.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The auto-configured adapter over real HTTP on Reactor Netty, a random port: an annotated {@code @WebhookEndpoint}
 * handler taking a {@code VerifiedWebhook}, a {@code @WebhookPayload} and the {@code @RequestBody}, and a functional
 * route behind its endpoint's {@code paths}.
 */
@SpringBootTest(classes = HooksApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("hooks")
class WebFluxWebhookHttpTest {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    HooksApp.Hooks hooks;

    @Autowired
    HooksApp.ThreadRecordingStore store;

    @Autowired
    HooksApp.Stories stories;

    private final WebhookFixtures standard = WebhookFixtures.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(HooksApp.STANDARD_SECRET)
            .clock(HooksApp.CLOCK)
            .build();
    private final WebhookFixtures github = WebhookFixtures.builder()
            .scheme(Schemes.github())
            .secret(HooksApp.ROUTED_SECRET)
            .clock(HooksApp.CLOCK)
            .build();

    @BeforeEach
    void forget() {
        hooks.reset();
        store.threads.clear();
        stories.events.clear();
    }

    private static String event(String note) {
        return "{\"type\":\"invoice.paid\",\"data\":{\"note\":\"" + note + "\",\"n\":\"" + UUID.randomUUID() + "\"}}";
    }

    private HttpResponse<String> send(WebhookRequest delivery, String path) throws Exception {
        return CLIENT.send(
                WebhookRequests.toHttpRequest(delivery, URI.create("http://127.0.0.1:" + port + path)),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String reason(HttpResponse<String> answer) throws Exception {
        return JSON.readTree(answer.body()).path("reason").asText(null);
    }

    private static void assertProblem(HttpResponse<String> answer, Reason reason) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(reason.httpStatus());
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(reason(answer)).isEqualTo(reason.name());
    }

    /** Waits, without sleeping a fixed time, until the listener heard {@code story}. */
    private void awaitStory(String story) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!stories.events.contains(story) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.sleep(5);
        }
        assertThat(stories.events).contains(story);
    }

    @Test
    void aValidDeliveryReachesTheHandlerWithItsVerifiedBytesBoundPayloadAndWebhookAndIsCompleted() throws Exception {
        String body = event("ok");
        WebhookRequest delivery = standard.delivery()
                .body(body)
                .id("msg_valid_" + UUID.randomUUID())
                .signed();

        HttpResponse<String> answer = send(delivery, "/hooks/standard");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("processed invoice.paid");
        assertThat(hooks.bodies).containsExactly(body);
        assertThat(hooks.ids)
                .containsExactly(delivery.headers().first("webhook-id").orElseThrow());
        awaitStory("standard completed 200");
    }

    @Test
    void aReplayIsAnswered200DuplicateWithoutTheHandler() throws Exception {
        WebhookRequest delivery = standard.delivery().body(event("ok")).signed();

        HttpResponse<String> first = send(delivery, "/hooks/standard");
        HttpResponse<String> replay = send(delivery, "/hooks/standard");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(reason(replay)).isEqualTo(Reason.DUPLICATE.name());
        assertThat(hooks.bodies).hasSize(1);
    }

    @Test
    void aForgedDeliveryIsAProblemAnswerAndTheHandlerNeverRuns() throws Exception {
        HttpResponse<String> answer = send(standard.delivery().body(event("ok")).forged(), "/hooks/standard");

        assertProblem(answer, Reason.SIGNATURE_MISMATCH);
        assertThat(answer.body()).doesNotContain(HooksApp.STANDARD_SECRET);
        assertThat(hooks.bodies).isEmpty();
    }

    @Test
    void aHandlerMonoThatErrorsIsAnswered500WithRetryAfterAndItsRetryIsProcessed() throws Exception {
        String id = "msg_fail_" + UUID.randomUUID();
        WebhookRequest failing = standard.delivery().body(event("fail")).id(id).signed();
        WebhookRequest retry = standard.delivery().body(event("ok")).id(id).signed();

        HttpResponse<String> failed = send(failing, "/hooks/standard");
        HttpResponse<String> processed = send(retry, "/hooks/standard");

        assertProblem(failed, Reason.HANDLER_FAILED);
        assertThat(failed.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(failed.body()).doesNotContain("IllegalStateException").doesNotContain("failed as told");
        assertThat(processed.statusCode()).isEqualTo(200);
        assertThat(stories.events).containsSubsequence("standard released 500", "standard completed 200");
    }

    @Test
    void aHandlerAnswering503IsPassedOnAndReleasesTheClaim() throws Exception {
        String id = "msg_decline_" + UUID.randomUUID();

        HttpResponse<String> declined =
                send(standard.delivery().body(event("decline")).id(id).signed(), "/hooks/standard");
        HttpResponse<String> retry =
                send(standard.delivery().body(event("ok")).id(id).signed(), "/hooks/standard");

        assertThat(declined.statusCode()).isEqualTo(503);
        assertThat(declined.body()).isEqualTo("later");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(hooks.bodies).hasSize(2);
    }

    @Test
    void aHandlerCancelledBecauseTheSenderWentAwayReleasesTheClaimForTheRetry() throws Exception {
        // given: a handler that never answers, and a sender that gives up after 300 ms and closes its connection
        String id = "msg_hang_" + UUID.randomUUID();
        URI uri = URI.create("http://127.0.0.1:" + port + "/hooks/standard");
        HttpRequest impatient = HttpRequest.newBuilder(
                        WebhookRequests.toHttpRequest(
                                standard.delivery().body(event("hang")).id(id).signed(), uri),
                        (name, value) -> true)
                .timeout(Duration.ofMillis(300))
                .build();

        // when
        assertThatThrownBy(() -> HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                        .send(impatient, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        awaitStory("standard released " + Reason.HANDLER_FAILED.httpStatus());
        HttpResponse<String> retry =
                send(standard.delivery().body(event("ok")).id(id).signed(), "/hooks/standard");

        // then: the provider's retry is not refused as in progress, and is processed
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(hooks.bodies).hasSize(2);
    }

    @Test
    void aPayloadThatDoesNotBindIsAnswered400AndReleasesTheClaim() throws Exception {
        String id = "msg_unbound_" + UUID.randomUUID();
        WebhookRequest unbound = standard.delivery()
                .body("{\"type\":\"invoice.paid\",\"data\":[1,2]}")
                .id(id)
                .signed();

        HttpResponse<String> first = send(unbound, "/hooks/standard");
        HttpResponse<String> again = send(unbound, "/hooks/standard");

        assertProblem(first, Reason.MALFORMED_PAYLOAD);
        assertProblem(again, Reason.MALFORMED_PAYLOAD);
        assertThat(hooks.bodies).isEmpty();
        assertThat(stories.events).containsSubsequence("standard released 400", "standard released 400");
    }

    @Test
    void aControllersOwnExceptionHandlerAnswersARefusalRaisedInsideItAndTheClaimIsStillReleased() throws Exception {
        String id = "msg_own_" + UUID.randomUUID();
        WebhookRequest unbound = standard.delivery()
                .body("{\"type\":\"invoice.paid\",\"data\":[1,2]}")
                .id(id)
                .signed();

        HttpResponse<String> answer = send(unbound, "/hooks/own-answers");
        HttpResponse<String> forged = send(standard.delivery().body(event("ok")).forged(), "/hooks/own-answers");

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).isEqualTo("ours: " + Reason.MALFORMED_PAYLOAD);
        awaitStory("standard released 422");
        assertProblem(forged, Reason.SIGNATURE_MISMATCH); // refused before the controller: the default answer
    }

    @Test
    void aStoreThatMayBlockIsCalledOffTheEventLoop() throws Exception {
        HttpResponse<String> answer = send(standard.delivery().body(event("ok")).signed(), "/hooks/standard");

        assertThat(answer.statusCode()).isEqualTo(200);
        awaitStory("standard completed 200");
        assertThat(store.threads)
                .hasSize(2)
                .allSatisfy(call -> assertThat(call).contains("boundedElastic").doesNotContain("reactor-http"));
        assertThat(store.threads.get(0)).startsWith("claim ");
        assertThat(store.threads.get(1)).startsWith("complete ");
    }

    @Test
    void optionsAndPutToAnAnnotatedEndpointAreAnswered405AndClaimNothing() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/hooks/standard");
        for (String method : new String[] {"OPTIONS", "PUT"}) {
            HttpResponse<String> answer = CLIENT.send(
                    HttpRequest.newBuilder(uri)
                            .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertProblem(answer, Reason.METHOD_NOT_ALLOWED);
        }
        assertThat(store.threads).isEmpty();
        assertThat(hooks.bodies).isEmpty();
    }

    @Test
    void aFunctionalRouteBehindItsEndpointsPathsIsVerifiedAndReadsTheVerifiedBody() throws Exception {
        String body = "{\"action\":\"opened\",\"n\":\"" + UUID.randomUUID() + "\"}";

        HttpResponse<String> valid = send(github.delivery().body(body).signed(), "/routes/github");
        HttpResponse<String> forged = send(github.delivery().body(body).forged(), "/routes/github");

        assertThat(valid.statusCode()).isEqualTo(200);
        assertThat(valid.body()).isEqualTo("routed " + body.getBytes(StandardCharsets.UTF_8).length);
        assertProblem(forged, Reason.SIGNATURE_MISMATCH);
    }
}
