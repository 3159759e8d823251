package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The encodings on the verification path checked against their definitions: base64 against the JDK's encoder for every
 * length, and the signed content against the template's pieces encoded one by one (UTF-8 id and URL, ASCII timestamp).
 */
class CodecTest {

    @Test
    void encodesBase64ExactlyAsTheJdkForEveryLengthUpTo300() {
        // given
        Random random = new Random(42);

        for (int length = 0; length <= 300; length++) {
            for (int round = 0; round < 8; round++) {
                byte[] bytes = new byte[length];
                random.nextBytes(bytes);

                // when / then
                assertThat(new String(Codec.base64(bytes), StandardCharsets.US_ASCII))
                        .as("length %d", length)
                        .isEqualTo(Base64.getEncoder().encodeToString(bytes));
            }
        }
    }

    @Test
    void encodesTheExtremeBytesAndBothPaddings() {
        // when / then
        assertThat(Codec.base64(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .asString()
                .isEqualTo("////");
        assertThat(Codec.base64(new byte[] {(byte) 0xfb, (byte) 0xff}))
                .asString()
                .isEqualTo("+/8=");
        assertThat(Codec.base64(new byte[] {0})).asString().isEqualTo("AA==");
        assertThat(Codec.base64(new byte[0])).isEmpty();
    }

    @Test
    void joinsTheSignedContentIntoTheSameBytesAsEachPieceEncodedAlone() {
        // given: ASCII, Latin-1, CJK and a surrogate pair in the id and URL, a body between and after text
        String[] ids = {"msg_2mJ4Cq0Y8tXyQe7VbN3kRf1LpZs", "caf\u00e9", "\u6d88\u606f", "a\uD83D\uDE00b", ""};
        String[] urls = {"https://hooks.example.com/w?a=1", "https://h\u00e9.example/\u00fc"};
        String[] templates = {
            "{id}.{timestamp}.{body}",
            "{timestamp}.{body}",
            "{body}",
            "{url}{body}",
            "v0:{timestamp}:{body}",
            "{id}|{body}|{url}|{timestamp}",
            "{body}{body}",
            "{url}",
        };
        byte[] body = "{\"a\":\"\u00fc\"}".getBytes(StandardCharsets.UTF_8);

        for (String template : templates) {
            for (String id : ids) {
                for (String url : urls) {
                    // when
                    ByteArrayOutputStream joined = new ByteArrayOutputStream();
                    ContentTemplate.parse(template).write(joined::writeBytes, id, "1700000000", body, url);

                    // then
                    String expected = template.replace("{id}", id)
                            .replace("{timestamp}", "1700000000")
                            .replace("{url}", url)
                            .replace("{body}", new String(body, StandardCharsets.UTF_8));
                    assertThat(joined.toByteArray())
                            .as("%s with id %s and url %s", template, id, url)
                            .isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void signsANonAsciiTimestampAsAsciiWithQuestionMarks() {
        // given: the timestamp token is ASCII, as the JDK encodes it; a scheme checks digits before signing
        ByteArrayOutputStream joined = new ByteArrayOutputStream();

        // when
        ContentTemplate.parse("{timestamp}.{body}").write(joined::writeBytes, null, "1\u00e9", new byte[] {'b'}, null);

        // then
        assertThat(joined.toString(StandardCharsets.US_ASCII)).isEqualTo("1?.b");
    }
}
