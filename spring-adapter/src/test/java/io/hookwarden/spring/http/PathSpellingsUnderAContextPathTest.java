package io.hookwarden.spring.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;

/** The path spellings under {@code server.servlet.context-path=/app}, and spellings of the context path itself. */
@SpringBootTest(
        classes = EdgeApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.servlet.context-path=/app",
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + EdgeApp.SECRET,
            "hookwarden.endpoints.configured.scheme=stripe",
            "hookwarden.endpoints.configured.secrets[0]=" + EdgeApp.SECRET,
            "hookwarden.endpoints.configured.paths[0]=/hooks/stripe"
        })
class PathSpellingsUnderAContextPathTest extends PathSpellingsContract {
    @Override
    String contextPath() {
        return "/app";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"//app/webhooks/stripe", "//app/hooks/stripe"})
    void refusesAContextPathSpringCannotParseAsAmbiguousInsteadOfFailingWith500(String path) throws Exception {
        // given: Spring's own path parsing throws for "//app" under the context path "/app" (a 500 before the fix)
        String body = "{\"id\":\"evt_forged\",\"object\":\"event\",\"type\":\"invoice.paid\"}";

        // when
        RawHttp.Answer answer = new RawHttp(port).send("POST", path, body, Map.of());

        // then
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.raw()).contains("\"reason\":\"AMBIGUOUS_REQUEST\"");
        assertThat(runs.handled).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/app;x=1/webhooks/stripe",
                "/app;jsessionid=abc/hooks/stripe",
                "/%61pp/webhooks/stripe",
                "/%61pp/hooks/stripe",
                "/./app/webhooks/stripe",
                "/x/../app/hooks/stripe",
                "//app/webhooks/stripe",
                "//app/hooks/stripe",
                "/APP/webhooks/stripe",
                "/app%2Fhooks/stripe",
                "/webhooks/stripe",
                "/hooks/stripe"
            })
    void neverLetsAnUnsignedDeliveryInThroughAnotherSpellingOfTheContextPath(String path) throws Exception {
        String body = "{\"id\":\"evt_forged\",\"object\":\"event\",\"type\":\"invoice.paid\"}";

        RawHttp.Answer answer = new RawHttp(port).send("POST", path, body, Map.of());

        assertThat(answer.status()).as("status for %s", path).isBetween(400, 499);
        assertThat(runs.handled).as("handler runs for %s", path).isEmpty();
    }
}
