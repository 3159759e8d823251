package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static io.hookwarden.TestRequests.withHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hookwarden.SchemeCase.Secret;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Key decoding refuses at build time what could never verify: ECDSA keys on curves other than P-256 (which the JDK
 * decodes, and refuses only when a signature is checked), points off the curve, and a Standard Webhooks {@code whsk_}
 * whose public half is not a key; a signature that is not DER is a mismatch; a key prints its label, never itself.
 */
class KeyMaterialTest {
    private static final String SENDGRID_SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature";

    /** secp256k1 (OID 1.3.132.0.10), a 256-bit field like P-256's; the point is its generator (private key 1). */
    private static final String SECP256K1_SPKI = "3056301006072a8648ce3d020106052b8104000a034200"
            + "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";

    /** The secp256k1 private key 1 in PKCS#8 (SEC 1 ECPrivateKey inside). */
    private static final String SECP256K1_PKCS8 = "303e020100301006072a8648ce3d020106052b8104000a042730250201010420"
            + "0000000000000000000000000000000000000000000000000000000000000001";

    private static WebhookVerifier sendgridVerifier(String publicKey) {
        return WebhookVerifier.builder()
                .scheme(Schemes.sendgrid())
                .secret(publicKey)
                .clock(SchemeCase.CLOCK)
                .build();
    }

    private static WebhookRequest sendgridRequest(String privateKey) {
        return WebhookSigner.builder()
                .scheme(Schemes.sendgrid())
                .secret(privateKey)
                .build()
                .sign(WebhookMessage.body("[{\"event\":\"delivered\"}]")
                        .timestamp(SchemeCase.NOW)
                        .build());
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    // ---- ECDSA P-256 (SendGrid)

    @Test
    void sendgridSignatureMadeWithThePrivateKeyVerifiesWithThePublicKey() {
        // given
        Secret pair = ProviderRoundTripPropertiesTest.sendgrid();
        WebhookRequest request = sendgridRequest(pair.signing());

        // when
        VerifiedWebhook webhook = sendgridVerifier(pair.verifying()).verify(request);

        // then
        assertThat(webhook.timestamp()).contains(SchemeCase.NOW);
    }

    @Test
    void sendgridSignatureThatIsNotDerIsASignatureMismatch() {
        // given: valid base64, but not an ASN.1 DER ECDSA signature, which the JDK refuses with an exception
        Secret pair = ProviderRoundTripPropertiesTest.sendgrid();
        WebhookRequest forged = withHeader(
                sendgridRequest(pair.signing()),
                SENDGRID_SIGNATURE,
                base64("not a DER signature".getBytes(StandardCharsets.US_ASCII)));

        // when
        WebhookVerificationException e = refusal(sendgridVerifier(pair.verifying()), forged);

        // then
        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void sendgridRefusesAPublicKeyOnAnotherCurveWithA256BitField() {
        // given
        String secp256k1 = base64(HexFormat.of().parseHex(SECP256K1_SPKI));

        // when
        Throwable e = catchThrowable(() -> sendgridVerifier(secp256k1));

        // then
        assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not an ECDSA P-256");
    }

    @Test
    void sendgridRefusesAPrivateKeyOnAnotherCurveWithA256BitField() {
        // given
        String secp256k1 = base64(HexFormat.of().parseHex(SECP256K1_PKCS8));

        // when
        Throwable e = catchThrowable(() -> WebhookSigner.builder()
                .scheme(Schemes.sendgrid())
                .secret(secp256k1)
                .build());

        // then
        assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not an ECDSA P-256");
    }

    @Test
    void sendgridRefusesAPublicKeyWhosePointIsNotOnTheCurve() {
        // given: a real key with the last bit of y flipped
        byte[] spki = Base64.getDecoder()
                .decode(ProviderRoundTripPropertiesTest.sendgrid().verifying());
        spki[spki.length - 1] ^= 1;

        // when
        Throwable e = catchThrowable(() -> sendgridVerifier(base64(spki)));

        // then
        assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not on the curve");
    }

    @Test
    void sendgridRefusesAPointWhoseXIsNotReducedModuloP() throws Exception {
        // given: (0, sqrt(b)) is a point of P-256, and p fits in 32 bytes as well as 0 does
        byte[] spki = Base64.getDecoder()
                .decode(ProviderRoundTripPropertiesTest.sendgrid().verifying());
        ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
        BigInteger p = ((ECFieldFp) key.getParams().getCurve().getField()).getP();
        BigInteger y =
                key.getParams().getCurve().getB().modPow(p.add(BigInteger.ONE).shiftRight(2), p);
        String reduced = base64(withPoint(spki, BigInteger.ZERO, y));
        String unreduced = base64(withPoint(spki, p, y));

        // when
        WebhookVerifier accepted = sendgridVerifier(reduced);
        Throwable refused = catchThrowable(() -> sendgridVerifier(unreduced));

        // then
        assertThat(accepted.scheme().id()).isEqualTo("sendgrid");
        assertThat(refused).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not on the curve");
    }

    /** {@code spki} with its uncompressed point replaced by (x, y), each written in 32 bytes. */
    private static byte[] withPoint(byte[] spki, BigInteger x, BigInteger y) {
        byte[] out = spki.clone();
        System.arraycopy(unsigned32(x), 0, out, out.length - 64, 32);
        System.arraycopy(unsigned32(y), 0, out, out.length - 32, 32);
        return out;
    }

    private static byte[] unsigned32(BigInteger n) {
        byte[] bytes = n.toByteArray();
        byte[] out = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
        return out;
    }

    // ---- Ed25519 (Standard Webhooks whsk_)

    @Test
    void standardWebhooksRefusesAWhskWhosePublicHalfIsNotAPoint() {
        // given: a seed followed by 32 bytes that decode to no Ed25519 point (y = 2 has no x)
        byte[] seedAndPublic = Base64.getDecoder()
                .decode(SchemeCase.ed25519(20260301L).signing().substring("whsk_".length()));
        Arrays.fill(seedAndPublic, 32, 64, (byte) 0);
        seedAndPublic[32] = 2;

        // when
        Throwable e = catchThrowable(() -> WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret("whsk_" + base64(seedAndPublic))
                .build());

        // then
        assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not its own");
    }

    // ---- printing

    @Test
    void aKeyPrintsItsKindAndLabelNeverTheSecret() {
        // given
        KeyMaterial key = new KeyMaterial.Hmac("primary", "super-secret-value".getBytes(StandardCharsets.UTF_8));

        // when
        String printed = key.toString();

        // then
        assertThat(printed).isEqualTo("Hmac[primary]");
    }
}
