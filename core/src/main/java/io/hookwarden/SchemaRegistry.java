package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwarden.spi.PayloadValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The JSON Schemas of one endpoint's events, by event type and version: what a {@link WebhookReceiver} checks each
 * verified event against before claiming it.
 *
 * <pre>{@code
 * SchemaRegistry registry = SchemaRegistry.builder()
 *     .schema("invoice.paid", PayloadSchema.classpath("schemas/invoice.paid.json"))         // any version
 *     .schema("invoice.paid", "2025-01", PayloadSchema.classpath("schemas/invoice.paid.v2025.json"))
 *     .defaultSchema(PayloadSchema.classpath("schemas/event.json"))                          // every other type
 *     .build();
 * }</pre>
 *
 * <p>The schema for an event is the first of: the one registered for its type and version; the one registered for its
 * type and any version; the default schema. An event with none (or with no type) is an <em>unknown type</em>: refused
 * with a violation {@code unknownType} at the event's root ({@link UnknownTypes#REJECT}, the default: nothing passes
 * unchecked) or accepted as it is ({@link UnknownTypes#ACCEPT}).
 *
 * <p>Immutable and thread-safe once built.
 */
public final class SchemaRegistry implements PayloadValidator {
    private static final String ANY_VERSION = "";

    private final Map<String, Map<String, PayloadSchema>> schemas;
    private final PayloadSchema defaultSchema;
    private final UnknownTypes unknownTypes;

    private SchemaRegistry(Builder b) {
        Map<String, Map<String, PayloadSchema>> copy = new HashMap<>();
        b.schemas.forEach((type, versions) -> copy.put(type, Map.copyOf(versions)));
        this.schemas = Map.copyOf(copy);
        this.defaultSchema = b.defaultSchema;
        this.unknownTypes = b.unknownTypes == null ? UnknownTypes.REJECT : b.unknownTypes;
    }

    /** A builder; at least one schema or a default schema is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The schema for an event type and version, following the lookup order above.
     *
     * @param eventType the type, or null for none
     * @param version the version, or null for none
     * @return the schema; empty when the event is of an unknown type
     */
    public Optional<PayloadSchema> schemaFor(String eventType, String version) {
        if (eventType != null) {
            Map<String, PayloadSchema> versions = schemas.get(eventType);
            if (versions != null) {
                PayloadSchema schema = version == null ? null : versions.get(version);
                if (schema == null) {
                    schema = versions.get(ANY_VERSION);
                }
                if (schema != null) {
                    return Optional.of(schema);
                }
            }
        }
        return Optional.ofNullable(defaultSchema);
    }

    /**
     * Validates one event against the schema for its type and version.
     *
     * @return every violation; for an unknown type, one {@code unknownType} violation at the root when unknown types
     *     are rejected, valid when they are accepted
     * @throws NullPointerException if event is null
     */
    @Override
    public ValidationResult validate(JsonNode event, String eventType, String version) {
        Objects.requireNonNull(event, "event cannot be null");
        Optional<PayloadSchema> schema = schemaFor(eventType, version);
        if (schema.isPresent()) {
            return schema.get().validate(event);
        }
        return unknownTypes == UnknownTypes.ACCEPT
                ? ValidationResult.valid()
                : ValidationResult.of(List.of(new Violation("", "unknownType")));
    }

    /** What happens to an event for which no schema is registered. */
    public UnknownTypes unknownTypes() {
        return unknownTypes;
    }

    @Override
    public String toString() {
        return "SchemaRegistry[types=" + schemas.keySet() + ", default=" + (defaultSchema != null) + ", unknownTypes="
                + unknownTypes + "]";
    }

    /** What a registry does with an event for which it has no schema (and no default schema). */
    public enum UnknownTypes {
        /** Refuse it: {@code SCHEMA_VIOLATION} (422) with a violation {@code unknownType}. The default. */
        REJECT,
        /** Accept it unchecked: for endpoints that subscribe to more event types than they describe. */
        ACCEPT
    }

    /** Configures a {@link SchemaRegistry}. Each (type, version) and each option may be set once. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Map<String, PayloadSchema>> schemas = new HashMap<>();
        private PayloadSchema defaultSchema;
        private UnknownTypes unknownTypes;

        private Builder() {}

        /**
         * The schema for events of {@code eventType} in any version without a schema of its own.
         *
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if eventType is blank
         * @throws IllegalStateException if this type already has a schema for any version
         */
        public Builder schema(String eventType, PayloadSchema schema) {
            return put(eventType, ANY_VERSION, schema, "any version");
        }

        /**
         * The schema for events of {@code eventType} in exactly {@code version}.
         *
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if eventType or version is blank
         * @throws IllegalStateException if this type and version already have a schema
         */
        public Builder schema(String eventType, String version, PayloadSchema schema) {
            Objects.requireNonNull(version, "version cannot be null");
            if (version.isBlank()) {
                throw new IllegalArgumentException("version cannot be blank");
            }
            return put(eventType, version, schema, "version " + version);
        }

        private Builder put(String eventType, String version, PayloadSchema schema, String what) {
            Objects.requireNonNull(eventType, "eventType cannot be null");
            Objects.requireNonNull(schema, "schema cannot be null");
            if (eventType.isBlank()) {
                throw new IllegalArgumentException("eventType cannot be blank");
            }
            Map<String, PayloadSchema> versions = schemas.computeIfAbsent(eventType, t -> new HashMap<>());
            if (versions.containsKey(version)) {
                throw new IllegalStateException("a schema for " + eventType + " " + what + " was already set");
            }
            versions.put(version, schema);
            return this;
        }

        /**
         * The schema for every event whose type (and version) has none of its own.
         *
         * @throws NullPointerException if schema is null
         * @throws IllegalStateException if already set
         */
        public Builder defaultSchema(PayloadSchema schema) {
            if (defaultSchema != null) {
                throw new IllegalStateException("defaultSchema was already set");
            }
            this.defaultSchema = Objects.requireNonNull(schema, "defaultSchema cannot be null");
            return this;
        }

        /**
         * What to do with an event that has no schema; default {@link UnknownTypes#REJECT}.
         *
         * @throws NullPointerException if policy is null
         * @throws IllegalStateException if already set, or set together with a default schema (which leaves no type
         *     unknown)
         */
        public Builder unknownTypes(UnknownTypes policy) {
            if (unknownTypes != null) {
                throw new IllegalStateException("unknownTypes was already set");
            }
            this.unknownTypes = Objects.requireNonNull(policy, "unknownTypes cannot be null");
            return this;
        }

        /**
         * The registry.
         *
         * @throws IllegalStateException if no schema and no default schema was set, or a default schema and an
         *     unknown-type policy were both set
         */
        public SchemaRegistry build() {
            if (schemas.isEmpty() && defaultSchema == null) {
                throw new IllegalStateException("at least one schema or a default schema is required");
            }
            if (defaultSchema != null && unknownTypes != null) {
                throw new IllegalStateException(
                        "unknownTypes " + unknownTypes + " has no effect with a default schema: no type is unknown");
            }
            return new SchemaRegistry(this);
        }
    }
}
