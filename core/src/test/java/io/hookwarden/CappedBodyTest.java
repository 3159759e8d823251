package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The size cap every adapter applies before building a request: refuse by declared length, stop at the limit. */
class CappedBodyTest {

    /** An endless stream that counts the bytes handed out. */
    private static final class CountingStream extends InputStream {
        long handedOut;

        @Override
        public int read() {
            handedOut++;
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Arrays.fill(b, off, off + len, (byte) 'x');
            handedOut += len;
            return len;
        }
    }

    @Test
    void readsABodyOfDeclaredLengthWithinTheLimit() throws IOException {
        // given
        byte[] sent = "{\"id\":\"evt_1\"}".getBytes();

        // when
        byte[] body = CappedBody.read(new ByteArrayInputStream(sent), sent.length, 1024);

        // then
        assertThat(body).isEqualTo(sent);
    }

    @Test
    void readsABodyOfUnknownLengthExactlyAtTheLimit() throws IOException {
        // given
        byte[] sent = new byte[100];
        Arrays.fill(sent, (byte) 'a');

        // when
        byte[] body = CappedBody.read(new ByteArrayInputStream(sent), -1, 100);

        // then
        assertThat(body).isEqualTo(sent);
    }

    @Test
    void refusesADeclaredLengthOverTheLimitWithoutReadingAByte() {
        // given
        CountingStream in = new CountingStream();

        // when / then
        assertThatThrownBy(() -> CappedBody.read(in, 101, 100))
                .isInstanceOfSatisfying(WebhookVerificationException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.PAYLOAD_TOO_LARGE))
                .hasMessageContaining("101")
                .hasMessageContaining("100");
        assertThat(in.handedOut).isZero();
    }

    @Test
    void stopsOneBytePastTheLimitWhenTheLengthIsUnknown() {
        // given
        CountingStream in = new CountingStream();

        // when / then
        assertThatThrownBy(() -> CappedBody.read(in, -1, 4096))
                .isInstanceOfSatisfying(WebhookVerificationException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.PAYLOAD_TOO_LARGE));
        assertThat(in.handedOut).isEqualTo(4097);
    }

    @Test
    void readsNoMoreThanTheDeclaredLength() throws IOException {
        // given
        CountingStream in = new CountingStream();

        // when
        byte[] body = CappedBody.read(in, 10, 100);

        // then
        assertThat(body).hasSize(10);
        assertThat(in.handedOut).isEqualTo(10);
    }

    @Test
    void returnsWhatArrivedWhenTheStreamEndsBeforeTheDeclaredLength() throws IOException {
        // when
        byte[] body = CappedBody.read(new ByteArrayInputStream(new byte[] {1, 2, 3}), 10, 100);

        // then
        assertThat(body).containsExactly(1, 2, 3);
    }

    @Test
    void refusesANonPositiveLimitEchoingIt() {
        assertThatThrownBy(() -> CappedBody.read(new ByteArrayInputStream(new byte[0]), -1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be positive but was 0");
    }
}
