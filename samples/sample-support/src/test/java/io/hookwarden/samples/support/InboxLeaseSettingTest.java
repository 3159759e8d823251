package io.hookwarden.samples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.InboxWorker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code HOOKWARDEN_INBOX_LEASE}: how long a sample's worker holds a claimed delivery before another may take it. */
class InboxLeaseSettingTest {
    @Test
    void anUnsetLeaseIsTheWorkersDefault() {
        assertThat(SampleSettings.from(Map.of()).inboxLease()).isEqualTo(InboxWorker.DEFAULT_LEASE);
    }

    @Test
    void aLeaseIsReadInTheFormsOfTheOtherDurations() {
        assertThat(SampleSettings.from(Map.of("HOOKWARDEN_INBOX_LEASE", "2s")).inboxLease())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(SampleSettings.from(Map.of("HOOKWARDEN_INBOX_LEASE", "1500ms"))
                        .inboxLease())
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(SampleSettings.from(Map.of("HOOKWARDEN_INBOX_LEASE", "PT5M")).inboxLease())
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theLeaseSurvivesTheOtherSettingsChanges() {
        SampleSettings settings = SampleSettings.from(Map.of("HOOKWARDEN_INBOX_LEASE", "3s"));

        assertThat(settings.withInbox("memory").withPort(0).inboxLease()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aLeaseThatIsNotAPositiveDurationIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> SampleSettings.from(Map.of("HOOKWARDEN_INBOX_LEASE", "soon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HOOKWARDEN_INBOX_LEASE must be a duration such as 10s, 2500ms or PT10S but was soon");
        assertThatThrownBy(() -> SampleSettings.from(Map.of("HOOKWARDEN_INBOX_LEASE", "0s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HOOKWARDEN_INBOX_LEASE must be positive but was PT0S");
    }
}
