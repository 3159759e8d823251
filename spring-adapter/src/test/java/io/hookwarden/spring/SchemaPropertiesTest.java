package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** {@code hookwarden.endpoints.<name>.schemas.*} builds the endpoint's SchemaRegistry (core's payloads API). */
class SchemaPropertiesTest {
    private static final MutableClock CLOCK = MutableClock.atEpochSecond(1_700_000_000L);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HookwardenAutoConfiguration.class))
            .withBean(
                    WebhookEndpointCustomizer.class,
                    () -> WebhookEndpointCustomizer.verifier("stripe", v -> v.clock(CLOCK)))
            .withPropertyValues(
                    "hookwarden.endpoints.stripe.scheme=stripe",
                    "hookwarden.endpoints.stripe.secrets[0]=" + Secrets.STRIPE);

    private final WebhookFixtures stripe = WebhookFixtures.builder()
            .scheme(Schemes.stripe())
            .secret(Secrets.STRIPE)
            .clock(CLOCK)
            .build();

    private static Reason reasonOf(Outcome outcome) {
        return outcome instanceof Outcome.Rejected r ? r.reason() : null;
    }

    @Test
    void eventsAreCheckedAgainstTheSchemaOfTheirTypeAndVersion() {
        runner.withPropertyValues(
                        "hookwarden.endpoints.stripe.schemas.types[invoice.paid]=classpath:schemas/invoice.paid.json",
                        "hookwarden.endpoints.stripe.schemas.versions[invoice.paid][2]=classpath:schemas/invoice.paid.v2.json",
                        "hookwarden.endpoints.stripe.schemas.version-header=X-Version",
                        "hookwarden.endpoints.stripe.schemas.unknown-types=accept")
                .run(
                        context -> {
                            assertThat(context).hasNotFailed();
                            WebhookReceiver receiver =
                                    context.getBean(WebhookEndpoints.class).receiver("stripe");

                            Outcome valid = receiver.receive(
                                    stripe.delivery("{\"id\":\"evt_s1\",\"type\":\"invoice.paid\",\"amount\":5}")
                                            .signed());
                            Outcome invalid = receiver.receive(
                                    stripe.delivery("{\"id\":\"evt_s2\",\"type\":\"invoice.paid\",\"amount\":\"five\"}")
                                            .signed());
                            Outcome v2 = receiver.receive(stripe
                                    .delivery("{\"id\":\"evt_s3\",\"type\":\"invoice.paid\",\"amount_due\":5}")
                                    .signed()
                                    .toBuilder()
                                    .header("X-Version", "2")
                                    .build());
                            Outcome unknown = receiver.receive(stripe.delivery("{\"id\":\"evt_s4\",\"type\":\"other\"}")
                                    .signed());

                            assertThat(valid).isInstanceOf(Outcome.Accepted.class);
                            assertThat(reasonOf(invalid)).isEqualTo(Reason.SCHEMA_VIOLATION);
                            assertThat(invalid.answer().status()).isEqualTo(422);
                            assertThat(v2).isInstanceOf(Outcome.Accepted.class);
                            assertThat(unknown).isInstanceOf(Outcome.Accepted.class);
                            WebhookRejectedException refused =
                                    new WebhookRejectedException("stripe", (Outcome.Rejected) invalid);
                            assertThat(refused.getBody().getProperties()).containsKey("reason");
                            assertThat(refused.getBody().getProperties().toString())
                                    .contains("/amount")
                                    .doesNotContain("five");
                        });
    }

    @Test
    void reportOnlyAcceptsAViolatingEvent() {
        runner.withPropertyValues(
                        "hookwarden.endpoints.stripe.schemas.types[invoice.paid]=classpath:schemas/invoice.paid.json",
                        "hookwarden.endpoints.stripe.schemas.report-only=true")
                .run(context -> {
                    WebhookReceiver receiver =
                            context.getBean(WebhookEndpoints.class).receiver("stripe");
                    assertThat(receiver.receive(
                                    stripe.delivery("{\"id\":\"evt_r1\",\"type\":\"invoice.paid\",\"amount\":-1}")
                                            .signed()))
                            .isInstanceOf(Outcome.Accepted.class);
                });
    }

    @Test
    void aMissingSchemaFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("hookwarden.endpoints.stripe.schemas.types[invoice.paid]=classpath:schemas/nope.json")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .hasStackTraceContaining(
                                    "hookwarden.endpoints.stripe.schemas.types[invoice.paid]: schema resource"
                                            + " schemas/nope.json is not on the classpath");
                });
    }

    @Test
    void aVersionWithoutSchemasFailsStartUp() {
        runner.withPropertyValues("hookwarden.endpoints.stripe.schemas.version-header=X-Version")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("hookwarden.endpoints.stripe.schemas.types");
                });
    }
}
