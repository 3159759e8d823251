package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Issue 18: a new user's test needed one clock customizer per endpoint. The application's {@link Clock} bean is now
 * every endpoint's verifier clock, and a customizer's clock still wins for its endpoint.
 */
class ClockBeanTest {
    private static final long EPOCH = 1_700_000_000L;

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HookwardenAutoConfiguration.class))
            .withPropertyValues(
                    "hookwarden.endpoints.stripe.scheme=stripe",
                    "hookwarden.endpoints.stripe.secrets[0]=" + Secrets.STRIPE,
                    "hookwarden.endpoints.billing.scheme=stripe",
                    "hookwarden.endpoints.billing.secrets[0]=" + Secrets.STRIPE);

    private static Outcome receive(WebhookReceiver receiver, Clock signedAt, String id) {
        WebhookFixtures fixtures = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(Secrets.STRIPE)
                .clock(signedAt)
                .build();
        return receiver.receive(fixtures.delivery("{\"id\":\"" + id + "\"}").signed());
    }

    private static Reason rejection(Outcome outcome) {
        return outcome instanceof Outcome.Rejected rejected ? rejected.reason() : null;
    }

    @Test
    void theApplicationsClockBeanIsEveryEndpointsClock() {
        // given: one MutableClock bean in 2023, and no customizer
        MutableClock clock = MutableClock.atEpochSecond(EPOCH);
        runner.withBean(MutableClock.class, () -> clock).run(context -> {
            assertThat(context).hasNotFailed();
            WebhookEndpoints endpoints = context.getBean(WebhookEndpoints.class);

            // when / then: deliveries signed at the bean's time are fresh at both endpoints, the system clock's are not
            for (String name : new String[] {"stripe", "billing"}) {
                WebhookReceiver receiver = endpoints.receiver(name);
                assertThat(receive(receiver, clock, name + "-1")).isInstanceOf(Outcome.Accepted.class);
                assertThat(rejection(receive(receiver, Clock.systemUTC(), name + "-2")))
                        .isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
            }

            // and: moving the bean moves the endpoints' time, without sleeping
            MutableClock signedBefore = MutableClock.atEpochSecond(EPOCH);
            clock.advance(Duration.ofMinutes(6));
            assertThat(rejection(receive(endpoints.receiver("billing"), signedBefore, "billing-3")))
                    .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        });
    }

    @Test
    void aCustomizersClockWinsForItsEndpoint() {
        // given: the bean in 2023, and the stripe endpoint's own customizer on another clock
        MutableClock bean = MutableClock.atEpochSecond(EPOCH);
        MutableClock stripes = MutableClock.atEpochSecond(EPOCH + 86_400);
        runner.withBean(MutableClock.class, () -> bean)
                .withBean(
                        WebhookEndpointCustomizer.class,
                        () -> WebhookEndpointCustomizer.verifier("stripe", v -> v.clock(stripes)))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WebhookEndpoints endpoints = context.getBean(WebhookEndpoints.class);

                    assertThat(receive(endpoints.receiver("stripe"), stripes, "s-1"))
                            .isInstanceOf(Outcome.Accepted.class);
                    assertThat(rejection(receive(endpoints.receiver("stripe"), bean, "s-2")))
                            .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
                    assertThat(receive(endpoints.receiver("billing"), bean, "b-1"))
                            .isInstanceOf(Outcome.Accepted.class);
                });
    }

    @Test
    void withoutAClockBeanTheSystemClockIsUsed() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            WebhookReceiver receiver = context.getBean(WebhookEndpoints.class).receiver("stripe");

            assertThat(receive(receiver, Clock.systemUTC(), "now")).isInstanceOf(Outcome.Accepted.class);
            assertThat(rejection(receive(receiver, MutableClock.atEpochSecond(EPOCH), "then")))
                    .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        });
    }
}
