package io.hookwarden.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.StoreUnavailableException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** A database that fails: every method is a StoreUnavailableException naming what failed, never a credential. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JdbcInboxFailureTest {
    private static final Duration LEASE = Duration.ofMinutes(1);

    private static Map<String, ThrowingCallable> everyMethod(Inbox inbox) {
        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put("write a delivery", () -> inbox.write(Entries.entry("e", "k")));
        calls.put("claim deliveries", () -> inbox.claim(List.of("e"), 10, LEASE));
        calls.put("extend a lease", () -> inbox.heartbeat(Entries.lease("1"), LEASE));
        calls.put("complete a delivery", () -> inbox.complete(Entries.lease("1")));
        calls.put("complete deliveries", () -> inbox.completeAll(List.of(Entries.lease("1"), Entries.lease("2"))));
        calls.put("retry a delivery", () -> inbox.retry(Entries.lease("1"), Instant.EPOCH, "x"));
        calls.put("bury a delivery", () -> inbox.bury(Entries.lease("1"), "x"));
        calls.put("skip a delivery", () -> inbox.skip(Entries.lease("1"), "x"));
        calls.put("read the completed sequence", () -> inbox.completedSequence("e", "k"));
        calls.put("read a delivery", () -> inbox.get("1"));
        calls.put("find deliveries", () -> inbox.find(InboxQuery.all()));
        calls.put("replay deliveries", () -> inbox.replay(InboxQuery.all()));
        calls.put("replay a delivery", () -> inbox.replay("1"));
        calls.put("purge deliveries", () -> inbox.purge(InboxQuery.all()));
        calls.put("purge settled deliveries", () -> inbox.purgeSettled(Instant.EPOCH, 10));
        calls.put("count deliveries", () -> inbox.stats(null));
        return calls;
    }

    @Test
    void every_method_of_an_unreachable_database_is_store_unavailable_without_its_secrets() {
        for (Dialect dialect : Dialect.values()) {
            for (Boolean skipLocked : new Boolean[] {true, false}) {
                DataSource failing = new FailingDataSource(new SQLException(
                        "FATAL: password authentication failed for user app, password=hunter2", "08001"));
                JdbcInbox inbox = JdbcInbox.builder()
                        .dataSource(failing)
                        .dialect(dialect)
                        .skipLocked(skipLocked)
                        .build();
                everyMethod(inbox).forEach((operation, call) -> assertThatThrownBy(call)
                        .as(dialect + " " + operation)
                        .isInstanceOf(StoreUnavailableException.class)
                        .hasMessageContaining(operation)
                        .hasMessageContaining("hookwarden_inbox")
                        .hasMessageContaining("SQLState 08001")
                        .hasMessageNotContaining("hunter2"));
                assertThatThrownBy(inbox::createTableIfMissing)
                        .isInstanceOf(StoreUnavailableException.class)
                        .hasMessageNotContaining("hunter2");
            }
        }
    }

    @Test
    void a_missing_table_is_store_unavailable_naming_the_table_and_the_sqlstate() {
        JdbcInbox inbox = JdbcInbox.builder()
                .dataSource(TestDatabases.postgres())
                .table("no_such_inbox")
                .build();

        everyMethod(inbox).forEach((operation, call) -> assertThatThrownBy(call)
                .as(operation)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(operation)
                .hasMessageContaining("no_such_inbox")
                .hasMessageMatching("(?s).*SQLState 42[0-9A-Z]{3}.*"));
    }

    @Test
    void a_statement_rolled_back_for_a_deadlock_is_tried_again() {
        AtomicInteger failures = new AtomicInteger();
        JdbcInbox inbox = onH2FailingFirst(2, "40P01", failures);

        assertThat(inbox.write(Entries.entry("e", "deadlocked"))).isEqualTo(Inbox.Written.ADDED);
        assertThat(failures.get()).isEqualTo(2);
    }

    @Test
    void a_serialization_failure_that_persists_is_store_unavailable_after_three_attempts() {
        AtomicInteger failures = new AtomicInteger();
        JdbcInbox inbox = onH2FailingFirst(Integer.MAX_VALUE, "40001", failures);

        assertThatThrownBy(() -> inbox.claim(List.of("e"), 1, LEASE))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("SQLState 40001");
        assertThat(failures.get()).isEqualTo(3);
    }

    @Test
    void other_errors_are_not_tried_again() {
        AtomicInteger failures = new AtomicInteger();
        JdbcInbox inbox = onH2FailingFirst(Integer.MAX_VALUE, "22001", failures);

        assertThatThrownBy(() -> inbox.write(Entries.entry("e", "k")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("SQLState 22001");
        assertThat(failures.get()).isOne();
    }

    /** An H2 inbox whose first {@code times} statements fail with {@code sqlState}. */
    private static JdbcInbox onH2FailingFirst(int times, String sqlState, AtomicInteger failures) {
        DataSource h2 = TestDatabases.h2();
        String table = "inbox_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JdbcInbox.builder().dataSource(h2).table(table).build().createTableIfMissing();
        DataSource flaky = DelegatingDataSource.intercepting(h2, (real, m, args) -> {
            if (m.getName().equals("prepareStatement") && failures.get() < times) {
                failures.incrementAndGet();
                throw new SQLException("simulated", sqlState);
            }
            return DelegatingDataSource.invoke(real, m, args);
        });
        return JdbcInbox.builder()
                .dataSource(flaky)
                .dialect(Dialect.H2)
                .table(table)
                .skipLocked(true)
                .build();
    }
}
