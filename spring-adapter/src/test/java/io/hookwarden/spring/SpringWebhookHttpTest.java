package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** The adapter over real HTTP: an embedded Tomcat on a random port, driven by java.net.http. */
@SpringBootTest(classes = HooksApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("hooks")
class SpringWebhookHttpTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    HooksApp.Recorder recorder;

    @Autowired
    MeterRegistry meters;

    WebhookFixtures stripe;
    WebhookFixtures standard;

    @BeforeEach
    void fixtures() {
        recorder.reset();
        stripe = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(Secrets.STRIPE)
                .clock(clock)
                .build();
        standard = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(Secrets.STANDARD)
                .clock(clock)
                .build();
    }

    static String stripeEvent() {
        return "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"object\":\"event\",\"type\":\"invoice.paid\"}";
    }

    HttpResponse<String> send(WebhookRequest request, String path) throws Exception {
        return CLIENT.send(WebhookRequests.toHttpRequest(request, uri(path)), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    static void assertProblem(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = json(response);
        assertThat(body.path("reason").asText()).isEqualTo(reason);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("type").asText()).startsWith("urn:hookwarden:reason:");
    }

    @Test
    void validDeliveryReachesTheHandlerWithTheSameBytesAsRequestBodyString() throws Exception {
        String body = stripeEvent();
        HttpResponse<String> response = send(stripe.delivery(body).signed(), "/webhooks/stripe");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer.path("sameBody").asBoolean()).isTrue();
        assertThat(answer.path("type").asText()).isEqualTo("invoice.paid");
        assertThat(answer.path("id").asText())
                .isEqualTo(JSON.readTree(body).path("id").asText());
        assertThat(recorder.handled)
                .containsExactly("stripe:" + answer.path("id").asText());
    }

    @Test
    void requestBodyAsByteArrayIsTheVerifiedBytes() throws Exception {
        String body = stripeEvent();
        HttpResponse<String> response = send(stripe.delivery(body).signed(), "/webhooks/stripe/bytes");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("sameBytes").asBoolean()).isTrue();
        assertThat(json(response).path("length").asInt()).isEqualTo(body.length());
    }

    @Test
    void requestBodyAsDtoBindsTheVerifiedJson() throws Exception {
        String body = stripeEvent();
        HttpResponse<String> response = send(stripe.delivery(body).signed(), "/webhooks/stripe/dto");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("id").asText())
                .isEqualTo(JSON.readTree(body).path("id").asText());
        assertThat(json(response).path("type").asText()).isEqualTo("invoice.paid");
    }

    @Test
    void webhookPayloadBindsTheBodyAsDtoAndAsString() throws Exception {
        String body = stripeEvent();
        HttpResponse<String> response = send(stripe.delivery(body).signed(), "/webhooks/stripe/payload");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("type").asText()).isEqualTo("invoice.paid");
        assertThat(json(response).path("raw").asText()).isEqualTo(body);
    }

    @Test
    void verifiedWebhookNamesTheRotatedKeyThatMatched() throws Exception {
        HttpResponse<String> response =
                send(standard.delivery("{\"type\":\"a\"}").signed(), "/webhooks/class");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("scheme").asText()).isEqualTo("standard-webhooks");
        WebhookFixtures old = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(Secrets.STANDARD_OLD)
                .clock(clock)
                .build();
        assertThat(send(old.delivery("{}").signed(), "/webhooks/class").statusCode())
                .isEqualTo(200);
    }

    @Test
    void forgedSignatureIsRefusedWith401AndTheHandlerDoesNotRun() throws Exception {
        HttpResponse<String> response = send(stripe.delivery(stripeEvent()).forged(), "/webhooks/stripe");

        assertProblem(response, 401, "SIGNATURE_MISMATCH");
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        assertThat(recorder.handled).isEmpty();
    }

    @Test
    void tamperedBodyIsRefused() throws Exception {
        assertProblem(send(stripe.delivery(stripeEvent()).tampered(), "/webhooks/stripe"), 401, "SIGNATURE_MISMATCH");
        assertThat(recorder.handled).isEmpty();
    }

    @Test
    void expiredTimestampIsRefused() throws Exception {
        assertProblem(
                send(stripe.delivery(stripeEvent()).aged(Duration.ofMinutes(6)), "/webhooks/stripe"),
                401,
                "TIMESTAMP_TOO_OLD");
    }

    @Test
    void timestampFromTheFutureIsRefused() throws Exception {
        assertProblem(
                send(standard.delivery("{}").fromTheFuture(Duration.ofMinutes(6)), "/webhooks/standard"),
                401,
                "TIMESTAMP_IN_FUTURE");
        assertThat(recorder.handled).isEmpty();
    }

    @Test
    void missingAndMalformedHeadersAreRefusedWith400() throws Exception {
        assertProblem(
                send(standard.delivery("{}").withoutHeader("webhook-signature"), "/webhooks/standard"),
                400,
                "MISSING_HEADER");
        assertProblem(
                send(stripe.delivery(stripeEvent()).withHeader("Stripe-Signature", "t=junk,v1=zz"), "/webhooks/stripe"),
                400,
                "MALFORMED_HEADER");
        assertThat(recorder.handled).isEmpty();
    }

    @Test
    void replayedDeliveryIsADuplicateAndTheHandlerRunsOnce() throws Exception {
        WebhookRequest delivery = stripe.delivery(stripeEvent()).signed();

        HttpResponse<String> first = send(delivery, "/webhooks/stripe");
        HttpResponse<String> replay = send(delivery, "/webhooks/stripe");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(json(replay).path("reason").asText()).isEqualTo("DUPLICATE");
        assertThat(recorder.handled).hasSize(1);
    }

    @Test
    void bodyOverTheCapWithContentLengthIsRefusedWith413() throws Exception {
        String big = "{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(4096) + "\"}";

        HttpResponse<String> response = send(stripe.delivery(big).signed(), "/webhooks/stripe");

        assertProblem(response, 413, "PAYLOAD_TOO_LARGE");
        assertThat(recorder.handled).isEmpty();
    }

    @Test
    void chunkedBodyOverTheCapIsRefusedWith413() throws Exception {
        String big = "{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(4096) + "\"}";
        WebhookRequest signed = stripe.delivery(big).signed();
        HttpRequest.Builder chunked = HttpRequest.newBuilder(uri("/webhooks/stripe"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(signed.body())));
        signed.headers().toMap().forEach((name, values) -> values.forEach(v -> chunked.header(name, v)));

        HttpResponse<String> response = CLIENT.send(chunked.build(), HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 413, "PAYLOAD_TOO_LARGE");
        assertThat(recorder.handled).isEmpty();
    }

    @Test
    void chunkedBodyWithinTheCapIsVerified() throws Exception {
        WebhookRequest signed = stripe.delivery(stripeEvent()).signed();
        HttpRequest.Builder chunked = HttpRequest.newBuilder(uri("/webhooks/stripe"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(signed.body())));
        signed.headers().toMap().forEach((name, values) -> values.forEach(v -> chunked.header(name, v)));

        HttpResponse<String> response = CLIENT.send(chunked.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("sameBody").asBoolean()).isTrue();
    }

    @Test
    void signedStripeBodyThatIsNotJsonIsMalformedPayload() throws Exception {
        assertProblem(send(stripe.delivery("{not json").signed(), "/webhooks/stripe"), 400, "MALFORMED_PAYLOAD");
        assertThat(recorder.handled).isEmpty();
    }

    @Test
    void signedBodyThatDoesNotBindToTheRequestBodyIsMalformedPayloadAndReleased() throws Exception {
        WebhookRequest delivery = standard.delivery("{\"type\": [unclosed").signed();

        assertProblem(send(delivery, "/webhooks/standard/dto"), 400, "MALFORMED_PAYLOAD");
        assertProblem(send(delivery, "/webhooks/standard/dto"), 400, "MALFORMED_PAYLOAD");
        assertThat(recorder.handled).isEmpty();
    }

    @Test
    void signedBodyThatDoesNotBindToTheWebhookPayloadIsMalformedPayload() throws Exception {
        HttpResponse<String> response = send(
                stripe.delivery("{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":{\"secret\":\"value-x\"}}")
                        .signed(),
                "/webhooks/stripe/payload");

        assertProblem(response, 400, "MALFORMED_PAYLOAD");
        assertThat(response.body()).doesNotContain("value-x");
    }

    @Test
    void handlerFailureAnswers500WithRetryAfterAndTheRetrySucceeds() throws Exception {
        WebhookRequest delivery =
                standard.delivery("{\"type\":\"order.created\"}").signed();
        recorder.failures.set(1);

        HttpResponse<String> failed = send(delivery, "/webhooks/standard");
        HttpResponse<String> retry = send(delivery, "/webhooks/standard");
        HttpResponse<String> replay = send(delivery, "/webhooks/standard");

        assertProblem(failed, 500, "HANDLER_FAILED");
        assertThat(failed.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(failed.body()).doesNotContain("internal detail 42").doesNotContain("IllegalStateException");
        assertThat(retry.statusCode()).isEqualTo(204);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(json(replay).path("reason").asText()).isEqualTo("DUPLICATE");
        assertThat(recorder.handled).hasSize(2);
    }

    @Test
    void anAsyncHandlerCompletesOrReleasesWhenItsAsyncCycleEnds() throws Exception {
        WebhookRequest delivery = standard.delivery("{\"type\":\"async\"}").signed();
        recorder.failures.set(1);

        HttpResponse<String> failed = send(delivery, "/webhooks/standard/async");
        HttpResponse<String> retry = send(delivery, "/webhooks/standard/async");
        HttpResponse<String> replay = send(delivery, "/webhooks/standard/async");

        assertProblem(failed, 500, "HANDLER_FAILED");
        assertThat(retry.statusCode()).isEqualTo(204);
        assertThat(json(replay).path("reason").asText()).isEqualTo("DUPLICATE");
        assertThat(recorder.handled).hasSize(2);
    }

    @Test
    void formFieldsOfAVerifiedFormBodyReachRequestParam() throws Exception {
        String form = "command=%2Fdeploy&text=caf%C3%A9+now";
        WebhookRequest delivery = asForm(standard.delivery(form).signed());

        HttpResponse<String> response = send(delivery, "/webhooks/standard/form");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("command").asText()).isEqualTo("/deploy");
        assertThat(json(response).path("text").asText()).isEqualTo("caf\u00e9 now");
        assertProblem(
                send(asForm(standard.delivery(form).forged()), "/webhooks/standard/form"), 401, "SIGNATURE_MISMATCH");
        assertThat(recorder.handled).containsExactly("form:/deploy");
    }

    /** The same delivery with its Content-Type replaced by a form's (the signer sends JSON's). */
    static WebhookRequest asForm(WebhookRequest delivery) {
        return WebhookRequest.builder()
                .headers(delivery.headers().toBuilder()
                        .set("Content-Type", "application/x-www-form-urlencoded")
                        .build())
                .body(delivery.body())
                .build();
    }

    @Test
    void springsOwnStatusExceptionKeepsItsStatusAndReleasesTheClaim() throws Exception {
        WebhookRequest delivery = standard.delivery("{}").signed();

        assertThat(send(delivery, "/webhooks/standard/status").statusCode()).isEqualTo(503);
        assertThat(send(delivery, "/webhooks/standard/status").statusCode()).isEqualTo(503);
        assertThat(recorder.handled).hasSize(2);
    }

    @Test
    void anAnswerOtherThan2xxReleasesTheClaim() throws Exception {
        WebhookRequest delivery = standard.delivery("{}").signed();

        assertThat(send(delivery, "/webhooks/standard/refuse").statusCode()).isEqualTo(422);
        assertThat(send(delivery, "/webhooks/standard/refuse").statusCode()).isEqualTo(422);
        assertThat(recorder.handled).hasSize(2);
    }

    @Test
    void concurrentDuplicatesRunTheHandlerExactlyOnce() throws Exception {
        WebhookRequest delivery =
                standard.delivery("{\"type\":\"payment.succeeded\"}").signed();
        CountDownLatch gate = new CountDownLatch(1);
        recorder.gate.set(gate);
        int copies = 16;
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            responses.add(CLIENT.sendAsync(
                    WebhookRequests.toHttpRequest(delivery, uri("/webhooks/standard")),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> busy = new ArrayList<>();
        // All but the one holding the claim answer while the handler waits at the gate.
        while (busy.size() < copies - 1) {
            CompletableFuture.anyOf(responses.stream().filter(f -> !f.isDone()).toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
            busy.clear();
            responses.stream().filter(CompletableFuture::isDone).forEach(f -> busy.add(f.join()));
        }
        gate.countDown();
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(recorder.handled).hasSize(1);
        assertThat(busy).allSatisfy(r -> assertProblem(r, 409, "IN_PROGRESS"));
        assertThat(busy).allSatisfy(r -> assertThat(r.headers().firstValue("Retry-After"))
                .hasValue("30"));
        assertThat(responses.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 204))
                .hasSize(1);
    }

    @Test
    void twoEndpointsWithDifferentSchemesEachVerifyTheirOwn() throws Exception {
        assertThat(send(standard.delivery("{}").signed(), "/webhooks/standard").statusCode())
                .isEqualTo(204);
        assertThat(send(stripe.delivery(stripeEvent()).signed(), "/webhooks/stripe")
                        .statusCode())
                .isEqualTo(200);
        assertProblem(send(stripe.delivery(stripeEvent()).signed(), "/webhooks/standard"), 400, "MISSING_HEADER");
        assertProblem(send(standard.delivery(stripeEvent()).signed(), "/webhooks/stripe"), 400, "MISSING_HEADER");
    }

    @Test
    void aConfiguredPathIsVerifiedWithoutTheAnnotation() throws Exception {
        HttpResponse<String> ok = send(standard.delivery("{\"a\":1}").signed(), "/hooks/configured");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).path("length").asInt()).isEqualTo(7);
        assertProblem(send(standard.delivery("{}").forged(), "/hooks/configured"), 401, "SIGNATURE_MISMATCH");
    }

    @Test
    void otherPathsPassUntouchedAndUncapped() throws Exception {
        String big = "y".repeat(10_000);
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(uri("/plain"))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(big))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("length").asInt()).isEqualTo(10_000);
    }

    @Test
    void problemAnswersRenderForAClientAcceptingOnlyJson() throws Exception {
        WebhookRequest forged = stripe.delivery(stripeEvent()).forged();
        HttpRequest request = HttpRequest.newBuilder(uri("/webhooks/stripe"))
                .headers(forged.headers().toMap().entrySet().stream()
                        .flatMap(e -> e.getValue().stream().flatMap(v -> java.util.stream.Stream.of(e.getKey(), v)))
                        .toArray(String[]::new))
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(forged.body()))
                .build();

        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).path("reason").asText()).isEqualTo("SIGNATURE_MISMATCH");
    }

    @Test
    void noAnswerContainsASecret() throws Exception {
        recorder.failures.set(1);
        List<HttpResponse<String>> answers = List.of(
                send(stripe.delivery(stripeEvent()).forged(), "/webhooks/stripe"),
                send(stripe.delivery(stripeEvent()).tampered(), "/webhooks/stripe"),
                send(stripe.delivery(stripeEvent()).aged(Duration.ofHours(1)), "/webhooks/stripe"),
                send(stripe.delivery(stripeEvent()).withHeader("Stripe-Signature", "t=1,v1=00"), "/webhooks/stripe"),
                send(stripe.delivery("not json").signed(), "/webhooks/stripe"),
                send(standard.delivery("{}").forged(), "/webhooks/standard"),
                send(standard.delivery("{}").withoutHeader("webhook-id"), "/webhooks/standard"),
                send(standard.delivery("{}").signed(), "/webhooks/standard"),
                send(standard.delivery("{\"type\":").signed(), "/webhooks/standard/dto"));

        assertThat(answers).extracting(HttpResponse::statusCode).doesNotContain(200, 204);
        for (HttpResponse<String> answer : answers) {
            String all = answer.body() + answer.headers().map();
            for (String secret : Secrets.all()) {
                assertThat(all).doesNotContain(secret);
            }
        }
    }

    @Test
    void deliveriesAndVerificationTimesAreMeteredByTheCoresListener() throws Exception {
        double before = counter("stripe", "rejected", "SIGNATURE_MISMATCH");
        double processedBefore = counter("stripe", "processed", "none");
        long verifiedBefore = verifications("stripe");

        send(stripe.delivery(stripeEvent()).forged(), "/webhooks/stripe");
        send(stripe.delivery(stripeEvent()).signed(), "/webhooks/stripe");

        assertThat(counter("stripe", "rejected", "SIGNATURE_MISMATCH")).isEqualTo(before + 1);
        assertThat(counter("stripe", "processed", "none")).isEqualTo(processedBefore + 1);
        assertThat(verifications("stripe")).isEqualTo(verifiedBefore + 2);
        assertThat(meters.get("hookwarden.handling")
                        .tags("endpoint", "stripe", "scheme", "stripe", "outcome", "processed")
                        .timer()
                        .count())
                .isPositive();
    }

    @Test
    void theClaimIsSettledByTheStatusTheApplicationAnswered() throws Exception {
        // given: issue 13, the adapter hands the status to Delivery.finish and decides nothing itself
        double released = counter("standard", "released", "none");
        double failed = counter("standard", "released", "HANDLER_FAILED");
        double processed = counter("standard", "processed", "none");
        recorder.failures.set(1);

        // when: a handler answering 422, one that throws, one answering 204
        send(standard.delivery("{}").signed(), "/webhooks/standard/refuse");
        send(standard.delivery("{\"type\":\"x\"}").signed(), "/webhooks/standard");
        send(standard.delivery("{\"type\":\"y\"}").signed(), "/webhooks/standard");

        // then: a 422 releases without being a handler failure, the exception is one, the 204 completes; and the
        // delivery's observation stops with the status the sender got
        assertThat(counter("standard", "released", "none")).isEqualTo(released + 1);
        assertThat(counter("standard", "released", "HANDLER_FAILED")).isEqualTo(failed + 1);
        assertThat(counter("standard", "processed", "none")).isEqualTo(processed + 1);
        assertThat(meters.find("hookwarden.delivery")
                        .tags("hookwarden.endpoint", "standard", "http.response.status_code", "422")
                        .timer())
                .isNotNull();
        assertThat(meters.find("hookwarden.delivery")
                        .tags("hookwarden.endpoint", "standard", "http.response.status_code", "204")
                        .timer())
                .isNotNull();
    }

    @Test
    void aBodyOverTheCapIsMeteredAsTheReceiversRefusal() throws Exception {
        double before = counter("stripe", "rejected", "PAYLOAD_TOO_LARGE");

        send(
                stripe.delivery("{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(4096) + "\"}")
                        .signed(),
                "/webhooks/stripe");

        assertThat(counter("stripe", "rejected", "PAYLOAD_TOO_LARGE")).isEqualTo(before + 1);
    }

    private double counter(String endpoint, String outcome, String reason) {
        String scheme = endpoint.equals("stripe") ? "stripe" : "standard-webhooks";
        var counter = meters.find("hookwarden.deliveries")
                .tags("endpoint", endpoint, "scheme", scheme, "outcome", outcome, "reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private long verifications(String endpoint) {
        return meters.find("hookwarden.verification").tag("endpoint", endpoint).timers().stream()
                .mapToLong(io.micrometer.core.instrument.Timer::count)
                .sum();
    }

    @Test
    void healthReportsTheDedupeStore() throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(uri("/actuator/health/hookwarden")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("UP");
        assertThat(json(response).path("details").path("store").asText()).isEqualTo("InMemoryDedupeStore");
    }
}
