package io.hookwarden.cli;

import static io.hookwarden.cli.Cli.SW_BODY;
import static io.hookwarden.cli.Cli.SW_ID;
import static io.hookwarden.cli.Cli.SW_SECRET;
import static io.hookwarden.cli.Cli.SW_SIGNATURE;
import static io.hookwarden.cli.Cli.SW_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignCommandTest {
    @Test
    void reproducesThePublishedStandardWebhooksSignatureWithTheVectorsIdAndTimestamp() {
        Cli.Result result = Cli.run(
                "sign",
                "--scheme",
                "standard-webhooks",
                "--secret",
                SW_SECRET,
                "--id",
                SW_ID,
                "--timestamp",
                Long.toString(SW_TIMESTAMP),
                "--body",
                SW_BODY);

        assertThat(result.lines())
                .containsExactly(
                        "webhook-id: " + SW_ID,
                        "webhook-timestamp: " + SW_TIMESTAMP,
                        "webhook-signature: " + SW_SIGNATURE);
        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "stripe, whsec_stripe_test_secret",
        "github, github-webhook-secret",
        "slack, 8f742231b10e8888abcd99yyyzzz85a5",
        "standard-webhooks, " + SW_SECRET
    })
    void signsWhatVerifyAcceptsAndVerifyRefusesAnotherBody(String scheme, String secret) {
        String body = "{\"type\":\"invoice.paid\",\"id\":\"evt_1\"}";
        String timestamp = "1700000000";
        Cli.Result signed =
                Cli.run("sign", "--scheme", scheme, "--secret", secret, "--timestamp", timestamp, "--body", body);
        assertThat(signed.exitCode()).isZero();
        assertThat(signed.lines()).isNotEmpty().allSatisfy(line -> assertThat(line)
                .contains(": "));

        Cli.Result valid = Cli.run(verifyArgs(scheme, secret, signed.lines(), body, timestamp));
        Cli.Result tampered = Cli.run(verifyArgs(scheme, secret, signed.lines(), body + " ", timestamp));

        assertThat(valid.lines()).containsExactly("valid");
        assertThat(valid.exitCode()).isZero();
        assertThat(tampered.lines()).containsExactly("invalid SIGNATURE_MISMATCH");
        assertThat(tampered.exitCode()).isEqualTo(1);
    }

    @Test
    void signsWithTheSystemClockWhenNoTimestampIsGiven() {
        Cli.Result signed =
                Cli.run("sign", "--scheme", "stripe", "--secret", "whsec_stripe_test_secret", "--body", "{}");

        Cli.Result verified = Cli.run(verifyArgs("stripe", "whsec_stripe_test_secret", signed.lines(), "{}", null));

        assertThat(verified.lines()).containsExactly("valid");
    }

    @Test
    void signsWithAnEd25519PrivateKeyWhatVerifyAcceptsWithThePublicKey() throws GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        byte[] spki = pair.getPublic().getEncoded();
        String privateKey = "whsk_"
                + Base64.getEncoder().encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
        String publicKey =
                "whpk_" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));

        Cli.Result signed = Cli.run(
                "sign",
                "--scheme",
                "standard-webhooks",
                "--secret",
                privateKey,
                "--timestamp",
                "1700000000",
                "--body",
                "{}");
        Cli.Result verified = Cli.run(verifyArgs("standard-webhooks", publicKey, signed.lines(), "{}", "1700000000"));

        assertThat(signed.lines()).anySatisfy(line -> assertThat(line).startsWith("webhook-signature: v1a,"));
        assertThat(verified.lines()).containsExactly("valid");
    }

    @Test
    void refusesATooShortSecretAsAUsageErrorWithoutPrintingIt() {
        Cli.Result result = Cli.run("sign", "--scheme", "github", "--secret", "s3cr3t", "--body", "{}");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("too short").doesNotContain("s3cr3t");
    }

    @Test
    void refusesAPublicKeyForSigningWithoutPrintingIt() {
        String publicKey = "whpk_" + Base64.getEncoder().encodeToString(new byte[32]);

        Cli.Result result = Cli.run("sign", "--scheme", "standard-webhooks", "--secret", publicKey, "--body", "{}");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("public key").doesNotContain(publicKey.substring(5));
    }

    @Test
    void refusesASecondSecretAsAUsageError() {
        Cli.Result result = Cli.run(
                "sign",
                "--scheme",
                "stripe",
                "--secret",
                "whsec_first_secret",
                "--secret",
                "whsec_other_secret",
                "--body",
                "{}");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).doesNotContain("whsec_first_secret").doesNotContain("whsec_other_secret");
    }

    /** verify's arguments for the headers printed by sign. */
    private static String[] verifyArgs(String scheme, String secret, List<String> headers, String body, String now) {
        List<String> args = new ArrayList<>(List.of("verify", "--scheme", scheme, "--secret", secret, "--body", body));
        for (String header : headers) {
            args.add("--header");
            args.add(header);
        }
        if (now != null) {
            args.add("--now");
            args.add(now);
        }
        return args.toArray(String[]::new);
    }

    @Test
    void aSecretThatIsAnUnresolvedPlaceholderIsAUsageErrorOnEveryCommandThatTakesOne() {
        // given: a shell script or a config file that meant to substitute the variable and did not
        String placeholder = "${STRIPE_WEBHOOK_SECRET}";

        // when
        Cli.Result sign = Cli.run("sign", "--scheme", "stripe", "--secret", placeholder, "--body", "{}");
        Cli.Result send = Cli.run(
                "send", "--scheme", "stripe", "--secret", placeholder, "--url", "http://127.0.0.1:9/x", "--body", "{}");
        Cli.Result verify = Cli.run(
                "verify",
                "--scheme",
                "stripe",
                "--secret",
                "#{webhook.secret}",
                "--header",
                "Stripe-Signature: t=1,v1=00",
                "--body",
                "{}");

        // then
        for (Cli.Result result : java.util.List.of(sign, send, verify)) {
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).contains("looks like an unresolved placeholder");
        }
    }
}
