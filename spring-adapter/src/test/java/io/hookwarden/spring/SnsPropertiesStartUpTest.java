package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Bad {@code sns.*} configuration stops start-up naming the property at fault, as data ({@link
 * WebhookConfigurationException#property()}); the scheme sns needs no secrets and refuses them.
 */
class SnsPropertiesStartUpTest {
    private static final String SECRET = "a-secret-that-sns-never-takes-0123";
    private static final String P = "hookwarden.endpoints.hooks.";

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    HookwardenAutoConfiguration.class,
                    WebMvcAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class));

    private static String[] properties(List<String> set) {
        return set.stream().map(p -> P + p).toArray(String[]::new);
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
                        List.of("scheme=sns", "secrets[0]=" + SECRET),
                        "secrets[0]",
                        "is set, but scheme sns takes no secrets"),
                Arguments.of(
                        List.of("scheme=stripe", "secrets[0]=whsec_" + SECRET, "sns.topics[0]=arn:aws:sns:x:1:t"),
                        "sns.topics[0]",
                        "is set, but " + P + "scheme is stripe: the sns.* options configure the scheme sns only"),
                Arguments.of(List.of("sns.auto-confirm=true"), "sns.auto-confirm", "scheme is not set"),
                Arguments.of(
                        List.of("scheme=sns", "sns.topics=arn:aws:sns:us-east-1:1:orders,orders"),
                        "sns.topics[1]",
                        "topic must be an SNS topic ARN (arn:aws:sns:...) but was orders"),
                Arguments.of(
                        List.of("scheme=sns", "sns.certificate-hosts[0]=sns\\.(us"),
                        "sns.certificate-hosts[0]",
                        "host pattern is not a regular expression"),
                Arguments.of(
                        List.of("scheme=sns", "sns.certificate-timeout=0s"),
                        "sns.certificate-timeout",
                        "certificateTimeout"),
                Arguments.of(
                        List.of("scheme=sns", "sns.certificate-cache-size=0"),
                        "sns.certificate-cache-size",
                        "certificateCacheSize must be at least 1 but was 0"),
                Arguments.of(
                        List.of("scheme=sns", "sns.http-client=proxied"),
                        "sns.http-client",
                        "names no java.net.http.HttpClient bean: proxied"),
                Arguments.of(
                        List.of("scheme=sns", "sns.certificate-subject=CN=(sns"),
                        "sns.certificate-subject",
                        "is not a regular expression"),
                Arguments.of(
                        List.of("scheme=sns", "sns.certificate-issuer= "),
                        "sns.certificate-issuer",
                        "is blank: it would accept any certificate"),
                Arguments.of(
                        List.of("scheme=github", "secrets[0]=" + SECRET, "sns.certificate-subject=CN=x"),
                        "sns.certificate-subject",
                        "the sns.* options configure the scheme sns only"),
                Arguments.of(
                        List.of("scheme=sns", "sns.topic=arn:aws:sns:us-east-1:1:orders"),
                        "sns.topic",
                        P + "sns.topics"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badConfigurations")
    void badSnsConfigurationFailsStartUpNamingTheProperty(List<String> set, String property, String problem) {
        runner.withPropertyValues(properties(set)).run(context -> {
            assertThat(context).hasFailed();
            WebhookConfigurationException e = refusal(context.getStartupFailure());

            assertThat(e.property()).isEqualTo(P + property);
            assertThat(e.getMessage()).startsWith(P + property + ": ").contains(problem);
            assertThat(e.getMessage() + e.action()).doesNotContain(SECRET);
        });
    }

    @Test
    void theSchemeSnsStartsWithoutSecrets() {
        runner.withPropertyValues(properties(List.of("scheme=sns", "sns.topics[0]=arn:aws:sns:us-east-1:1:orders")))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(WebhookEndpoints.class)
                                    .receiver("hooks")
                                    .verifier()
                                    .scheme()
                                    .id())
                            .isEqualTo("sns");
                });
    }

    @Test
    void anotherSchemeStillNeedsItsSecret() {
        runner.withPropertyValues(properties(List.of("scheme=github"))).run(context -> {
            assertThat(context).hasFailed();
            WebhookConfigurationException e = refusal(context.getStartupFailure());
            assertThat(e.property()).isEqualTo(P + "secrets[0]");
        });
    }
}
