package io.hookwarden;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * HTTP headers: names compared case-insensitively (ASCII letters only), each name with one or more values in the order
 * received.
 *
 * <p>Kept as two flat arrays of names and values, one entry per value received, looked up by a linear scan: a webhook
 * carries a handful of headers, and building them per request (as every adapter does) then costs two arrays, with no
 * map, no list per name and no lower-case copy of any name.
 *
 * <p>Immutable and thread-safe. {@link #toString()} lists names only, never values, because values carry signatures
 * and tokens.
 */
public final class Headers {
    private static final String[] NONE = new String[0];
    private static final Headers EMPTY = new Headers(NONE, NONE, 0);

    /**
     * Each entry's name as given and its value, entries {@code 0 .. count-1} in the order received. Handed over by the
     * {@link Builder} without a copy and never changed afterwards (the builder copies before its next change), nor
     * exposed.
     */
    private final String[] names;

    private final String[] values;
    private final int count;

    private Headers(String[] names, String[] values, int count) {
        this.names = names;
        this.values = values;
        this.count = count;
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
        int i = indexOf(checked(name), 0);
        return i < 0 ? Optional.empty() : Optional.of(values[i]);
    }

    /**
     * Every value of a header, in the order received.
     *
     * @param name the header name, any case
     * @return the values; empty when absent
     */
    public List<String> all(String name) {
        String n = checked(name);
        int i = indexOf(n, 0);
        if (i < 0) {
            return List.of();
        }
        int next = indexOf(n, i + 1);
        if (next < 0) {
            return List.of(values[i]);
        }
        List<String> list = new ArrayList<>(4);
        list.add(values[i]);
        for (int j = next; j >= 0; j = indexOf(n, j + 1)) {
            list.add(values[j]);
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * Whether the header is present.
     *
     * @param name the header name, any case
     * @return true when it has at least one value
     */
    public boolean contains(String name) {
        return indexOf(checked(name), 0) >= 0;
    }

    /**
     * Calls {@code action} with each entry's name (as given) and value, in the order received; a header given twice is
     * two calls.
     *
     * @param action what to do with each name and value
     */
    public void forEach(BiConsumer<? super String, ? super String> action) {
        Objects.requireNonNull(action, "action cannot be null");
        for (int i = 0; i < count; i++) {
            action.accept(names[i], values[i]);
        }
    }

    /** The header names as first given, in insertion order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(toMap().keySet()));
    }

    /** Name (as first given) to values, in insertion order. */
    public Map<String, List<String>> toMap() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            if (indexOf(names[i], 0) == i) { // the first entry of its name: the name as first given
                map.put(names[i], all(names[i]));
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** A builder holding these headers, to add more; it copies them only when it changes. */
    public Builder toBuilder() {
        return this == EMPTY ? new Builder() : new Builder(this);
    }

    /** The number of distinct header names. */
    public int size() {
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            if (indexOf(names[i], 0) == i) {
                distinct++;
            }
        }
        return distinct;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers other && canonical().equals(other.canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    /** Lists the names only: values may be secrets or signatures. */
    @Override
    public String toString() {
        return "Headers" + names();
    }

    /** Lower-case name to values, for equality: names differing only in case are one header. */
    private Map<String, List<String>> canonical() {
        Map<String, List<String>> map = new HashMap<>();
        for (int i = 0; i < count; i++) {
            map.computeIfAbsent(lowerCase(names[i]), k -> new ArrayList<>(1)).add(values[i]);
        }
        return map;
    }

    /** The index of the first entry at or after {@code from} named {@code name} (any case), or -1. */
    int indexOf(String name, int from) {
        for (int i = from; i < count; i++) {
            if (sameName(names[i], name)) {
                return i;
            }
        }
        return -1;
    }

    /** The value of entry {@code i}. */
    String valueAt(int i) {
        return values[i];
    }

    /** Whether two header names are equal ignoring the case of ASCII letters (and only of those). */
    static boolean sameName(String a, String b) {
        if (a == b) {
            return true;
        }
        int length = a.length();
        if (length != b.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                char lower = (char) (x | 0x20);
                if ((x ^ y) != 0x20 || lower < 'a' || lower > 'z') {
                    return false;
                }
            }
        }
        return true;
    }

    /** The name with ASCII letters in lower case (the same instance when already so). */
    static String lowerCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = name.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    char d = chars[j];
                    if (d >= 'A' && d <= 'Z') {
                        chars[j] = (char) (d | 0x20);
                    }
                }
                return new String(chars);
            }
        }
        return name;
    }

    private static String checked(String name) {
        return Objects.requireNonNull(name, "header name cannot be null");
    }

    /**
     * Collects headers. Not thread-safe; {@link #build()} yields an immutable {@link Headers}.
     *
     * <p>{@link #build()} hands what was collected to the headers without copying it; the builder copies before its
     * next change, so the built headers never change. Building once per request, as adapters do, copies nothing.
     */
    public static final class Builder {
        private String[] names;
        private String[] values;
        private int count;
        /** The headers last built from the arrays, until the next change; null when none. */
        private Headers built;

        private Builder() {
            this.names = NONE;
            this.values = NONE;
        }

        private Builder(Headers headers) {
            this.names = headers.names;
            this.values = headers.values;
            this.count = headers.count;
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
            checked(name);
            if (value == null) { // not requireNonNull: its message would be built on every call
                throw new NullPointerException("value of header " + name + " cannot be null");
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException("header name cannot be empty");
            }
            if (built != null || count == names.length) {
                int capacity = Math.max(8, count == names.length ? count * 2 : names.length);
                names = Arrays.copyOf(names, capacity);
                values = Arrays.copyOf(values, capacity);
                built = null;
            }
            names[count] = name;
            values[count] = value;
            count++;
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
            checked(name);
            int kept = 0;
            String[] keptNames = names;
            String[] keptValues = values;
            for (int i = 0; i < count; i++) {
                if (sameName(names[i], name)) {
                    if (keptNames == names) { // the first removal: copy, since built headers may share the arrays
                        keptNames = new String[names.length];
                        keptValues = new String[values.length];
                        System.arraycopy(names, 0, keptNames, 0, kept);
                        System.arraycopy(values, 0, keptValues, 0, kept);
                    }
                } else {
                    keptNames[kept] = names[i];
                    keptValues[kept] = values[i];
                    kept++;
                }
            }
            if (keptNames != names) {
                names = keptNames;
                values = keptValues;
                count = kept;
                built = null;
            }
            return this;
        }

        /** Whether no header was collected. */
        boolean isEmpty() {
            return count == 0;
        }

        /** The headers collected so far. */
        public Headers build() {
            if (count == 0) {
                return EMPTY;
            }
            if (built == null) {
                built = new Headers(names, values, count);
            }
            return built;
        }
    }

    /** A name in lower case, as the schemes keep the names they look up (any case would do: lookups ignore it). */
    static String key(String name) {
        return lowerCase(checked(name));
    }
}
