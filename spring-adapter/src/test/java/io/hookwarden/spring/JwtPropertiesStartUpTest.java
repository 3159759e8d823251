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
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Bad {@code jwt.*} configuration stops start-up naming the property at fault, as data ({@link
 * WebhookConfigurationException#property()}); a JWT scheme with a JWKS URL takes no secrets.
 */
class JwtPropertiesStartUpTest {
    private static final String KEY = "-----BEGIN PUBLIC KEY-----not-a-key-----END PUBLIC KEY-----";
    private static final String P = "hookwarden.endpoints.hooks.";
    private static final String JWKS = "jwt.jwks-url=https://issuer.test/jwks.json";

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
        String issuer = "jwt.issuers[0]=https://issuer.test";
        String audience = "jwt.audiences[0]=https://hooks.test";
        return Stream.of(
                Arguments.of(List.of("scheme=jwt", JWKS, audience), "jwt.issuers[0]", "is missing"),
                Arguments.of(List.of("scheme=jwt", JWKS, issuer), "jwt.audiences[0]", "is missing"),
                Arguments.of(
                        List.of("scheme=jwt", "jwt.jwks-url=http://issuer.test/jwks.json", issuer, audience),
                        "jwt.jwks-url",
                        "must be an absolute https URL"),
                Arguments.of(
                        List.of("scheme=jwt", JWKS, issuer, audience, "jwt.algorithms=RS256,HS256"),
                        "jwt.algorithms[1]",
                        "HS256"),
                Arguments.of(
                        List.of("scheme=jwt", JWKS, issuer, audience, "jwt.clock-skew=20m"),
                        "jwt.clock-skew",
                        "clockSkew must be between 0 and 10 minutes"),
                Arguments.of(
                        List.of("scheme=jwt", JWKS, issuer, audience, "secrets[0]=" + KEY),
                        "secrets[0]",
                        "fetches its keys from " + P + "jwt.jwks-url"),
                Arguments.of(
                        List.of("scheme=jwt", JWKS, issuer, audience, "jwt.id-pointer=id"), "jwt.id-pointer", "id"),
                Arguments.of(
                        List.of("scheme=jwt", JWKS, issuer, audience, "jwt.event-type-pointers=/type,kind"),
                        "jwt.event-type-pointers[1]",
                        "kind"),
                Arguments.of(
                        List.of("scheme=jwt", JWKS, issuer, audience, "jwt.jwks-ttl=0s"), "jwt.jwks-ttl", "jwksTtl"),
                Arguments.of(
                        List.of("scheme=jwt", JWKS, issuer, audience, "jwt.jwks-min-interval=-1s"),
                        "jwt.jwks-min-interval",
                        "jwksMinInterval"),
                Arguments.of(
                        List.of("scheme=jwt", JWKS, issuer, audience, "jwt.jwks-timeout=0s"),
                        "jwt.jwks-timeout",
                        "jwksTimeout"),
                Arguments.of(
                        List.of("scheme=jwt", issuer, audience, "secrets[0]=" + KEY, "jwt.jwks-ttl=1m"),
                        "jwt.jwks-ttl",
                        "is set, but " + P + "jwt.jwks-url is not"),
                Arguments.of(
                        List.of("scheme=github", "secrets[0]=a-github-secret-0123", "jwt.id-pointer=/id"),
                        "jwt.id-pointer",
                        "the jwt.* options configure the schemes jwt and google-pubsub only"),
                Arguments.of(List.of("scheme=jwt", issuer, audience), "secrets[0]", "is missing or empty"),
                Arguments.of(
                        List.of("scheme=google-pubsub", audience, "secrets[0]=" + KEY),
                        "secrets[0]",
                        "fetches its keys from Google's JWKS URL"),
                Arguments.of(
                        List.of("scheme=github", "secrets[0]=a-github-secret-0123", audience),
                        "jwt.audiences[0]",
                        "the jwt.* options configure the schemes jwt and google-pubsub only"),
                Arguments.of(
                        List.of(
                                "scheme=jwt",
                                JWKS,
                                issuer,
                                audience,
                                "tenants.from=header:X-Account-Id",
                                "tenants.secrets.acme[0]=" + KEY),
                        "tenants.from",
                        "fetches its keys from its JWKS URL"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badConfigurations")
    void badJwtConfigurationFailsStartUpNamingTheProperty(List<String> set, String property, String problem) {
        runner.withPropertyValues(properties(set)).run(context -> {
            assertThat(context).hasFailed();
            WebhookConfigurationException e = refusal(context.getStartupFailure());

            assertThat(e.property()).isEqualTo(P + property);
            assertThat(e.getMessage()).startsWith(P + property + ": ").contains(problem);
            assertThat(e.getMessage() + e.action()).doesNotContain(KEY);
        });
    }

    @Test
    void aJwtSchemeWithoutHookwardenJwtOnTheClassPathSaysWhichDependencyToAdd() {
        runner.withClassLoader(new FilteredClassLoader("io.hookwarden.jwt"))
                .withPropertyValues(properties(List.of(
                        "scheme=jwt",
                        "jwt.issuers[0]=https://issuer.test",
                        "jwt.audiences[0]=https://hooks.test",
                        "secrets[0]=" + KEY)))
                .run(context -> {
                    assertThat(context).hasFailed();
                    WebhookConfigurationException e = refusal(context.getStartupFailure());

                    assertThat(e.property()).isEqualTo(P + "scheme");
                    assertThat(e.getMessage())
                            .isEqualTo(P + "scheme: is jwt, but hookwarden-jwt is not on the class path");
                    assertThat(e.action()).contains("io.hookwarden:hookwarden-jwt");
                });
    }

    @Test
    void googlePubSubNeedsOnlyItsAudience() {
        runner.withPropertyValues(properties(List.of(
                        "scheme=google-pubsub",
                        "jwt.audiences[0]=https://hooks.test/pubsub",
                        "jwt.service-account=push@project.iam.gserviceaccount.com")))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(WebhookEndpoints.class)
                                    .receiver("hooks")
                                    .verifier()
                                    .scheme()
                                    .id())
                            .isEqualTo("google-pubsub");
                });
    }

    @Test
    void anUnknownSchemeListsEveryValidSchemeJwtAndGooglePubSubAmongThem() {
        runner.withPropertyValues(properties(List.of("scheme=strpe", "secrets[0]=whsec_abcdefghijklmnop")))
                .run(context -> {
                    assertThat(context).hasFailed();
                    WebhookConfigurationException e = refusal(context.getStartupFailure());

                    assertThat(e.property()).isEqualTo(P + "scheme");
                    assertThat(e.getMessage())
                            .startsWith(P + "scheme: unknown scheme strpe; known schemes: [")
                            .contains("stripe", "standard-webhooks", "jwt", "google-pubsub");
                    assertThat(e.action()).contains("jwt", "google-pubsub", "io.hookwarden:hookwarden-jwt");
                });
    }
}
