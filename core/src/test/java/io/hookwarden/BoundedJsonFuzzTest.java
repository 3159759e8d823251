package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (issue 17): the bounded JSON reader and the pointer lookups the schemes and applications make on a
 * verified body. Reading never throws: it gives a document or the reason there is none, never both; a pointer lookup
 * gives text or null, and a pointer to a member the document has finds it, whatever its name; binding gives the type
 * or {@code MALFORMED_PAYLOAD}. The inputs are bodies as they arrive, so the kept ones are plain JSON files.
 */
class BoundedJsonFuzzTest {
    /** The pointers the built-in schemes and event attributes read. */
    private static final List<String> POINTERS = List.of(
            "/id", "/type", "/event/type", "/event_id", "/webhookTimestamp", "/signature/timestamp", "/data/0/id", "");

    /** An application's event type. */
    record Event(String id, String type, long created, List<String> tags, Map<String, Object> data) {}

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void readsAnyBodyOrSaysWhyNot(byte[] body) {
        // when
        BoundedJson.Json json = BoundedJson.read(body);

        // then
        assertThat(json.node() == null).as("a document or a problem").isNotEqualTo(json.problem() == null);
        if (json.node() == null) {
            assertThat(BoundedJson.parse(body)).isNull();
            TypedRefusal.check("orThrow", catchThrowable(json::orThrow), InvalidPayloadException.class);
            return;
        }
        JsonNode node = json.orThrow();
        BoundedJson.text(node, POINTERS);
        node.properties().forEach(member -> {
            String pointer = "/" + member.getKey().replace("~", "~0").replace("/", "~1"); // RFC 6901, section 3
            assertThat(node.at(pointer)).as("member at %s", pointer).isSameAs(member.getValue());
            BoundedJson.text(node, List.of(pointer));
        });
        TypedRefusal.check(
                "bind", catchThrowable(() -> BoundedJson.bind(node, Event.class)), InvalidPayloadException.class);
    }
}
