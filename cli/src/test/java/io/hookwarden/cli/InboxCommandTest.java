package io.hookwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Headers;
import io.hookwarden.inbox.jdbc.JdbcInbox;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.StoredDelivery.State;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inbox list|show|replay|purge} against a real H2 database file, written through {@link JdbcInbox}. */
class InboxCommandTest {
    private static final Instant RECEIVED = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    private String url;
    private Inbox inbox;

    @BeforeEach
    void database() {
        url = "jdbc:h2:" + dir.resolve("inbox").toAbsolutePath();
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        JdbcInbox jdbc = JdbcInbox.builder().dataSource(dataSource).build();
        jdbc.createTableIfMissing();
        inbox = jdbc;
    }

    private static InboxEntry entry(String endpoint, String id, String type, int minute) {
        return new InboxEntry(
                endpoint,
                "evt:" + id,
                "stripe",
                "POST",
                "https://hooks.example.com/stripe",
                Headers.builder()
                        .add("Stripe-Signature", "t=1,v1=abc")
                        .add("Content-Type", "application/json")
                        .build(),
                ("{\"id\":\"" + id + "\",\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8),
                "203.0.113.7",
                id,
                type,
                RECEIVED.plusSeconds(60L * minute),
                "primary",
                null,
                InboxEntry.Ordering.NONE,
                0,
                RECEIVED.plusSeconds(60L * minute));
    }

    /** Writes and buries a delivery, as a worker does when its handler refused it as poison (its endpoint's only one). */
    private String dead(InboxEntry entry, String error) {
        inbox.write(entry);
        List<InboxLease> leases = inbox.claim(Set.of(entry.endpoint()), 1, Duration.ofMinutes(1));
        assertThat(leases).hasSize(1);
        assertThat(inbox.bury(leases.get(0), error)).isTrue();
        return leases.get(0).id();
    }

    private String[] args(String command, String... more) {
        String[] base = {"inbox", command, "--jdbc-url", url};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void listPrintsOneLinePerMatchingDeliveryNewestFirst() {
        // given
        String dead = dead(entry("stripe", "evt_2", "invoice.failed", 2), "IllegalStateException: no such customer");
        inbox.write(entry("stripe", "evt_1", "invoice.paid", 1));
        inbox.write(entry("github", "evt_3", "push", 3));

        // when
        Cli.Result all = Cli.run(args("list"));
        Cli.Result deadOnly = Cli.run(args("list", "--state", "dead"));
        Cli.Result stripe = Cli.run(args("list", "--endpoint", "stripe", "--limit", "1"));

        // then
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.lines()).hasSize(3);
        assertThat(all.lines().get(0)).contains(" pending github push evt_3 attempts=0 received=2026-12-01T10:03:00Z");
        assertThat(deadOnly.lines())
                .containsExactly(dead + " dead stripe invoice.failed evt_2 attempts=1 received=2026-12-01T10:02:00Z"
                        + " error=IllegalStateException: no such customer");
        assertThat(stripe.lines()).hasSize(1).allMatch(line -> line.contains(" stripe invoice.failed evt_2 "));
    }

    @Test
    void showPrintsOneDeliveryWithHeaderNamesButNoValuesAndTheBodyOnlyWhenAsked() {
        // given
        String id = dead(entry("stripe", "evt_9", "invoice.paid", 0), "boom");

        // when
        Cli.Result plain = Cli.run(args("show", id));
        Cli.Result withBody = Cli.run(args("show", id, "--body"));
        Cli.Result missing = Cli.run(args("show", "999999"));

        // then
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.lines())
                .contains("id: " + id, "state: dead", "attempts: 1", "last-error: boom", "event-id: evt_9")
                .contains("headers: Stripe-Signature, Content-Type");
        assertThat(plain.out()).doesNotContain("v1=abc").doesNotContain("invoice.paid\"}");
        assertThat(withBody.out()).endsWith("{\"id\":\"evt_9\",\"type\":\"invoice.paid\"}" + System.lineSeparator());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no delivery 999999");
    }

    @Test
    void replayMakesDeadDeliveriesPendingAgainByIdOrByFilter() {
        // given
        String first = dead(entry("stripe", "evt_a", "invoice.paid", 0), "boom");
        String second = dead(entry("stripe", "evt_b", "invoice.paid", 1), "boom");
        String other = dead(entry("github", "evt_c", "push", 2), "boom");

        // when
        Cli.Result one = Cli.run(args("replay", first));
        Cli.Result again = Cli.run(args("replay", first));
        Cli.Result filtered = Cli.run(args("replay", "--endpoint", "stripe", "--state", "dead"));

        // then
        assertThat(one.out()).isEqualTo("replayed 1" + System.lineSeparator());
        assertThat(again.exitCode()).as("a pending delivery is not replayable").isEqualTo(1);
        assertThat(filtered.out()).isEqualTo("replayed 1" + System.lineSeparator());
        assertThat(inbox.get(first).orElseThrow().state()).isEqualTo(State.PENDING);
        assertThat(inbox.get(second).orElseThrow().state()).isEqualTo(State.PENDING);
        assertThat(inbox.get(second).orElseThrow().attempts()).isZero();
        assertThat(inbox.get(other).orElseThrow().state()).isEqualTo(State.DEAD);
    }

    @Test
    void purgeNeedsAFilterOrAllAndFreesTheKeys() {
        // given
        dead(entry("stripe", "evt_p", "invoice.paid", 0), "boom");
        inbox.write(entry("github", "evt_q", "push", 1));

        // when
        Cli.Result unfiltered = Cli.run(args("purge"));
        Cli.Result purged = Cli.run(args("purge", "--state", "dead"));

        // then
        assertThat(unfiltered.exitCode()).isEqualTo(2);
        assertThat(unfiltered.err()).contains("--all");
        assertThat(purged.out()).isEqualTo("purged 1" + System.lineSeparator());
        assertThat(inbox.write(entry("stripe", "evt_p", "invoice.paid", 0))).isEqualTo(Inbox.Written.ADDED);
        assertThat(inbox.write(entry("github", "evt_q", "push", 1))).isEqualTo(Inbox.Written.DUPLICATE);
    }

    @Test
    void badOptionsAreUsageErrorsAndAnUnreachableDatabaseIsExitOneWithoutItsPassword() {
        // when
        Cli.Result badState = Cli.run(args("list", "--state", "lost"));
        Cli.Result badSince = Cli.run(args("list", "--since", "yesterday"));
        Cli.Result notJdbc = Cli.run("inbox", "list", "--jdbc-url", "postgres://u:hunter2@db/app");
        Cli.Result unreachable = Cli.run(
                "inbox", "list", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/app?password=hunter2&connectTimeout=1");

        // then
        assertThat(badState.exitCode()).isEqualTo(2);
        assertThat(badState.err()).contains("--state must be one of pending");
        assertThat(badSince.exitCode()).isEqualTo(2);
        assertThat(notJdbc.exitCode()).isEqualTo(2);
        assertThat(notJdbc.err()).doesNotContain("hunter2");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).contains("inbox unavailable").doesNotContain("hunter2");
    }
}
