package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The receiver checks the payload after verification and before the claim: a malformed or schema-invalid delivery is
 * refused and never claimed, so a later valid delivery with the same id is processed.
 */
class PayloadReceiverTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SchemaRegistry STRIPE_SCHEMAS = SchemaRegistry.builder()
            .schema("invoice.paid", PayloadSchema.classpath("schemas/stripe/invoice.paid.json"))
            .build();

    private final CountingStore store = new CountingStore();
    private final List<String> handled = new ArrayList<>();

    @Test
    void schemaInvalidDeliveryIsRefusedWith422ListingEveryPointerAndIsNeverClaimed() throws Exception {
        // given
        WebhookReceiver receiver = stripeReceiver().schemas(STRIPE_SCHEMAS).build();
        ObjectNode invalid = Payloads.tree("invoice.paid");
        ((ObjectNode) invalid.at("/data/object")).put("currency", "SECRET-VALUE");
        ((ObjectNode) invalid.at("/data/object")).remove("customer");

        // when
        Outcome outcome = receiver.receive(Payloads.stripe(Payloads.json(invalid)));

        // then
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
            assertThat(rejected.detail())
                    .contains("/data/object/currency (pattern)", "/data/object/customer (required)")
                    .doesNotContain("SECRET");
            assertThat(rejected.webhook()).isPresent();
        });
        HttpAnswer answer = outcome.answer();
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.contentType()).contains(HttpAnswer.PROBLEM_JSON);
        assertThat(answer.headers()).doesNotContainKey("Retry-After");
        JsonNode problem = MAPPER.readTree(answer.body());
        assertThat(problem.get("reason").asText()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(problem.get("violations").toString())
                .isEqualTo("[{\"pointer\":\"/data/object/currency\",\"keyword\":\"pattern\"},"
                        + "{\"pointer\":\"/data/object/customer\",\"keyword\":\"required\"}]");
        assertThat(answer.bodyText()).doesNotContain("SECRET");
        assertThat(store.claims.get()).isZero();

        // and when the provider sends a valid delivery with the same event id
        HttpAnswer later = receiver.handle(
                Payloads.stripe(Payloads.text("invoice.paid")),
                webhook -> handled.add(webhook.id().orElseThrow()));

        // then it is processed
        assertThat(later.status()).isEqualTo(200);
        assertThat(handled).containsExactly("evt_1PqR8sLkdIwHu7ix0aBcDeFg");
        assertThat(store.claims.get()).isEqualTo(1);
    }

    @Test
    void nonJsonBodyOnAJsonEndpointIsMalformedAndNeverClaimed() {
        // given: GitHub, no schemas, but JSON required
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(SchemeCase.GITHUB.sampleVerifier())
                .dedupeStore(store)
                .format(PayloadFormat.JSON)
                .build();

        // when
        Outcome outcome = receiver.receive(Payloads.github("push", "d-1", "payload=%7B%22ref%22%7D"));

        // then
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
            assertThat(rejected.detail()).contains("body is not JSON", "line 1").doesNotContain("payload=");
        });
        assertThat(outcome.answer().status()).isEqualTo(400);
        assertThat(store.claims.get()).isZero();

        // and a valid delivery with the same id is processed
        assertThat(receiver.handle(Payloads.github("push", "d-1", Payloads.text("push")), w -> handled.add("push"))
                        .status())
                .isEqualTo(200);
        assertThat(handled).containsExactly("push");
    }

    @Test
    void aHostileBodyIsMalformedAtTheReceiverToo() {
        WebhookReceiver receiver = stripeReceiver().schemas(STRIPE_SCHEMAS).build();

        Outcome outcome = receiver.receive(Payloads.stripe("{\"id\":\"evt_1\",\"a\":" + "[".repeat(100_000)));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(Reason.MALFORMED_PAYLOAD));
        assertThat(store.claims.get()).isZero();
    }

    @Test
    void reportOnlyModeAcceptsTheDeliveryAndHandsTheViolationsToTheListener() {
        // given
        List<ValidationResult> reported = new ArrayList<>();
        WebhookReceiver receiver = stripeReceiver()
                .schemas(STRIPE_SCHEMAS)
                .reportOnly((webhook, result) -> reported.add(result))
                .build();
        ObjectNode invalid = Payloads.tree("invoice.paid");
        invalid.put("created", "yesterday");

        // when
        HttpAnswer answer = receiver.handle(Payloads.stripe(Payloads.json(invalid)), w -> handled.add("ran"));

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(handled).containsExactly("ran");
        assertThat(reported).hasSize(1);
        assertThat(reported.get(0).violations()).containsExactly(new Violation("/created", "type"));
    }

    @Test
    void reportOnlyModeDoesNotCallTheListenerForValidDeliveriesAndSurvivesAFailingListener() {
        AtomicInteger calls = new AtomicInteger();
        WebhookReceiver receiver = stripeReceiver()
                .schemas(STRIPE_SCHEMAS)
                .reportOnly((webhook, result) -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("listener down");
                })
                .build();

        assertThat(receiver.receive(Payloads.stripe(Payloads.text("invoice.paid"))))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(calls.get()).isZero();
        assertThat(receiver.receive(Payloads.stripe("{\"id\":\"evt_2\",\"type\":\"invoice.paid\"}")))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void refusesUnknownTypesByDefaultAndAcceptsThemWhenTheRegistrySaysSo() {
        String customer = "{\"id\":\"evt_3\",\"type\":\"customer.created\"}";
        WebhookReceiver strict = stripeReceiver().schemas(STRIPE_SCHEMAS).build();
        WebhookReceiver lenient = WebhookReceiver.builder()
                .verifier(SchemeCase.STRIPE.sampleVerifier())
                .schemas(SchemaRegistry.builder()
                        .schema("invoice.paid", PayloadSchema.classpath("schemas/stripe/invoice.paid.json"))
                        .unknownTypes(SchemaRegistry.UnknownTypes.ACCEPT)
                        .build())
                .build();

        assertThat(strict.receive(Payloads.stripe(customer)).answer().bodyText())
                .contains("\"violations\":[{\"pointer\":\"\",\"keyword\":\"unknownType\"}]");
        assertThat(lenient.receive(Payloads.stripe(customer))).isInstanceOf(Outcome.Accepted.class);
    }

    @Test
    void versionFromTheUrlPathPicksTheSchema() {
        // given: v2 of the endpoint requires a field v1 does not have
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(SchemeCase.STANDARD_WEBHOOKS.sampleVerifier())
                .eventType(EventAttribute.jsonPointer("/type"))
                .version(EventAttribute.pathSegment(1))
                .schemas(SchemaRegistry.builder()
                        .schema("user.created", "v1", PayloadSchema.of("{\"required\":[\"type\"]}"))
                        .schema("user.created", "v2", PayloadSchema.of("{\"required\":[\"type\",\"tenant\"]}"))
                        .build())
                .build();
        String body = "{\"type\":\"user.created\"}";

        // when
        Outcome v1 = receiver.receive(Payloads.standard("msg_v1", "https://api.example.com/webhooks/v1/users", body));
        Outcome v2 = receiver.receive(Payloads.standard("msg_v2", "https://api.example.com/webhooks/v2/users", body));

        // then
        assertThat(v1).isInstanceOfSatisfying(Outcome.Accepted.class, a -> {
            assertThat(a.delivery().webhook().version()).contains("v1");
            assertThat(a.delivery().webhook().eventType()).contains("user.created");
        });
        assertThat(v2.answer().bodyText()).contains("{\"pointer\":\"/tenant\",\"keyword\":\"required\"}");
    }

    @Test
    void versionFromAHeaderFallsBackToAJsonPointer() {
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(SchemeCase.STRIPE.sampleVerifier())
                .version(EventAttribute.header("X-Webhook-Version").orElse(EventAttribute.jsonPointer("/api_version")))
                .build();
        WebhookRequest request = Payloads.stripe(Payloads.text("invoice.paid"));

        Outcome fromBody = receiver.receive(request);
        Outcome fromHeader = receiver.receive(TestRequests.withHeader(
                Payloads.stripe("{\"id\":\"evt_9\",\"type\":\"x\"}"), "X-Webhook-Version", "2025-01"));

        assertThat(((Outcome.Accepted) fromBody).delivery().webhook().version()).contains("2024-06-20");
        assertThat(((Outcome.Accepted) fromHeader).delivery().webhook().version())
                .contains("2025-01");
    }

    @Test
    void githubPushIsValidatedAgainstTheSchemaForItsHeaderType() {
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(SchemeCase.GITHUB.sampleVerifier())
                .schemas(SchemaRegistry.builder()
                        .schema("push", PayloadSchema.classpath("schemas/github/push.json"))
                        .unknownTypes(SchemaRegistry.UnknownTypes.ACCEPT)
                        .build())
                .build();

        assertThat(receiver.receive(Payloads.github("push", "d-2", Payloads.text("push"))))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(receiver.receive(Payloads.github("push", "d-3", "{\"ref\":\"main\"}"))
                        .answer()
                        .status())
                .isEqualTo(422);
        assertThat(receiver.receive(Payloads.github("issues", "d-4", "{\"action\":\"opened\"}")))
                .isInstanceOf(Outcome.Accepted.class);
    }

    @Test
    void aBatchIsValidatedAndDispatchedEventByEventInArrayOrder() {
        // given
        Router router = Router.builder()
                .on("user.*", e -> handled.add(e.pointer() + " " + e.type().orElseThrow()))
                .on("*", e -> handled.add(e.pointer() + " *"))
                .build();
        WebhookReceiver receiver = batchReceiver();
        String body = "[{\"type\":\"user.created\",\"id\":\"u1\"},{\"type\":\"order.paid\",\"id\":\"o1\"},"
                + "{\"type\":\"user.deleted\",\"id\":\"u2\"}]";

        // when
        HttpAnswer answer = receiver.handle(Payloads.standard("msg_batch", null, body), router);

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(handled).containsExactly("/0 user.created", "/0 *", "/1 *", "/2 user.deleted", "/2 *");
    }

    @Test
    void aBatchTakesEachEventsTypeFromTheSchemesPointerByDefault() throws Exception {
        // given: Standard Webhooks carries the type at /type; no eventType configured
        Router router = Router.builder()
                .on(
                        "*",
                        e -> handled.add(
                                e.index().orElseThrow() + " " + e.type().orElse("-")))
                .build();
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(SchemeCase.STANDARD_WEBHOOKS.sampleVerifier())
                .format(PayloadFormat.JSON_BATCH)
                .build();

        // when
        HttpAnswer answer = receiver.handle(
                Payloads.standard("msg_b2", null, "[{\"type\":\"a.b\"},{\"kind\":\"c\"},{\"type\":\"d\"}]"), router);

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(handled).containsExactly("0 a.b", "1 -", "2 d");
        assertThat(receiver.toString()).contains("format=JSON_BATCH");
    }

    @Test
    void aBatchReportsViolationsUnderEachEventsIndex() {
        WebhookReceiver receiver = batchReceiver();
        String body = "[{\"type\":\"user.created\",\"id\":\"u1\"},{\"type\":\"user.created\"},{\"id\":\"x\"}]";

        Outcome outcome = receiver.receive(Payloads.standard("msg_bad_batch", null, body));

        assertThat(outcome.answer().bodyText())
                .contains("\"violations\":[{\"pointer\":\"/1/id\",\"keyword\":\"required\"},"
                        + "{\"pointer\":\"/2\",\"keyword\":\"unknownType\"}]");
        assertThat(store.claims.get()).isZero();
    }

    @Test
    void aBatchEndpointRefusesABodyThatIsNotAnArray() {
        Outcome outcome = batchReceiver().receive(Payloads.standard("msg_obj", null, "{\"type\":\"user.created\"}"));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(Reason.MALFORMED_PAYLOAD));
        assertThat(store.claims.get()).isZero();
    }

    @Test
    void aFailingRouteReleasesTheClaimSoTheRetryIsProcessed() {
        // given
        AtomicInteger attempts = new AtomicInteger();
        Router router = Router.builder()
                .on("invoice.paid", e -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("database down");
                    }
                    handled.add(e.as(Invoice.class).data().object().id());
                })
                .build();
        WebhookReceiver receiver = stripeReceiver().schemas(STRIPE_SCHEMAS).build();
        WebhookRequest request = Payloads.stripe(Payloads.text("invoice.paid"));

        // when
        HttpAnswer first = receiver.handle(request, router);
        HttpAnswer retry = receiver.handle(request, router);
        HttpAnswer again = receiver.handle(request, router);

        // then
        assertThat(first.status()).isEqualTo(500);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(again.bodyText()).contains("DUPLICATE");
        assertThat(handled).containsExactly("in_1PqR8rLkdIwHu7ixAbCdEfGh");
    }

    @Test
    void anUnmatchedEventOnARejectingRouterIsRetried() {
        Router router = Router.builder()
                .on("push", e -> handled.add("push"))
                .unmatched(Router.Unmatched.REJECT)
                .build();
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(SchemeCase.GITHUB.sampleVerifier())
                .dedupeStore(store)
                .build();

        HttpAnswer answer = receiver.handle(Payloads.github("issues", "d-5", "{}"), router);

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.headers()).containsKey("Retry-After");
        assertThat(store.releases.get()).isEqualTo(1);
    }

    @Test
    void bindsTheEventToARecordAndIgnoresMembersItDoesNotName() {
        WebhookReceiver receiver = stripeReceiver().schemas(STRIPE_SCHEMAS).build();

        Outcome outcome = receiver.receive(Payloads.stripe(Payloads.text("invoice.paid")));

        Invoice invoice = ((Outcome.Accepted) outcome).delivery().webhook().as(Invoice.class);
        assertThat(invoice.type()).isEqualTo("invoice.paid");
        assertThat(invoice.data().object().amountPaid()).isEqualTo(2000);
        assertThat(invoice.data().object().currency()).isEqualTo("eur");
    }

    @Test
    void aBindingFailureInTheHandlerIsMalformedPayloadNamingThePointerNotTheValue() {
        // given: valid JSON, but amount_paid is not a number and no schema says so
        WebhookReceiver receiver = stripeReceiver().build();
        String body = "{\"id\":\"evt_4\",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"id\":\"in_1\","
                + "\"amount_paid\":\"SECRET-AMOUNT\"}}}";
        List<String> messages = new ArrayList<>();

        // when
        HttpAnswer answer = receiver.handle(Payloads.stripe(body), webhook -> {
            try {
                webhook.as(Invoice.class);
            } catch (InvalidPayloadException e) {
                messages.add(e.getMessage());
                throw e;
            }
        });

        // then
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.bodyText()).contains("MALFORMED_PAYLOAD").doesNotContain("SECRET");
        assertThat(messages)
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains(Invoice.class.getName(), "/data/object/amount_paid")
                .doesNotContain("SECRET");
        assertThat(store.releases.get()).isEqualTo(1);
    }

    @Test
    void aFormEndpointRoutesSlackCommandsByTheirCommandParameter() {
        // given
        WebhookReceiver receiver = stripeReceiver()
                .format(PayloadFormat.FORM)
                .eventType(EventAttribute.formParameter("command"))
                .build();
        Router router = Router.builder()
                .on("/weather", e -> handled.add(e.webhook().form().get("text").get(0)))
                .build();

        // when
        HttpAnswer ok = receiver.handle(Payloads.stripe("command=%2Fweather&text=94070"), router);
        Outcome broken = receiver.receive(Payloads.stripe("command=%2Fweather&text=%G1"));

        // then
        assertThat(ok.status()).isEqualTo(200);
        assertThat(handled).containsExactly("94070");
        assertThat(broken).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(Reason.MALFORMED_PAYLOAD));
    }

    @Test
    void withoutPayloadOptionsTheBodyIsNotParsedBeforeTheHandlerAsks() {
        // given: GitHub takes id and type from headers; the body is not JSON and nothing asks for it
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(SchemeCase.GITHUB.sampleVerifier())
                .build();

        // when
        Outcome outcome = receiver.receive(Payloads.github("push", "d-6", "not json at all"));

        // then
        assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        VerifiedWebhook webhook = ((Outcome.Accepted) outcome).delivery().webhook();
        assertThat(webhook.eventType()).contains("push");
        assertThat(webhook.events()).singleElement().satisfies(e -> assertThat(e.type())
                .contains("push"));
        assertThatThrownBy(webhook::json)
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.MALFORMED_PAYLOAD));
    }

    @Test
    void theDedupeKeyTheSchemaCheckAndTheHandlerShareOneParsedTree() {
        // given: a receiver whose dedupe key, type, version and schema all read the body
        List<JsonNode> seen = new ArrayList<>();
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(SchemeCase.STRIPE.sampleVerifier())
                .dedupeKey(DedupeKey.jsonPointer("/data/object/id"))
                .version(EventAttribute.jsonPointer("/api_version"))
                .schemas((event, type, version) -> {
                    seen.add(event);
                    return ValidationResult.valid();
                })
                .build();
        Router router = Router.builder()
                .on("invoice.paid", e -> {
                    seen.add(e.json());
                    seen.add(e.webhook().json());
                })
                .build();

        // when
        HttpAnswer answer = receiver.handle(Payloads.stripe(Payloads.text("invoice.paid")), router);

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(seen).hasSize(3);
        assertThat(seen.get(1)).isSameAs(seen.get(0));
        assertThat(seen.get(2)).isSameAs(seen.get(0));
    }

    @Test
    void builderRefusesRepeatedAndConflictingPayloadOptions() {
        assertThatThrownBy(() -> WebhookReceiver.builder()
                        .verifier(SchemeCase.STRIPE.sampleVerifier())
                        .reportOnly((w, r) -> {})
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("reportOnly needs schemas to report on");
        assertThatThrownBy(() -> WebhookReceiver.builder()
                        .verifier(SchemeCase.STRIPE.sampleVerifier())
                        .schemas(STRIPE_SCHEMAS)
                        .format(PayloadFormat.FORM)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("schemas validate JSON, but format was FORM");
        assertThatThrownBy(
                        () -> WebhookReceiver.builder().schemas(STRIPE_SCHEMAS).schemas(STRIPE_SCHEMAS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("schemas was already set");
        assertThatThrownBy(() -> WebhookReceiver.builder().eventType(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("eventType cannot be null");
        assertThatThrownBy(() -> EventAttribute.pathSegment(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path segment index must not be negative but was -1");
        assertThatThrownBy(() -> EventAttribute.jsonPointer("type"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("JSON pointer must start with '/' but was type");
    }

    private WebhookReceiver.Builder stripeReceiver() {
        return WebhookReceiver.builder()
                .verifier(SchemeCase.STRIPE.sampleVerifier())
                .dedupeStore(store);
    }

    private WebhookReceiver batchReceiver() {
        return WebhookReceiver.builder()
                .verifier(SchemeCase.STANDARD_WEBHOOKS.sampleVerifier())
                .dedupeStore(store)
                .format(PayloadFormat.JSON_BATCH)
                .eventType(EventAttribute.jsonPointer("/type"))
                .schemas(SchemaRegistry.builder()
                        .schema("user.created", PayloadSchema.of("{\"required\":[\"id\"]}"))
                        .schema("user.deleted", PayloadSchema.of("{\"required\":[\"id\"]}"))
                        .schema("order.paid", PayloadSchema.of("{\"required\":[\"id\"]}"))
                        .build())
                .build();
    }

    /** A Stripe invoice event, as an application would model the part it uses. */
    record Invoice(String id, String type, Data data) {
        record Data(Obj object) {}

        record Obj(
                String id,
                @com.fasterxml.jackson.annotation.JsonProperty("amount_paid") long amountPaid,
                String currency) {}
    }

    /** The in-memory store, counting claims and releases. */
    private static final class CountingStore implements DedupeStore {
        final DedupeStore delegate = InMemoryDedupeStore.create();
        final AtomicInteger claims = new AtomicInteger();
        final AtomicInteger releases = new AtomicInteger();

        @Override
        public ClaimResult claim(String key, Duration lease) {
            claims.incrementAndGet();
            return delegate.claim(key, lease);
        }

        @Override
        public boolean complete(String key, Claim claim, Duration retention) {
            return delegate.complete(key, claim, retention);
        }

        @Override
        public boolean release(String key, Claim claim) {
            releases.incrementAndGet();
            return delegate.release(key, claim);
        }
    }
}
