package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (issue 17): a {@link WebhookRequest} built from raw header names and values as an adapter hands them
 * over, then received. Building refuses only what its Javadoc says (a blank method, an empty header name: {@link
 * IllegalArgumentException}); the headers keep every value under its case-insensitive name, in order; and the
 * receiver answers any such request with an {@link Outcome}.
 */
class WebhookRequestFuzzTest {
    private static final WebhookReceiver RECEIVER;

    static {
        FuzzMode.quietLogsWhileFuzzing();
        RECEIVER = WebhookReceiver.builder()
                .name("fuzz-request")
                .verifier(FuzzEndpoints.byLabel("github").verifier())
                .build();
    }

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void buildsAnyRequestOrRefusesWhatItsApiRefuses(FuzzedDataProvider data) {
        // given
        WebhookRequest.Builder builder = WebhookRequest.builder();
        String method = data.consumeString(12);
        Throwable badMethod = null;
        try {
            builder.method(method);
        } catch (IllegalArgumentException e) {
            badMethod = e;
        }
        builder.url(data.consumeBoolean() ? null : data.consumeString(200));
        builder.remoteAddress(data.consumeBoolean() ? null : data.consumeString(48));
        Map<String, List<String>> expected = new HashMap<>();
        int count = data.consumeInt(0, 24);
        for (int i = 0; i < count; i++) {
            String name = data.consumeBoolean() ? data.pickValue(KNOWN) : data.consumeString(32);
            String value = data.consumeString(128);
            try {
                builder.header(name, value);
                expected.computeIfAbsent(asciiLowerCase(name), k -> new ArrayList<>())
                        .add(value);
            } catch (IllegalArgumentException e) {
                assertThat(name).as("a refused header name").isEmpty();
            }
        }
        builder.body(data.consumeRemainingAsBytes());

        // when
        WebhookRequest request = builder.build();
        Outcome outcome = RECEIVER.receive(request);

        // then
        assertThat(badMethod == null).as("method %s refused", method).isEqualTo(!method.isBlank());
        Headers headers = request.headers();
        assertThat(headers.size()).isEqualTo(expected.size());
        expected.forEach((key, values) -> {
            assertThat(headers.all(key)).as("values of %s", key).containsExactlyElementsOf(values);
            assertThat(headers.first(key)).contains(values.get(0));
        });
        assertThat(Headers.of(headers.toMap())).isEqualTo(headers);
        assertThat(request.toBuilder().build()).isEqualTo(request);
        assertThat(outcome).isInstanceOfAny(Outcome.Rejected.class, Outcome.Handshake.class);
        assertThat(outcome.answer().status()).isBetween(200, 599);
    }

    private static final List<String> KNOWN = List.of(
            "X-Hub-Signature-256",
            "x-hub-signature-256",
            "X-GitHub-Delivery",
            "X-GitHub-Event",
            "Content-Type",
            "X-Forwarded-For",
            "Forwarded",
            "Host");

    /** HTTP names are ASCII tokens: only ASCII letters fold, so no other character can alias a header's name. */
    private static String asciiLowerCase(String name) {
        StringBuilder lower = new StringBuilder(name.length());
        name.chars().forEach(c -> lower.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c)));
        return lower.toString();
    }
}
