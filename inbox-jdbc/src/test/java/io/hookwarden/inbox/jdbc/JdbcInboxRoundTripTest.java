package io.hookwarden.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.spi.Inbox.Written;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.spi.StoredDelivery;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a write costs the database, and what it does when the database stops. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JdbcInboxRoundTripTest {
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_write_and_a_duplicate_write_are_one_statement_each_in_auto_commit(Dialect dialect) {
        DataSource db = database(dialect);
        String table = "writes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JdbcInbox.builder().dataSource(db).dialect(dialect).table(table).build().createTableIfMissing();
        List<String> calls = new ArrayList<>();
        JdbcInbox inbox = JdbcInbox.builder()
                .dataSource(recording(db, calls))
                .dialect(dialect)
                .table(table)
                .build();

        Written first = inbox.write(Entries.entry("ep", "k"));
        List<String> firstCalls = new ArrayList<>(calls);
        calls.clear();
        Written second = inbox.write(Entries.entry("ep", "k"));

        assertThat(first).isEqualTo(Written.ADDED);
        assertThat(second).isEqualTo(Written.DUPLICATE);
        assertThat(firstCalls).filteredOn(c -> !c.startsWith("auto-commit")).containsExactly("INSERT");
        assertThat(calls).filteredOn(c -> !c.startsWith("auto-commit")).containsExactly("INSERT");
        assertThat(firstCalls).doesNotContain("commit", "auto-commit false");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void completing_several_deliveries_is_one_statement_or_one_batch_in_one_transaction(Dialect dialect) {
        DataSource db = database(dialect);
        JdbcInbox inbox = inboxOn(db, dialect, "complete_all_");
        List<String> calls = new ArrayList<>();
        JdbcInbox recorded = JdbcInbox.builder()
                .dataSource(recording(db, calls))
                .dialect(dialect)
                .table(inbox.table())
                .build();
        for (String key : List.of("a", "b", "c")) {
            inbox.write(Entries.entry("ep", key));
        }
        List<InboxLease> taken = inbox.claim(List.of("ep"), 3, Duration.ofMinutes(1));

        List<Boolean> completed = recorded.completeAll(taken);

        assertThat(completed).containsExactly(true, true, true);
        if (dialect == Dialect.POSTGRESQL) { // UPDATE ... FROM unnest(...) RETURNING, in auto-commit
            assertThat(calls).filteredOn(c -> !c.startsWith("auto-commit")).containsExactly("UPDATE");
            assertThat(calls).doesNotContain("auto-commit false");
        } else {
            assertThat(calls).containsExactly("auto-commit false", "UPDATE", "commit", "auto-commit true");
        }
        assertThat(inbox.stats("ep").count(StoredDelivery.State.COMPLETED)).isEqualTo(3);
    }

    @Test
    void a_driver_that_does_not_count_a_batch_has_it_rolled_back_and_each_completed_on_its_own() {
        DataSource db = TestDatabases.h2();
        JdbcInbox inbox = inboxOn(db, Dialect.H2, "no_info_");
        List<String> calls = new ArrayList<>();
        JdbcInbox uncounted = JdbcInbox.builder()
                .dataSource(withoutBatchCounts(recording(db, calls)))
                .dialect(Dialect.H2)
                .table(inbox.table())
                .build();
        for (String key : List.of("a", "b", "c")) {
            inbox.write(Entries.entry("ep", key));
        }
        List<InboxLease> taken = inbox.claim(List.of("ep"), 3, Duration.ofMinutes(1));
        InboxLease forged = new InboxLease(
                taken.get(1).delivery(),
                "not-" + taken.get(1).token(),
                taken.get(1).until());

        List<Boolean> completed = uncounted.completeAll(List.of(taken.get(0), forged, taken.get(2)));

        assertThat(completed).containsExactly(true, false, true);
        assertThat(calls).startsWith("auto-commit false", "UPDATE", "rollback");
        assertThat(calls).filteredOn("UPDATE"::equals).hasSize(4);
        assertThat(inbox.stats("ep").count(StoredDelivery.State.COMPLETED)).isEqualTo(2);
        assertThat(inbox.stats("ep").count(StoredDelivery.State.IN_FLIGHT)).isEqualTo(1);
    }

    @Test
    void a_stopped_database_is_store_unavailable_and_nothing_is_answered_as_written() throws IOException {
        EmbeddedPostgres server = TestDatabases.startPostgres();
        try (HikariDataSource pool = TestDatabases.pool(server.getJdbcUrl("postgres", "postgres"), "postgres", "x")) {
            pool.setConnectionTimeout(250);
            JdbcInbox inbox = JdbcInbox.builder().dataSource(pool).build();
            inbox.createTableIfMissing();
            Written before = inbox.write(Entries.entry("ep", "before"));

            server.close();

            assertThat(before).isEqualTo(Written.ADDED);
            assertThatThrownBy(() -> inbox.write(Entries.entry("ep", "after")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("write a delivery")
                    // a pooled connection the server terminated (57P01), or no connection at all (08xxx)
                    .hasMessageMatching(".*SQLState (08|57P)[0-9A-Z]+,.*");
            assertThatThrownBy(() -> inbox.claim(List.of("ep"), 1, Duration.ofMinutes(1)))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("claim deliveries");
        } finally {
            server.close();
        }
    }

    private static DataSource database(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL
                ? TestDatabases.postgres()
                : dialect == Dialect.MYSQL ? TestDatabases.h2MySql() : TestDatabases.h2();
    }

    private static JdbcInbox inboxOn(DataSource db, Dialect dialect, String prefix) {
        String table = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JdbcInbox inbox =
                JdbcInbox.builder().dataSource(db).dialect(dialect).table(table).build();
        inbox.createTableIfMissing();
        return inbox;
    }

    /** Runs every batch, then answers {@link Statement#SUCCESS_NO_INFO} for each statement, as some drivers do. */
    private static DataSource withoutBatchCounts(DataSource db) {
        return DelegatingDataSource.intercepting(db, (real, m, args) -> {
            Object result = DelegatingDataSource.invoke(real, m, args);
            if (!(result instanceof PreparedStatement statement)) {
                return result;
            }
            return Proxy.newProxyInstance(
                    PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class},
                    (p, sm, sargs) -> {
                        Object answer = DelegatingDataSource.invoke(statement, sm, sargs);
                        if (sm.getName().equals("executeBatch")) {
                            int[] none = new int[((int[]) answer).length];
                            Arrays.fill(none, Statement.SUCCESS_NO_INFO);
                            return none;
                        }
                        return answer;
                    });
        });
    }

    /** Records, per connection, the SQL verb of each statement prepared and every commit or auto-commit change. */
    private static DataSource recording(DataSource db, List<String> calls) {
        return DelegatingDataSource.intercepting(db, (real, m, args) -> {
            switch (m.getName()) {
                case "prepareStatement", "createStatement" -> calls.add(
                        args == null ? "statement" : ((String) args[0]).split(" ")[0]);
                case "commit", "rollback" -> calls.add(m.getName());
                case "setAutoCommit" -> calls.add("auto-commit " + args[0]);
                default -> {}
            }
            return DelegatingDataSource.invoke(real, m, args);
        });
    }
}
