package io.hookwarden.spi;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which stored deliveries an operator means: by endpoint, event type, state and time received, every condition given
 * narrowing the match. For {@link Inbox#find} (newest first, at most {@link #limit()}), {@link Inbox#replay} and {@link
 * Inbox#purge} (which act on every match: the limit is for finding only). Immutable.
 *
 * <pre>{@code
 * InboxQuery dead = InboxQuery.builder().endpoint("stripe").state(State.DEAD).build();
 * inbox.find(dead).forEach(d -> System.out.println(d.id() + " " + d.lastError()));
 * int replayed = inbox.replay(dead);
 * }</pre>
 */
public final class InboxQuery {
    /** The most deliveries one {@link Inbox#find} returns. */
    public static final int MAX_LIMIT = 10_000;

    private static final InboxQuery ALL = builder().build();

    private final String endpoint;
    private final String eventType;
    private final Set<StoredDelivery.State> states;
    private final Instant receivedFrom;
    private final Instant receivedBefore;
    private final int limit;

    private InboxQuery(Builder b) {
        this.endpoint = b.endpoint;
        this.eventType = b.eventType;
        this.states = b.states.isEmpty() ? Set.of() : Set.copyOf(b.states);
        this.receivedFrom = b.receivedFrom;
        this.receivedBefore = b.receivedBefore;
        this.limit = b.limit;
    }

    /** Every stored delivery (the first 100 for {@link Inbox#find}). */
    public static InboxQuery all() {
        return ALL;
    }

    /** A builder; with nothing set it matches every delivery. */
    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint, when the query names one. */
    public Optional<String> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** The event type, when the query names one. */
    public Optional<String> eventType() {
        return Optional.ofNullable(eventType);
    }

    /** The states matched; empty means any. */
    public Set<StoredDelivery.State> states() {
        return states;
    }

    /** Received at or after this instant, when given. */
    public Optional<Instant> receivedFrom() {
        return Optional.ofNullable(receivedFrom);
    }

    /** Received before this instant, when given. */
    public Optional<Instant> receivedBefore() {
        return Optional.ofNullable(receivedBefore);
    }

    /** The most deliveries {@link Inbox#find} returns; 100 unless set. */
    public int limit() {
        return limit;
    }

    /** Whether {@code delivery} matches every condition (the limit aside): for implementations that filter in Java. */
    public boolean matches(StoredDelivery delivery) {
        InboxEntry e = delivery.entry();
        return (endpoint == null || endpoint.equals(e.endpoint()))
                && (eventType == null || eventType.equals(e.eventType()))
                && (states.isEmpty() || states.contains(delivery.state()))
                && (receivedFrom == null || !e.receivedAt().isBefore(receivedFrom))
                && (receivedBefore == null || e.receivedAt().isBefore(receivedBefore));
    }

    @Override
    public String toString() {
        return "InboxQuery[endpoint=" + endpoint + ", eventType=" + eventType + ", states=" + states + ", from="
                + receivedFrom + ", before=" + receivedBefore + ", limit=" + limit + "]";
    }

    /** Collects the conditions. Not thread-safe. */
    public static final class Builder {
        private String endpoint;
        private String eventType;
        private final Set<StoredDelivery.State> states = EnumSet.noneOf(StoredDelivery.State.class);
        private Instant receivedFrom;
        private Instant receivedBefore;
        private int limit = 100;

        private Builder() {}

        /**
         * Only deliveries to this endpoint.
         *
         * @throws NullPointerException if null
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint cannot be null");
            return this;
        }

        /**
         * Only events of this type.
         *
         * @throws NullPointerException if null
         */
        public Builder eventType(String eventType) {
            this.eventType = Objects.requireNonNull(eventType, "eventType cannot be null");
            return this;
        }

        /**
         * Only deliveries in one of these states (the states of every call).
         *
         * @throws NullPointerException if a state is null
         */
        public Builder state(StoredDelivery.State... states) {
            for (StoredDelivery.State state : states) {
                this.states.add(Objects.requireNonNull(state, "state cannot be null"));
            }
            return this;
        }

        /**
         * Only deliveries received at or after {@code from}.
         *
         * @throws NullPointerException if null
         */
        public Builder receivedFrom(Instant from) {
            this.receivedFrom = Objects.requireNonNull(from, "from cannot be null");
            return this;
        }

        /**
         * Only deliveries received before {@code before}.
         *
         * @throws NullPointerException if null
         */
        public Builder receivedBefore(Instant before) {
            this.receivedBefore = Objects.requireNonNull(before, "before cannot be null");
            return this;
        }

        /**
         * The most deliveries {@link Inbox#find} returns.
         *
         * @throws IllegalArgumentException unless 1 to {@value InboxQuery#MAX_LIMIT}
         */
        public Builder limit(int limit) {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + " but was " + limit);
            }
            this.limit = limit;
            return this;
        }

        /** The query. */
        public InboxQuery build() {
            return new InboxQuery(this);
        }
    }
}
