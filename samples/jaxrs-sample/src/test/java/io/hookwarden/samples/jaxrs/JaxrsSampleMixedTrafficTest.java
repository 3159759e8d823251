package io.hookwarden.samples.jaxrs;

import io.hookwarden.samples.support.testing.MixedTrafficTest;
import io.hookwarden.test.MutableClock;
import java.net.URI;

/** {@link MixedTrafficTest} against the JAX-RS sample (Jersey on Grizzly). */
class JaxrsSampleMixedTrafficTest extends MixedTrafficTest {
    @Override
    protected Running start(MutableClock clock) {
        JaxrsSample sample = JaxrsSample.start(SETTINGS, clock);
        return new Running() {
            @Override
            public URI uri() {
                return sample.uri();
            }

            @Override
            public void close() {
                sample.stop();
            }
        };
    }
}
