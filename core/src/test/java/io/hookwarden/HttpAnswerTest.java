package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HttpAnswerTest {
    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReasonRendersItsStatusTitleAndCode(Reason reason) throws Exception {
        HttpAnswer answer = HttpAnswer.problem(reason, Duration.ofSeconds(7));

        JsonNode doc = new ObjectMapper().readTree(answer.body());
        assertThat(answer.status()).isEqualTo(reason.httpStatus());
        assertThat(doc.get("status").asInt()).isEqualTo(reason.httpStatus());
        assertThat(doc.get("reason").asText()).isEqualTo(reason.name());
        assertThat(doc.get("title").asText()).isEqualTo(reason.title());
        assertThat(doc.get("type").asText()).startsWith("urn:hookwarden:reason:");
        assertThat(answer.contentType())
                .contains(reason.httpStatus() >= 400 ? "application/problem+json" : "application/json");
        if (reason.retryable()) {
            assertThat(answer.headers()).containsEntry("Retry-After", "7");
        } else {
            assertThat(answer.headers()).doesNotContainKey("Retry-After");
        }
    }

    @Test
    void extrasAreAddedAsMembers() throws Exception {
        HttpAnswer answer =
                HttpAnswer.problem(Reason.SCHEMA_VIOLATION, null, Map.of("errors", List.of(Map.of("pointer", "/a"))));

        JsonNode doc = new ObjectMapper().readTree(answer.body());
        assertThat(doc.at("/errors/0/pointer").asText()).isEqualTo("/a");
    }

    @Test
    void aProblemCarriesItsMembersAsDataSoNoAdapterParsesTheBody() {
        HttpAnswer answer = HttpAnswer.problem(
                Reason.SCHEMA_VIOLATION,
                Duration.ofSeconds(3),
                Map.of("violations", List.of(Map.of("pointer", "/total", "keyword", "minimum"))));
        HttpAnswer busy = HttpAnswer.problem(Reason.STORE_UNAVAILABLE, Duration.ofMillis(2500));
        HttpAnswer plain = HttpAnswer.of(200, "text/plain", "ok");

        assertThat(answer.reason()).contains(Reason.SCHEMA_VIOLATION);
        assertThat(answer.title()).contains(Reason.SCHEMA_VIOLATION.title());
        assertThat(answer.type()).contains("urn:hookwarden:reason:schema-violation");
        assertThat(answer.retryAfter()).as("not retryable: none sent").isEmpty();
        assertThat(answer.problemExtras())
                .containsExactly(Map.entry("violations", List.of(Map.of("pointer", "/total", "keyword", "minimum"))));
        assertThat(busy.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(busy.headers()).containsEntry("Retry-After", "2");
        assertThat(plain.reason()).isEmpty();
        assertThat(plain.title()).isEmpty();
        assertThat(plain.type()).isEmpty();
        assertThat(plain.problemExtras()).isEmpty();
        assertThat(HttpAnswer.ok().reason()).isEmpty();
    }

    @Test
    void aRetryAfterBelowOneSecondIsRoundedUpToOne() {
        assertThat(HttpAnswer.problem(Reason.IN_PROGRESS, Duration.ofMillis(10)).headers())
                .containsEntry("Retry-After", "1");
    }

    @Test
    void theBodyIsCopiedInAndOut() {
        byte[] body = "hi".getBytes();
        HttpAnswer answer = HttpAnswer.of(200, "text/plain", body);
        body[0] = 'X';
        answer.body()[1] = 'X';

        assertThat(answer.bodyText()).isEqualTo("hi");
        assertThat(answer).isEqualTo(HttpAnswer.of(200, "text/plain", "hi"));
    }

    @Test
    void aStatusOutOfRangeIsRefused() {
        assertThatThrownBy(() -> HttpAnswer.of(600, "text/plain", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status must be between 100 and 599 but was 600");
    }
}
