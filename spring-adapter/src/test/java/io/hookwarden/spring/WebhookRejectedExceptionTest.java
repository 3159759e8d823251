package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.HttpAnswer;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;

/**
 * Issue 13: the exception's {@link ProblemDetail} and headers are made from the core's answer as data ({@link
 * HttpAnswer#reason()}, {@code title()}, {@code retryAfter()}, {@code problemExtras()}), never by parsing its body, and
 * a refusal the adapter decides carries the endpoint's own answer.
 */
class WebhookRejectedExceptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theProblemDetailHoldsEveryMemberOfTheCoresDocumentAndNothingElse() throws Exception {
        // given: a 422 with its violations, as the receiver renders it
        HttpAnswer answer = HttpAnswer.problem(
                Reason.SCHEMA_VIOLATION,
                null,
                Map.of("violations", List.of(Map.of("pointer", "/amount", "keyword", "type"))));

        // when
        ProblemDetail problem = new WebhookRejectedException("stripe", answer, "log only").getBody();

        // then: Spring renders the same document the core would have sent
        JsonNode rendered = JSON.valueToTree(problem);
        JsonNode core = JSON.readTree(answer.body());
        assertThat(problem.getType()).isEqualTo(URI.create(core.path("type").asText()));
        assertThat(problem.getTitle()).isEqualTo(core.path("title").asText());
        assertThat(problem.getStatus()).isEqualTo(422);
        assertThat(problem.getProperties())
                .containsEntry("reason", "SCHEMA_VIOLATION")
                .containsEntry("violations", List.of(Map.of("pointer", "/amount", "keyword", "type")))
                .hasSize(2);
        assertThat(rendered.path("properties"))
                .isEqualTo(
                        JSON.readTree(
                                "{\"reason\":\"SCHEMA_VIOLATION\",\"violations\":[{\"pointer\":\"/amount\",\"keyword\":\"type\"}]}"));
        assertThat(problem.getDetail()).isNull();
    }

    @Test
    void aRefusalTheAdapterDecidesCarriesTheEndpointsRetryAfter() {
        // given: an endpoint whose Retry-After is 30 s, not the default 10 s
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.stripe())
                        .secret(Secrets.STRIPE)
                        .build())
                .retryAfter(Duration.ofSeconds(30))
                .build();

        // when
        WebhookRejectedException e =
                new WebhookRejectedException("stripe", receiver.answer(Reason.IN_PROGRESS), "busy");

        // then
        assertThat(e.reason()).isEqualTo(Reason.IN_PROGRESS);
        assertThat(e.getStatusCode().value()).isEqualTo(409);
        assertThat(e.getHeaders().getFirst("Retry-After")).isEqualTo("30");
        assertThat(e.getHeaders().getContentType()).isNull();
        assertThat(e.answer()).isSameAs(receiver.answer(Reason.IN_PROGRESS));
    }

    @Test
    void aMethodNotAllowedKeepsItsAllowHeader() {
        WebhookRejectedException e =
                new WebhookRejectedException("stripe", HttpAnswer.problem(Reason.METHOD_NOT_ALLOWED, null), "PUT");

        assertThat(e.getHeaders().getFirst("Allow")).isEqualTo("POST");
    }

    @Test
    void anAnswerThatIsNoProblemIsRefused() {
        assertThatThrownBy(() -> new WebhookRejectedException("stripe", HttpAnswer.ok(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("answer must be a problem");
    }
}
