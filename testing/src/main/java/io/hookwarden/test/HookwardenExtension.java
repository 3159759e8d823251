package io.hookwarden.test;

import io.hookwarden.Schemes;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit 5 extension that injects a {@link MutableClock} and {@link WebhookFixtures} signing with it, configured by
 * {@link WebhookTest} on the test class (or an enclosing class). Each test gets a fresh clock at the configured start;
 * within one test, every parameter shares it, so advancing the clock ages the fixtures' deliveries for the verifier
 * under test.
 */
public final class HookwardenExtension implements ParameterResolver {
    /** The default test-only secret: a {@code whsec_} key of 24 bytes. Never use it outside tests. */
    public static final String DEFAULT_SECRET = "whsec_aG9va3dhcmRlbi10ZXN0LXNlY3JldC0yNA==";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(HookwardenExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == MutableClock.class || type == WebhookFixtures.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        WebhookTest config = config(context);
        MutableClock clock = context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        "clock", k -> MutableClock.atEpochSecond(config.epochSecond()), MutableClock.class);
        if (parameter.getParameter().getType() == MutableClock.class) {
            return clock;
        }
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent("fixtures", k -> fixtures(config, clock), WebhookFixtures.class);
    }

    private static WebhookFixtures fixtures(WebhookTest config, MutableClock clock) {
        try {
            return WebhookFixtures.builder()
                    .scheme(Schemes.byId(config.scheme()))
                    .secret(config.secret())
                    .clock(clock)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(
                    "@WebhookTest cannot sign for scheme " + config.scheme() + ": " + e.getMessage(), e);
        }
    }

    private static WebhookTest config(ExtensionContext context) {
        Optional<ExtensionContext> current = Optional.of(context);
        while (current.isPresent()) {
            Optional<Class<?>> testClass = current.get().getTestClass();
            if (testClass.isPresent()) {
                Optional<WebhookTest> found = AnnotationSupport.findAnnotation(testClass.get(), WebhookTest.class);
                if (found.isPresent()) {
                    return found.get();
                }
            }
            current = current.get().getParent();
        }
        return Defaults.class.getAnnotation(WebhookTest.class);
    }

    @WebhookTest
    private static final class Defaults {}
}
