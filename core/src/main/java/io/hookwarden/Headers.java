package io.hookwarden;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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
    private static final Headers EMPTY = new Headers(Map.of(), Map.of());

    /** Lower-cased name -> values. */
    private final Map<String, List<String>> values;
    /** Lower-cased name -> the name as first given, for rendering. */
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
            Objects.requireNonNull(list, "values of header " + name + " cannot be null");
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
        return Collections.unmodifiableSet(new LinkedHashSet<>(names.values()));
    }

    /** Name (as first given) to values, in insertion order. */
    public Map<String, List<String>> toMap() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        values.forEach((k, v) -> map.put(names.get(k), v));
        return Collections.unmodifiableMap(map);
    }

    /** A builder holding these headers, to add more. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        values.forEach((k, list) -> list.forEach(v -> builder.add(names.get(k), v)));
        return builder;
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
        return "Headers" + names.values();
    }

    static String key(String name) {
        Objects.requireNonNull(name, "header name cannot be null");
        return name.toLowerCase(Locale.ROOT); // returns the same instance when already lower case
    }

    /** Collects headers. Not thread-safe; {@link #build()} yields an immutable {@link Headers}. */
    public static final class Builder {
        private final Map<String, List<String>> values = new LinkedHashMap<>();
        private final Map<String, String> names = new LinkedHashMap<>();

        private Builder() {}

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
            Objects.requireNonNull(value, "value of header " + name + " cannot be null");
            String key = key(name);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("header name cannot be empty");
            }
            values.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
            names.putIfAbsent(key, name);
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
            values.remove(key);
            names.remove(key);
            return this;
        }

        /** The headers collected so far. */
        public Headers build() {
            if (values.isEmpty()) {
                return EMPTY;
            }
            Map<String, List<String>> copy = new LinkedHashMap<>();
            values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return new Headers(
                    Collections.unmodifiableMap(copy), Collections.unmodifiableMap(new LinkedHashMap<>(names)));
        }
    }
}
