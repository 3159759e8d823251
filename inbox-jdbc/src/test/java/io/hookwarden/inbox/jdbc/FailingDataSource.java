package io.hookwarden.inbox.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** A data source whose database cannot be reached: every connection attempt throws the given exception. */
final class FailingDataSource extends DelegatingDataSource {
    private final SQLException failure;

    FailingDataSource(SQLException failure) {
        super(null);
        this.failure = failure;
    }

    @Override
    public Connection getConnection() throws SQLException {
        throw failure;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw failure;
    }
}
