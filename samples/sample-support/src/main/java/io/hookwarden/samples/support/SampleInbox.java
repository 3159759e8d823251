package io.hookwarden.samples.support;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.InMemoryInbox;
import io.hookwarden.inbox.jdbc.JdbcInbox;
import io.hookwarden.spi.Inbox;

/**
 * The inbox {@code HOOKWARDEN_INBOX} names: {@code memory} (this process only: what is pending dies with it), or a
 * {@code jdbc:} URL (PostgreSQL or H2; the table is created when missing), shared by every replica pointed at it.
 * Close it when the sample stops.
 */
@SuppressWarnings("try") // close() may be interrupted while it stops what it started
public final class SampleInbox implements AutoCloseable {
    private final Inbox inbox;
    private final AutoCloseable resource;
    private final String description;

    private SampleInbox(Inbox inbox, AutoCloseable resource, String description) {
        this.inbox = inbox;
        this.resource = resource;
        this.description = description;
    }

    /**
     * Opens the inbox {@code spec} names, on the system clock (leases and retries are real time, whatever clock
     * verifies signatures).
     *
     * @throws IllegalArgumentException if spec is neither {@code memory} nor a {@code jdbc:} URL
     */
    public static SampleInbox open(String spec) {
        if (spec.equals("memory")) {
            return new SampleInbox(InMemoryInbox.create(), null, "in-memory (this process only)");
        }
        if (spec.startsWith("jdbc:")) {
            HikariDataSource dataSource = SampleStore.pool(spec, "hookwarden-sample-inbox");
            try {
                JdbcInbox jdbc = JdbcInbox.builder().dataSource(dataSource).build();
                jdbc.createTableIfMissing();
                return new SampleInbox(jdbc, dataSource, "JDBC inbox " + jdbc);
            } catch (RuntimeException e) {
                dataSource.close();
                throw e;
            }
        }
        throw new IllegalArgumentException(
                "HOOKWARDEN_INBOX must be memory or a jdbc: URL but was " + SampleStore.redact(spec));
    }

    /** The inbox, for every endpoint's receiver and the workers. */
    public Inbox inbox() {
        return inbox;
    }

    /** What the inbox is, for the start-up banner; never a password. */
    public String description() {
        return description;
    }

    @Override
    public void close() throws Exception {
        if (resource != null) {
            resource.close();
        }
    }
}
