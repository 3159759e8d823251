package io.hookwarden.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.spi.StoreUnavailableException;
import java.sql.SQLException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JdbcInboxBuilderTest {
    private static final FailingDataSource UNREACHABLE =
            new FailingDataSource(new SQLException("Connection refused: user=app password=hunter2", "08001"));

    @Test
    void a_table_name_that_is_not_an_identifier_is_refused_echoing_it() {
        for (String bad : new String[] {
            "", "1table", "inbox; DROP TABLE users", "a.b.c", "a-b", "\"quoted\"", "x".repeat(49), "schema."
        }) {
            assertThatThrownBy(() -> JdbcInbox.builder().table(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void h2_ddl_qualifies_index_names_and_keeps_constraint_names_plain() {
        JdbcInbox inbox = JdbcInbox.builder()
                .dataSource(UNREACHABLE)
                .dialect(Dialect.H2)
                .table("webhooks.Inbox_2")
                .build();

        assertThat(inbox.table()).isEqualTo("webhooks.Inbox_2");
        assertThat(inbox.ddl())
                .contains("CREATE TABLE IF NOT EXISTS webhooks.Inbox_2 (")
                .contains("CONSTRAINT Inbox_2_dedupe UNIQUE (endpoint, dedupe_key)")
                .contains("CREATE INDEX IF NOT EXISTS webhooks.Inbox_2_claim ON webhooks.Inbox_2 (")
                .doesNotContain("hookwarden_inbox");
    }

    @Test
    void postgresql_and_mysql_ddl_name_indexes_unqualified() {
        for (Dialect dialect : new Dialect[] {Dialect.POSTGRESQL, Dialect.MYSQL}) {
            JdbcInbox inbox = JdbcInbox.builder()
                    .dataSource(UNREACHABLE)
                    .dialect(dialect)
                    .table("webhooks.inbox")
                    .build();

            assertThat(inbox.ddl())
                    .as(dialect.name())
                    .contains("CREATE TABLE IF NOT EXISTS webhooks.inbox (")
                    .contains("inbox_claim")
                    .doesNotContain("webhooks.inbox_claim")
                    .doesNotContain("hookwarden_inbox");
        }
    }

    @Test
    void each_option_may_be_set_once() {
        assertThatThrownBy(() -> JdbcInbox.builder().table("a").table("b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("table was already set");
        assertThatThrownBy(() -> JdbcInbox.builder().dialect(Dialect.H2).dialect(Dialect.MYSQL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dialect was already set");
        assertThatThrownBy(() -> JdbcInbox.builder().skipLocked(true).skipLocked(false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("skipLocked was already set");
        assertThatThrownBy(() -> JdbcInbox.builder().dataSource(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("dataSource cannot be null");
    }

    @Test
    void a_data_source_is_required() {
        assertThatThrownBy(() -> JdbcInbox.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dataSource is required");
    }

    @Test
    void detecting_the_dialect_of_an_unreachable_database_fails_without_its_secrets() {
        assertThatThrownBy(() -> JdbcInbox.builder().dataSource(UNREACHABLE).build())
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("SQLState 08001")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void the_dialect_and_skip_locked_are_detected() {
        JdbcInbox postgres =
                JdbcInbox.builder().dataSource(TestDatabases.postgres()).build();
        JdbcInbox h2 = JdbcInbox.builder().dataSource(TestDatabases.h2()).build();
        postgres.createTableIfMissing();
        h2.createTableIfMissing();

        assertThat(postgres.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(postgres.usesSkipLocked()).isTrue();
        assertThat(h2.dialect()).isEqualTo(Dialect.H2);
        assertThat(h2.usesSkipLocked())
                .as("H2 2.x parses FOR UPDATE SKIP LOCKED")
                .isTrue();
    }

    @Test
    void product_names_map_to_dialects() {
        assertThat(Dialect.ofProductName("PostgreSQL")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.ofProductName("MySQL")).isEqualTo(Dialect.MYSQL);
        assertThat(Dialect.ofProductName("MariaDB")).isEqualTo(Dialect.MYSQL);
        assertThat(Dialect.ofProductName("H2")).isEqualTo(Dialect.H2);
        assertThatThrownBy(() -> Dialect.ofProductName("Oracle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Oracle'");
    }

    @Test
    void every_dialect_ships_its_ddl() {
        for (Dialect dialect : Dialect.values()) {
            assertThat(JdbcInbox.class.getClassLoader().getResource(dialect.schemaResource()))
                    .as(dialect.schemaResource())
                    .isNotNull();
        }
    }
}
