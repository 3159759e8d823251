package io.hookwarden.samples.webflux;

import io.hookwarden.samples.support.testing.MixedTrafficTest;
import io.hookwarden.samples.support.testing.SampleContractTest;
import io.hookwarden.test.MutableClock;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** {@link MixedTrafficTest} against the WebFlux sample (Reactor Netty), its context started and closed by the test. */
class WebFluxSampleMixedTrafficTest extends MixedTrafficTest {
    @Override
    protected Running start(MutableClock clock) {
        List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off"));
        SampleContractTest.TEST_ENVIRONMENT.forEach((name, value) -> {
            if (!name.equals("PORT") && !name.equals("HOOKWARDEN_BODY_TIMEOUT")) {
                properties.add(name + "=" + value);
            }
        });
        ConfigurableApplicationContext context = new SpringApplicationBuilder(WebFluxSample.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", (Clock) clock))
                .properties(properties.toArray(String[]::new))
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
