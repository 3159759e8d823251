package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed corpus of {@link SchemeFuzzTest}: a validly signed delivery per endpoint, which must go on verifying (else
 * the fuzzer no longer starts past the signature), and the one way to write it again.
 *
 * <pre>
 * ./mvnw -pl core verify -Dtest=FuzzCorpusTest -Dhookwarden.fuzz.writeSeeds=true
 * </pre>
 */
class FuzzCorpusTest {
    static final Path SCHEME_SEEDS =
            Path.of("src/test/resources/io/hookwarden/SchemeFuzzTestInputs/verifiesOrRefusesAnyDelivery");

    static List<FuzzEndpoints.Endpoint> endpoints() {
        return FuzzEndpoints.LIST;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void keptSignedDeliveryStillVerifies(FuzzEndpoints.Endpoint endpoint) throws IOException {
        // given
        byte[] kept = Files.readAllBytes(SCHEME_SEEDS.resolve("valid-" + endpoint.label()));

        // when
        FuzzDelivery delivery = FuzzDelivery.read(kept);
        VerifiedWebhook webhook = endpoint.verifier().verify(delivery.request());

        // then
        assertThat(delivery.endpoint()).isSameAs(endpoint);
        assertThat(webhook.matchedKey()).isEqualTo("fuzz");
    }

    @Test
    @EnabledIfSystemProperty(named = "hookwarden.fuzz.writeSeeds", matches = "true")
    void writesTheSeedCorpus() throws IOException {
        Files.createDirectories(SCHEME_SEEDS);
        for (FuzzEndpoints.Endpoint endpoint : FuzzEndpoints.LIST) {
            FuzzDelivery valid = new FuzzDelivery(endpoint, endpoint.signed());
            Files.write(SCHEME_SEEDS.resolve("valid-" + endpoint.label()), valid.write());
        }
        try (Stream<Path> files = Files.list(SCHEME_SEEDS)) {
            assertThat(files.count()).isGreaterThanOrEqualTo(FuzzEndpoints.LIST.size());
        }
    }
}
