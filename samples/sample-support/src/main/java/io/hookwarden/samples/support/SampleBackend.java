package io.hookwarden.samples.support;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Objects;

/**
 * What a sample runs behind its HTTP server: the dedupe store ({@code HOOKWARDEN_STORE}), the inbox when {@code
 * HOOKWARDEN_INBOX} is set, the three endpoints on them, and the inbox's worker. Opened once at start-up and closed
 * when the sample stops: the worker first (running handlers get 10 s), then the inbox, then the store.
 */
public final class SampleBackend implements AutoCloseable {
    private final SampleStore store;
    private final SampleInbox inbox;
    private final SampleEndpoints endpoints;

    private SampleBackend(SampleStore store, SampleInbox inbox, SampleEndpoints endpoints) {
        this.store = store;
        this.inbox = inbox;
        this.endpoints = endpoints;
    }

    /**
     * Opens the store and the inbox {@code settings} name, builds the endpoints verifying timestamps on {@code clock},
     * and starts the worker when there is an inbox.
     *
     * @throws IllegalArgumentException if the store or the inbox is none of the supported forms
     * @throws RuntimeException if the store or the inbox cannot be reached (nothing is left open)
     */
    public static SampleBackend open(SampleSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings cannot be null");
        Objects.requireNonNull(clock, "clock cannot be null");
        SampleStore store = SampleStore.open(settings.store());
        SampleInbox inbox = null;
        try {
            if (settings.inbox() != null) {
                inbox = SampleInbox.open(settings.inbox());
            }
            SampleEndpoints endpoints =
                    SampleEndpoints.create(settings, store.store(), inbox == null ? null : inbox.inbox(), clock);
            return new SampleBackend(store, inbox, endpoints.start());
        } catch (RuntimeException e) {
            closeQuietly(inbox);
            closeQuietly(store);
            throw e;
        }
    }

    /** The dedupe store (the endpoints use it when there is no inbox), for health checks and metrics. */
    public io.hookwarden.spi.DedupeStore store() {
        return store.store();
    }

    /** The endpoints, for the server's routes. */
    public SampleEndpoints endpoints() {
        return endpoints;
    }

    /** Prints what the deliveries go through, for the start-up banner; never a password. */
    public void describe(PrintStream out) {
        if (inbox == null) {
            out.println("dedupe store: " + store.description());
        } else {
            out.println("inbox: " + inbox.description() + "; deliveries are answered once stored, handled by workers");
        }
    }

    @Override
    public void close() {
        endpoints.close();
        closeQuietly(inbox);
        closeQuietly(store);
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            System.err.println("sample: closing " + resource.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
