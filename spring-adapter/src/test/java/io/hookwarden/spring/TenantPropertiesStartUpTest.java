package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Bad {@code tenants.*} configuration stops start-up naming the property at fault, as data ({@link
 * WebhookConfigurationException#property()}), never a secret.
 */
class TenantPropertiesStartUpTest {
    private static final String SECRET = "a-tenant-secret-0123456789";
    private static final String P = "hookwarden.endpoints.hooks.";

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    HookwardenAutoConfiguration.class,
                    WebMvcAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class));

    private static WebhookConfigurationException refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WebhookConfigurationException e) {
                return e;
            }
        }
        throw new AssertionError("no WebhookConfigurationException in the start-up failure", failure);
    }

    static Stream<Arguments> badConfigurations() {
        String tenant = "tenants.secrets.acme[0]=" + SECRET;
        String from = "tenants.from=header:X-Account-Id";
        return Stream.of(
                Arguments.of(
                        List.of("scheme=github", from, tenant, "tenants.load-timeout=0s"),
                        "tenants.load-timeout",
                        "loadTimeout must be positive"),
                Arguments.of(
                        List.of("scheme=github", from, tenant, "tenants.maximum-tenants=0"),
                        "tenants.maximum-tenants",
                        "maximumTenants must be positive but was 0"),
                Arguments.of(
                        List.of("scheme=github", from, tenant, "tenants.maximum-unknown=-1"),
                        "tenants.maximum-unknown",
                        "maximumUnknown must be positive but was -1"),
                Arguments.of(
                        List.of("scheme=github", from, tenant, "tenants.maximum-loads-per-second=0"),
                        "tenants.maximum-loads-per-second",
                        "maximumLoadsPerSecond must be positive but was 0"),
                Arguments.of(List.of("scheme=github", tenant), "tenants.from", "is missing"),
                Arguments.of(
                        List.of("scheme=github", "tenants.from=cookie:account", tenant),
                        "tenants.from",
                        "names no place cookie"),
                Arguments.of(List.of("scheme=github", "tenants.from=header", tenant), "tenants.from", "no kind:value"),
                Arguments.of(
                        List.of("scheme=github", "tenants.from=path:/hooks/acme", tenant),
                        "tenants.from",
                        "has no {tenant} segment"),
                Arguments.of(
                        List.of("scheme=github", "tenants.from=body:account_id", tenant),
                        "tenants.from",
                        "a JSON pointer starts with /"),
                Arguments.of(
                        List.of("scheme=github", "tenants.from=header:X-Account-Id"), "tenants.secrets", "is missing"),
                Arguments.of(
                        List.of("scheme=github", "tenants.from=header:X-Account-Id", tenant, "secrets[0]=" + SECRET),
                        "secrets[0]",
                        "conflicts with " + P + "tenants.from"),
                Arguments.of(
                        List.of("scheme=github", "tenants.from=header:X-Account-Id", tenant, "tenants.bean=vault"),
                        "tenants.bean",
                        "conflicts with " + P + "tenants.secrets"),
                Arguments.of(
                        List.of("scheme=github", "tenants.from=header:X-Account-Id", "tenants.bean=vault"),
                        "tenants.bean",
                        "names no TenantSecrets bean: vault"),
                Arguments.of(
                        List.of("scheme=github", "tenants.from=header:X-Account-Id", "tenants.secrets.acme[0]=short"),
                        "tenants.secrets.acme[0]",
                        "too short"),
                Arguments.of(
                        List.of(
                                "scheme=github",
                                "tenants.from=header:X-Account-Id",
                                tenant,
                                "tenants.refresh-after=0s"),
                        "tenants.refresh-after",
                        "refreshAfter must be positive"),
                Arguments.of(
                        List.of("scheme=github", "tenants.from=header:X-Account-Id", tenant, "tenants.unknown-for=-1s"),
                        "tenants.unknown-for",
                        "unknownFor"),
                Arguments.of(
                        List.of("scheme=sns", "tenants.from=header:X-Account-Id", tenant),
                        "tenants.from",
                        "scheme sns takes no keys"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badConfigurations")
    void badTenantConfigurationFailsStartUpNamingTheProperty(List<String> set, String property, String problem) {
        runner.withPropertyValues(set.stream().map(p -> P + p).toArray(String[]::new))
                .run(context -> {
                    assertThat(context).hasFailed();
                    WebhookConfigurationException e = refusal(context.getStartupFailure());

                    assertThat(e.property()).isEqualTo(P + property);
                    assertThat(e.getMessage()).startsWith(P + property + ": ").contains(problem);
                    assertThat(e.getMessage() + e.action()).doesNotContain(SECRET);
                });
    }
}
