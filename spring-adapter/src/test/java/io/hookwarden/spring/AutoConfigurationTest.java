package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Property binding, customizers, store choice and start-up failures, without a server. */
class AutoConfigurationTest {
    private static final MutableClock CLOCK = MutableClock.atEpochSecond(1_700_000_000L);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    HookwardenAutoConfiguration.class,
                    WebMvcAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class));

    private static String stripe(String property) {
        return "hookwarden.endpoints.stripe." + property;
    }

    /** Every message of the start-up failure's chain, as an exception whose message is all of them, one a line. */
    private static Throwable rootCause(AssertableWebApplicationContext context) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return new AssertionError(messages.toString());
    }

    @Configuration(proxyBeanMethods = false)
    static class StripeClock {
        @Bean
        WebhookEndpointCustomizer clock() {
            return WebhookEndpointCustomizer.verifier("stripe", v -> v.clock(CLOCK));
        }
    }

    @Test
    void endpointPropertiesBindIntoTheReceiver() {
        runner.withUserConfiguration(StripeClock.class)
                .withPropertyValues(
                        stripe("scheme=stripe"),
                        stripe("secrets[0]=" + Secrets.STRIPE),
                        stripe("max-age=1m"),
                        stripe("future-skew=2m"),
                        stripe("max-body=2KB"),
                        stripe("dedupe.lease=30s"),
                        stripe("dedupe.retention=1d"),
                        stripe("dedupe.key-header=Idempotency-Key"),
                        stripe("paths[0]=/hooks/stripe"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WebhookReceiver receiver =
                            context.getBean(WebhookEndpoints.class).receiver("stripe");
                    assertThat(receiver.name()).isEqualTo("stripe");
                    assertThat(receiver.verifier().scheme().id()).isEqualTo("stripe");
                    assertThat(receiver.verifier().maxBodyBytes()).isEqualTo(2048);
                    assertThat(receiver.dedupeStore()).isInstanceOf(InMemoryDedupeStore.class);
                    assertThat(context.getBean(WebhookEndpoints.class).paths())
                            .containsEntry("stripe", java.util.List.of("/hooks/stripe"));
                    HookwardenProperties.Endpoint bound = context.getBean(HookwardenProperties.class)
                            .getEndpoints()
                            .get("stripe");
                    assertThat(bound.getDedupe().getLease()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(bound.getDedupe().getRetention()).isEqualTo(Duration.ofDays(1));

                    WebhookFixtures fixtures = WebhookFixtures.builder()
                            .scheme(Schemes.stripe())
                            .secret(Secrets.STRIPE)
                            .clock(CLOCK)
                            .build();
                    String body = "{\"id\":\"evt_bind\"}";
                    assertThat(receiver.receive(fixtures.delivery(body).aged(Duration.ofSeconds(90))))
                            .isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                                    .isEqualTo(Reason.TIMESTAMP_TOO_OLD));
                    assertThat(receiver.receive(
                                    fixtures.delivery(body).fromTheFuture(Duration.ofSeconds(90)).toBuilder()
                                            .header("Idempotency-Key", "k-0")
                                            .build()))
                            .isInstanceOf(Outcome.Accepted.class);
                    assertThat(receiver.receive(fixtures.delivery(body).fromTheFuture(Duration.ofMinutes(3))))
                            .isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                                    .isEqualTo(Reason.TIMESTAMP_IN_FUTURE));
                    // dedupe.key-header: the same Idempotency-Key is the same delivery, whatever the event id.
                    Outcome first = receiver.receive(fixtures.delivery(body).signed().toBuilder()
                            .header("Idempotency-Key", "k-1")
                            .build());
                    Outcome second = receiver.receive(fixtures.delivery("{\"id\":\"evt_other\"}").signed().toBuilder()
                            .header("Idempotency-Key", "k-1")
                            .build());
                    assertThat(first).isInstanceOf(Outcome.Accepted.class);
                    assertThat(second).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                            .isEqualTo(Reason.IN_PROGRESS));
                });
    }

    @Test
    void aMissingSecretFailsStartUpNamingTheProperty() {
        runner.withPropertyValues(stripe("scheme=stripe")).run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context)).hasMessageContaining("hookwarden.endpoints.stripe.secrets[0]");
        });
    }

    @Test
    void anEmptySecretFailsStartUpNamingTheProperty() {
        runner.withPropertyValues(stripe("scheme=stripe"), stripe("secrets[0]="))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context)).hasMessageContaining("hookwarden.endpoints.stripe.secrets[0]");
                });
    }

    @Test
    void aTooShortSecretFailsStartUpNamingThePropertyButNotTheValue() {
        runner.withPropertyValues(
                        stripe("scheme=stripe"), stripe("secrets[0]=" + Secrets.STRIPE), stripe("secrets[1]=sh0rt"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context))
                            .hasMessageContaining("hookwarden.endpoints.stripe.secrets[1]")
                            .hasMessageContaining("too short")
                            .hasMessageNotContaining("sh0rt")
                            .hasMessageNotContaining(Secrets.STRIPE);
                    FailureAnalysis analysis =
                            new WebhookConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("hookwarden.endpoints.stripe.secrets[1]")
                            .doesNotContain("sh0rt");
                    assertThat(analysis.getAction())
                            .contains("hookwarden.endpoints.stripe.secrets[0]=${STRIPE_WEBHOOK_SECRET}");
                });
    }

    @Test
    void anUnresolvedPlaceholderFailsStartUpNamingItsPropertyWhicheverSecretItIs() {
        // given: issue 12, the second of two secrets is a placeholder nothing resolved, bound as its own text
        runner.withPropertyValues(
                        stripe("scheme=stripe"),
                        stripe("secrets[0]=" + Secrets.STRIPE),
                        stripe("secrets[1]=${HOOKWARDEN_TEST_UNSET_VARIABLE}"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class);
                    WebhookConfigurationException failure = findConfigurationFailure(context.getStartupFailure());
                    assertThat(failure.property()).isEqualTo("hookwarden.endpoints.stripe.secrets[1]");
                    assertThat(failure)
                            .hasMessageContaining("unresolved placeholder")
                            .hasMessageNotContaining("HOOKWARDEN_TEST_UNSET_VARIABLE")
                            .hasMessageNotContaining(Secrets.STRIPE);
                    assertThat(failure.action())
                            .contains("Set the environment variable or property that the placeholder names")
                            .doesNotContain("${");
                });
    }

    @Test
    void aBadSecretUnderACustomizersSchemeFailsStartUpNamingItsOwnProperty() {
        // given: the scheme comes from code, so the secrets can only be checked when the verifier is built; the
        // second one is a placeholder nothing resolved
        runner.withUserConfiguration(CustomScheme.class)
                .withPropertyValues(
                        "hookwarden.endpoints.acme.secrets[0]=acme-secret-0123456789",
                        "hookwarden.endpoints.acme.secrets[1]=${HOOKWARDEN_TEST_UNSET_VARIABLE}")
                .run(context -> {
                    // then: the core's InvalidSecretException carries the key's label, which names the property
                    assertThat(context).hasFailed();
                    WebhookConfigurationException failure = findConfigurationFailure(context.getStartupFailure());
                    assertThat(failure.property()).isEqualTo("hookwarden.endpoints.acme.secrets[1]");
                    assertThat(failure)
                            .hasMessageContaining("unresolved placeholder")
                            .hasMessageNotContaining("HOOKWARDEN_TEST_UNSET_VARIABLE");
                    assertThat(failure.action())
                            .contains("Set the environment variable or property that the placeholder names");
                });
    }

    private static WebhookConfigurationException findConfigurationFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WebhookConfigurationException e) {
                return e;
            }
        }
        throw new AssertionError("no WebhookConfigurationException in " + failure);
    }

    @Test
    void aBadlyEncodedSecretFailsStartUpWithoutEchoingIt() {
        runner.withPropertyValues(
                        "hookwarden.endpoints.standard.scheme=standard-webhooks",
                        "hookwarden.endpoints.standard.secrets[0]=whsec_!!not-base64!!")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context))
                            .hasMessageContaining("hookwarden.endpoints.standard.secrets[0]")
                            .hasMessageNotContaining("not-base64");
                });
    }

    @Test
    void anUnknownSchemeFailsStartUpNamingTheProperty() {
        runner.withPropertyValues(stripe("scheme=strype"), stripe("secrets[0]=" + Secrets.STRIPE))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context))
                            .hasMessageContaining("hookwarden.endpoints.stripe.scheme")
                            .hasMessageContaining("strype");
                });
    }

    @Test
    void aMissingSchemeFailsStartUpNamingTheSchemeProperty() {
        runner.withPropertyValues(stripe("secrets[0]=" + Secrets.STRIPE)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(findConfigurationFailure(context.getStartupFailure()).property())
                    .isEqualTo("hookwarden.endpoints.stripe.scheme");
        });
    }

    @RestController
    static class UnknownEndpointController {
        @PostMapping("/hooks/x")
        @WebhookEndpoint("strpe")
        void handle() {}
    }

    @Test
    void anAnnotationNamingNoEndpointFailsStartUp() {
        runner.withUserConfiguration(UnknownEndpointController.class)
                .withPropertyValues(stripe("scheme=stripe"), stripe("secrets[0]=" + Secrets.STRIPE))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context))
                            .hasMessageContaining("@WebhookEndpoint(\"strpe\")")
                            .hasMessageContaining("hookwarden.endpoints.strpe");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class ConflictingCustomizer {
        @Bean
        WebhookEndpointCustomizer maxAge() {
            return WebhookEndpointCustomizer.verifier("stripe", v -> v.maxAge(Duration.ofMinutes(2)));
        }
    }

    @Test
    void aCustomizerSettingWhatAPropertySetFailsStartUp() {
        runner.withUserConfiguration(ConflictingCustomizer.class)
                .withPropertyValues(
                        stripe("scheme=stripe"), stripe("secrets[0]=" + Secrets.STRIPE), stripe("max-age=1m"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context))
                            .hasMessageContaining("hookwarden.endpoints.stripe.")
                            .hasMessageContaining("maxAge");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomScheme {
        @Bean
        WebhookEndpointCustomizer acme() {
            return WebhookEndpointCustomizer.verifier(
                    "acme",
                    v -> v.scheme(Schemes.hmac()
                            .id("acme")
                            .signatureHeader("X-Acme-Signature")
                            .build()));
        }
    }

    @Test
    void aCustomizerCanGiveTheSchemeInCode() {
        runner.withUserConfiguration(CustomScheme.class)
                .withPropertyValues("hookwarden.endpoints.acme.secrets[0]=acme-secret-0123456789")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(WebhookEndpoints.class)
                                    .receiver("acme")
                                    .verifier()
                                    .scheme()
                                    .id())
                            .isEqualTo("acme");
                });
    }

    @Test
    void aCustomizerForAnUnknownEndpointFailsStartUp() {
        runner.withUserConfiguration(StripeClock.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context)).hasMessageContaining("[stripe]");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStore {
        @Bean
        DedupeStore store() {
            return InMemoryDedupeStore.builder().maximumSize(10).build();
        }
    }

    @Test
    void theApplicationsDedupeStoreIsUsed() {
        runner.withUserConfiguration(OwnStore.class)
                .withPropertyValues(stripe("scheme=stripe"), stripe("secrets[0]=" + Secrets.STRIPE))
                .run(context -> {
                    DedupeStore used = context.getBean(WebhookEndpoints.class)
                            .receiver("stripe")
                            .dedupeStore();
                    assertThat(used).isSameAs(context.getBean(DedupeStore.class));
                    assertThat(used.toString()).contains("maximumSize=10");
                });
    }

    @Test
    void memoryStoreSizeBinds() {
        runner.withPropertyValues("hookwarden.dedupe.memory.maximum-size=3").run(context -> {
            assertThat(context.getBean(DedupeStore.class).toString()).contains("maximumSize=3");
        });
    }

    @Test
    void healthIsUpWhenTheStoreAnswersAndDownWithoutItsMessageWhenItFails() {
        DedupeStore failing = new DedupeStore() {
            @Override
            public ClaimResult claim(String key, Duration lease) {
                throw new StoreUnavailableException("redis://user:hunter2@db:6379 refused");
            }

            @Override
            public boolean complete(String key, io.hookwarden.spi.Claim claim, Duration retention) {
                return false;
            }

            @Override
            public boolean release(String key, io.hookwarden.spi.Claim claim) {
                return false;
            }
        };
        HealthIndicator down = new DedupeStoreHealthIndicator(failing);
        HealthIndicator up = new DedupeStoreHealthIndicator(InMemoryDedupeStore.create());

        assertThat(up.health().getStatus()).isEqualTo(Status.UP);
        assertThat(down.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.health().getDetails().toString()).doesNotContain("hunter2");
    }

    @Test
    void theHealthProbeLeavesNoClaimBehind() {
        InMemoryDedupeStore store = InMemoryDedupeStore.create();
        new DedupeStoreHealthIndicator(store).health();

        assertThat(store.claim(DedupeStoreHealthIndicator.PROBE_KEY, Duration.ofSeconds(1))
                        .status())
                .isEqualTo(ClaimResult.Status.CLAIMED);
    }
}
