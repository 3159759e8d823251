package io.hookwarden.spring;

import io.hookwarden.InboxWorker;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Adjusts one endpoint in code after its {@code hookwarden.endpoints.<name>.*} properties were applied: a custom
 * scheme, a clock, a dedupe key, an inbox, anything the builders offer. Declare one as a bean per endpoint.
 *
 * <pre>{@code
 * @Bean
 * WebhookEndpointCustomizer stripeKeys() {
 *     return WebhookEndpointCustomizer.receiver("stripe", receiver -> receiver
 *             .dedupeKey(DedupeKey.header("Idempotency-Key").orElse(DedupeKey.schemeDefault())));
 * }
 * }</pre>
 *
 * <p>A clock needs no customizer: the application's {@link java.time.Clock} bean is every endpoint's verifier clock. A
 * customizer that sets one wins for its endpoint.
 *
 * <p>The builders refuse an option set twice, so a customizer that sets what a property already set fails start-up
 * with the option's name. Implementations must be thread-safe only to the extent that they are called once per
 * endpoint at start-up.
 */
public interface WebhookEndpointCustomizer {
    /** The name of the endpoint this customizer applies to. */
    String name();

    /** Adjusts the endpoint's verifier before it is built; the scheme, keys and limits from properties are set. */
    default void customize(WebhookVerifier.Builder verifier) {}

    /**
     * Adjusts the endpoint's receiver before it is built; the name, verifier and {@code inbox.*} options are set, and
     * the listener when there is a {@link io.hookwarden.DeliveryListener} bean (Micrometer's, by default). The shared
     * dedupe store is set afterwards, unless the receiver has an inbox (set here or by properties) or a store of its
     * own.
     */
    default void customize(WebhookReceiver.Builder receiver) {}

    /**
     * Adjusts the endpoint's inbox worker before it is built (a clock, options no property names); the endpoint, its
     * {@link InboxHandler} router, the {@code hookwarden.inbox.worker.*} options and the {@link
     * io.hookwarden.InboxListener} bean are set. Called only for an endpoint with an inbox, on instances that run
     * workers.
     */
    default void customize(InboxWorker.Builder worker) {}

    /**
     * A customizer of the named endpoint's verifier.
     *
     * @throws NullPointerException if name or customizer is null
     */
    static WebhookEndpointCustomizer verifier(String name, Consumer<WebhookVerifier.Builder> customizer) {
        Objects.requireNonNull(name, "name cannot be null");
        Objects.requireNonNull(customizer, "customizer cannot be null");
        return new WebhookEndpointCustomizer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void customize(WebhookVerifier.Builder verifier) {
                customizer.accept(verifier);
            }
        };
    }

    /**
     * A customizer of the named endpoint's inbox worker.
     *
     * @throws NullPointerException if name or customizer is null
     */
    static WebhookEndpointCustomizer worker(String name, Consumer<InboxWorker.Builder> customizer) {
        Objects.requireNonNull(name, "name cannot be null");
        Objects.requireNonNull(customizer, "customizer cannot be null");
        return new WebhookEndpointCustomizer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void customize(InboxWorker.Builder worker) {
                customizer.accept(worker);
            }
        };
    }

    /**
     * A customizer of the named endpoint's receiver.
     *
     * @throws NullPointerException if name or customizer is null
     */
    static WebhookEndpointCustomizer receiver(String name, Consumer<WebhookReceiver.Builder> customizer) {
        Objects.requireNonNull(name, "name cannot be null");
        Objects.requireNonNull(customizer, "customizer cannot be null");
        return new WebhookEndpointCustomizer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void customize(WebhookReceiver.Builder receiver) {
                customizer.accept(receiver);
            }
        };
    }
}
