package io.hookwarden.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.spi.ClaimResult.Status;
import io.hookwarden.spi.StoreUnavailableException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17: the store's paths its mutation run found untested (query timeouts, a retried rollback that never clears, a
 * long key cut at a surrogate pair, its description), on H2.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JdbcDedupeStoreEdgesTest {
    private static final Duration LEASE = Duration.ofMinutes(1);

    private static JdbcDedupeStore.Builder onH2(DataSource db, String table) {
        return JdbcDedupeStore.builder().dataSource(db).dialect(Dialect.H2).table(table);
    }

    private static String table() {
        return "edges_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** {@code db}, whose connections show {@code interceptor} every call and every query timeout set. */
    private static DataSource intercepting(DataSource db, Interceptor interceptor) {
        return new DelegatingDataSource(db) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection real = delegate.getConnection();
                return (Connection) Proxy.newProxyInstance(
                        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, m, args) -> {
                            interceptor.before(m.getName(), args);
                            try {
                                Object result = m.invoke(real, args);
                                if (result instanceof PreparedStatement statement) {
                                    return recordingTimeouts(statement, interceptor);
                                }
                                return result;
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
    }

    private static PreparedStatement recordingTimeouts(PreparedStatement statement, Interceptor interceptor) {
        return (PreparedStatement) Proxy.newProxyInstance(
                PreparedStatement.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, (p, m, args) -> {
                    if (m.getName().equals("setQueryTimeout")) {
                        interceptor.timeout((Integer) args[0]);
                    }
                    try {
                        return m.invoke(statement, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private interface Interceptor {
        default void before(String method, Object[] args) throws SQLException {}

        default void timeout(int seconds) {}
    }

    @Test
    void every_statement_gets_the_query_timeout_rounded_up_to_whole_seconds() {
        String table = table();
        DataSource h2 = TestDatabases.h2();
        onH2(h2, table).build().createTableIfMissing();
        List<Integer> timeouts = new CopyOnWriteArrayList<>();
        JdbcDedupeStore store = onH2(
                        intercepting(h2, new Interceptor() {
                            @Override
                            public void timeout(int seconds) {
                                timeouts.add(seconds);
                            }
                        }),
                        table)
                .queryTimeout(Duration.ofMillis(1_500))
                .build();

        assertThat(store.claim("evt_1", LEASE).status()).isEqualTo(Status.CLAIMED);

        assertThat(timeouts).isNotEmpty().containsOnly(2);
    }

    @Test
    void without_a_query_timeout_no_statement_gets_one() {
        String table = table();
        DataSource h2 = TestDatabases.h2();
        onH2(h2, table).build().createTableIfMissing();
        List<Integer> timeouts = new CopyOnWriteArrayList<>();
        JdbcDedupeStore store = onH2(
                        intercepting(h2, new Interceptor() {
                            @Override
                            public void timeout(int seconds) {
                                timeouts.add(seconds);
                            }
                        }),
                        table)
                .build();

        assertThat(store.claim("evt_1", LEASE).status()).isEqualTo(Status.CLAIMED);

        assertThat(timeouts).isEmpty();
    }

    @Test
    void the_query_timeout_is_set_once_and_positive() {
        JdbcDedupeStore.Builder builder = JdbcDedupeStore.builder().queryTimeout(Duration.ofSeconds(1));

        assertThatThrownBy(() -> builder.queryTimeout(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("queryTimeout");
        assertThatThrownBy(() -> JdbcDedupeStore.builder().queryTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queryTimeout");
    }

    @Test
    @Timeout(30)
    void a_rollback_that_never_clears_is_tried_a_few_times_then_store_unavailable() {
        String table = table();
        DataSource h2 = TestDatabases.h2();
        onH2(h2, table).build().createTableIfMissing();
        AtomicInteger prepared = new AtomicInteger();
        JdbcDedupeStore store = onH2(
                        intercepting(h2, new Interceptor() {
                            @Override
                            public void before(String method, Object[] args) throws SQLException {
                                if (method.equals("prepareStatement")) {
                                    prepared.incrementAndGet();
                                    throw new SQLException("could not serialize access", "40001");
                                }
                            }
                        }),
                        table)
                .build();

        assertThatThrownBy(() -> store.claim("evt_1", LEASE))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("40001");
        assertThat(prepared).hasValue(3);
    }

    @Test
    void a_long_key_cut_inside_a_surrogate_pair_is_cut_before_it_and_stays_one_key() {
        String table = table();
        JdbcDedupeStore store = onH2(TestDatabases.h2(), table).build();
        store.createTableIfMissing();
        // the cut falls after 512 - 64 - 1 = 447 chars: put a pair's high surrogate at index 446
        String key = "k".repeat(446) + "\uD83D\uDE00" + "tail".repeat(100);

        assertThat(store.claim(key, LEASE).status()).isEqualTo(Status.CLAIMED);
        assertThat(store.claim(key, LEASE).status()).isEqualTo(Status.IN_PROGRESS);
        assertThat(store.claim(key + "x", LEASE).status()).isEqualTo(Status.CLAIMED);
    }

    @Test
    void a_purge_that_fails_is_logged_and_the_claim_that_ran_it_still_answers() {
        String table = table();
        DataSource h2 = TestDatabases.h2();
        onH2(h2, table).build().createTableIfMissing();
        JdbcDedupeStore store = onH2(
                        intercepting(h2, new Interceptor() {
                            @Override
                            public void before(String method, Object[] args) throws SQLException {
                                if (method.equals("prepareStatement") && ((String) args[0]).startsWith("DELETE")) {
                                    throw new SQLException("disk full", "53100");
                                }
                            }
                        }),
                        table)
                .purgeEvery(1)
                .build();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(JdbcDedupeStore.class.getName());
        List<String> logged = new CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            assertThat(store.claim("evt_1", LEASE).status()).isEqualTo(Status.CLAIMED);
        } finally {
            logger.removeHandler(handler);
        }

        assertThat(logged)
                .singleElement()
                .satisfies(line ->
                        assertThat(line).startsWith("WARNING").contains("purge").contains("53100"));
    }

    @Test
    void an_expired_key_another_attempt_takes_over_on_every_round_is_in_progress_not_claimed() throws Exception {
        // given: an expired claim, and a driver on which every take-over finds the row changed (another attempt won)
        String table = table();
        DataSource h2 = TestDatabases.h2();
        JdbcDedupeStore first = onH2(h2, table).build();
        first.createTableIfMissing();
        assertThat(first.claim("evt_1", Duration.ofMillis(1)).status()).isEqualTo(Status.CLAIMED);
        Thread.sleep(5);
        AtomicInteger takeOvers = new AtomicInteger();
        JdbcDedupeStore raced = onH2(
                        new DelegatingDataSource(h2) {
                            @Override
                            public Connection getConnection() throws SQLException {
                                Connection real = delegate.getConnection();
                                return (Connection) Proxy.newProxyInstance(
                                        Connection.class.getClassLoader(),
                                        new Class<?>[] {Connection.class},
                                        (p, m, args) -> {
                                            Object result = invoke(real, m, args);
                                            if (m.getName().equals("prepareStatement")
                                                    && ((String) args[0]).startsWith("UPDATE")) {
                                                return lostRace((PreparedStatement) result, takeOvers);
                                            }
                                            return result;
                                        });
                            }
                        },
                        table)
                .build();

        // when
        Status status = raced.claim("evt_1", LEASE).status();

        // then: it gave up after its rounds, without claiming what it never won
        assertThat(status).isEqualTo(Status.IN_PROGRESS);
        assertThat(takeOvers).hasValue(8);
    }

    /** A take-over statement whose update always finds the row changed: 0 rows. */
    private static PreparedStatement lostRace(PreparedStatement statement, AtomicInteger takeOvers) {
        return (PreparedStatement) Proxy.newProxyInstance(
                PreparedStatement.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, (p, m, args) -> {
                    if (m.getName().equals("executeUpdate")) {
                        takeOvers.incrementAndGet();
                        return 0;
                    }
                    return invoke(statement, m, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void it_describes_itself_by_table_and_dialect() {
        JdbcDedupeStore store = onH2(TestDatabases.h2(), "described_store").build();

        assertThat(store).hasToString("JdbcDedupeStore[table=described_store, dialect=H2]");
    }
}
