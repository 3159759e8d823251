package io.hookwarden.samples.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The deliveries a sample's handlers processed, in order: what {@code GET /events} answers, so anyone can see from
 * outside that a replay was not processed twice. Thread-safe.
 */
public final class EventLog {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One processed delivery. */
    public record Event(String endpoint, String id, String type) {}

    private final List<Event> events = new ArrayList<>();

    /** Records a processed delivery. */
    public synchronized void record(String endpoint, String id, String type) {
        events.add(new Event(endpoint, id, type));
    }

    /** A copy of the events so far. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** The events as a JSON array of {@code {"endpoint", "id", "type"}}. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(events());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the event log", e);
        }
    }
}
