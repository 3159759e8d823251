package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the receiver reads the body under its cap, so no adapter renders its own 413: a declared length over the
 * cap is refused before a byte is read, a chunked body is read to one byte past the cap, and both are the endpoint's
 * own PAYLOAD_TOO_LARGE answer, reported to its listener like every other refusal.
 */
class ReceiveStreamTest {
    @Test
    void aContentLengthIsTheDeclaredLengthOnlyWhenItIsANonNegativeNumber() {
        assertThat(WebhookReceiver.declaredLength("2048")).isEqualTo(2048);
        assertThat(WebhookReceiver.declaredLength(" 0 ")).isZero();
        assertThat(WebhookReceiver.declaredLength("8589934592"))
                .as("over 2 GiB")
                .isEqualTo(8_589_934_592L);
        for (String unusable : new String[] {null, "", "twelve", "-5", "1e3", "99999999999999999999", "12 34"}) {
            assertThat(WebhookReceiver.declaredLength(unusable))
                    .as("%s", unusable)
                    .isEqualTo(-1);
        }
    }

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final int CAP = 1024;

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final WebhookReceiver receiver = WebhookReceiver.builder()
            .name("orders")
            .verifier(WebhookVerifier.builder()
                    .scheme(Schemes.standardWebhooks())
                    .secret(SECRET)
                    .maxBodyBytes(CAP)
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .build())
            .listener((endpoint, scheme, request) -> new DeliveryListener.Observer() {
                @Override
                public void rejected(Reason reason, Duration took) {
                    events.add("rejected " + reason);
                }

                @Override
                public void accepted(VerifiedWebhook webhook, Duration took) {
                    events.add("accepted " + webhook.bodyText().length());
                }
            })
            .build();

    private WebhookRequest signed(String body) {
        return WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build()
                .sign(WebhookMessage.body(body).id("msg_1").build());
    }

    /** The signed request's head: everything but the body. */
    private static WebhookRequest.Builder head(WebhookRequest signed) {
        return WebhookRequest.builder()
                .method(signed.method())
                .url(signed.url().orElse(null))
                .headers(signed.headers());
    }

    /** A stream of {@code length} bytes of {@code 'x'} that counts what was read. */
    private static InputStream counting(long length, AtomicLong read) {
        return new InputStream() {
            @Override
            public int read() {
                if (read.get() >= length) {
                    return -1;
                }
                read.incrementAndGet();
                return 'x';
            }
        };
    }

    @Test
    void aBodyUnderTheCapIsReadAndReceived() throws IOException {
        String body = "{\"order_id\":" + "1".repeat(100) + "}";
        WebhookRequest signed = signed(body);

        Outcome outcome = receiver.receive(head(signed), new ByteArrayInputStream(signed.body()), signed.bodyLength());

        assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        assertThat(((Outcome.Accepted) outcome).delivery().webhook().bodyText()).isEqualTo(body);
        assertThat(events).containsExactly("accepted " + body.length());
    }

    @Test
    void aDeclaredLengthOverTheCapIsRefusedBeforeAByteIsRead() throws IOException {
        AtomicLong read = new AtomicLong();

        Outcome outcome = receiver.receive(head(signed("{}")), counting(8L << 20, read), 8L << 20);

        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
        assertThat(outcome.answer()).isEqualTo(receiver.answer(Reason.PAYLOAD_TOO_LARGE));
        assertThat(read).hasValue(0);
        assertThat(events).containsExactly("rejected PAYLOAD_TOO_LARGE");
    }

    @Test
    void aChunkedBodyIsReadToOneBytePastTheCapAndRefused() throws IOException {
        AtomicLong read = new AtomicLong();

        Outcome outcome = receiver.receive(head(signed("{}")), counting(8L << 20, read), -1);

        assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
        assertThat(outcome.answer().status()).isEqualTo(413);
        assertThat(read).hasValue(CAP + 1);
    }

    @Test
    void aChunkedBodyOfExactlyTheCapIsReceived() throws IOException {
        String body = "{\"pad\":\"" + "x".repeat(CAP - 10) + "\"}";
        WebhookRequest signed = signed(body);

        Outcome outcome = receiver.receive(head(signed), new ByteArrayInputStream(signed.body()), -1);

        assertThat(signed.bodyLength()).isEqualTo(CAP);
        assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
    }

    @Test
    void aFailedReadIsTheAdaptersIoErrorNotARefusal() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> receiver.receive(head(signed("{}")), broken, 2))
                .isInstanceOf(IOException.class)
                .hasMessage("connection reset");
        assertThat(events).isEmpty();
    }
}
