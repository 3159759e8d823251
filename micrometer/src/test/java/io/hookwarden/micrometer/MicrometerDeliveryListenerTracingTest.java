package io.hookwarden.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.hookwarden.HttpAnswer;
import io.hookwarden.InMemoryInbox;
import io.hookwarden.Outcome;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The observation of each delivery becomes one OpenTelemetry span through Micrometer Tracing's OpenTelemetry bridge,
 * wired as Spring Boot wires it with {@code micrometer-tracing-bridge-otel} on the class path: a real SDK tracer
 * provider, its spans exported to memory, a real receiver.
 */
class MicrometerDeliveryListenerTracingTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OTHER_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans))
            .build();
    private final ObservationRegistry observations = tracing(tracerProvider);

    private final WebhookReceiver receiver = WebhookReceiver.builder()
            .name("orders")
            .verifier(WebhookVerifier.builder()
                    .scheme(Schemes.standardWebhooks())
                    .secret(SECRET)
                    .build())
            .listener(MicrometerDeliveryListener.of(new SimpleMeterRegistry(), observations))
            .build();

    /** The same endpoint's deliveries written to an inbox: answered at once, handled later by a worker. */
    private final WebhookReceiver queueing = WebhookReceiver.builder()
            .name("orders")
            .verifier(WebhookVerifier.builder()
                    .scheme(Schemes.standardWebhooks())
                    .secret(SECRET)
                    .build())
            .inbox(InMemoryInbox.create())
            .acceptStatus(202)
            .listener(MicrometerDeliveryListener.of(new SimpleMeterRegistry(), observations))
            .build();

    /** What Spring Boot's tracing auto-configuration does with the OpenTelemetry bridge on the class path. */
    private static ObservationRegistry tracing(SdkTracerProvider tracerProvider) {
        OtelTracer tracer =
                new OtelTracer(tracerProvider.get("hookwarden-test"), new OtelCurrentTraceContext(), event -> {});
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
        return registry;
    }

    @AfterEach
    void closeTracerProvider() {
        tracerProvider.close();
    }

    private static WebhookRequest signed(String secret, String id) {
        return WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(secret)
                .build()
                .sign(WebhookMessage.body("{\"type\":\"order.created\",\"order_id\":1}")
                        .id(id)
                        .eventType("order.created")
                        .build());
    }

    private static Map<String, Object> attributes(SpanData span) {
        Map<String, Object> attributes = new TreeMap<>();
        span.getAttributes().forEach((AttributeKey<?> key, Object value) -> attributes.put(key.getKey(), value));
        return attributes;
    }

    private SpanData theOnlySpan() {
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).hasSize(1);
        return finished.get(0);
    }

    @Test
    void anAcceptedAndCompletedDeliveryIsOneSpanWithHttpAndHookwardenAttributes() {
        // when
        HttpAnswer answer = receiver.handle(signed(SECRET, "msg_1"), webhook -> {});

        // then
        assertThat(answer.status()).isEqualTo(200);
        SpanData span = theOnlySpan();
        assertThat(span.getName()).isEqualTo("webhook orders");
        assertThat(span.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(span.hasEnded()).isTrue();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(span.getEvents()).isEmpty();
        assertThat(attributes(span))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "http.request.method", "POST",
                        "http.response.status_code", "200",
                        "hookwarden.endpoint", "orders",
                        "hookwarden.scheme", "standard-webhooks",
                        "hookwarden.outcome", "processed",
                        "hookwarden.reason", "none",
                        "hookwarden.key", "key-1",
                        "hookwarden.delivery.id", "msg_1",
                        "hookwarden.event.type", "order.created"));
    }

    @Test
    void aForgedDeliveryIsOneSpanThatIsRefusedButNotAServerError() {
        // when
        HttpAnswer answer = receiver.handle(signed(OTHER_SECRET, "msg_1"), webhook -> {});

        // then: a 4xx is the sender's fault, which OpenTelemetry's HTTP server conventions do not count as an error
        assertThat(answer.status()).isEqualTo(401);
        SpanData span = theOnlySpan();
        assertThat(span.getName()).isEqualTo("webhook orders");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(span.getEvents()).isEmpty();
        assertThat(attributes(span))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "http.request.method", "POST",
                        "http.response.status_code", "401",
                        "hookwarden.endpoint", "orders",
                        "hookwarden.scheme", "standard-webhooks",
                        "hookwarden.outcome", "rejected",
                        "hookwarden.reason", "signature_mismatch",
                        "hookwarden.key", "none"));
    }

    @Test
    void aDuplicateIsOneSpanOfItsOwnAnsweredOk() {
        // when
        receiver.handle(signed(SECRET, "msg_1"), webhook -> {});
        HttpAnswer answer = receiver.handle(signed(SECRET, "msg_1"), webhook -> {});

        // then
        assertThat(answer.status()).isEqualTo(200);
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).hasSize(2);
        SpanData duplicate = finished.get(1);
        assertThat(duplicate.getSpanId()).isNotEqualTo(finished.get(0).getSpanId());
        assertThat(duplicate.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(attributes(duplicate))
                .contains(
                        entry("hookwarden.outcome", "duplicate"),
                        entry("hookwarden.reason", "duplicate"),
                        entry("http.response.status_code", "200"),
                        entry("hookwarden.delivery.id", "msg_1"))
                .doesNotContainKey("error.type");
    }

    @Test
    void aFailedHandlerIsAnErrorSpanThatQuotesNeitherItsExceptionNorThePayload() {
        // when
        HttpAnswer answer = receiver.handle(signed(SECRET, "msg_1"), webhook -> {
            throw new IllegalStateException("card 4242 of cus_private declined for order_id 1");
        });

        // then
        assertThat(answer.status()).isEqualTo(500);
        SpanData span = theOnlySpan();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo("Handler failed: answered 500");
        assertThat(attributes(span))
                .contains(
                        entry("error.type", "500"),
                        entry("http.response.status_code", "500"),
                        entry("hookwarden.outcome", "released"),
                        entry("hookwarden.reason", "handler_failed"));
        assertThat(span.getEvents()).singleElement().satisfies(event -> assertThat(event.getName())
                .isEqualTo("exception"));
        assertThat(span.toString()).doesNotContain("cus_private").doesNotContain("order_id");
    }

    @Test
    void aDeliveryReleasedWithoutAStatusIsAHandlerFailure() {
        // when: the application gives the claim back itself
        ((Outcome.Accepted) receiver.receive(signed(SECRET, "msg_1")))
                .delivery()
                .release();

        // then
        SpanData span = theOnlySpan();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attributes(span))
                .contains(
                        entry("http.response.status_code", "500"),
                        entry("error.type", "500"),
                        entry("hookwarden.reason", "handler_failed"));
    }

    @Test
    void aDeliveryTheApplicationAnsweredWithA4xxIsReleasedButNotAnError() {
        // when
        ((Outcome.Accepted) receiver.receive(signed(SECRET, "msg_1")))
                .delivery()
                .finish(404);

        // then
        SpanData span = theOnlySpan();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(attributes(span))
                .contains(
                        entry("http.response.status_code", "404"),
                        entry("hookwarden.outcome", "released"),
                        entry("hookwarden.reason", "none"))
                .doesNotContainKey("error.type");
    }

    @Test
    void aQueuedDeliveryIsOneSpanEndedAtOnceWithTheAcceptStatus() {
        // when
        HttpAnswer answer = queueing.receive(signed(SECRET, "msg_1")).answer();

        // then: ended with the answer, not when a worker handles it later
        assertThat(answer.status()).isEqualTo(202);
        SpanData span = theOnlySpan();
        assertThat(span.hasEnded()).isTrue();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(span.getEvents()).isEmpty();
        assertThat(attributes(span))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "http.request.method", "POST",
                        "http.response.status_code", "202",
                        "hookwarden.endpoint", "orders",
                        "hookwarden.scheme", "standard-webhooks",
                        "hookwarden.outcome", "queued",
                        "hookwarden.reason", "none",
                        "hookwarden.key", "key-1",
                        "hookwarden.delivery.id", "msg_1",
                        "hookwarden.event.type", "order.created"));
    }

    @Test
    void everyDeliveryIsOneSpanWithTheSameLowCardinalityKeys() {
        // when: accepted and completed, forged, duplicate, handler failure, written to an inbox
        receiver.handle(signed(SECRET, "msg_1"), webhook -> {});
        receiver.handle(signed(OTHER_SECRET, "msg_2"), webhook -> {});
        receiver.handle(signed(SECRET, "msg_1"), webhook -> {});
        receiver.handle(signed(SECRET, "msg_3"), webhook -> {
            throw new IllegalStateException("down");
        });
        queueing.receive(signed(SECRET, "msg_4"));

        // then: one span each, ended, in a trace of its own; the keys a metrics backend would tag by never vary
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).hasSize(5).allSatisfy(span -> assertThat(span.hasEnded())
                .isTrue());
        assertThat(finished.stream().map(SpanData::getTraceId).distinct()).hasSize(5);
        assertThat(finished.stream()
                        .map(span -> attributes(span).get("hookwarden.outcome"))
                        .collect(Collectors.toList()))
                .containsExactly("processed", "rejected", "duplicate", "released", "queued");
        assertThat(finished.stream()
                        .map(span -> attributes(span).keySet().stream()
                                .filter(key -> !key.equals("error.type")
                                        && !key.startsWith("hookwarden.delivery.")
                                        && !key.equals("hookwarden.event.type"))
                                .collect(Collectors.toSet()))
                        .distinct())
                .hasSize(1);
    }

    @Test
    void aDeliverySpanIsAChildOfTheRequestsSpan() {
        // given: the server observation a framework opens around the request (Spring's http.server.requests)
        Observation request = Observation.createNotStarted("http.server.requests", observations);

        // when
        request.observe(() -> receiver.handle(signed(SECRET, "msg_1"), webhook -> {}));

        // then
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).hasSize(2);
        SpanData delivery = finished.get(0);
        SpanData server = finished.get(1);
        assertThat(delivery.getName()).isEqualTo("webhook orders");
        assertThat(delivery.getTraceId()).isEqualTo(server.getTraceId());
        assertThat(delivery.getParentSpanId()).isEqualTo(server.getSpanId());
    }

    @Test
    void noAttributeOrEventOfAForgedDeliveryComesFromItsHeadersUrlOrBody() {
        // given: a forged delivery whose URL, headers and body carry text an attacker chose
        WebhookRequest forged = WebhookRequest.builder()
                .method("POST")
                .url("https://example.com/hooks/attacker-path?token=attacker-query")
                .header("webhook-id", "attacker-chosen-id")
                .header("webhook-timestamp", "1")
                .header("webhook-signature", "v1,attacker-chosen")
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .body("{\"attacker\":\"chosen\"}")
                .build();

        // when
        receiver.receive(forged);

        // then: and a sender cannot choose the trace its delivery joins
        SpanData span = theOnlySpan();
        assertThat(span.toString())
                .doesNotContain("attacker")
                .doesNotContain(SECRET)
                .doesNotContain("0af7651916cd43dd8448eb211c80319c");
        assertThat(attributes(span)).containsEntry("hookwarden.reason", "signature_mismatch");
    }
}
