package io.hookwarden.issues;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Issue 17: what the fuzz targets found, each kept as a plain test next to its fix. */
class Issue17Test {

    /**
     * BodyCapFuzzTest: under a limit above 2 GiB, a declared length over the largest array reached {@code
     * InputStream.readNBytes} cast to a negative int, and the receiver threw {@link IllegalArgumentException} instead
     * of answering.
     */
    @Test
    void declaredLengthTooLargeForAnArrayIsRefusedAsTooLargeUnderAHugeLimit() throws IOException {
        // given
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.github())
                        .secret("fuzz-signing-secret-0123456789")
                        .maxBodyBytes(Long.MAX_VALUE)
                        .build())
                .build();
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[] {'{', '}'});

        // when
        Outcome outcome = receiver.receive(WebhookRequest.builder(), body, 3_000_000_000L);

        // then
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(Reason.PAYLOAD_TOO_LARGE));
        assertThat(body.available()).as("bytes left unread").isEqualTo(2);
    }

    /** The same cast wrapped round: 4 GiB and 3 bytes were read as a body of 3 bytes. */
    @Test
    void declaredLengthOverFourGibibytesIsNotReadAsItsLowBits() throws IOException {
        // given
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.github())
                        .secret("fuzz-signing-secret-0123456789")
                        .maxBodyBytes(Long.MAX_VALUE)
                        .build())
                .build();
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[] {'a', 'b', 'c', 'd'});

        // when
        Outcome outcome = receiver.receive(WebhookRequest.builder(), body, (1L << 32) + 3);

        // then
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo(Reason.PAYLOAD_TOO_LARGE));
        assertThat(body.available()).isEqualTo(4);
    }
}
