package io.hookwarden.test;

import io.hookwarden.HttpAnswer;
import io.hookwarden.Outcome;

/**
 * Entry point for Hookwarden's AssertJ assertions; import statically beside AssertJ's own.
 *
 * <pre>{@code
 * WebhookRequest late = fixtures.delivery(body).aged(Duration.ofMinutes(6));
 * assertThat(receiver.receive(late)).isRejectedWith(Reason.TIMESTAMP_TOO_OLD);
 * assertThat(answer).hasReason(Reason.STORE_UNAVAILABLE).hasRetryAfter(10).doesNotReveal(SECRET);
 * }</pre>
 */
public final class HookwardenAssertions {
    private HookwardenAssertions() {}

    /** Assertions on a receiver's outcome. */
    public static OutcomeAssert assertThat(Outcome actual) {
        return new OutcomeAssert(actual);
    }

    /** Assertions on an HTTP answer. */
    public static HttpAnswerAssert assertThat(HttpAnswer actual) {
        return new HttpAnswerAssert(actual);
    }
}
