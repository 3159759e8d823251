package io.hookwarden.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.spi.Inbox.Written;
import io.hookwarden.spi.StoreUnavailableException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
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
        DataSource db = dialect == Dialect.POSTGRESQL
                ? TestDatabases.postgres()
                : dialect == Dialect.MYSQL ? TestDatabases.h2MySql() : TestDatabases.h2();
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
            assertThatThrownBy(() -> inbox.claim(List.of("ep"), 1, java.time.Duration.ofMinutes(1)))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("claim deliveries");
        } finally {
            server.close();
        }
    }

    /** Records, per connection, the SQL verb of each statement prepared and every commit or auto-commit change. */
    private static DataSource recording(DataSource db, List<String> calls) {
        return new DelegatingDataSource(db) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection real = delegate.getConnection();
                return (Connection) Proxy.newProxyInstance(
                        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                            switch (m.getName()) {
                                case "prepareStatement", "createStatement" -> calls.add(
                                        args == null ? "statement" : ((String) args[0]).split(" ")[0]);
                                case "commit", "rollback" -> calls.add(m.getName());
                                case "setAutoCommit" -> calls.add("auto-commit " + args[0]);
                                default -> {}
                            }
                            try {
                                return m.invoke(real, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
    }
}
