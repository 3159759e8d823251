package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (issue 16): the SNS message reader and the scheme's parse, which decides on the certificate URL before
 * anything is fetched. Any body is read as an SNS message or refused as {@code MALFORMED_PAYLOAD} or {@code
 * SIGNATURE_MISMATCH}, never another exception; a message read has AWS's string to sign, from {@code Message} to
 * {@code Type}. Nothing here fetches: a URL the rules allow is only parsed.
 */
class SnsMessageFuzzTest {
    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void readsAnySnsMessageOrRefusesIt(byte[] body) {
        // when
        SnsScheme.Message[] read = new SnsScheme.Message[1];
        Throwable thrown = catchThrowable(() -> read[0] = SnsScheme.read(body));
        Throwable parsed = catchThrowable(() -> Schemes.sns()
                .topics("arn:aws:sns:us-east-1:123456789012:orders")
                .parse(WebhookRequest.builder().body(body).build()));

        // then
        TypedRefusal.check("read", thrown, WebhookVerificationException.class);
        TypedRefusal.check("parse", parsed, WebhookVerificationException.class);
        if (thrown != null) {
            assertThat(((WebhookVerificationException) thrown).reason())
                    .isIn(Reason.MALFORMED_PAYLOAD, Reason.SIGNATURE_MISMATCH);
            assertThat(parsed).isNotNull();
            return;
        }
        if (parsed != null) {
            assertThat(((WebhookVerificationException) parsed).reason())
                    .isIn(Reason.SIGNATURE_MISMATCH, Reason.SOURCE_NOT_ALLOWED);
        }
        String content = new String(read[0].signedContent(), StandardCharsets.UTF_8);
        assertThat(content).startsWith("Message\n").endsWith("Type\n" + read[0].type() + "\n");
        assertThat(read[0].signatureVersion()).isIn("1", "2");
    }
}
