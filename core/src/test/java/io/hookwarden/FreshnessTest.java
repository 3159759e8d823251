package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static io.hookwarden.TestRequests.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The time window of every timestamped scheme: the edges of the maximum age and the future skew, to the second (and
 * the millisecond for millisecond timestamps), Stripe's past-only window, the options set separately, and messages
 * that state the timestamp, the tolerance and now.
 */
class FreshnessTest {
    private static final Instant NOW = SchemeCase.NOW;
    private static final Duration DEFAULT = WebhookVerifier.DEFAULT_TOLERANCE;
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    static Stream<SchemeCase> timestamped() {
        return SchemeCase.timestamped().stream();
    }

    static Stream<SchemeCase> twoSided() {
        return timestamped().filter(SchemeCase::boundsFuture);
    }

    /** Every timestamped scheme with the default tolerance (null) and with an explicit one. */
    static Stream<Arguments> timestampedWithTolerance() {
        return timestamped().flatMap(c -> Stream.of(Arguments.of(c, null), Arguments.of(c, Duration.ofSeconds(90))));
    }

    static Stream<Arguments> twoSidedWithTolerance() {
        return twoSided().flatMap(c -> Stream.of(Arguments.of(c, null), Arguments.of(c, Duration.ofSeconds(90))));
    }

    // ---- the past

    @ParameterizedTest(name = "{0}, tolerance {1}")
    @MethodSource("timestampedWithTolerance")
    void acceptsTimestampOneSecondYoungerThanTolerance(SchemeCase c, Duration tolerance) {
        // given
        Instant timestamp = NOW.minus(effective(tolerance)).plus(ONE_SECOND);
        WebhookRequest request = c.sampleRequest(body(), timestamp);

        // when
        VerifiedWebhook webhook = verifier(c, tolerance, NOW).verify(request);

        // then
        assertThat(webhook.timestamp()).contains(timestamp);
    }

    @ParameterizedTest(name = "{0}, tolerance {1}")
    @MethodSource("timestampedWithTolerance")
    void acceptsTimestampExactlyAsOldAsTolerance(SchemeCase c, Duration tolerance) {
        // given
        Instant timestamp = NOW.minus(effective(tolerance));
        WebhookRequest request = c.sampleRequest(body(), timestamp);

        // when
        VerifiedWebhook webhook = verifier(c, tolerance, NOW).verify(request);

        // then
        assertThat(webhook.timestamp()).contains(timestamp);
    }

    @ParameterizedTest(name = "{0}, tolerance {1}")
    @MethodSource("timestampedWithTolerance")
    void rejectsTimestampOlderThanTolerance(SchemeCase c, Duration tolerance) {
        // given
        Instant timestamp = NOW.minus(effective(tolerance)).minus(ONE_SECOND);
        WebhookRequest request = c.sampleRequest(body(), timestamp);

        // when
        WebhookVerificationException e = refusal(verifier(c, tolerance, NOW), request);

        // then
        assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        assertThat(e.getMessage())
                .contains(timestamp.toString(), effective(tolerance).toString(), NOW.toString());
    }

    // ---- the future

    @ParameterizedTest(name = "{0}, tolerance {1}")
    @MethodSource("twoSidedWithTolerance")
    void acceptsTimestampOneSecondLessInTheFutureThanTolerance(SchemeCase c, Duration tolerance) {
        // given
        Instant timestamp = NOW.plus(effective(tolerance)).minus(ONE_SECOND);
        WebhookRequest request = c.sampleRequest(body(), timestamp);

        // when
        VerifiedWebhook webhook = verifier(c, tolerance, NOW).verify(request);

        // then
        assertThat(webhook.timestamp()).contains(timestamp);
    }

    @ParameterizedTest(name = "{0}, tolerance {1}")
    @MethodSource("twoSidedWithTolerance")
    void acceptsTimestampExactlyToleranceInTheFuture(SchemeCase c, Duration tolerance) {
        // given
        Instant timestamp = NOW.plus(effective(tolerance));
        WebhookRequest request = c.sampleRequest(body(), timestamp);

        // when
        VerifiedWebhook webhook = verifier(c, tolerance, NOW).verify(request);

        // then
        assertThat(webhook.timestamp()).contains(timestamp);
    }

