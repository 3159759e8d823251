package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.Schemes;
import io.hookwarden.TokenScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * Bad {@code token.*} configuration stops start-up naming the property at fault, as data ({@link
 * WebhookConfigurationException#property()}), never a token; good configuration builds the scheme it says.
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenPropertiesStartUpTest {
    private static final String TOKEN = "a-token-of-24-bytes-0123";
    private static final String P = "hookwarden.endpoints.hooks.";

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    HookwardenAutoConfiguration.class,
                    WebMvcAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class));

    private static String[] properties(String... extra) {
        List<String> all = new ArrayList<>(List.of(P + "secrets[0]=" + TOKEN));
        for (String e : extra) {
            all.add(P + e);
        }
        return all.toArray(String[]::new);
    }

    private static WebhookConfigurationException refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WebhookConfigurationException e) {
                return e;
            }
        }
        throw new AssertionError("no WebhookConfigurationException in the start-up failure", failure);
    }

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                Arguments.of(
                        List.of("scheme=token", "token.header=X-Token", "token.query=token"),
                        "token.query",
                        "conflicts with " + P + "token.header"),
                Arguments.of(
                        List.of("scheme=token", "token.bearer=true", "token.basic=user"),
                        "token.basic",
                        "conflicts with " + P + "token.bearer"),
                Arguments.of(
                        List.of("scheme=token", "token.bearer=false"),
                        "token.bearer",
                        "is false, but no other place for the token is given"),
                Arguments.of(
                        List.of("scheme=github", "token.header=X-Token"),
                        "token.header",
                        "is set, but " + P + "scheme is github: the token.* options configure the scheme token only"),
                Arguments.of(
                        List.of("scheme=stripe", "token.event-type-pointers[0]=/type"),
                        "token.event-type-pointers[0]",
                        "scheme is stripe"),
                Arguments.of(List.of("token.min-bytes=16"), "token.min-bytes", "scheme is not set"),
                Arguments.of(
                        List.of("scheme=token", "token.header=Authorization"),
                        "token.header",
                        "header Authorization carries a scheme name"),
                Arguments.of(List.of("scheme=token", "token.header= "), "token.header", "header cannot be blank"),
                Arguments.of(List.of("scheme=token", "token.query= "), "token.query", "query cannot be blank"),
                Arguments.of(
                        List.of("scheme=token", "token.id-pointer=id"),
                        "token.id-pointer",
                        "a JSON pointer starts with / but was id"),
                Arguments.of(
                        List.of("scheme=token", "token.event-type-pointers=/type,event/type"),
                        "token.event-type-pointers[1]",
                        "a JSON pointer starts with / but was event/type"),
                Arguments.of(
                        List.of("scheme=token", "token.id-header= "), "token.id-header", "idHeader cannot be blank"),
                Arguments.of(
                        List.of("scheme=token", "token.event-type-header= "),
                        "token.event-type-header",
                        "eventTypeHeader cannot be blank"),
                Arguments.of(
                        List.of("scheme=token", "token.min-bytes=0"),
                        "token.min-bytes",
                        "minSecretBytes must be at least 1 but was 0"),
                Arguments.of(List.of("scheme=token", "token.scheme-id= "), "token.scheme-id", "id cannot be blank"),
                // the tokens themselves are refused under their own property, as every scheme's secrets are
                Arguments.of(
                        List.of("scheme=token", "token.min-bytes=32"),
                        "secrets[0]",
                        "secret secrets[0] for scheme token is too short"),
                Arguments.of(
                        List.of("scheme=token", "token.basic=credentials"),
                        "secrets[0]",
                        "is not user:password, as Basic credentials are configured"),
                Arguments.of(
                        List.of("scheme=token", "token.header=X-Token", "token.headr=X-Token"),
                        "token.headr",
                        "did you mean " + P + "token.header?"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badConfigurations")
    void badTokenConfigurationFailsStartUpNamingTheProperty(List<String> set, String property, String problem) {
        runner.withPropertyValues(properties(set.toArray(String[]::new))).run(context -> {
            assertThat(context).hasFailed();
            WebhookConfigurationException e = refusal(context.getStartupFailure());

            assertThat(e.property()).isEqualTo(P + property);
            assertThat(e.getMessage()).startsWith(P + property + ": ").contains(problem);
            assertThat(e.getMessage() + e.action()).doesNotContain(TOKEN);
        });
    }

    @Test
    void theSchemeTokenWithoutOptionsIsTheBuiltInOne() {
        runner.withPropertyValues(properties("scheme=token")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(WebhookEndpoints.class)
                            .receiver("hooks")
                            .verifier()
                            .scheme())
                    .isSameAs(Schemes.byId("token"));
        });
    }

    @Test
    void theOptionsBuildTheSchemeTheySay() {
        runner.withPropertyValues(properties("scheme=token", "token.query=key", "token.scheme-id=acme"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TokenScheme scheme = (TokenScheme) context.getBean(WebhookEndpoints.class)
                            .receiver("hooks")
                            .verifier()
                            .scheme();
                    assertThat(scheme.id()).isEqualTo("acme");
                    assertThat(scheme.queryParameter()).isEqualTo("key");
                    assertThat(scheme.tokenHeader()).isNull();
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {}

    @Test
    void theFailureReportNamesThePropertyAndWhatToDo(CapturedOutput output) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties("server.port=0")
                .properties(properties("scheme=token", "token.header=X-Token", "token.bearer=true"));

        assertThatThrownBy(app::run).isInstanceOf(Exception.class);

        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains(P + "token.bearer: conflicts with " + P + "token.header: the token travels in one place")
                .contains("Give one of " + P + "token.header, .bearer, .basic or .query.")
                .doesNotContain(TOKEN);
    }

    @Test
    void anUnknownBasicKindFailsStartUpNamingThePropertyAndTheKindsThereAre(CapturedOutput output) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties("server.port=0")
                .properties(properties("scheme=token", "token.basic=everything"));

        assertThatThrownBy(app::run).isInstanceOf(Exception.class);

        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("Failed to bind properties under '" + P + "token.basic'")
                .contains("CREDENTIALS")
                .contains("USER")
                .contains("PASSWORD")
                .doesNotContain(TOKEN);
    }
}
