package io.hookwarden.samples.spring;

import io.hookwarden.samples.support.testing.ShadedJarCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar samples/spring-boot-sample/target/spring-boot-sample.jar} as a process, checked by {@link ShadedJarCheck}. */
class ShadedJarIT {
    private final ShadedJarCheck jar = ShadedJarCheck.of("spring-boot-sample");

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
