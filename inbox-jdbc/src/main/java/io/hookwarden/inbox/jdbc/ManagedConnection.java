package io.hookwarden.inbox.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The inbox's connection as a {@link JdbcInbox#transactional} handler sees it: everything passes through, except what
 * would end or split the transaction the worker commits. {@code commit}, {@code rollback()}, {@code setAutoCommit} and
 * {@code abort} throw {@link SQLException}; {@code close} does nothing (a handler's try-with-resources is harmless).
 */
final class ManagedConnection {
    private ManagedConnection() {}

    static Connection of(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    int arity = args == null ? 0 : args.length;
                    if (name.equals("close") && arity == 0) {
                        return null;
                    }
                    if (name.equals("isClosed") && arity == 0) {
                        return connection.isClosed();
                    }
                    if ((name.equals("commit") || name.equals("rollback")) && arity == 0
                            || name.equals("setAutoCommit")
                            || name.equals("abort")) {
                        throw new SQLException("the inbox's worker commits or rolls back this transaction with the"
                                + " delivery's completion; a transactional handler cannot " + name);
                    }
                    if (name.equals("equals") && arity == 1) {
                        return proxy == args[0];
                    }
                    if (name.equals("hashCode") && arity == 0) {
                        return System.identityHashCode(proxy);
                    }
                    if (name.equals("toString") && arity == 0) {
                        return "JdbcInbox transaction connection";
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
