package io.hookwarden.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

class H2BehaviourTest extends JdbcDedupeStoreBehaviourTest {
    private static final HikariDataSource DATABASE = TestDatabases.h2();

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
        return Dialect.H2;
    }

    @Override
    Dialect detectedDialect() {
        return Dialect.H2;
    }
}
