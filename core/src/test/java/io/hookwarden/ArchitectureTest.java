package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core knows no framework (STYLE.md 2): its sources import no servlet, Spring, JDBC or Redis type. */
class ArchitectureTest {
    private static final List<String> FORBIDDEN = List.of(
            "import jakarta.",
            "import javax.servlet.",
            "import javax.ws.",
            "import org.springframework.",
            "import java.sql.",
            "import javax.sql.",
            "import io.lettuce.",
            "import redis.");

    @Test
    void coreSourcesImportNoFrameworkStoreOrDatabaseApi() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(ArchitectureTest::forbiddenImports)
                    .collect(Collectors.toList());
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theCheckRecognisesAForbiddenImport() {
        assertThat(FORBIDDEN.stream().anyMatch("import jakarta.servlet.Filter;"::startsWith))
                .isTrue();
    }

    private static Stream<String> forbiddenImports(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .map(String::strip)
                    .filter(line -> FORBIDDEN.stream().anyMatch(line::startsWith))
                    .map(line -> file + ": " + line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
