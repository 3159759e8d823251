package io.hookwarden.samples.jaxrs;

import io.hookwarden.samples.support.testing.ShadedJarCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar samples/jaxrs-sample/target/jaxrs-sample.jar} as a process, checked by {@link ShadedJarCheck}. */
class ShadedJarIT {
    private final ShadedJarCheck jar = ShadedJarCheck.of("jaxrs-sample");

    @TempDir
    Path dir;

    @Test
    void theJarServesTheSampleOnPortAndProcessesADeliveryOnce() throws Exception {
        jar.servesTheSampleOnPortAndProcessesADeliveryOnce(dir);
    }

    @Test
    void theJarRefusesABadPortWithOneLineAndStatusTwo() throws Exception {
        jar.refusesABadPortWithOneLineAndStatusTwo(dir);
    }
}
