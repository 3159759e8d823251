package io.hookwarden.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The MySQL dialect's statements on H2 in MySQL mode (no MySQL server here); H2 reports itself as H2. */
class MySqlOnH2BehaviourTest extends JdbcDedupeStoreBehaviourTest {
    private static final HikariDataSource DATABASE = TestDatabases.h2MySql();

    @AfterAll
    static void closeDatabase() {
        DATABASE.close();
    }

    @Override
    DataSource dataSource() {
        return DATABASE;
    }

    @Override
    Dialect dialect() {
        return Dialect.MYSQL;
    }

    @Override
    Dialect detectedDialect() {
        return Dialect.H2;
    }
}
