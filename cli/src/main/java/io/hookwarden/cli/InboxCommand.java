package io.hookwarden.cli;

import io.hookwarden.inbox.jdbc.JdbcInbox;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.spi.StoredDelivery;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inbox}: read and act on a JDBC inbox (list, show, replay, purge), for an operator looking at dead letters.
 * One line per delivery; never a header value or the body unless asked ({@code show --body}).
 */
@Command(
        name = "inbox",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "List, show, replay or purge the deliveries of a JDBC inbox (hookwarden-inbox-jdbc).",
        subcommands = {
            InboxCommand.List.class,
            InboxCommand.Show.class,
            InboxCommand.Replay.class,
            InboxCommand.Purge.class
        })
final class InboxCommand {
    /** Exit code when the database could not be reached or failed: not a usage error, not a verdict. */
    static final int STORE_FAILED = 1;

    private InboxCommand() {}

    /** Where the inbox is. */
    static final class Connection {
        @Option(
                names = "--jdbc-url",
                required = true,
                paramLabel = "URL",
                description =
                        "The database, for example jdbc:postgresql://db:5432/app or jdbc:h2:/var/app/inbox."
                                + " PostgreSQL and H2 drivers are built in; for MySQL/MariaDB put the driver on the class path.")
        String url;

        @Option(names = "--jdbc-user", paramLabel = "USER", description = "The database user, when the URL has none.")
        String user;

        @Option(
                names = "--jdbc-password-env",
                paramLabel = "VARIABLE",
                description = "The environment variable holding the database password (never given on the command"
                        + " line, where other users could see it). Default: HOOKWARDEN_JDBC_PASSWORD, when set.")
        String passwordVariable;

        @Option(
                names = "--table",
                paramLabel = "NAME",
                defaultValue = JdbcInbox.DEFAULT_TABLE,
                description = "The inbox table. Default: ${DEFAULT-VALUE}.")
        String table;

        Inbox open(CommandSpec spec) {
            if (!url.startsWith("jdbc:")) {
                throw Args.usage(spec, "--jdbc-url must start with jdbc: but was " + redactedUrl(url));
            }
            String variable = passwordVariable == null ? "HOOKWARDEN_JDBC_PASSWORD" : passwordVariable;
            String password = System.getenv(variable);
            if (passwordVariable != null && password == null) {
                throw Args.usage(spec, "--jdbc-password-env: the variable " + variable + " is not set");
            }
            try {
                return JdbcInbox.builder()
                        .dataSource(new UrlDataSource(url, user, password))
                        .table(table)
                        .build();
            } catch (IllegalArgumentException e) {
                throw Args.usage(spec, "--table: " + e.getMessage());
            }
        }
    }

    /** Which deliveries, for list, replay and purge. */
    static final class Filter {
        @Option(names = "--endpoint", paramLabel = "NAME", description = "Only deliveries to this endpoint.")
        String endpoint;

        @Option(
                names = "--state",
                paramLabel = "STATE",
                split = ",",
                description = "Only deliveries in these states: pending, in_flight, completed, dead, skipped"
                        + " (repeat or separate with commas).")
        java.util.List<String> states = new java.util.ArrayList<>();

        @Option(names = "--event-type", paramLabel = "TYPE", description = "Only events of this type.")
        String eventType;

        @Option(
                names = "--since",
                paramLabel = "INSTANT",
                description = "Only deliveries received at or after this instant, e.g. 2026-12-01T00:00:00Z.")
        String since;

        @Option(
                names = "--until",
                paramLabel = "INSTANT",
                description = "Only deliveries received before this instant.")
        String until;

        boolean narrows() {
            return endpoint != null || !states.isEmpty() || eventType != null || since != null || until != null;
        }

        InboxQuery.Builder query(CommandSpec spec) {
            InboxQuery.Builder query = InboxQuery.builder();
            if (endpoint != null) {
                query.endpoint(endpoint);
            }
            if (eventType != null) {
                query.eventType(eventType);
            }
            for (String state : states) {
                query.state(state(spec, state));
            }
            if (since != null) {
                query.receivedFrom(instant(spec, "--since", since));
            }
            if (until != null) {
                query.receivedBefore(instant(spec, "--until", until));
            }
            return query;
        }
    }

