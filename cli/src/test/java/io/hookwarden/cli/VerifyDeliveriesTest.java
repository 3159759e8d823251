package io.hookwarden.cli;

import static io.hookwarden.cli.Cli.SW_BODY;
import static io.hookwarden.cli.Cli.SW_ID;
import static io.hookwarden.cli.Cli.SW_SECRET;
import static io.hookwarden.cli.Cli.SW_SIGNATURE;
import static io.hookwarden.cli.Cli.SW_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyDeliveriesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A recording of the published vector, with the given id. */
    private static ObjectNode vector(String id) {
        ObjectNode line = JSON.createObjectNode();
        line.put("id", id);
        ObjectNode headers = line.putObject("headers");
        headers.put("webhook-id", SW_ID);
        headers.put("webhook-timestamp", Long.toString(SW_TIMESTAMP));
        headers.put("webhook-signature", SW_SIGNATURE);
        line.put("body", SW_BODY);
        return line;
    }

    private Path file(Object... lines) throws IOException {
        List<String> text = new ArrayList<>();
        for (Object line : lines) {
            text.add(line instanceof String s ? s : JSON.writeValueAsString(line));
        }
        return Files.write(dir.resolve("deliveries.jsonl"), text, StandardCharsets.UTF_8);
    }

    private static Cli.Result verify(Path file, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "verify", "--scheme", "standard-webhooks", "--secret", SW_SECRET, "--deliveries", file.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void printsAVerdictPerLineInInputOrderAndExitsOneWhenAnyIsInvalid() throws IOException {
        ObjectNode valid = vector("valid-1");
        ObjectNode tampered = vector("tampered-2").put("body", "{\"test\": 1}");
        ObjectNode expired = vector("expired-3").put("now", SW_TIMESTAMP + 1000);
        ObjectNode arrayHeader = vector("array-4");
        arrayHeader.withObject("/headers").putArray("webhook-signature").add(SW_SIGNATURE);
        ObjectNode base64 = vector("base64-5");
        base64.remove("body");
        base64.put("body_base64", Base64.getEncoder().encodeToString(SW_BODY.getBytes(StandardCharsets.UTF_8)));
        ObjectNode twoSignatures = vector("twice-6");
        twoSignatures
                .withObject("/headers")
                .putArray("webhook-signature")
                .add(SW_SIGNATURE)
                .add(SW_SIGNATURE);

        Cli.Result result = verify(
                file(valid, tampered, expired, arrayHeader, base64, twoSignatures),
                "--now",
                Long.toString(SW_TIMESTAMP));

        assertThat(result.lines())
                .containsExactly(
                        "valid-1 valid",
                        "tampered-2 invalid SIGNATURE_MISMATCH",
                        "expired-3 invalid TIMESTAMP_TOO_OLD",
                        "array-4 valid",
                        "base64-5 valid",
                        "twice-6 invalid MALFORMED_HEADER");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void exitsZeroWhenEveryDeliveryIsValidAndSkipsBlankLines() throws IOException {
        ObjectNode first = vector("a").put("now", SW_TIMESTAMP);
        ObjectNode second = vector("b").put("now", SW_TIMESTAMP + 60);

        Cli.Result result = verify(file(first, "", "   ", second, ""));

        assertThat(result.lines()).containsExactly("a valid", "b valid");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void aLineWithoutNowUsesTheSystemClockWhenNoNowOptionIsGiven() throws IOException {
        Cli.Result result = verify(file(vector("old")));

        assertThat(result.lines()).containsExactly("old invalid TIMESTAMP_TOO_OLD");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void aLinesNowOverridesTheNowOption() throws IOException {
        Cli.Result result =
                verify(file(vector("line-now").put("now", SW_TIMESTAMP)), "--now", Long.toString(SW_TIMESTAMP + 1000));

        assertThat(result.lines()).containsExactly("line-now valid");
    }

    @Test
    void verifiesTheExactBytesOfABase64Body() throws IOException {
        byte[] binary = {(byte) 0xff, 0x00, (byte) 0xfe, '\n', (byte) 0xc3};
        WebhookSigner signer = WebhookSigner.builder()
                .scheme(Schemes.github())
                .secret("github-secret")
                .build();
        ObjectNode line = JSON.createObjectNode().put("id", "binary");
        signer.headers(WebhookMessage.body(binary).build())
                .toMap()
                .forEach((name, values) -> line.withObject("/headers").put(name, values.get(0)));
        line.put("body_base64", Base64.getEncoder().encodeToString(binary));

        Cli.Result result = Cli.run(
                "verify",
                "--scheme",
                "github",
                "--secret",
                "github-secret",
                "--deliveries",
                file(line).toString());

        assertThat(result.lines()).containsExactly("binary valid");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void printsMalformedPayloadForALineWhoseIdCanBeReadAndGoesOn() throws IOException {
        ObjectNode noBody = vector("no-body");
        noBody.remove("body");
        ObjectNode noHeaders = vector("no-headers");
        noHeaders.remove("headers");
        ObjectNode bothBodies = vector("both-bodies").put("body_base64", "e30=");
        ObjectNode numericHeader = vector("numeric-header");
        numericHeader.withObject("/headers").put("webhook-timestamp", SW_TIMESTAMP);
        ObjectNode textNow = vector("text-now").put("now", "1614265330");
        ObjectNode badBase64 = vector("bad-base64");
        badBase64.remove("body");
        badBase64.put("body_base64", "not base64!");
        ObjectNode valid = vector("valid").put("now", SW_TIMESTAMP);

        Cli.Result result =
                verify(file(noBody, noHeaders, bothBodies, numericHeader, textNow, badBase64, valid), "--verbose");

        assertThat(result.lines())
                .containsExactly(
                        "no-body invalid MALFORMED_PAYLOAD",
                        "no-headers invalid MALFORMED_PAYLOAD",
                        "both-bodies invalid MALFORMED_PAYLOAD",
                        "numeric-header invalid MALFORMED_PAYLOAD",
                        "text-now invalid MALFORMED_PAYLOAD",
                        "bad-base64 invalid MALFORMED_PAYLOAD",
                        "valid valid");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("line 1").contains("line 6").doesNotContain(SW_SECRET);
    }

    @Test
    void aLineThatIsNotJsonIsAUsageErrorNamingTheLineAndNothingIsPrinted() throws IOException {
        Cli.Result result = verify(file(vector("fine").put("now", SW_TIMESTAMP), "", "{\"id\": \"cut\", \"headers\":"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("line 3").contains("not valid JSON").doesNotContain(SW_SECRET);
    }

    @Test
    void aLineWithoutAnIdStringIsAUsageErrorNamingTheLine() throws IOException {
        ObjectNode noId = vector("x");
        noId.remove("id");
        ObjectNode numericId = vector("x").put("id", 42);
        ObjectNode blankId = vector("two words");

        Cli.Result missing = verify(file(noId));
        Cli.Result numeric = verify(file(vector("ok"), numericId));
        Cli.Result blank = verify(file(blankId));
        Cli.Result array = verify(file("[1, 2]"));

        assertThat(List.of(missing, numeric, blank, array)).allSatisfy(result -> {
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.out()).isEmpty();
        });
        assertThat(missing.err()).contains("line 1").contains("id");
        assertThat(numeric.err()).contains("line 2");
        assertThat(blank.err()).contains("line 1").contains("blanks");
        assertThat(array.err()).contains("line 1").contains("not a JSON object");
    }

    @Test
    void aLineWithADuplicateKeyIsAUsageError() throws IOException {
        Cli.Result result = verify(file("{\"id\": \"a\", \"id\": \"b\", \"headers\": {}, \"body\": \"\"}"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("line 1");
    }

    @Test
    void anEmptyFileHasNoVerdictsAndExitsZero() throws IOException {
        Cli.Result result = verify(file());

        assertThat(result.out()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }
}
