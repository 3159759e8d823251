package io.hookwarden.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresStoppedTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void a_stopped_database_answers_store_unavailable_and_the_receiver_fails_closed() throws IOException {
        MutableClock clock = MutableClock.atEpochSecond(1_767_225_600L);
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .clock(clock)
                .build();
        EmbeddedPostgres server = TestDatabases.startPostgres();
        try (HikariDataSource pool = TestDatabases.pool(server.getJdbcUrl("postgres", "postgres"), "postgres", "x")) {
            pool.setConnectionTimeout(250);
            JdbcDedupeStore store =
                    JdbcDedupeStore.builder().dataSource(pool).clock(clock).build();
            store.createTableIfMissing();
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(WebhookVerifier.builder()
                            .scheme(Schemes.standardWebhooks())
                            .secret(SECRET)
                            .clock(clock)
                            .build())
                    .dedupeStore(store)
                    .build();
            Outcome before =
                    receiver.receive(fixtures.delivery("{}").id("msg_before").signed());

            server.close();
            Outcome after =
                    receiver.receive(fixtures.delivery("{}").id("msg_after").signed());

            assertThat(before).isInstanceOf(Outcome.Accepted.class);
            assertThat(after).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
                assertThat(r.reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
                assertThat(r.answer().status()).isEqualTo(503);
            });
            assertThatThrownBy(() -> store.claim("k", Duration.ofMinutes(1)))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("claim")
                    .hasMessageContaining("SQLState 08");
        } finally {
            server.close();
        }
    }
}
