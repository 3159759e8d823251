package io.hookwarden.test;

import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a receiver's {@link Outcome}: {@code assertThat(outcome).isRejectedWith(TIMESTAMP_TOO_OLD)}.
 * Get one from {@link HookwardenAssertions#assertThat(Outcome)}.
 */
public final class OutcomeAssert extends AbstractAssert<OutcomeAssert, Outcome> {
    OutcomeAssert(Outcome actual) {
        super(actual, OutcomeAssert.class);
    }

    /** The delivery was verified and claimed: the handler may run. */
    public OutcomeAssert isAccepted() {
        return isKind(Outcome.Accepted.class);
    }

    /** The delivery was verified but processed before. */
    public OutcomeAssert isDuplicate() {
        return isKind(Outcome.Duplicate.class);
    }

    /** The delivery was a provider's handshake, answered by the scheme. */
    public OutcomeAssert isHandshake() {
        return isKind(Outcome.Handshake.class);
    }

    /** The delivery was refused for {@code reason}, with the reason's HTTP status. */
    public OutcomeAssert isRejectedWith(Reason reason) {
        isKind(Outcome.Rejected.class);
        Reason actualReason = ((Outcome.Rejected) actual).reason();
        if (actualReason != reason) {
            failWithMessage(
                    "Expected the delivery to be rejected with %s but it was rejected with %s (%s)",
                    reason, actualReason, ((Outcome.Rejected) actual).detail());
        }
        return this;
    }

    /** The outcome's answer has {@code status}. */
    public OutcomeAssert answersWith(int status) {
        isNotNull();
        HookwardenAssertions.assertThat(actual.answer()).hasStatus(status);
        return this;
    }

    /** Assertions on the outcome's HTTP answer. */
    public HttpAnswerAssert answer() {
        isNotNull();
        return HookwardenAssertions.assertThat(actual.answer());
    }

    private OutcomeAssert isKind(Class<? extends Outcome> kind) {
        isNotNull();
        if (!kind.isInstance(actual)) {
            failWithMessage("Expected the outcome to be %s but was %s", kind.getSimpleName(), actual);
        }
        return this;
    }
}
