package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * Issue 18: a misspelt {@code hookwarden.*} property left its option at the default without a word. Start-up now fails
 * naming it and the nearest known names, while every spelling Spring Boot binds (kebab, camel, environment variables)
 * passes.
 */
class UnknownPropertiesTest {
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HookwardenAutoConfiguration.class))
            .withPropertyValues(
                    "hookwarden.endpoints.stripe.scheme=stripe",
                    "hookwarden.endpoints.stripe.secrets[0]=" + Secrets.STRIPE);

    private static WebhookConfigurationException failure(AssertableWebApplicationContext context) {
        assertThat(context).hasFailed();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            if (t instanceof WebhookConfigurationException e) {
                return e;
            }
        }
        throw new AssertionError("no WebhookConfigurationException in " + context.getStartupFailure());
    }

    /** Variables as the process environment gives them, under a name Spring Boot reads as the environment's. */
    private static WebApplicationContextRunner withEnvironment(
            WebApplicationContextRunner runner, Map<String, Object> variables) {
        return runner.withInitializer(context -> context.getEnvironment()
                .getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", variables)));
    }

    @Test
    void aMisspeltTopLevelPropertyFailsStartUpNamingItAndTheKnownOnes() {
        runner.withPropertyValues("hookwarden.max-bdy=2MB").run(context -> {
            WebhookConfigurationException e = failure(context);

            assertThat(e.property()).isEqualTo("hookwarden.max-bdy");
            assertThat(e.getMessage())
                    .startsWith("hookwarden.max-bdy: is not a Hookwarden property")
                    .contains("known under hookwarden: dedupe, endpoints, inbox")
                    .doesNotContain("2MB");
        });
    }

    @Test
    void aMisspeltEndpointPropertyNamesTheNearestKnownName() {
        runner.withPropertyValues("hookwarden.endpoints.stripe.max-bdy=2MB").run(context -> {
            WebhookConfigurationException e = failure(context);

            assertThat(e.property()).isEqualTo("hookwarden.endpoints.stripe.max-bdy");
            assertThat(e.getMessage())
                    .contains("did you mean hookwarden.endpoints.stripe.max-body?")
                    .contains("known under hookwarden.endpoints.stripe: dedupe, future-skew, inbox, jwt, max-age,"
                            + " max-body, paths, retry-after, schemas, scheme, secrets, sns, tenants, token");
            assertThat(e.action()).contains("docs/spring.md");
        });
    }

    @Test
    void aMisspeltNestedPropertyListsItsSiblings() {
        runner.withPropertyValues("hookwarden.endpoints.stripe.dedupe.stor=redis")
                .run(context -> {
                    WebhookConfigurationException e = failure(context);

                    assertThat(e.property()).isEqualTo("hookwarden.endpoints.stripe.dedupe.stor");
                    assertThat(e.getMessage())
                            .contains("known under hookwarden.endpoints.stripe.dedupe: key-header, key-pointer, lease,"
                                    + " retention");
                });
    }

    @Test
    void everyUnknownPropertyIsListedAndNoValueIsShown() {
        runner.withPropertyValues(
                        "hookwarden.endpoints.stripe.secret=whsec_never_shown_0123456789",
                        "hookwarden.dedupe.stor=redis",
                        "hookwarden.endpoints.stripe.secrets.first=whsec_never_shown_either_0123")
                .run(context -> {
                    WebhookConfigurationException e = failure(context);

                    assertThat(e.property()).isEqualTo("hookwarden.dedupe.stor");
                    assertThat(e.getMessage())
                            .contains("did you mean hookwarden.dedupe.store?")
                            .contains("hookwarden.endpoints.stripe.secret (did you mean"
                                    + " hookwarden.endpoints.stripe.secrets?")
                            .contains("hookwarden.endpoints.stripe.secrets.first (first is not an index of"
                                    + " hookwarden.endpoints.stripe.secrets)")
                            .doesNotContain("never_shown");
                });
    }

    @Test
    void everyRelaxedSpellingThatBindsIsKnown() {
        runner.withPropertyValues(
                        "hookwarden.endpoints.stripe.maxBody=2KB",
                        "hookwarden.endpoints.stripe.dedupe.keyHeader=Idempotency-Key",
                        "hookwarden.endpoints.stripe.schemas.types[invoice.paid]=classpath:schemas/invoice.paid.json",
                        "hookwarden.endpoints.stripe.schemas.versions[invoice.paid][2]="
                                + "classpath:schemas/invoice.paid.v2.json",
                        "hookwarden.endpoints.stripe.paths[0]=/webhooks/stripe",
                        "hookwarden.dedupe.memory.maximum-size=10",
                        "hookwarden.dedupe.fail-fast=false",
                        "hookwarden.inbox.worker.retry.max-attempts=3",
                        "hookwarden.endpoints.stripe.inbox.worker.retry.base=2s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HookwardenProperties.Endpoint stripe = context.getBean(HookwardenProperties.class)
                            .getEndpoints()
                            .get("stripe");
                    assertThat(stripe.getMaxBody()).isEqualTo(DataSize.ofKilobytes(2));
                    assertThat(stripe.getDedupe().getKeyHeader()).isEqualTo("Idempotency-Key");
                    assertThat(stripe.getSchemas().getVersions()).containsKey("invoice.paid");
                });
    }

    @Test
    void environmentVariablesInEveryFormSpringBootBindsAreKnown() {
        withEnvironment(
                        runner,
                        Map.of(
                                "HOOKWARDEN_ENDPOINTS_STRIPE_MAXBODY", "2KB",
                                "HOOKWARDEN_ENDPOINTS_STRIPE_MAX_AGE", "1m",
                                "HOOKWARDEN_ENDPOINTS_BILLING_SCHEME", "stripe",
                                "HOOKWARDEN_ENDPOINTS_BILLING_SECRETS_0", Secrets.STRIPE,
                                "HOOKWARDEN_DEDUPE_STORE", "memory",
                                "HOOKWARDEN_INBOX_WORKER_ENABLED", "false",
                                // another program's variables, as the samples read HOOKWARDEN_STORE: not looked at
                                "HOOKWARDEN_STORE", "redis://elsewhere:6379",
                                "HOOKWARDEN_STANDARD_SECRET", "not-ours"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HookwardenProperties properties = context.getBean(HookwardenProperties.class);
                    HookwardenProperties.Endpoint stripe =
                            properties.getEndpoints().get("stripe");
                    assertThat(stripe.getMaxBody()).isEqualTo(DataSize.ofKilobytes(2));
                    assertThat(stripe.getMaxAge()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(properties.getEndpoints().get("billing").getSecrets())
                            .containsExactly(Secrets.STRIPE);
                    assertThat(properties.getInbox().getWorker().isEnabled()).isFalse();
                });
    }

    @Test
    void systemPropertiesOutsideHookwardensGroupsAreOtherCodesButInsideThemAreChecked() {
        runner.withSystemProperties("hookwarden.soak.seconds=120")
                .run(context -> assertThat(context).hasNotFailed());
        runner.withSystemProperties("hookwarden.endpoints.stripe.max-bdy=2MB")
                .run(context ->
                        assertThat(failure(context).property()).isEqualTo("hookwarden.endpoints.stripe.max-bdy"));
    }

    @Test
    void aMisspeltEnvironmentVariableUnderAHookwardenGroupFailsStartUp() {
        withEnvironment(runner, Map.of("HOOKWARDEN_ENDPOINTS_STRIPE_MAXBDY", "2KB"))
                .run(context -> {
                    WebhookConfigurationException e = failure(context);

                    assertThat(e.property()).isEqualTo("hookwarden.endpoints.stripe.maxbdy");
                    assertThat(e.getMessage()).contains("did you mean hookwarden.endpoints.stripe.max-body?");
                });
    }
}
