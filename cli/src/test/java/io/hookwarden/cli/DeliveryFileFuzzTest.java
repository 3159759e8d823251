package io.hookwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hookwarden.Keys;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (issue 17): the CLI's deliveries file ({@code verify --deliveries}), read as the command reads it
 * (strict UTF-8) and then verified line by line. Reading gives deliveries, refuses the file as {@link
 * DeliveryFile.Unreadable} or, for bytes that are not UTF-8, with the decoder's {@link CharacterCodingException}:
 * each a usage error of the command, never another exception. Every delivery read has its line, an id without blanks,
 * and a request or a problem, never both; verifying its request gives a verdict or a {@link
 * WebhookVerificationException}.
 */
class DeliveryFileFuzzTest {
    private static final String SECRET = "whsec_test_secret_1234567890";

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void readsAnyFileOrRefusesIt(byte[] file) throws IOException {
        // when
        List<DeliveryFile.Delivery> deliveries;
        try {
            deliveries = DeliveryFile.read(new BufferedReader(
                    new InputStreamReader(new ByteArrayInputStream(file), StandardCharsets.UTF_8.newDecoder())));
        } catch (DeliveryFile.Unreadable | CharacterCodingException refused) {
            return;
        }

        // then
        int previous = 0;
        for (DeliveryFile.Delivery delivery : deliveries) {
            assertThat(delivery.line()).isGreaterThan(previous);
            previous = delivery.line();
            assertThat(delivery.id()).isNotEmpty().doesNotContainAnyWhitespaces();
            assertThat(delivery.request() == null)
                    .as("a request or a problem")
                    .isNotEqualTo(delivery.problem() == null);
            if (delivery.request() != null) {
                Clock clock = delivery.now() == null
                        ? Clock.fixed(java.time.Instant.ofEpochSecond(1772366400L), ZoneOffset.UTC)
                        : Clock.fixed(delivery.now(), ZoneOffset.UTC);
                WebhookVerifier verifier = WebhookVerifier.builder()
                        .scheme(Schemes.stripe())
                        .keys(Keys.of(SECRET))
                        .clock(clock)
                        .build();
                try {
                    verifier.verify(delivery.request());
                } catch (WebhookVerificationException refused) {
                    assertThat(refused.reason()).isNotNull();
                }
            }
        }
    }
}
