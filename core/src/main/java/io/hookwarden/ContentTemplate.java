package io.hookwarden;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The bytes a scheme signs, written as a template over {@code {id}}, {@code {timestamp}}, {@code {body}} and {@code
 * {url}} with literal text between them, for example {@code {id}.{timestamp}.{body}}. Parsed once when a scheme is
 * built; writing it feeds the pieces to a MAC or signature one after another, so the body is never copied.
 */
final class ContentTemplate {
    enum Token {
        ID,
        TIMESTAMP,
        BODY,
        URL
    }

    /** Receives the signed bytes in order. */
    interface Sink {
        void update(byte[] bytes);
    }

    /** A segment is a literal (bytes) or a token. */
    private record Segment(byte[] literal, Token token) {}

    private final String source;
    private final List<Segment> segments;

    private ContentTemplate(String source, List<Segment> segments) {
        this.source = source;
        this.segments = List.copyOf(segments);
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException on an unknown token, an unclosed brace, or no {@code {body}} and no {@code {url}}
     */
    static ContentTemplate parse(String template) {
        Objects.requireNonNull(template, "signed content template cannot be null");
        List<Segment> segments = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException(
                            "signed content template has an unclosed { at " + i + ": " + template);
                }
                String name = template.substring(i + 1, close);
                Token token =
                        switch (name) {
                            case "id" -> Token.ID;
                            case "timestamp" -> Token.TIMESTAMP;
                            case "body" -> Token.BODY;
                            case "url" -> Token.URL;
                            default -> throw new IllegalArgumentException("signed content template has unknown token {"
                                    + name + "}; known: {id}, {timestamp}, {body}, {url}");
                        };
                if (literal.length() > 0) {
                    segments.add(new Segment(Codec.utf8(literal.toString()), null));
                    literal.setLength(0);
                }
                segments.add(new Segment(null, token));
                i = close + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            segments.add(new Segment(Codec.utf8(literal.toString()), null));
        }
        ContentTemplate parsed = new ContentTemplate(template, segments);
        if (!parsed.uses(Token.BODY) && !parsed.uses(Token.URL)) {
            throw new IllegalArgumentException(
                    "signed content template must include {body} or {url}, otherwise nothing of the delivery is signed: "
                            + template);
        }
        return parsed;
    }

    boolean uses(Token token) {
        for (Segment s : segments) {
            if (s.token() == token) {
                return true;
            }
        }
        return false;
    }

    void write(Sink sink, String id, String timestamp, byte[] body, String url) {
        for (Segment s : segments) {
            if (s.token() == null) {
                sink.update(s.literal());
            } else {
                switch (s.token()) {
                    case ID -> sink.update(Codec.utf8(id));
                    case TIMESTAMP -> sink.update(Codec.ascii(timestamp));
                    case BODY -> sink.update(body);
                    case URL -> sink.update(Codec.utf8(url));
                }
            }
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
