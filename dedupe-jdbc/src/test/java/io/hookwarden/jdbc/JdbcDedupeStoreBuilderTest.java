package io.hookwarden.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JdbcDedupeStoreBuilderTest {
    private static final FailingDataSource UNREACHABLE =
            new FailingDataSource(new SQLException("Connection refused: user=app password=hunter2", "08001"));

    @Test
    void a_table_name_that_is_not_an_identifier_is_refused_echoing_it() {
        for (String bad : new String[] {
            "", "1table", "dedupe; DROP TABLE users", "a.b.c", "a-b", "\"quoted\"", "x".repeat(49), "schema."
        }) {
            assertThatThrownBy(() -> JdbcDedupeStore.builder().table(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void plain_and_schema_qualified_identifiers_are_accepted() {
        JdbcDedupeStore store = JdbcDedupeStore.builder()
                .dataSource(UNREACHABLE)
                .dialect(Dialect.H2)
                .table("webhooks.Dedupe_2")
                .build();

        assertThat(store.table()).isEqualTo("webhooks.Dedupe_2");
        assertThat(store.ddl())
                .contains("CREATE TABLE IF NOT EXISTS webhooks.Dedupe_2 (")
                .contains("CREATE INDEX IF NOT EXISTS webhooks.Dedupe_2_expires_at ON webhooks.Dedupe_2 (expires_at)");
    }

    @Test
    void postgresql_ddl_names_the_index_unqualified() {
        JdbcDedupeStore store = JdbcDedupeStore.builder()
                .dataSource(UNREACHABLE)
                .dialect(Dialect.POSTGRESQL)
                .table("webhooks.dedupe")
                .build();

        assertThat(store.ddl())
                .contains("CREATE INDEX IF NOT EXISTS dedupe_expires_at ON webhooks.dedupe (expires_at)");
    }

    @Test
    void each_option_may_be_set_once() {
        assertThatThrownBy(() -> JdbcDedupeStore.builder().table("a").table("b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("table was already set");
        assertThatThrownBy(() -> JdbcDedupeStore.builder().dialect(Dialect.H2).dialect(Dialect.MYSQL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dialect was already set");
        assertThatThrownBy(() -> JdbcDedupeStore.builder().purgeEvery(1).purgeEvery(2))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bad_values_are_refused_echoing_them() {
        assertThatThrownBy(() -> JdbcDedupeStore.builder().purgeEvery(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("purgeEvery must be 0 or more but was -1");
        assertThatThrownBy(() -> JdbcDedupeStore.builder().purgeBatch(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("purgeBatch must be at least 1 but was 0");
        assertThatThrownBy(() -> JdbcDedupeStore.builder().queryTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queryTimeout must be positive but was PT0S");
        assertThatThrownBy(() -> JdbcDedupeStore.builder().dataSource(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("dataSource cannot be null");
    }

    @Test
    void a_data_source_is_required() {
        assertThatThrownBy(() -> JdbcDedupeStore.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dataSource is required");
    }

    @Test
    void detecting_the_dialect_of_an_unreachable_database_fails_without_its_secrets() {
        assertThatThrownBy(
                        () -> JdbcDedupeStore.builder().dataSource(UNREACHABLE).build())
                .isInstanceOf(io.hookwarden.spi.StoreUnavailableException.class)
                .hasMessageContaining("SQLState 08001")
                .hasMessageNotContaining("hunter2");
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
            assertThat(JdbcDedupeStore.class.getClassLoader().getResource(dialect.schemaResource()))
                    .as(dialect.schemaResource())
                    .isNotNull();
        }
    }

    @Test
    void short_keys_are_stored_as_they_are_and_long_ones_as_a_prefix_and_hash() {
        String exact = "k".repeat(JdbcDedupeStore.MAX_KEY_LENGTH);
        String longer = exact + "!";

        assertThat(JdbcDedupeStore.storedKey(exact)).isEqualTo(exact);
        assertThat(JdbcDedupeStore.storedKey(longer))
                .hasSize(JdbcDedupeStore.MAX_KEY_LENGTH)
                .startsWith("kkk")
                .matches(".*#[0-9a-f]{64}")
                .isNotEqualTo(JdbcDedupeStore.storedKey(exact + "?"));
    }
}