    @ParameterizedTest(name = "{0}, tolerance {1}")
    @MethodSource("twoSidedWithTolerance")
    void rejectsTimestampFurtherInTheFutureThanTolerance(SchemeCase c, Duration tolerance) {
        // given
        Instant timestamp = NOW.plus(effective(tolerance)).plus(ONE_SECOND);
        WebhookRequest request = c.sampleRequest(body(), timestamp);

        // when
        WebhookVerificationException e = refusal(verifier(c, tolerance, NOW), request);

        // then
        assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        assertThat(e.getMessage())
                .contains(timestamp.toString(), effective(tolerance).toString(), NOW.toString());
    }

    // ---- Stripe: two-sided, though Stripe's own libraries check only the age (issue 13)

    @ParameterizedTest(name = "tolerance {0}")
    @MethodSource("tolerances")
    void stripeRefusesTimestampsFurtherAheadThanTheTolerance(Duration tolerance) {
        for (Duration ahead :
                new Duration[] {effective(tolerance).plusSeconds(1), Duration.ofDays(1), Duration.ofDays(3650)}) {
            // given
            Instant timestamp = NOW.plus(ahead);
            WebhookRequest request = SchemeCase.STRIPE.sampleRequest(body(), timestamp);

            // when
            WebhookVerificationException refused = refusal(verifier(SchemeCase.STRIPE, tolerance, NOW), request);

            // then
            assertThat(refused.reason()).as("%s ahead", ahead).isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        }
    }

    static Stream<Duration> tolerances() {
        return Stream.of(null, Duration.ofSeconds(90));
    }

    @Test
    void stripeRefusesFutureTimestampsBeyondAnExplicitFutureSkew() {
        // given
        Duration skew = Duration.ofSeconds(30);
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.stripe())
                .secret(SchemeCase.STRIPE.sample().verifying())
                .futureSkew(skew)
                .clock(fixed(NOW))
                .build();
        Instant atSkew = NOW.plus(skew);
        Instant beyondSkew = atSkew.plus(ONE_SECOND);

        // when
        VerifiedWebhook accepted = verifier.verify(SchemeCase.STRIPE.sampleRequest(body(), atSkew));
        WebhookVerificationException refused = refusal(verifier, SchemeCase.STRIPE.sampleRequest(body(), beyondSkew));

