package io.hookwarden.jdbc;

import javax.sql.DataSource;

class PostgresBehaviourTest extends JdbcDedupeStoreBehaviourTest {
    @Override
    DataSource dataSource() {
        return TestDatabases.postgres();
    }

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    Dialect detectedDialect() {
        return Dialect.POSTGRESQL;
    }
}