    /** {@code inbox list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = {
                "Print the deliveries that match, most recently received first, one a line:",
                "ID STATE ENDPOINT EVENT_TYPE EVENT_ID attempts=N received=INSTANT [error=LAST_ERROR]"
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed (possibly none)", "1:the database failed", "2:usage error"})
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Mixin
        Filter filter;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "100",
                description = "The most deliveries to print, 1 to 10000. Default: ${DEFAULT-VALUE}.")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > InboxQuery.MAX_LIMIT) {
                throw Args.usage(spec, "--limit must be 1 to " + InboxQuery.MAX_LIMIT + " but was " + limit);
            }
            InboxQuery query = filter.query(spec).limit(limit).build();
            return guarded(spec, () -> {
                Inbox inbox = connection.open(spec);
                PrintWriter out = spec.commandLine().getOut();
                for (StoredDelivery delivery : inbox.find(query)) {
                    out.println(line(delivery));
                }
                return 0;
            });
        }
    }

    /** {@code inbox show ID}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Print one delivery: its state, attempts, last error, event and the header names kept;"
                    + " with --body, its body as UTF-8 text.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown", "1:no such delivery, or the database failed", "2:usage error"})
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Parameters(index = "0", paramLabel = "ID", description = "The delivery's id, as list prints it.")
        String id;

        @Option(names = "--body", description = "Print the body too, after a blank line.")
        boolean body;

        @Override
        public Integer call() {
            return guarded(spec, () -> {
                Inbox inbox = connection.open(spec);
                Optional<StoredDelivery> found = inbox.get(id);
                if (found.isEmpty()) {
                    spec.commandLine().getErr().println("show: no delivery " + id);
                    return 1;
                }
                StoredDelivery d = found.get();
                InboxEntry e = d.entry();
                PrintWriter out = spec.commandLine().getOut();
                out.println("id: " + d.id());
                out.println("state: " + d.state().name().toLowerCase(Locale.ROOT));
                out.println("attempts: " + d.attempts());
                out.println("next-attempt: " + d.nextAttemptAt());
                out.println("last-error: " + (d.lastError() == null ? "" : oneLine(d.lastError())));
                out.println("endpoint: " + e.endpoint());
                out.println("dedupe-key: " + e.dedupeKey());
                out.println("scheme: " + e.schemeId());
                out.println("event-id: " + orEmpty(e.eventId()));
                out.println("event-type: " + orEmpty(e.eventType()));
                out.println("event-timestamp: " + (e.eventTimestamp() == null ? "" : e.eventTimestamp()));
                out.println("matched-key: " + e.matchedKey());
                out.println("ordering: " + e.ordering().name().toLowerCase(Locale.ROOT)
                        + (e.orderingKey() == null ? "" : " " + e.orderingKey() + " #" + e.sequence()));
                out.println("received: " + e.receivedAt());
                out.println("url: " + orEmpty(e.url()));
                out.println("headers: " + String.join(", ", e.headers().names()));
                out.println("body-bytes: " + e.bodyLength());
                if (body) {
                    out.println();
                    out.println(new String(e.body(), StandardCharsets.UTF_8));
                }
                return 0;
            });
        }
    }

    /** {@code inbox replay}. */
    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = {
                "Make dead and skipped deliveries pending again, due at once, with their attempts back to zero: one by"
                        + " ID, or every one the filter matches (completed ones only with --state completed). Prints"
                        + " 'replayed N'.",
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:replayed (possibly none when a filter matched nothing)",
                "1:the ID is not replayable (unknown, pending or in flight), or the database failed",
                "2:usage error"
            })
    static final class Replay implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Mixin
        Filter filter;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "One delivery's id.")
        String id;

        @Override
        public Integer call() {
            if ((id == null) == !filter.narrows()) {
                throw Args.usage(
                        spec,
                        "give either an ID or at least one of --endpoint, --state, --event-type,"
                                + " --since, --until");
            }
            InboxQuery query = id == null ? filter.query(spec).build() : null;
            return guarded(spec, () -> {
                Inbox inbox = connection.open(spec);
                if (id != null) {
                    boolean replayed = inbox.replay(id);
                    spec.commandLine().getOut().println("replayed " + (replayed ? 1 : 0));
                    if (!replayed) {
                        spec.commandLine().getErr().println("replay: no dead, skipped or completed delivery " + id);
                    }
                    return replayed ? 0 : 1;
                }
                spec.commandLine().getOut().println("replayed " + inbox.replay(query));
                return 0;
            });
        }
    }

    /** {@code inbox purge}. */
    @Command(
            name = "purge",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Delete every delivery the filter matches, except those in flight; their keys are then free,"
                    + " so a provider's next retry of one is new. A filter is required (--all to delete everything)."
                    + " Prints 'purged N'.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:purged (possibly none)", "1:the database failed", "2:usage error"})
    static final class Purge implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Mixin
        Filter filter;

        @Option(names = "--all", description = "Purge every delivery not in flight, with no filter.")
        boolean all;

        @Override
        public Integer call() {
            if (all == filter.narrows()) {
                throw Args.usage(
                        spec,
                        "give either --all or at least one of --endpoint, --state, --event-type,"
                                + " --since, --until");
            }
            InboxQuery query = filter.query(spec).build();
            return guarded(spec, () -> {
                Inbox inbox = connection.open(spec);
                spec.commandLine().getOut().println("purged " + inbox.purge(query));
                return 0;
            });
        }
    }

    /** Runs an action on the inbox; a store failure is exit 1 with its message (which never holds a credential). */
    private static int guarded(CommandSpec spec, Callable<Integer> action) {
        try {
            return action.call();
        } catch (StoreUnavailableException e) {
            spec.commandLine().getErr().println(spec.name() + ": inbox unavailable: " + e.getMessage());
            return STORE_FAILED;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String line(StoredDelivery d) {
        InboxEntry e = d.entry();
        StringBuilder line = new StringBuilder()
                .append(d.id())
                .append(' ')
                .append(d.state().name().toLowerCase(Locale.ROOT))
                .append(' ')
                .append(e.endpoint())
                .append(' ')
                .append(e.eventType() == null ? "-" : e.eventType())
                .append(' ')
                .append(e.eventId() == null ? "-" : e.eventId())
                .append(" attempts=")
                .append(d.attempts())
                .append(" received=")
                .append(e.receivedAt());
        if (d.lastError() != null) {
            line.append(" error=").append(oneLine(d.lastError()));
        }
        return line.toString();
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ");
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static StoredDelivery.State state(CommandSpec spec, String text) {
        try {
            return StoredDelivery.State.valueOf(
                    text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw Args.usage(
                    spec, "--state must be one of pending, in_flight, completed, dead, skipped but was " + text);
        }
    }

    private static Instant instant(CommandSpec spec, String option, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw Args.usage(
                    spec, option + " must be an ISO-8601 instant such as 2026-12-01T00:00:00Z but was " + text);
        }
    }

    /** The URL without what may carry a credential: its query and properties (password=...) and user info. */
    static String redactedUrl(String url) {
        String cut = url;
        for (char c : new char[] {'?', ';', '&'}) {
            int i = cut.indexOf(c);
            if (i >= 0) {
                cut = cut.substring(0, i);
            }
        }
        return cut.replaceAll("//[^/@]*@", "//***@");
    }

    /** A {@link DataSource} that opens a new connection per call through {@link DriverManager}: the CLI's one-shot use. */
    static final class UrlDataSource implements DataSource {
        private final String url;
        private final String user;
        private final String password;

        UrlDataSource(String url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        @Override
        public java.sql.Connection getConnection() throws SQLException {
            Properties properties = new Properties();
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            return DriverManager.getConnection(url, properties);
        }

        @Override
        public java.sql.Connection getConnection(String username, String pass) throws SQLException {
            return DriverManager.getConnection(url, username, pass);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException("no parent logger");
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }

        @Override
        public String toString() {
            return "UrlDataSource[" + redactedUrl(url) + "]";
        }
    }
}
