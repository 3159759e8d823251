package io.hookwarden;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP headers: names compared case-insensitively (ASCII), each name with one or more values in the order received.
 *
 * <p>Immutable and thread-safe. {@link #toString()} lists names only, never values, because values carry signatures
 * and tokens.
 */
public final class Headers {
    /**
     * The lower-case keys of names nearly every request carries in mixed case, looked up rather than converted: a
     * container hands over the same constant strings for them on every request, whose hash codes are computed once.
     */
    private static final Map<String, String> KNOWN = known(
            "Host",
            "User-Agent",
            "Accept",
            "Accept-Encoding",
            "Connection",
            "Content-Type",
            "Content-Length",
            "Transfer-Encoding",
            "X-Forwarded-For",
            "X-Forwarded-Proto",
            "X-Forwarded-Host",
            "X-Request-Id",
            "Stripe-Signature",
            "X-Hub-Signature-256",
            "X-GitHub-Event",
            "X-GitHub-Delivery",
            "X-GitHub-Hook-ID");

    private static final Headers EMPTY = new Headers(Map.of(), Map.of());

    /**
     * Lower-cased name -> values, each list immutable. Handed over by the {@link Builder} without a copy and never
     * changed afterwards (the builder copies before its next change), nor exposed.
     */
    private final Map<String, List<String>> values;
    /**
     * Lower-cased name -> the name as first given, for rendering, when that was not in lower case already (as every
     * name is in HTTP/2); owned like {@link #values}.
     */
    private final Map<String, String> names;

    private Headers(Map<String, List<String>> values, Map<String, String> names) {
        this.values = values;
        this.names = names;
    }

    /** No headers. */
    public static Headers empty() {
        return EMPTY;
    }

    /**
     * Headers from a map of name to values.
     *
     * @param headers name to values; names that differ only in case are merged
     * @return the headers
     * @throws NullPointerException if the map, a name, a value list or a value is null
     */
    public static Headers of(Map<String, ? extends Collection<String>> headers) {
        Objects.requireNonNull(headers, "headers cannot be null");
        Builder builder = builder();
        headers.forEach((name, list) -> {
            if (list == null) {
                throw new NullPointerException("values of header " + name + " cannot be null");
            }
            list.forEach(value -> builder.add(name, value));
        });
        return builder.build();
    }

    /** A builder that keeps insertion order. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, any case
     * @return the first value, or empty when absent
     */
    public Optional<String> first(String name) {
        List<String> list = values.get(key(name));
        return list == null ? Optional.empty() : Optional.of(list.get(0));
    }

    /**
     * Every value of a header, in the order received.
     *
     * @param name the header name, any case
     * @return the values; empty when absent
     */
    public List<String> all(String name) {
        List<String> list = values.get(key(name));
        return list == null ? List.of() : list;
    }

    /** {@link #all(String)} for a name already in lower case: the hot path's lookup, with no case conversion. */
    List<String> allByKey(String lowerCaseName) {
        List<String> list = values.get(lowerCaseName);
        return list == null ? List.of() : list;
    }

    /**
     * Whether the header is present.
     *
     * @param name the header name, any case
     * @return true when it has at least one value
     */
    public boolean contains(String name) {
        return values.containsKey(key(name));
    }

    /** The header names as first given, in insertion order. */
    public Set<String> names() {
        Set<String> set = new LinkedHashSet<>();
        values.keySet().forEach(k -> set.add(given(k)));
        return Collections.unmodifiableSet(set);
    }

    /** Name (as first given) to values, in insertion order. */
    public Map<String, List<String>> toMap() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        values.forEach((k, v) -> map.put(given(k), v));
        return Collections.unmodifiableMap(map);
    }

    /** A builder holding these headers, to add more; it copies them only when it changes. */
    public Builder toBuilder() {
        return this == EMPTY ? new Builder() : new Builder(this);
    }

    /** The number of distinct header names. */
    public int size() {
        return values.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Lists the names only: values may be secrets or signatures. */
    @Override
    public String toString() {
        return "Headers" + names();
    }

    /** The name as first given, for a lower-case key. */
    private String given(String key) {
        return names.getOrDefault(key, key);
    }

    static String key(String name) {
        Objects.requireNonNull(name, "header name cannot be null");
        String known = KNOWN.get(name);
        return known != null ? known : name.toLowerCase(Locale.ROOT); // the same instance when already lower case
    }

    private static Map<String, String> known(String... names) {
        Map<String, String> map = new HashMap<>();
        for (String name : names) {
            map.put(name, name.toLowerCase(Locale.ROOT));
        }
        return Map.copyOf(map);
    }

    /**
     * Collects headers. Not thread-safe; {@link #build()} yields an immutable {@link Headers}.
     *
     * <p>{@link #build()} hands what was collected to the headers without copying it; the builder copies before its
     * next change, so the built headers never change. Building once per request, as adapters do, copies nothing.
     */
    public static final class Builder {
        private Map<String, List<String>> values;
        private Map<String, String> names;
        /** The headers last built from {@link #values} and {@link #names}, until the next change; null when none. */
        private Headers built;

        private Builder() {
            this.values = new LinkedHashMap<>();
            this.names = new LinkedHashMap<>();
        }

        private Builder(Headers headers) {
            this.values = headers.values;
            this.names = headers.names;
            this.built = headers;
        }

        /**
         * Adds a value; a name given twice keeps both values.
         *
         * @param name the header name
         * @param value the value
         * @return this builder
         * @throws NullPointerException if name or value is null
         * @throws IllegalArgumentException if the name is empty
         */
        public Builder add(String name, String value) {
            if (value == null) { // not requireNonNull: its message would be built on every call
                throw new NullPointerException("value of header " + name + " cannot be null");
            }
            String key = key(name);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("header name cannot be empty");
            }
            unshare();
            List<String> list = values.get(key);
            if (list == null) {
                values.put(key, List.of(value));
                if (!key.equals(name)) {
                    names.put(key, name);
                }
            } else if (list instanceof ArrayList<String> growing) {
                growing.add(value);
            } else {
                // an immutable list: one value so far, or a list already built into headers
                ArrayList<String> growing = new ArrayList<>(list.size() + 1);
                growing.addAll(list);
                growing.add(value);
                values.put(key, growing);
            }
            return this;
        }

        /**
         * Replaces every value of a header with one value.
         *
         * @param name the header name
         * @param value the value
         * @return this builder
         */
        public Builder set(String name, String value) {
            remove(name);
            return add(name, value);
        }

        /**
         * Removes a header.
         *
         * @param name the header name, any case
         * @return this builder
         */
        public Builder remove(String name) {
            String key = key(name);
            if (values.containsKey(key)) {
                unshare();
                values.remove(key);
                names.remove(key);
            }
            return this;
        }

        /** Whether no header was collected. */
        boolean isEmpty() {
            return values.isEmpty();
        }

        /** The headers collected so far. */
        public Headers build() {
            if (values.isEmpty()) {
                return EMPTY;
            }
            if (built == null) {
                values.replaceAll((k, list) -> list instanceof ArrayList ? List.copyOf(list) : list);
                built = new Headers(values, names);
            }
            return built;
        }

        /** Before a change: the maps belong to built headers, so continue on copies. */
        private void unshare() {
            if (built != null) {
                values = new LinkedHashMap<>(values);
                names = new LinkedHashMap<>(names);
                built = null;
            }
        }
    }
}
