package io.hookwarden;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * Reads a delivery id or event type out of a verified JSON body, for schemes whose headers carry none. Parsing is
 * bounded (nesting depth, string, number and name lengths) and happens only when asked, after verification; a body
 * that is not JSON, or has no such field, simply has no value.
 */
final class BodyFields {
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxNumberLength(64)
                    .maxStringLength(1 << 20)
                    .maxNameLength(1024)
                    .build())
            .build());

    private BodyFields() {}

    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
}
