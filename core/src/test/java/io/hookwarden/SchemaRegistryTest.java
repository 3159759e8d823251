package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON Schemas per event type and version: every failure with its pointer and keyword, never a payload value. */
class SchemaRegistryTest {
    private static final PayloadSchema INVOICE_PAID = PayloadSchema.classpath("schemas/stripe/invoice.paid.json");
    private static final PayloadSchema PUSH = PayloadSchema.classpath("/schemas/github/push.json");

    @Test
    void aRealisticStripeInvoicePaidEventSatisfiesItsDraft2020Schema() {
        assertThat(INVOICE_PAID.validate(Payloads.tree("invoice.paid")).isValid())
                .isTrue();
    }

    @Test
    void aRealisticGithubPushEventSatisfiesItsDraft07Schema() {
        assertThat(PUSH.validate(Payloads.tree("push")).isValid()).isTrue();
    }

    @Test
    void reportsEveryFailingPointerWithItsKeywordInDocumentOrder() {
        // given: five separate faults in one invoice.paid event
        ObjectNode event = Payloads.tree("invoice.paid");
        ObjectNode invoice = (ObjectNode) event.at("/data/object");
        event.put("livemode", "no");
        invoice.remove("customer");
        invoice.put("amount_paid", -5);
        invoice.put("currency", "EURO");
        ((ObjectNode) invoice.at("/lines/data/0")).put("amount", "20.00");

        // when
        ValidationResult result = INVOICE_PAID.validate(event);

        // then
        assertThat(result.isValid()).isFalse();
        assertThat(result.violations())
                .containsExactly(
                        new Violation("/data/object/amount_paid", "minimum"),
                        new Violation("/data/object/currency", "pattern"),
                        new Violation("/data/object/customer", "required"),
                        new Violation("/data/object/lines/data/0/amount", "type"),
                        new Violation("/livemode", "type"));
        assertThat(result.pointers()).hasSize(5);
    }

    @Test
    void draft07SchemaReportsEveryFailureToo() {
        // given
        ObjectNode event = Payloads.tree("push");
        event.put("after", "not-a-sha");
        ((ObjectNode) event.at("/commits/0")).put("timestamp", "yesterday");
        ((ObjectNode) event.at("/commits/0/author")).put("email", "nobody-at-example");
        ((ObjectNode) event.get("repository")).remove("full_name");

        // when
        ValidationResult result = PUSH.validate(event);

        // then
        assertThat(result.violations())
                .containsExactly(
                        new Violation("/after", "pattern"),
                        new Violation("/commits/0/author/email", "format"),
                        new Violation("/commits/0/timestamp", "format"),
                        new Violation("/repository/full_name", "required"));
    }

