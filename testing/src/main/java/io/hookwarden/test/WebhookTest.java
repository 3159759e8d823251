package io.hookwarden.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class with {@link HookwardenExtension}: test methods and {@code @BeforeEach} methods may take
 * a {@link MutableClock} and {@link WebhookFixtures} as parameters, the same clock in both, fresh for every test.
 *
 * <pre>{@code
 * @WebhookTest(scheme = "stripe", secret = "whsec_test_secret_for_unit_tests")
 * class PaymentsWebhookTest {
 *     @Test
 *     void refusesAStaleDelivery(MutableClock clock, WebhookFixtures fixtures) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(HookwardenExtension.class)
public @interface WebhookTest {
    /** The scheme id ({@code Schemes.byId}); default {@code standard-webhooks}. */
    String scheme() default "standard-webhooks";

    /** The signing secret, exactly as the provider shows it; default a fixed test-only {@code whsec_} secret. */
    String secret() default HookwardenExtension.DEFAULT_SECRET;

    /** Where the clock starts, in seconds since the epoch; default 1,700,000,000 (2023-11-14T22:13:20Z). */
    long epochSecond() default 1_700_000_000L;
}
