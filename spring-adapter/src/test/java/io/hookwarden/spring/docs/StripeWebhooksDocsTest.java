package io.hookwarden.spring.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/spring.md shows {@link StripeWebhooksTest} as it is written and run, so the page's test cannot rot. */
class StripeWebhooksDocsTest {
    private static final String BEGIN = "// docs/spring.md: begin\n";
    private static final String END = "// docs/spring.md: end";

    @Test
    void theDocsShowTheTestAsWritten() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/hookwarden/spring/docs/StripeWebhooksTest.java"));
        String snippet = source.substring(source.indexOf(BEGIN) + BEGIN.length(), source.indexOf(END));
        String docs = Files.readString(Path.of("../docs/spring.md"));

        assertThat(snippet).contains("@WebMvcTest").contains("MutableClock clock()");
        assertThat(normalized(docs)).contains(normalized(snippet));
    }

    private static String normalized(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
