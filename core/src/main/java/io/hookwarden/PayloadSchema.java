package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One compiled JSON Schema for webhook events, loaded from the classpath, a file or text, and checked with
 * com.networknt json-schema-validator. The dialect comes from the schema's {@code $schema}: draft 2020-12 (the default
 * when absent), 2019-09, draft-07, draft-06 or draft-04. {@code format} is asserted ({@code date-time}, {@code email},
 * ...), not just annotated.
 *
 * <p>Schemas are compiled when created, so a missing file, a document that is not a schema, or an unresolvable
 * {@code $ref} fails at start-up, not on the first delivery. A {@code $ref} may point into the classpath ({@code
 * classpath:}) or a local file, never to the network: a schema that names an {@code http(s)} reference is refused.
 *
 * <p>Immutable and thread-safe.
 */
public final class PayloadSchema {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(
                    loaders -> loaders.values(list -> list.add(0, new AllowSchemaLoader(PayloadSchema::isLocal)))));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(true)
            .failFast(false)
            .build();

    private final JsonSchema schema;
    private final String source;

    private PayloadSchema(JsonSchema schema, String source) {
        this.schema = schema;
        this.source = source;
    }

    /**
     * A schema from the classpath, such as {@code schemas/invoice.paid.json}.
     *
     * @param resource the resource name; a leading {@code /} is ignored
     * @throws NullPointerException if resource is null
     * @throws IllegalArgumentException if the resource is missing or not a valid schema; the message names it
     */
    public static PayloadSchema classpath(String resource) {
        Objects.requireNonNull(resource, "resource cannot be null");
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        if (name.isBlank()) {
            throw new IllegalArgumentException("resource cannot be blank");
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if ((loader == null || loader.getResource(name) == null)
                && PayloadSchema.class.getClassLoader().getResource(name) == null) {
            throw new IllegalArgumentException("schema resource " + name + " is not on the classpath");
        }
        return load(SchemaLocation.of("classpath:" + name), "classpath:" + name);
    }

    /**
     * A schema from a file.
     *
     * @throws NullPointerException if file is null
     * @throws IllegalArgumentException if the file is missing or not a valid schema; the message names it
     */
    public static PayloadSchema file(Path file) {
        Objects.requireNonNull(file, "file cannot be null");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("schema file " + file + " does not exist");
        }
        String uri = file.toAbsolutePath().normalize().toUri().toString();
        return load(SchemaLocation.of(uri), uri);
    }

    /**
     * A schema from its JSON text.
     *
     * @throws NullPointerException if json is null
     * @throws IllegalArgumentException if the text is not a valid schema
     */
    public static PayloadSchema of(String json) {
        Objects.requireNonNull(json, "json cannot be null");
        try {
            JsonSchema schema = FACTORY.getSchema(json, CONFIG);
            schema.initializeValidators();
            return new PayloadSchema(schema, "(inline schema)");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("inline schema cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static PayloadSchema load(SchemaLocation location, String source) {
        try {
            JsonSchema schema = FACTORY.getSchema(location, CONFIG);
            schema.initializeValidators();
            return new PayloadSchema(schema, source);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("schema " + source + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** A reference may be resolved from the classpath or a local file, never fetched from the network. */
    private static boolean isLocal(AbsoluteIri iri) {
        String s = iri.toString();
        return s.startsWith("classpath:") || s.startsWith("resource:") || s.startsWith("file:");
    }

    /**
     * Validates an event, gathering every violation.
     *
     * @return the violations (pointers and keywords only); {@link ValidationResult#valid()} when none
     * @throws NullPointerException if event is null
     */
    public ValidationResult validate(JsonNode event) {
        Objects.requireNonNull(event, "event cannot be null");
        Set<ValidationMessage> messages = schema.validate(event);
        if (messages.isEmpty()) {
            return ValidationResult.valid();
        }
        List<Violation> violations = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            violations.add(violation(m));
        }
        return ValidationResult.of(violations);
    }

    /**
     * A violation from networknt's message, without its text: messages may quote the value. The pointer is the
     * instance location; for {@code required}, the missing member's name comes from the schema and is appended.
     */
    private static Violation violation(ValidationMessage m) {
        String pointer =
                m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString();
        if (pointer.equals("/") || pointer.equals("$")) {
            pointer = "";
        }
        String keyword = m.getType() == null ? "schema" : m.getType();
        if ("required".equals(keyword) && m.getProperty() != null) {
            pointer = pointer + "/" + m.getProperty().replace("~", "~0").replace("/", "~1");
        }
        return new Violation(pointer, keyword);
    }

    /** Where the schema came from. */
    @Override
    public String toString() {
        return "PayloadSchema[" + source + "]";
    }
}
