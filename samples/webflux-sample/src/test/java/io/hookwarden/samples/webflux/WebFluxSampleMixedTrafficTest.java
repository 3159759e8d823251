package io.hookwarden.samples.webflux;

import io.hookwarden.samples.support.testing.MixedTrafficTest;
import io.hookwarden.test.MutableClock;
import java.net.URI;
import java.time.Clock;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** {@link MixedTrafficTest} against the WebFlux sample (Reactor Netty), its context started and closed by the test. */
class WebFluxSampleMixedTrafficTest extends MixedTrafficTest {
    @Override
    protected Running start(MutableClock clock) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(WebFluxSample.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", (Clock) clock))
                .properties(springProperties())
                .run();
        URI uri = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
        return new Running() {
            @Override
            public URI uri() {
                return uri;
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }
}
