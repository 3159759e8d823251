package io.hookwarden.inbox.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.hookwarden.Headers;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The kept headers as the text column holds them: a JSON array of {@code [name, value]} pairs, one per value in the
 * order received, so repeated headers, the names' case and any character survive, and an operator can read them.
 */
final class HeadersCodec {
    private static final JsonFactory JSON = new JsonFactory();

    private HeadersCodec() {}

    static String encode(Headers headers) {
        List<String[]> pairs = new ArrayList<>();
        headers.forEach((name, value) -> pairs.add(new String[] {name, value}));
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (String[] pair : pairs) {
                g.writeStartArray();
                g.writeString(pair[0]);
                g.writeString(pair[1]);
                g.writeEndArray();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** @throws IllegalStateException when the text is not such an array */
    static Headers decode(String text) {
        Headers.Builder headers = Headers.builder();
        try (JsonParser p = JSON.createParser(text)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                expect(t, JsonToken.START_ARRAY);
                expect(p.nextToken(), JsonToken.VALUE_STRING);
                String name = p.getText();
                expect(p.nextToken(), JsonToken.VALUE_STRING);
                String value = p.getText();
                expect(p.nextToken(), JsonToken.END_ARRAY);
                headers.add(name, value);
            }
        } catch (IOException e) {
            throw new IllegalStateException("stored headers are not a JSON array of [name, value] pairs", e);
        }
        return headers.build();
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("stored headers are not a JSON array of [name, value] pairs: " + expected
                    + " expected, " + actual + " found");
        }
    }
}
