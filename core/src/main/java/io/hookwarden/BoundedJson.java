package io.hookwarden;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;

/**
 * The one place Hookwarden reads a verified body as JSON: with hard limits, pointer lookups, and binding to the
 * application's types. Every caller goes through here, so there is one parser configuration. (Form bodies are read by
 * {@link FormBody}.)
 *
 * <p>The JSON limits: nesting depth {@value #MAX_DEPTH}, numbers of at most {@value #MAX_NUMBER_LENGTH} digits,
 * strings of at most {@value #MAX_STRING_LENGTH} characters, member names of at most {@value #MAX_NAME_LENGTH}, a
 * document of at most {@value #MAX_DOCUMENT_LENGTH} bytes; a member name given twice in one object and anything after
 * the document are refused. A hostile document therefore costs memory and time bounded by these limits and the body
 * cap, and fails with a message that names the limit and the location, never the content.
 */
final class BoundedJson {
    static final int MAX_DEPTH = 64;
    static final int MAX_NUMBER_LENGTH = 64;
    static final int MAX_STRING_LENGTH = 1 << 20;
    static final int MAX_NAME_LENGTH = 1024;
    static final long MAX_DOCUMENT_LENGTH = 64L << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .maxNameLength(MAX_NAME_LENGTH)
                            .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Providers add fields to their events without notice; a typed event ignores the ones it does not name.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private BoundedJson() {}

    /** The body as JSON, or null when it is empty or not JSON within the limits. */
    static JsonNode parse(byte[] body) {
        Json json = read(body);
        return json.node();
    }

    /**
     * Reads the body as one JSON document.
     *
     * @return the document, or the reason it is not one (naming the limit or the location, never the content)
     */
    static Json read(byte[] body) {
        if (body.length == 0) {
            return new Json(null, "body is empty, not JSON");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null || node.isMissingNode()
                    ? new Json(null, "body holds no JSON document")
                    : new Json(node, null);
        } catch (StreamConstraintsException e) {
            // Jackson's constraint messages state the limit and the length seen, never the content.
            return new Json(
                    null, "body exceeds a JSON parsing limit" + at(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            String what =
                    e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                            ? "body is not JSON: a member name is given twice in one object"
                            : "body is not JSON";
            return new Json(null, what + at(e.getLocation()));
        } catch (IOException | RuntimeException e) {
            return new Json(null, "body is not JSON (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The first pointer that names a string or number in {@code root}, as text; null when none does. */
    static String text(JsonNode root, List<String> pointers) {
        if (root == null) {
            return null;
        }
        for (String pointer : pointers) {
            JsonNode node = root.at(pointer);
            if (node.isTextual() || node.isNumber()) {
                return node.asText();
            }
        }
        return null;
    }

    /**
     * Binds a parsed document to an application type. The tree was read within the limits, so binding costs no more.
     *
     * @throws InvalidPayloadException MALFORMED_PAYLOAD when the document does not fit the type; the message names the
     *     type and the JSON pointer of the mismatch, never the value
     */
    static <T> T bind(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonMappingException e) {
            throw new InvalidPayloadException(
                    Reason.MALFORMED_PAYLOAD,
                    "cannot bind the event to " + type.getName() + " at " + pointer(e.getPath()) + " ("
                            + e.getClass().getSimpleName() + ")");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidPayloadException(
                    Reason.MALFORMED_PAYLOAD,
                    "cannot bind the event to " + type.getName() + " ("
                            + e.getClass().getSimpleName() + ")");
        }
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            out.append('/');
            if (ref.getFieldName() != null) {
                out.append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else if (ref.getIndex() >= 0) {
                out.append(ref.getIndex());
            }
        }
        return out.length() == 0 ? "the root" : out.toString();
    }

    /**
     * What reading a body as JSON gave.
     *
     * @param node the document, or null
     * @param problem why there is none, or null
     */
    record Json(JsonNode node, String problem) {
        /** The document. */
        JsonNode orThrow() {
            if (node == null) {
                throw new InvalidPayloadException(Reason.MALFORMED_PAYLOAD, problem);
            }
            return node;
        }
    }
}
