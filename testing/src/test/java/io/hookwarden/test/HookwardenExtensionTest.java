package io.hookwarden.test;

import static io.hookwarden.test.HookwardenAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.HttpAnswer;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@WebhookTest(scheme = "stripe", secret = HookwardenExtensionTest.SECRET, epochSecond = 1_800_000_000L)
class HookwardenExtensionTest {
    static final String SECRET = "whsec_stripe_style_test_secret";

    private WebhookReceiver receiver;

    @BeforeEach
    void receiver(MutableClock clock) {
        receiver = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.stripe())
                        .secret(SECRET)
                        .clock(clock)
                        .build())
                .build();
    }

    @Test
    void theClockStartsWhereTheAnnotationSays(MutableClock clock) {
        assertThat(clock.instant()).isEqualTo(Instant.ofEpochSecond(1_800_000_000L));
    }

    @Test
    void theFixturesSignWithTheConfiguredSchemeAndTheInjectedClock(WebhookFixtures fixtures, MutableClock clock) {
        assertThat(fixtures.scheme().id()).isEqualTo("stripe");

        Outcome fresh = receiver.receive(fixtures.delivery("{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}")
                .signed());
        clock.advance(Duration.ofMinutes(6));
        Outcome late = receiver.receive(fixtures.delivery("{\"id\":\"evt_2\"}").aged(Duration.ZERO));

        assertThat(fresh).isAccepted().answersWith(200);
        assertThat(late).isAccepted();
    }

    @Test
    void advancingTheClockAgesADeliveryThatWasAlreadySigned(WebhookFixtures fixtures, MutableClock clock) {
        var request = fixtures.delivery("{\"id\":\"evt_3\"}").signed();

        clock.advance(Duration.ofMinutes(6));

        assertThat(receiver.receive(request))
                .isRejectedWith(Reason.TIMESTAMP_TOO_OLD)
                .answersWith(401);
    }

    @Test
    void theAssertionsNameWhatWasExpectedAndWhatHappened(WebhookFixtures fixtures) {
        Outcome forged =
                receiver.receive(fixtures.delivery("{\"id\":\"evt_4\"}").forged());

        assertThat(forged).isRejectedWith(Reason.SIGNATURE_MISMATCH);
        assertThatThrownBy(() -> assertThat(forged).isRejectedWith(Reason.TIMESTAMP_TOO_OLD))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("TIMESTAMP_TOO_OLD")
                .hasMessageContaining("SIGNATURE_MISMATCH");
        assertThatThrownBy(() -> assertThat(forged).isAccepted())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Accepted");
    }

    @Test
    void answerAssertionsCheckReasonRetryAfterAndLeaks() {
        HttpAnswer busy = HttpAnswer.problem(Reason.IN_PROGRESS, Duration.ofSeconds(30));

        assertThat(busy).hasReason(Reason.IN_PROGRESS).hasRetryAfter(30).doesNotReveal(SECRET);
        assertThatThrownBy(() -> assertThat(busy).hasReason(Reason.DUPLICATE)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertThat(busy).doesNotReveal("IN_PROGRESS")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertThat(busy).hasRetryAfter(10)).isInstanceOf(AssertionError.class);
    }

    @Nested
    class InANestedClass {
        @Test
        void theEnclosingConfigurationApplies(WebhookFixtures fixtures, MutableClock clock) {
            assertThat(fixtures.scheme().id()).isEqualTo("stripe");
            assertThat(clock.instant().getEpochSecond()).isEqualTo(1_800_000_000L);
        }
    }
}
