package io.hookwarden.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.HttpAnswer;
import io.hookwarden.Reason;
import java.io.IOException;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on an {@link HttpAnswer}: status, reason code, {@code Retry-After}, and that it leaks nothing.
 * Get one from {@link HookwardenAssertions#assertThat(HttpAnswer)}.
 */
public final class HttpAnswerAssert extends AbstractAssert<HttpAnswerAssert, HttpAnswer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    HttpAnswerAssert(HttpAnswer actual) {
        super(actual, HttpAnswerAssert.class);
    }

    /** The answer has {@code status}. */
    public HttpAnswerAssert hasStatus(int status) {
        isNotNull();
        if (actual.status() != status) {
            failWithMessage("Expected status %s but was %s (%s)", status, actual.status(), actual.bodyText());
        }
        return this;
    }

    /** The answer carries {@code reason}'s code in its problem document, with the reason's status. */
    public HttpAnswerAssert hasReason(Reason reason) {
        hasStatus(reason.httpStatus());
        JsonNode doc;
        try {
            doc = MAPPER.readTree(actual.body());
        } catch (IOException e) {
            failWithMessage("Expected a problem document but the body was not JSON: %s", actual.bodyText());
            return this;
        }
        String code = doc == null ? null : doc.path("reason").asText(null);
        if (!reason.name().equals(code)) {
            failWithMessage("Expected reason %s but the answer carried %s", reason, code);
        }
        return this;
    }

    /** The answer asks the sender to retry after {@code seconds}. */
    public HttpAnswerAssert hasRetryAfter(long seconds) {
        isNotNull();
        String value = actual.headers().get("Retry-After");
        if (!String.valueOf(seconds).equals(value)) {
            failWithMessage("Expected Retry-After %s but was %s", seconds, value);
        }
        return this;
    }

    /** Neither the body nor any header contains {@code text}: a secret, a signature, a payload value. */
    public HttpAnswerAssert doesNotReveal(String text) {
        isNotNull();
        if (actual.bodyText().contains(text)
                || actual.headers().values().stream().anyMatch(v -> v.contains(text))) {
            failWithMessage("Expected the answer not to reveal a value, but it did: %s", actual);
        }
        return this;
    }
}
