package io.hookwarden.samples.support;

import io.hookwarden.InboxWorker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every sample reads from its environment (DESIGN.md "Samples"): {@code PORT} (default 8080), the three secrets
 * {@code HOOKWARDEN_STANDARD_SECRET}, {@code HOOKWARDEN_GITHUB_SECRET} and {@code HOOKWARDEN_STRIPE_SECRET} (demo
 * defaults, printed at start-up when unset), and {@code HOOKWARDEN_STORE}: {@code memory} (default), a {@code
 * redis://host:port} URL or a {@code jdbc:} URL; {@code HOOKWARDEN_INBOX}: unset (deliveries are processed in the
 * request), {@code memory} or a {@code jdbc:} URL (they go through an inbox and the sample runs workers); {@code
 * HOOKWARDEN_INBOX_LEASE}: how long the worker holds a claimed delivery before another may take it (default 1 min, as
 * {@link io.hookwarden.InboxWorker#DEFAULT_LEASE}); {@code HOOKWARDEN_LEASE}: how long a delivery's claim in the dedupe
 * store holds while its handler runs ({@code 10s}, {@code 500ms}, {@code PT1M}; unset: the receiver's default, one
 * minute), which is also how long an event whose claim was orphaned by a store failure waits before a retry processes
 * it; and the {@link ServerLimits} of its server ({@code
 * HOOKWARDEN_BODY_TIMEOUT}, {@code HOOKWARDEN_MIN_DATA_RATE}, {@code HOOKWARDEN_WORKER_THREADS}).
 */
public record SampleSettings(
        int port,
        String standardSecret,
        String githubSecret,
        String stripeSecret,
        String store,
        String inbox,
        List<String> defaulted,
        ServerLimits limits,
        Duration inboxLease,
        Duration lease) {

    /** The demo default for the Standard Webhooks endpoint: a {@code whsec_} key, for local use only. */
    public static final String DEMO_STANDARD_SECRET = "whsec_ZGVtby1vbmx5LXN0YW5kYXJkLXdlYmhvb2tzLWtleQ==";
    /** The demo default for the GitHub endpoint. */
    public static final String DEMO_GITHUB_SECRET = "demo-only-github-secret";
    /** The demo default for the Stripe endpoint. */
    public static final String DEMO_STRIPE_SECRET = "whsec_demo_only_stripe_secret";

    public SampleSettings {
        Objects.requireNonNull(standardSecret, "standardSecret cannot be null");
        Objects.requireNonNull(githubSecret, "githubSecret cannot be null");
        Objects.requireNonNull(stripeSecret, "stripeSecret cannot be null");
        Objects.requireNonNull(store, "store cannot be null");
        Objects.requireNonNull(limits, "limits cannot be null");
        Objects.requireNonNull(inboxLease, "inboxLease cannot be null");
        if (inboxLease.isNegative() || inboxLease.isZero()) {
            throw new IllegalArgumentException("inboxLease must be positive but was " + inboxLease);
        }
        if (lease != null && (lease.isNegative() || lease.isZero())) {
            throw new IllegalArgumentException("HOOKWARDEN_LEASE must be positive but was " + lease);
        }
        defaulted = List.copyOf(defaulted);
    }

    /** Settings with the inbox's default lease, {@link InboxWorker#DEFAULT_LEASE}, and the receiver's claim lease. */
    public SampleSettings(
            int port,
            String standardSecret,
            String githubSecret,
            String stripeSecret,
            String store,
            String inbox,
            List<String> defaulted,
            ServerLimits limits) {
        this(
                port,
                standardSecret,
                githubSecret,
                stripeSecret,
                store,
                inbox,
                defaulted,
                limits,
                InboxWorker.DEFAULT_LEASE,
                null);
    }

    /** These settings with {@code HOOKWARDEN_INBOX} set to {@code inbox} (null: none). */
    public SampleSettings withInbox(String inbox) {
        return new SampleSettings(
                port, standardSecret, githubSecret, stripeSecret, store, inbox, defaulted, limits, inboxLease, lease);
    }

    /** These settings with {@code PORT} set to {@code port} (0: a free one). */
    public SampleSettings withPort(int port) {
        return new SampleSettings(
                port, standardSecret, githubSecret, stripeSecret, store, inbox, defaulted, limits, inboxLease, lease);
    }

    /** The settings from this process's environment. */
    public static SampleSettings fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * The settings from {@code env}.
     *
     * @throws IllegalArgumentException if PORT is not a port number, HOOKWARDEN_INBOX_LEASE or HOOKWARDEN_LEASE not a
     *     positive duration, or a {@link ServerLimits} variable is invalid, naming the variable and the value
     */
    public static SampleSettings from(Map<String, String> env) {
        List<String> defaulted = new ArrayList<>();
        String portText = env.getOrDefault("PORT", "8080").strip();
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("PORT must be a port number (0 to 65535) but was " + portText);
        }
        String standard = secret(env, "HOOKWARDEN_STANDARD_SECRET", DEMO_STANDARD_SECRET, defaulted);
        String github = secret(env, "HOOKWARDEN_GITHUB_SECRET", DEMO_GITHUB_SECRET, defaulted);
        String stripe = secret(env, "HOOKWARDEN_STRIPE_SECRET", DEMO_STRIPE_SECRET, defaulted);
        String store = env.getOrDefault("HOOKWARDEN_STORE", "memory").strip();
        String inbox = env.getOrDefault("HOOKWARDEN_INBOX", "").strip();
        Duration inboxLease = ServerLimits.duration(env, "HOOKWARDEN_INBOX_LEASE", InboxWorker.DEFAULT_LEASE);
        if (inboxLease.isNegative() || inboxLease.isZero()) {
            throw new IllegalArgumentException("HOOKWARDEN_INBOX_LEASE must be positive but was " + inboxLease);
        }
        return new SampleSettings(
                port,
                standard,
                github,
                stripe,
                store.isEmpty() ? "memory" : store,
                inbox.isEmpty() ? null : inbox,
                defaulted,
                ServerLimits.from(env),
                inboxLease,
                ServerLimits.duration(env, "HOOKWARDEN_LEASE", null));
    }

    private static String secret(Map<String, String> env, String name, String demo, List<String> defaulted) {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            defaulted.add(name + "=" + demo);
            return demo;
        }
        return value;
    }

    /**
     * Prints the demo defaults in use, so a user can sign deliveries for them ({@code hookwarden send --secret ..}).
     * Secrets given in the environment are never printed.
     */
    public void printDefaults(PrintStream out) {
        for (String line : defaulted) {
            out.println("demo default (set it in the environment for real use): " + line);
        }
    }
}