    @Test
    void violationsAndTheirExceptionNeverEchoPayloadValues() {
        // given: values that would be easy to spot if echoed
        ObjectNode event = Payloads.tree("invoice.paid");
        ((ObjectNode) event.at("/data/object")).put("currency", "SECRET-CURRENCY-VALUE");
        ((ObjectNode) event.at("/data/object")).put("status", "SECRET-STATUS-VALUE");

        // when
        ValidationResult result = INVOICE_PAID.validate(event);
        InvalidPayloadException thrown = catchThrowableOfType(InvalidPayloadException.class, result::orThrow);

        // then
        assertThat(thrown.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
        assertThat(thrown.violations()).isEqualTo(result.violations()).hasSize(2);
        assertThat(thrown.getMessage() + result + result.violations())
                .contains("/data/object/currency", "/data/object/status", "enum", "pattern")
                .doesNotContain("SECRET");
    }

    @Test
    void validResultOrThrowReturnsItself() {
        ValidationResult result = INVOICE_PAID.validate(Payloads.tree("invoice.paid"));

        assertThat(result.orThrow()).isSameAs(result);
        assertThat(result.violations()).isEmpty();
    }

    @Test
    void picksTheSchemaForTheExactVersionThenTheTypeThenTheDefault() {
        // given
        PayloadSchema v2 = PayloadSchema.of("{\"required\":[\"amount_paid_decimal\"]}");
        PayloadSchema fallback = PayloadSchema.of("{\"required\":[\"id\"]}");
        SchemaRegistry registry = SchemaRegistry.builder()
                .schema("invoice.paid", INVOICE_PAID)
                .schema("invoice.paid", "2025-01", v2)
                .defaultSchema(fallback)
                .build();

        // then
        assertThat(registry.schemaFor("invoice.paid", "2025-01")).containsSame(v2);
        assertThat(registry.schemaFor("invoice.paid", "2024-06")).containsSame(INVOICE_PAID);
        assertThat(registry.schemaFor("invoice.paid", null)).containsSame(INVOICE_PAID);
        assertThat(registry.schemaFor("customer.created", "2025-01")).containsSame(fallback);
        assertThat(registry.schemaFor(null, null)).containsSame(fallback);
        assertThat(registry.validate(Payloads.tree("invoice.paid"), "invoice.paid", "2025-01")
                        .violations())
                .containsExactly(new Violation("/amount_paid_decimal", "required"));
        assertThat(registry.validate(Payloads.tree("invoice.paid"), "invoice.paid", "2024-06")
                        .isValid())
                .isTrue();
    }

    @Test
    void rejectsUnknownTypesByDefaultWithOneViolationAtTheRoot() {
        SchemaRegistry registry =
                SchemaRegistry.builder().schema("invoice.paid", INVOICE_PAID).build();

        assertThat(registry.unknownTypes()).isEqualTo(SchemaRegistry.UnknownTypes.REJECT);
        assertThat(registry.validate(Payloads.tree("push"), "push", null).violations())
                .containsExactly(new Violation("", "unknownType"));
        assertThat(registry.validate(Payloads.tree("push"), null, null).violations())
                .containsExactly(new Violation("", "unknownType"));
    }

    @Test
    void acceptsUnknownTypesUncheckedWhenToldTo() {
        SchemaRegistry registry = SchemaRegistry.builder()
                .schema("invoice.paid", INVOICE_PAID)
                .unknownTypes(SchemaRegistry.UnknownTypes.ACCEPT)
                .build();

        assertThat(registry.validate(Payloads.tree("push"), "push", null).isValid())
                .isTrue();
        assertThat(registry.validate(Payloads.tree("push"), "invoice.paid", null)
                        .isValid())
                .isFalse();
    }

    @Test
    void loadsSchemasFromFilesWithRelativeReferences(@TempDir Path dir) throws IOException {
        // given
        Files.writeString(
                dir.resolve("sha.json"),
                "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"string\","
                        + "\"pattern\":\"^[0-9a-f]{40}$\"}");
        Path schema = dir.resolve("ping.json");
        Files.writeString(
                schema,
                "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                        + "\"required\":[\"hook_id\"],\"properties\":{\"sha\":{\"$ref\":\"sha.json\"}}}");

        // when
        PayloadSchema loaded = PayloadSchema.file(schema);

        // then
        assertThat(loaded.validate(tree("{\"hook_id\":1,\"sha\":\"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c\"}"))
                        .isValid())
                .isTrue();
        assertThat(loaded.validate(tree("{\"sha\":\"xyz\"}")).violations())
                .containsExactly(new Violation("/hook_id", "required"), new Violation("/sha", "pattern"));
        assertThat(loaded.toString()).contains("ping.json");
    }

    @Test
    void refusesASchemaThatReferencesTheNetworkWhenItIsCreated() {
        assertThatThrownBy(() ->
                        PayloadSchema.of("{\"properties\":{\"a\":{\"$ref\":\"https://schemas.example.com/a.json\"}}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inline schema cannot be loaded")
                .hasMessageContaining("is not allowed to be loaded");
    }

    @Test
    void refusesMissingOrBrokenSchemasWhenTheyAreCreated(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"type\":", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> PayloadSchema.classpath("schemas/nope.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schema resource schemas/nope.json is not on the classpath");
        assertThatThrownBy(() -> PayloadSchema.file(dir.resolve("nope.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope.json does not exist");
        assertThatThrownBy(() -> PayloadSchema.file(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken.json cannot be loaded");
    }

    @Test
    void registryBuilderRefusesRepeatsConflictsAndEmptiness() {
        assertThatThrownBy(() -> SchemaRegistry.builder().schema("push", PUSH).schema("push", PUSH))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a schema for push any version was already set");
        assertThatThrownBy(() ->
                        SchemaRegistry.builder().schema("push", "v1", PUSH).schema("push", "v1", PUSH))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a schema for push version v1 was already set");
        assertThatThrownBy(() -> SchemaRegistry.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("at least one schema or a default schema is required");
        assertThatThrownBy(() -> SchemaRegistry.builder()
                        .defaultSchema(PUSH)
                        .unknownTypes(SchemaRegistry.UnknownTypes.ACCEPT)
                        .build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SchemaRegistry.builder().schema(" ", PUSH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventType cannot be blank");
        assertThatThrownBy(() -> SchemaRegistry.builder().schema("push", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("schema cannot be null");
    }

    @Test
    void resultsMoveUnderABatchIndexAndCombine() {
        ValidationResult a = ValidationResult.of(java.util.List.of(new Violation("/id", "required")));
        ValidationResult b = ValidationResult.of(java.util.List.of(new Violation("", "unknownType")));

        ValidationResult both = a.under("/1").and(b.under("/0"));

        assertThat(both.violations())
                .containsExactly(new Violation("/0", "unknownType"), new Violation("/1/id", "required"));
        assertThat(ValidationResult.valid().and(a)).isSameAs(a);
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
