package io.hookwarden.samples.support;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * What a sample's server allows one connection, so that slow senders cannot hold its threads (issue 12): how long a
 * request may take to arrive and a connection may sit idle ({@code HOOKWARDEN_BODY_TIMEOUT}, default {@code 10s}),
 * the slowest a body may arrive once it has started ({@code HOOKWARDEN_MIN_DATA_RATE} in bytes per second, default
 * 1024; {@code 0}: no minimum), and the most threads the server runs requests on ({@code HOOKWARDEN_WORKER_THREADS},
 * default 200). Each sample maps them onto its container's own settings (docs/samples.md "Hardening").
 *
 * @param bodyTimeout the longest a request's body may take to arrive, and a connection may stay idle; positive
 * @param minDataRate the fewest bytes per second a body must arrive at; 0 for no minimum
 * @param workerThreads the most threads the server handles requests on; at least 8
 */
public record ServerLimits(Duration bodyTimeout, long minDataRate, int workerThreads) {
    /** The deadline when {@code HOOKWARDEN_BODY_TIMEOUT} is unset. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);
    /** The data rate when {@code HOOKWARDEN_MIN_DATA_RATE} is unset, in bytes per second. */
    public static final long DEFAULT_MIN_DATA_RATE = 1024;
    /** The pool size when {@code HOOKWARDEN_WORKER_THREADS} is unset. */
    public static final int DEFAULT_WORKER_THREADS = 200;
    /** The defaults. */
    public static final ServerLimits DEFAULTS =
            new ServerLimits(DEFAULT_BODY_TIMEOUT, DEFAULT_MIN_DATA_RATE, DEFAULT_WORKER_THREADS);

    /**
     * Checks the limits.
     *
     * @throws NullPointerException if bodyTimeout is null
     * @throws IllegalArgumentException if a limit is out of its range, echoing it
     */
    public ServerLimits {
        if (bodyTimeout == null) {
            throw new NullPointerException("bodyTimeout cannot be null");
        }
        if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new IllegalArgumentException("bodyTimeout must be positive but was " + bodyTimeout);
        }
        if (minDataRate < 0) {
            throw new IllegalArgumentException("minDataRate must be 0 or more bytes per second but was " + minDataRate);
        }
        if (workerThreads < 8) {
            throw new IllegalArgumentException("workerThreads must be at least 8 but was " + workerThreads);
        }
    }

    /**
     * The limits {@code env} sets, the defaults for those it does not.
     *
     * @throws IllegalArgumentException if a variable does not parse or is out of range, naming it and its value
     */
    public static ServerLimits from(Map<String, String> env) {
        Duration timeout = duration(env, "HOOKWARDEN_BODY_TIMEOUT", DEFAULT_BODY_TIMEOUT);
        long rate = number(env, "HOOKWARDEN_MIN_DATA_RATE", DEFAULT_MIN_DATA_RATE);
        long threads = number(env, "HOOKWARDEN_WORKER_THREADS", DEFAULT_WORKER_THREADS);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("HOOKWARDEN_BODY_TIMEOUT must be positive but was " + timeout);
        }
        if (threads < 8 || threads > 10_000) {
            throw new IllegalArgumentException(
                    "HOOKWARDEN_WORKER_THREADS must be 8 to 10000 but was " + env.get("HOOKWARDEN_WORKER_THREADS"));
        }
        return new ServerLimits(timeout, rate, (int) threads);
    }

    /** {@link #bodyTimeout()} in whole milliseconds. */
    public long bodyTimeoutMillis() {
        return bodyTimeout.toMillis();
    }

    /** Accepts {@code 10s}, {@code 2500ms}, {@code 1m}, an ISO-8601 duration ({@code PT10S}) or whole seconds. */
    static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String text = env.getOrDefault(name, "").strip();
        if (text.isEmpty()) {
            return fallback;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("pt")) {
                return Duration.parse(text);
            }
            if (lower.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2)));
            }
            if (lower.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(lower.substring(0, lower.length() - 1)));
            }
            if (lower.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(lower.substring(0, lower.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(lower));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + " must be a duration such as 10s, 2500ms or PT10S but was " + text);
        }
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String text = env.getOrDefault(name, "").strip();
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, 0 or more, but was " + text);
        }
    }
}
