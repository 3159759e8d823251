package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a wrong secret in production must not be a silent stream of 401s. The first refusal of each reason per
 * endpoint is a WARNING on {@code io.hookwarden.refusals}, then at most one per interval, never with a secret or a
 * signature. (The JDK's System.Logger writes to java.util.logging here: core has no logging binding.)
 */
class RefusalLogTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final Logger jul = Logger.getLogger(RefusalLog.LOGGER);
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level previous;

    @BeforeEach
    void capture() {
        previous = jul.getLevel();
        jul.setLevel(Level.ALL);
        jul.addHandler(capture);
    }

    @AfterEach
    void release() {
        jul.removeHandler(capture);
        jul.setLevel(previous);
    }

    private List<LogRecord> warnings() {
        return records.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
    }

    @Test
    void theFirstRefusalOfEachReasonIsAWarningThenOnePerIntervalWithTheCountInBetween() {
        // given
        AtomicLong nanos = new AtomicLong(42);
        RefusalLog log = new RefusalLog("stripe", Duration.ofSeconds(60), nanos::get);

        // when: three forgeries, one stale delivery, then a minute passes and one more forgery
        log.refused(Reason.SIGNATURE_MISMATCH, "no signature matches");
        log.refused(Reason.SIGNATURE_MISMATCH, "no signature matches");
        log.refused(Reason.SIGNATURE_MISMATCH, "no signature matches");
        log.refused(Reason.TIMESTAMP_TOO_OLD, "too old");
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        log.refused(Reason.SIGNATURE_MISMATCH, "no signature matches");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        log.refused(Reason.SIGNATURE_MISMATCH, "no signature matches");

        // then
        assertThat(warnings())
                .extracting(LogRecord::getMessage)
                .containsExactly(
                        "webhook refused at endpoint stripe: SIGNATURE_MISMATCH (401): no signature matches",
                        "webhook refused at endpoint stripe: TIMESTAMP_TOO_OLD (401): too old",
                        "webhook refused at endpoint stripe: SIGNATURE_MISMATCH (401): no signature matches; 3 more"
                                + " SIGNATURE_MISMATCH refusal(s) since the last warning");
        assertThat(records.stream().filter(r -> r.getLevel() == Level.FINE)).hasSize(3);
    }

    @Test
    void aRetryRacingItsFirstAttemptIsNeverAWarning() {
        RefusalLog log = new RefusalLog("github", Duration.ofSeconds(60), System::nanoTime);

        log.refused(Reason.IN_PROGRESS, "another attempt holds the claim");

        assertThat(warnings()).isEmpty();
        assertThat(records).hasSize(1);
    }

    @Test
    void aReceiverWarnsOnAForgedDeliveryWithoutTheSecretOrTheSignature() {
        // given: an endpoint whose secret differs from the one the sender signs with
        WebhookReceiver receiver = WebhookReceiver.builder()
                .name("orders-" + System.nanoTime())
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(SECRET)
                        .build())
                .build();
        WebhookRequest forged = WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")
                .build()
                .sign(WebhookMessage.body("{\"order_id\":1}").id("msg_1").build());
        String signature = forged.headers().first("webhook-signature").orElseThrow();

        // when
        Outcome first = receiver.receive(forged);
        receiver.receive(forged);

        // then: one warning naming the endpoint and reason; no secret, no signature anywhere in the log
        assertThat(first).isInstanceOf(Outcome.Rejected.class);
        assertThat(warnings()).hasSize(1);
        assertThat(warnings().get(0).getMessage()).contains(receiver.name()).contains("SIGNATURE_MISMATCH");
        for (LogRecord record : records) {
            assertThat(record.getMessage())
                    .doesNotContain(SECRET.substring("whsec_".length()))
                    .doesNotContain("C2FVsBQIhrscChlQIMV")
                    .doesNotContain(signature.substring(signature.indexOf(',') + 1));
        }
    }
}