        // then
        assertThat(accepted.timestamp()).contains(atSkew);
        assertThat(refused.reason()).isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        assertThat(refused.getMessage()).contains(beyondSkew.toString(), "PT30S", NOW.toString());
    }

    // ---- the options set separately

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamped")
    void maxAgeAndFutureSkewSetSeparatelyBehaveSeparately(SchemeCase c) {
        // given
        WebhookVerifier verifier = builder(c, NOW)
                .maxAge(Duration.ofSeconds(10))
                .futureSkew(Duration.ofMinutes(2))
                .build();

        // when / then: the past is bounded by maxAge only
        assertThat(verifier.verify(c.sampleRequest(body(), NOW.minusSeconds(10)))
                        .timestamp())
                .isPresent();
        assertThat(refusal(verifier, c.sampleRequest(body(), NOW.minusSeconds(11)))
                        .reason())
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        // when / then: the future by futureSkew only
        assertThat(verifier.verify(c.sampleRequest(body(), NOW.plusSeconds(120)))
                        .timestamp())
                .isPresent();
        assertThat(refusal(verifier, c.sampleRequest(body(), NOW.plusSeconds(121)))
                        .reason())
                .isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twoSided")
    void maxAgeReplacesTheToleranceOnlyForThePast(SchemeCase c) {
        // given
        WebhookVerifier verifier = builder(c, NOW)
                .tolerance(Duration.ofMinutes(1))
                .maxAge(Duration.ofMinutes(10))
                .build();

        // when
        VerifiedWebhook nineMinutesOld = verifier.verify(c.sampleRequest(body(), NOW.minus(Duration.ofMinutes(9))));
        WebhookVerificationException tooFarAhead = refusal(verifier, c.sampleRequest(body(), NOW.plusSeconds(61)));

        // then
        assertThat(nineMinutesOld.timestamp()).contains(NOW.minus(Duration.ofMinutes(9)));
        assertThat(tooFarAhead.reason()).isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        assertThat(tooFarAhead.getMessage()).contains("PT1M");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twoSided")
    void futureSkewReplacesTheToleranceOnlyForTheFuture(SchemeCase c) {
        // given
        WebhookVerifier verifier = builder(c, NOW)
                .tolerance(Duration.ofMinutes(1))
                .futureSkew(Duration.ofMinutes(10))
                .build();

        // when
        VerifiedWebhook nineMinutesAhead = verifier.verify(c.sampleRequest(body(), NOW.plus(Duration.ofMinutes(9))));
        WebhookVerificationException tooOld = refusal(verifier, c.sampleRequest(body(), NOW.minusSeconds(61)));

        // then
        assertThat(nineMinutesAhead.timestamp()).contains(NOW.plus(Duration.ofMinutes(9)));
        assertThat(tooOld.reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        assertThat(tooOld.getMessage()).contains("PT1M");
    }

    // ---- precision

    @Test
    void millisecondTimestampsAreCheckedToTheMillisecond() {
        // given
        SchemeCase c = SchemeCase.GENERIC_URL;
        Duration tolerance = Duration.ofSeconds(90);
        WebhookVerifier verifier = verifier(c, tolerance, NOW);
        Instant oldest = NOW.minus(tolerance);
        Instant furthest = NOW.plus(tolerance);

        // when / then
        assertThat(verifier.verify(c.sampleRequest(body(), oldest)).timestamp()).contains(oldest);
        assertThat(refusal(verifier, c.sampleRequest(body(), oldest.minusMillis(1)))
                        .reason())
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        assertThat(verifier.verify(c.sampleRequest(body(), furthest)).timestamp())
                .contains(furthest);
        assertThat(refusal(verifier, c.sampleRequest(body(), furthest.plusMillis(1)))
                        .reason())
                .isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamped")
    void rejectsTimestampOlderThanToleranceByLessThanASecond(SchemeCase c) {
        // given: signed on a whole second, checked half a second after the window closed
        WebhookRequest request = c.sampleRequest(body(), NOW);
        WebhookVerifier verifier = verifier(c, null, NOW.plus(DEFAULT).plusMillis(500));

        // when
        WebhookVerificationException e = refusal(verifier, request);

        // then
        assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    }

    // ---- the clock, and what is checked first

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamped")
    void readsTheInjectedClockAtEveryDelivery(SchemeCase c) {
        // given
        TestClock clock = new TestClock(NOW);
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(c.scheme())
                .secret(c.sample().verifying())
                .clock(clock)
                .build();
        WebhookRequest request = c.sampleRequest(body(), NOW);

        // when / then
        assertThat(verifier.verify(request).timestamp()).contains(NOW);
        clock.advance(DEFAULT);
        assertThat(verifier.verify(request).timestamp()).contains(NOW);
        clock.advance(ONE_SECOND);
        assertThat(refusal(verifier, request).reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        clock.set(NOW);
        assertThat(verifier.verify(request).timestamp()).contains(NOW);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamped")
    void refusesAStaleForgeryAsASignatureMismatchNotAsStale(SchemeCase c) {
        // given
        WebhookRequest old = c.sampleRequest(body(), NOW.minus(Duration.ofDays(30)));
        WebhookRequest forged = withBody(old, "{\"amount\":1000000}".getBytes(StandardCharsets.UTF_8));

        // when
        WebhookVerificationException e = refusal(verifier(c, null, NOW), forged);

        // then
        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamped")
    void ignoreTimestampAcceptsDeliveriesOfAnyAge(SchemeCase c) {
        // given
        WebhookVerifier verifier = builder(c, NOW).ignoreTimestamp().build();
        Instant tenYearsAgo = NOW.minus(Duration.ofDays(3650));
        Instant tenYearsAhead = NOW.plus(Duration.ofDays(3650));

        // when
        VerifiedWebhook old = verifier.verify(c.sampleRequest(body(), tenYearsAgo));
        VerifiedWebhook ahead = verifier.verify(c.sampleRequest(body(), tenYearsAhead));

        // then
        assertThat(old.timestamp()).contains(tenYearsAgo);
        assertThat(ahead.timestamp()).contains(tenYearsAhead);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamped")
    void rejectsTheEpochAsTooOldNotAsMalformed(SchemeCase c) {
        // given
        WebhookRequest request = c.sampleRequest(body(), Instant.EPOCH);

        // when
        WebhookVerificationException e = refusal(verifier(c, null, NOW), request);

        // then
        assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        assertThat(e.getMessage()).contains("1970-01-01T00:00:00Z");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamped")
    void windowLongerThanTheTimeLineNeverOverflows(SchemeCase c) {
        // given
        Duration forever = ChronoUnit.FOREVER.getDuration();
        WebhookVerifier verifier =
                builder(c, NOW).maxAge(forever).futureSkew(forever).build();
        Instant lastSecondOf9999 = Instant.parse("9999-12-31T23:59:59Z");

        // when
        VerifiedWebhook epoch = verifier.verify(c.sampleRequest(body(), Instant.EPOCH));
        VerifiedWebhook farFuture = verifier.verify(c.sampleRequest(body(), lastSecondOf9999));

        // then
        assertThat(epoch.timestamp()).contains(Instant.EPOCH);
        assertThat(farFuture.timestamp()).contains(lastSecondOf9999);
    }

    @Test
    void pastOnlySchemeStillRefusesTimestampsOlderThanTheTolerance() {
        // given: a window with a maximum age and no future skew
        HmacScheme scheme = Schemes.hmac()
                .timestampHeader("X-Ts")
                .signedContent("{timestamp}.{body}")
                .pastOnlyWindow()
                .build();
        WebhookSigner signer =
                WebhookSigner.builder().scheme(scheme).secret("generic-secret").build();
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(scheme)
                .secret("generic-secret")
                .clock(fixed(NOW))
                .build();
        Instant oldest = NOW.minus(DEFAULT);

        // when
        VerifiedWebhook atTheEdge = verifier.verify(
                signer.sign(WebhookMessage.body(body()).timestamp(oldest).build()));
        WebhookVerificationException beyond = refusal(
                verifier,
                signer.sign(WebhookMessage.body(body())
                        .timestamp(oldest.minus(ONE_SECOND))
                        .build()));

        // then
        assertThat(atTheEdge.timestamp()).contains(oldest);
        assertThat(beyond.reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    }

    @Test
    void aClockBetweenTwoSecondsCountsItsFractionAtTheFutureSkewEdge() {
        // given: now is half a second past a whole second; timestamps are whole seconds
        SchemeCase c = SchemeCase.STANDARD_WEBHOOKS;
        Duration skew = Duration.ofSeconds(90);
        Instant now = NOW.plusMillis(500);
        WebhookVerifier verifier = verifier(c, skew, now);
        Instant halfASecondInside = NOW.plus(skew);
        Instant halfASecondBeyond = halfASecondInside.plus(ONE_SECOND);

        // when
        VerifiedWebhook accepted = verifier.verify(c.sampleRequest(body(), halfASecondInside));
        WebhookVerificationException refused = refusal(verifier, c.sampleRequest(body(), halfASecondBeyond));

        // then
        assertThat(accepted.timestamp()).contains(halfASecondInside);
        assertThat(refused.reason()).isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
    }

    @Test
    void aMillisecondTimestampBetweenTwoSecondsCountsItsFractionAtTheMaximumAge() {
        // given: a millisecond timestamp 0.7 s into its second, checked 0.3 s into a later one
        SchemeCase c = SchemeCase.GENERIC_URL;
        Duration maxAge = Duration.ofSeconds(90);
        Instant timestamp = NOW.plusMillis(700);
        WebhookVerifier verifier = verifier(c, maxAge, timestamp.plus(maxAge));

        // when
        VerifiedWebhook exactlyAsOld = verifier.verify(c.sampleRequest(body(), timestamp));
        WebhookVerificationException oneMillisOlder =
                refusal(verifier, c.sampleRequest(body(), timestamp.minusMillis(1)));

        // then
        assertThat(exactlyAsOld.timestamp()).contains(timestamp);
        assertThat(oneMillisOlder.reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    }

    // ---- helpers

    private static Duration effective(Duration tolerance) {
        return tolerance == null ? DEFAULT : tolerance;
    }

    private static byte[] body() {
        return "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}".getBytes(StandardCharsets.UTF_8);
    }

    private static Clock fixed(Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    private static WebhookVerifier.Builder builder(SchemeCase c, Instant now) {
        return WebhookVerifier.builder()
                .scheme(c.scheme())
                .secret(c.sample().verifying())
                .clock(fixed(now));
    }

    /** A verifier with the default tolerance (null) or the given one. */
    private static WebhookVerifier verifier(SchemeCase c, Duration tolerance, Instant now) {
        WebhookVerifier.Builder builder = builder(c, now);
        if (tolerance != null) {
            builder.tolerance(tolerance);
        }
        return builder.build();
    }
}
