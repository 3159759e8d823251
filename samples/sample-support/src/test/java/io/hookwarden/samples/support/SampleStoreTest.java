package io.hookwarden.samples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

class SampleStoreTest {
    /**
     * Issue 17, regression: with PostgreSQL stopped under load, the servlet sample's deliveries waited HikariCP's
     * default 30 s for a connection (StoreFaultsTest saw its senders time out after 10 s) instead of being answered
     * 503 at once. Here the database is an H2 server stopped after the pool connected.
     */
    @Test
    void aPoolWhoseDatabaseWentDownFailsANewConnectionWithinAboutASecond() throws Exception {
        // given
        Server database =
                Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        try (HikariDataSource pool = SampleStore.pool(
                "jdbc:h2:tcp://127.0.0.1:" + database.getPort() + "/mem:faults;USER=sa", "sample-store-test")) {
            try (Connection up = pool.getConnection()) {
                assertThat(up.isValid(1)).isTrue();
            }
            database.stop();
            pool.getHikariPoolMXBean().softEvictConnections();

            // when
            long before = System.nanoTime();
            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class);
            Duration waited = Duration.ofNanos(System.nanoTime() - before);

            // then
            assertThat(waited).isLessThan(Duration.ofSeconds(3));
        } finally {
            database.stop();
        }
    }
}
