package io.hookwarden.spring.http;

import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookEndpointCustomizer;
import io.hookwarden.test.MutableClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the HTTP edge tests attack: {@code stripe} at {@code /webhooks/stripe} by {@link WebhookEndpoint},
 * {@code configured} at {@code /hooks/stripe} by its {@code paths} property. Both handlers take only {@code @RequestBody
 * String}, the shape that processes whatever reaches it, and record each run.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(EdgeApp.Hooks.class)
class EdgeApp {
    static final String SECRET = "whsec_edge_0123456789abcdefghijklmnop";
    static final long NOW = 1_700_000_000L;

    /** The properties of both endpoints. */
    static final String[] PROPERTIES = {
        "hookwarden.endpoints.stripe.scheme=stripe",
        "hookwarden.endpoints.stripe.secrets[0]=" + SECRET,
        "hookwarden.endpoints.configured.scheme=stripe",
        "hookwarden.endpoints.configured.secrets[0]=" + SECRET,
        "hookwarden.endpoints.configured.paths[0]=/hooks/stripe"
    };

    @Bean
    MutableClock clock() {
        return MutableClock.atEpochSecond(NOW);
    }

    @Bean
    WebhookEndpointCustomizer stripeClock(MutableClock clock) {
        return WebhookEndpointCustomizer.verifier("stripe", verifier -> verifier.clock(clock));
    }

    @Bean
    WebhookEndpointCustomizer configuredClock(MutableClock clock) {
        return WebhookEndpointCustomizer.verifier("configured", verifier -> verifier.clock(clock));
    }

    @Bean
    Runs runs() {
        return new Runs();
    }

    /** Each handler run, as {@code endpoint:body}. */
    static final class Runs {
        final List<String> handled = new CopyOnWriteArrayList<>();
    }

    @RestController
    static class Hooks {
        private final Runs runs;

        Hooks(Runs runs) {
            this.runs = runs;
        }

        @PostMapping("/webhooks/stripe")
        @WebhookEndpoint("stripe")
        String annotated(@RequestBody String body) {
            runs.handled.add("stripe:" + body);
            return "processed";
        }

        /** Every method Spring routes here, so that only the adapter stands between a method and the handler. */
        @RequestMapping(
                path = "/webhooks/any",
                method = {
                    RequestMethod.POST,
                    RequestMethod.PUT,
                    RequestMethod.PATCH,
                    RequestMethod.DELETE,
                    RequestMethod.OPTIONS,
                    RequestMethod.TRACE
                })
        @WebhookEndpoint("stripe")
        String anyMethod(@RequestBody String body) {
            runs.handled.add("any:" + body);
            return "processed";
        }

        @PostMapping("/plain")
        String plain(@RequestBody String body) {
            return "plain " + body.length();
        }

        /** The same, for the endpoint given by {@code paths}. */
        @RequestMapping(
                path = "/hooks/stripe",
                method = {
                    RequestMethod.POST,
                    RequestMethod.PUT,
                    RequestMethod.PATCH,
                    RequestMethod.DELETE,
                    RequestMethod.OPTIONS,
                    RequestMethod.TRACE
                })
        String configured(@RequestBody String body) {
            runs.handled.add("configured:" + body);
            return "processed";
        }
    }
}
