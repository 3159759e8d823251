package io.hookwarden.samples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleSettingsTest {
    @Test
    void anEmptyEnvironmentGivesPort8080TheMemoryStoreAndPrintedDemoSecrets() {
        SampleSettings settings = SampleSettings.from(Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        settings.printDefaults(new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.store()).isEqualTo("memory");
        assertThat(settings.githubSecret()).isEqualTo(SampleSettings.DEMO_GITHUB_SECRET);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("HOOKWARDEN_STANDARD_SECRET=" + SampleSettings.DEMO_STANDARD_SECRET)
                .contains("HOOKWARDEN_GITHUB_SECRET=")
                .contains("HOOKWARDEN_STRIPE_SECRET=");
    }

    @Test
    void secretsFromTheEnvironmentAreUsedAndNeverPrinted() {
        SampleSettings settings = SampleSettings.from(Map.of(
                "PORT", "9090",
                "HOOKWARDEN_GITHUB_SECRET", "real-github-secret",
                "HOOKWARDEN_STORE", "redis://localhost:6379"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        settings.printDefaults(new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(settings.port()).isEqualTo(9090);
        assertThat(settings.githubSecret()).isEqualTo("real-github-secret");
        assertThat(settings.store()).isEqualTo("redis://localhost:6379");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .doesNotContain("real-github-secret")
                .doesNotContain("HOOKWARDEN_GITHUB_SECRET");
    }

    @Test
    void aPortThatIsNotANumberIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> SampleSettings.from(Map.of("PORT", "eighty")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PORT must be a port number (0 to 65535) but was eighty");
    }

    @Test
    void aLeaseFromTheEnvironmentIsEveryEndpointsClaimLeaseAndUnsetLeavesTheReceiversDefault() {
        SampleSettings leased = SampleSettings.from(Map.of("HOOKWARDEN_LEASE", "5s"));
        SampleSettings unset = SampleSettings.from(Map.of());

        SampleEndpoints endpoints = SampleEndpoints.create(leased, io.hookwarden.InMemoryDedupeStore.create());

        assertThat(leased.lease()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(unset.lease()).isNull();
        assertThat(endpoints.receivers().values()).hasSize(3).allSatisfy(receiver -> assertThat(receiver.toString())
                .contains("lease=PT5S"));
    }

    @Test
    void aLeaseThatIsNotPositiveIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> SampleSettings.from(Map.of("HOOKWARDEN_LEASE", "0s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HOOKWARDEN_LEASE must be positive but was PT0S");
    }

    @Test
    void theEventLogRendersProcessedDeliveriesInOrder() {
        EventLog log = new EventLog();
        log.record("stripe", "evt_1", "invoice.paid");
        log.record("github", "sig-abc", "push");

        assertThat(log.toJson())
                .isEqualTo("[{\"endpoint\":\"stripe\",\"id\":\"evt_1\",\"type\":\"invoice.paid\"},"
                        + "{\"endpoint\":\"github\",\"id\":\"sig-abc\",\"type\":\"push\"}]");
    }
}
