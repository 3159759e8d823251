package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (issue 17): the body cap, {@link WebhookReceiver#receive(WebhookRequest.Builder, InputStream, long)}
 * with any limit, any declared {@code Content-Length} and any body (never more than the declared length, as an HTTP
 * server frames it). The outcome is an {@link Outcome}, never an exception; no more than the limit and one byte is
 * read; a declared length over the limit is refused before a byte is read; a body within the limit is read whole and
 * never refused as too large.
 */
class BodyCapFuzzTest {
    static {
        FuzzMode.quietLogsWhileFuzzing();
    }

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void readsNoMoreThanTheCapAndRefusesWhatIsOver(FuzzedDataProvider data) throws IOException {
        // given
        long limit = data.consumeBoolean() ? data.consumeLong(1, 64) : data.consumeLong(1, Long.MAX_VALUE);
        long declared = data.consumeBoolean() ? data.consumeLong(-1, 80) : data.consumeLong();
        byte[] sent = data.consumeRemainingAsBytes();
        byte[] body = declared >= 0 && declared < sent.length ? Arrays.copyOf(sent, (int) declared) : sent;
        CountingStream in = new CountingStream(body);
        WebhookReceiver receiver = WebhookReceiver.builder()
                .name("fuzz-cap")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.github())
                        .secret("fuzz-signing-secret-0123456789")
                        .maxBodyBytes(limit)
                        .build())
                .build();

        // when
        Outcome outcome = receiver.receive(WebhookRequest.builder(), in, declared);

        // then
        boolean tooLarge = outcome instanceof Outcome.Rejected r && r.reason() == Reason.PAYLOAD_TOO_LARGE;
        assertThat(in.read).as("bytes read").isLessThanOrEqualTo(Math.min(limit, Integer.MAX_VALUE - 8) + 1);
        if (declared > limit) {
            assertThat(tooLarge).as("declared over the limit").isTrue();
            assertThat(in.read).as("bytes read before refusing").isZero();
        } else if (body.length <= limit && declared <= Integer.MAX_VALUE - 8) {
            assertThat(tooLarge)
                    .as("refused as too large, %s bytes within %s", body.length, limit)
                    .isFalse();
            assertThat(in.read).as("bytes read of %s", body.length).isEqualTo(body.length);
        } else if (declared < 0) {
            assertThat(tooLarge).as("an undeclared body over the limit").isTrue();
        }
    }

    /** A body stream that counts what was read from it. */
    private static final class CountingStream extends InputStream {
        private final ByteArrayInputStream bytes;
        long read;

        CountingStream(byte[] body) {
            this.bytes = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            int b = bytes.read();
            if (b >= 0) {
                read++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int n = bytes.read(buffer, offset, length);
            if (n > 0) {
                read += n;
            }
            return n;
        }
    }
}
