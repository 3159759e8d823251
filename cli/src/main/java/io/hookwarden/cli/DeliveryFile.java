package io.hookwarden.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hookwarden.WebhookRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Recorded deliveries, one JSON object a line: {@code {"id": "...", "headers": {"Name": "value" | ["v1", "v2"]},
 * "body": "text" | "body_base64": "...", "url": "...", "now": EPOCH_SECONDS}}; {@code url} and {@code now} optional,
 * other fields ignored, blank lines skipped.
 *
 * <p>A line whose id can be read but whose other fields are wrong is a {@link Delivery} with a problem (its verdict is
 * {@code MALFORMED_PAYLOAD}); a line that is not a JSON object or has no usable id cannot be reported by id, so it
 * makes the whole file {@link Unreadable}.
 */
final class DeliveryFile {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private DeliveryFile() {}

    /**
     * One recorded delivery.
     *
     * @param line the 1-based line number
     * @param id the recording's id
     * @param request the delivery, or null when the line is malformed
     * @param now the line's clock, or null for the default one
     * @param problem why the line is malformed, or null
     */
    record Delivery(int line, String id, WebhookRequest request, Instant now, String problem) {
        static Delivery malformed(int line, String id, String problem) {
            return new Delivery(line, id, null, null, problem);
        }
    }

    /** A line that cannot be attributed to a delivery id. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(int line, String problem) {
            super("line " + line + ": " + problem);
        }
    }

    /** Reads every line, so that an unreadable one is reported before any verdict is printed. */
    static List<Delivery> read(BufferedReader reader) throws IOException, Unreadable {
        List<Delivery> deliveries = new ArrayList<>();
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (!line.isBlank()) {
                deliveries.add(parse(number, line));
            }
        }
        return deliveries;
    }

    private static Delivery parse(int number, String line) throws Unreadable {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new Unreadable(number, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new Unreadable(number, "not a JSON object");
        }
        JsonNode idNode = node.get("id");
        if (idNode == null || !idNode.isTextual()) {
            throw new Unreadable(number, "no \"id\" string");
        }
        String id = idNode.textValue();
        if (id.isEmpty() || !printableWithoutBlanks(id)) {
            throw new Unreadable(number, "the \"id\" is empty or has blanks or control characters");
        }
        try {
            return delivery(number, id, node);
        } catch (Malformed e) {
            return Delivery.malformed(number, id, e.getMessage());
        }
    }

    private static Delivery delivery(int number, String id, JsonNode node) throws Malformed {
        WebhookRequest.Builder request = WebhookRequest.builder().method("POST");
        JsonNode headers = node.get("headers");
        if (headers == null || !headers.isObject()) {
            throw new Malformed("no \"headers\" object");
        }
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            String name = header.getKey();
            if (name.isEmpty()) {
                throw new Malformed("a header has an empty name");
            }
            JsonNode value = header.getValue();
            if (value.isTextual()) {
                request.header(name, value.textValue());
            } else if (value.isArray()) {
                for (JsonNode item : value) {
                    if (!item.isTextual()) {
                        throw new Malformed("header " + name + " has a value that is not a string");
                    }
                    request.header(name, item.textValue());
                }
            } else {
                throw new Malformed("header " + name + " is neither a string nor an array of strings");
            }
        }
        request.body(body(node));
        JsonNode url = node.get("url");
        if (url != null && !url.isNull()) {
            if (!url.isTextual()) {
                throw new Malformed("\"url\" is not a string");
            }
            request.url(url.textValue());
        }
        Instant now = null;
        JsonNode nowNode = node.get("now");
        if (nowNode != null && !nowNode.isNull()) {
            if (!nowNode.isIntegralNumber()
                    || !nowNode.canConvertToLong()
                    || !Args.validEpochSeconds(nowNode.longValue())) {
                throw new Malformed("\"now\" is not epoch seconds from 0 to " + Args.MAX_EPOCH_SECONDS);
            }
            now = Instant.ofEpochSecond(nowNode.longValue());
        }
        return new Delivery(number, id, request.build(), now, null);
    }

    private static byte[] body(JsonNode node) throws Malformed {
        JsonNode text = node.get("body");
        JsonNode base64 = node.get("body_base64");
        if ((text == null) == (base64 == null)) {
            throw new Malformed("needs exactly one of \"body\" and \"body_base64\"");
        }
        if (text != null) {
            if (!text.isTextual()) {
                throw new Malformed("\"body\" is not a string");
            }
            return text.textValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (!base64.isTextual()) {
            throw new Malformed("\"body_base64\" is not a string");
        }
        try {
            return Base64.getDecoder().decode(base64.textValue());
        } catch (IllegalArgumentException e) {
            throw new Malformed("\"body_base64\" is not base64");
        }
    }

    private static boolean printableWithoutBlanks(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return false;
            }
        }
        return true;
    }

    /** A problem with a line whose id is known. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
