package io.hookwarden.spring;

import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.InboxStats;
import io.hookwarden.spi.StoredDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

/**
 * The Actuator endpoint {@code hookwardenInbox}: the inbox endpoints' stats and stored deliveries (read), replay by id
 * or by filter (write), purge by filter (delete). A delivery is shown by its id, endpoint, event id and type, state,
 * attempts, times and last error: never its body or headers. Not exposed over HTTP unless the application adds it to
 * {@code management.endpoints.web.exposure.include}; secure it like any endpoint that changes data. Thread-safe.
 */
@Endpoint(id = HookwardenInboxEndpoint.ID)
public final class HookwardenInboxEndpoint {
    /** The endpoint's id: {@code /actuator/hookwardenInbox}. */
    public static final String ID = "hookwardenInbox";

    /** The most deliveries listed when no limit is given. */
    static final int DEFAULT_LIMIT = 20;

    private final WebhookEndpoints endpoints;

    HookwardenInboxEndpoint(WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * The inbox endpoints' names and inboxes, in configuration order, but for those on an inbox that only writes
     * (Kafka's: {@link WriteOnlyInbox}), which holds nothing to list, replay or purge.
     */
    private Map<String, Inbox> inboxes() {
        Map<String, Inbox> out = new LinkedHashMap<>();
        endpoints.forEach((name, receiver) ->
                receiver.inbox().filter(inbox -> !WriteOnlyInbox.is(inbox)).ifPresent(inbox -> out.put(name, inbox)));
        return out;
    }

    /** The endpoints on an inbox that only writes, with what to show for each. */
    private Map<String, Map<String, Object>> writeOnly() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        endpoints.forEach((name, receiver) -> receiver.inbox()
                .filter(WriteOnlyInbox::is)
                .ifPresent(inbox -> out.put(name, WriteOnlyInbox.details(inbox, name))));
        return out;
    }

    /**
     * Every inbox endpoint's counts per state and oldest pending delivery, and the deliveries that match the filters,
     * newest first.
     *
     * @param endpoint only this endpoint's deliveries
     * @param state only deliveries in this state (pending, in_flight, completed, dead, skipped)
     * @param limit the most deliveries listed; default 20
     */
    @ReadOperation
    public Map<String, Object> inbox(
            @Nullable String endpoint, @Nullable String state, @Nullable String eventType, @Nullable Integer limit) {
        Map<String, Object> stats = new LinkedHashMap<>();
        inboxes().forEach((name, inbox) -> stats.put(name, stats(inbox.stats(name))));
        stats.putAll(writeOnly());
        if (endpoint != null && writeOnly().containsKey(endpoint)) {
            throw refused(writeOnlyReason(endpoint));
        }
        List<Map<String, Object>> deliveries = new ArrayList<>();
        InboxQuery.Builder query = query(endpoint, state, eventType)
                .limit(limit == null ? DEFAULT_LIMIT : Math.max(1, Math.min(limit, InboxQuery.MAX_LIMIT)));
        InboxQuery q = query.build();
        for (Map.Entry<String, Inbox> e : selected(endpoint).entrySet()) {
            for (StoredDelivery d : e.getValue().find(q)) {
                if (d.entry().endpoint().equals(e.getKey())) {
                    deliveries.add(delivery(d));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("endpoints", stats);
        out.put("deliveries", deliveries.size() > q.limit() ? deliveries.subList(0, q.limit()) : deliveries);
        return out;
    }

    /** One stored delivery by its id, or null (404) when no inbox holds it. */
    @ReadOperation
    public Map<String, Object> delivery(@Selector String id) {
        for (Inbox inbox : distinct()) {
            var found = inbox.get(id);
            if (found.isPresent() && inboxes().containsKey(found.get().entry().endpoint())) {
                return delivery(found.get());
            }
        }
        return null;
    }

    /**
     * Replays one delivery by id (in any state but pending or in flight), or every dead and skipped one that matches
     * the filters (completed ones only with {@code state=completed}): pending again, due now, attempts back to 0.
     *
     * @throws InvalidEndpointRequestException (400) when neither an id nor a filter is given
     */
    @WriteOperation
    public Map<String, Object> replay(
            @Nullable String id, @Nullable String endpoint, @Nullable String state, @Nullable String eventType) {
        if (id != null) {
            for (Inbox inbox : distinct()) {
                var found = inbox.get(id);
                if (found.isPresent()
                        && inboxes().containsKey(found.get().entry().endpoint())) {
                    return Map.of("replayed", inbox.replay(id) ? 1 : 0);
                }
            }
            return Map.of("replayed", 0);
        }
        requireFilter(endpoint, state, eventType, "replay");
        int replayed = 0;
        for (Map.Entry<String, Inbox> e : selected(endpoint).entrySet()) {
            replayed += e.getValue().replay(query(e.getKey(), state, eventType).build());
        }
        return Map.of("replayed", replayed);
    }

    /**
     * Deletes the deliveries that match the filters, whatever their state; the provider's next retry of one is new.
     *
     * @throws InvalidEndpointRequestException (400) when no filter is given
     */
    @DeleteOperation
    public Map<String, Object> purge(@Nullable String endpoint, @Nullable String state, @Nullable String eventType) {
        requireFilter(endpoint, state, eventType, "purge");
        int purged = 0;
        for (Map.Entry<String, Inbox> e : selected(endpoint).entrySet()) {
            purged += e.getValue().purge(query(e.getKey(), state, eventType).build());
        }
        return Map.of("purged", purged);
    }

    /** A bad request: Actuator answers it 400 with the reason. */
    private static InvalidEndpointRequestException refused(String reason) {
        return new InvalidEndpointRequestException(reason, reason);
    }

    private static void requireFilter(String endpoint, String state, String eventType, String verb) {
        if (endpoint == null && state == null && eventType == null) {
            throw refused(
                    verb + " needs an id or a filter (endpoint, state, eventType): it never applies to everything");
        }
    }

    /** The named endpoint's inbox, or every inbox endpoint's. */
    private Map<String, Inbox> selected(String endpoint) {
        Map<String, Inbox> all = inboxes();
        if (endpoint == null) {
            return all;
        }
        Inbox inbox = all.get(endpoint);
        if (inbox == null && writeOnly().containsKey(endpoint)) {
            throw refused(writeOnlyReason(endpoint));
        }
        if (inbox == null) {
            throw refused("no inbox endpoint named " + endpoint + "; known: " + all.keySet());
        }
        return Map.of(endpoint, inbox);
    }

    private String writeOnlyReason(String endpoint) {
        return "endpoint " + endpoint + "'s inbox only writes to Kafka topic "
                + writeOnly().get(endpoint).getOrDefault("topic", "(its topic)")
                + ": this endpoint cannot list, replay or purge its deliveries; read and replay its dead letters with"
                + " KafkaDeadLetters or the CLI's kafka-inbox";
    }

    private List<Inbox> distinct() {
        List<Inbox> out = new ArrayList<>();
        for (Inbox inbox : inboxes().values()) {
            if (out.stream().noneMatch(i -> i == inbox)) {
                out.add(inbox);
            }
        }
        return out;
    }

    private static InboxQuery.Builder query(String endpoint, String state, String eventType) {
        InboxQuery.Builder query = InboxQuery.builder();
        if (endpoint != null) {
            query.endpoint(endpoint);
        }
        if (state != null) {
            try {
                query.state(StoredDelivery.State.valueOf(state.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw refused("state must be one of " + List.of(StoredDelivery.State.values()) + " but was " + state);
            }
        }
        if (eventType != null) {
            query.eventType(eventType);
        }
        return query;
    }

    static Map<String, Object> stats(InboxStats stats) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (StoredDelivery.State s : StoredDelivery.State.values()) {
            counts.put(s.name().toLowerCase(Locale.ROOT), stats.count(s));
        }
        out.put("counts", counts);
        stats.oldestPendingSince().ifPresent(t -> out.put("oldestPending", t.toString()));
        return out;
    }

    private static Map<String, Object> delivery(StoredDelivery d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("endpoint", d.entry().endpoint());
        put(out, "eventId", d.entry().eventId());
        put(out, "eventType", d.entry().eventType());
        out.put("state", d.state().name().toLowerCase(Locale.ROOT));
        out.put("attempts", d.attempts());
        put(out, "receivedAt", d.entry().receivedAt());
        put(out, "nextAttemptAt", d.nextAttemptAt());
        out.put("updatedAt", d.updatedAt().toString());
        put(out, "lastError", d.lastError());
        put(out, "orderingKey", d.entry().orderingKey());
        return out;
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value instanceof Instant t ? t.toString() : value);
        }
    }
}
