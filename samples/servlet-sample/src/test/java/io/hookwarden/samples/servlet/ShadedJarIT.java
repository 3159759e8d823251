package io.hookwarden.samples.servlet;

import io.hookwarden.samples.support.testing.ShadedJarCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar samples/servlet-sample/target/servlet-sample.jar} as a process, checked by {@link ShadedJarCheck}. */
class ShadedJarIT {
    private final ShadedJarCheck jar = ShadedJarCheck.of("servlet-sample");

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
