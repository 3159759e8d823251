package io.hookwarden.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookwarden.Reason;
import io.hookwarden.Scheme;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WebhookFixturesTest {
    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}";
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    /** scheme, signing secret, verifying secret, a header the scheme requires. */
    static Stream<Arguments> schemes() {
        return Stream.of(
                Arguments.of(
                        Schemes.standardWebhooks(),
                        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                        "webhook-id"),
                Arguments.of(
                        Schemes.standardWebhooks(),
                        "whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==",
                        "whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=",
                        "webhook-timestamp"),
                Arguments.of(
                        Schemes.svix(),
                        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
                        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
                        "svix-signature"),
                Arguments.of(Schemes.stripe(), "whsec_test_secret", "whsec_test_secret", "Stripe-Signature"),
                Arguments.of(
                        Schemes.github(),
                        "It's a Secret to Everybody",
                        "It's a Secret to Everybody",
                        "X-Hub-Signature-256"),
                Arguments.of(
                        Schemes.slack(),
                        "8f742231b10e8888abcd99yyyzzz85a5",
                        "8f742231b10e8888abcd99yyyzzz85a5",
                        "X-Slack-Request-Timestamp"));
    }

    /** The schemes that sign a timestamp: all but GitHub. */
    static Stream<Arguments> timestamped() {
        return schemes().filter(a -> a.get()[0] != Schemes.github());
    }

    private static WebhookFixtures fixtures(Scheme scheme, String secret, MutableClock clock) {
        return WebhookFixtures.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(clock)
                .build();
    }

    private static WebhookVerifier verifier(Scheme scheme, String secret, MutableClock clock) {
        return WebhookVerifier.builder()
                .scheme(scheme)
                .secret(secret)
                .tolerance(TOLERANCE)
                .clock(clock)
                .build();
    }

    private static Reason refusal(WebhookVerifier verifier, WebhookRequest request) {
        WebhookVerificationException e =
                catchThrowableOfType(WebhookVerificationException.class, () -> verifier.verify(request));
        assertThat(e).as("expected %s to be refused", request).isNotNull();
        return e.reason();
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("schemes")
    void signedDeliveryVerifiesWithTheSameBody(Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookRequest request = fixtures(scheme, signing, clock).signed(BODY);

        assertThat(verifier(scheme, verifying, clock).verify(request).bodyText())
                .isEqualTo(BODY);
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("schemes")
    void tamperedAndForgedDeliveriesAreSignatureMismatches(
            Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = fixtures(scheme, signing, clock);
        WebhookVerifier verifier = verifier(scheme, verifying, clock);

        assertThat(refusal(verifier, fixtures.tampered(BODY))).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(verifier, fixtures.forged(BODY))).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("schemes")
    void removingARequiredHeaderIsAMissingHeader(Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);

        WebhookRequest request = fixtures(scheme, signing, clock).withoutHeader(BODY, header);

        assertThat(request.headers().contains(header)).isFalse();
        assertThat(refusal(verifier(scheme, verifying, clock), request)).isEqualTo(Reason.MISSING_HEADER);
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("timestamped")
    void agedDeliveriesAreRefusedJustPastTheTolerance(Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = fixtures(scheme, signing, clock);
        WebhookVerifier verifier = verifier(scheme, verifying, clock);

        assertThat(verifier.verify(fixtures.aged(BODY, TOLERANCE)).timestamp()).isPresent();
        assertThat(refusal(verifier, fixtures.aged(BODY, TOLERANCE.plusSeconds(1))))
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("timestamped")
    void futureDeliveriesAreRefusedWhereTheSchemeBoundsTheFuture(
            Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookFixtures fixtures = fixtures(scheme, signing, clock);
        WebhookVerifier verifier = verifier(scheme, verifying, clock);
        WebhookRequest future = fixtures.fromTheFuture(BODY, TOLERANCE.plusSeconds(1));

        if (scheme.boundsFuture()) {
            assertThat(refusal(verifier, future)).isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        } else {
            assertThat(verifier.verify(future).timestamp())
                    .contains(clock.instant().plus(TOLERANCE.plusSeconds(1)));
        }
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("timestamped")
    void advancingTheSharedClockExpiresAnEarlierDelivery(
            Scheme scheme, String signing, String verifying, String header) {
        MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
        WebhookRequest request = fixtures(scheme, signing, clock).signed(BODY);
        WebhookVerifier verifier = verifier(scheme, verifying, clock);

        clock.advance(TOLERANCE.plusSeconds(1));

        assertThat(refusal(verifier, request)).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    }
}
