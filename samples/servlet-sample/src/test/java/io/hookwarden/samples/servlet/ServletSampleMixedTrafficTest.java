package io.hookwarden.samples.servlet;

import io.hookwarden.samples.support.testing.MixedTrafficTest;
import io.hookwarden.test.MutableClock;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;

/** {@link MixedTrafficTest} against the servlet sample (Jetty). */
class ServletSampleMixedTrafficTest extends MixedTrafficTest {
    @Override
    protected Running start(MutableClock clock) {
        ServletSample sample =
                ServletSample.start(SETTINGS, "127.0.0.1", clock, new PrintStream(OutputStream.nullOutputStream()));
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
