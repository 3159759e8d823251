package io.hookwarden.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import io.hookwarden.Keys;
import io.hookwarden.Reason;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (issue 16): any {@code Authorization} value, and any claims signed with the right key, give a verified
 * delivery or a typed refusal of the token (400 for the header, 401 for the token), never another exception, and the
 * message never contains the token. An odd first byte signs the rest as the JWT's payload with the configured key, so
 * the fuzzer reaches the claim checks behind the signature; an even one sends the rest as the header value.
 */
class BearerTokenFuzzTest {
    private static final JwtFixtures.SigningKey KEY = JwtFixtures.rsaKey("fuzz");
    private static final RSASSASigner SIGNER = signer();
    private static final Set<Reason> ALLOWED = EnumSet.of(
            Reason.MISSING_HEADER,
            Reason.MALFORMED_HEADER,
            Reason.SIGNATURE_MISMATCH,
            Reason.TIMESTAMP_TOO_OLD,
            Reason.TIMESTAMP_IN_FUTURE);
    private static final WebhookVerifier VERIFIER = WebhookVerifier.builder()
            .scheme(JwtSchemes.bearer()
                    .issuers("https://issuer.test")
                    .audiences("https://hooks.test")
                    .serviceAccount("pusher@example.test")
                    .build())
            .keys(Keys.of(KEY.publicJwk()))
            .clock(Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC))
            .build();

    private static RSASSASigner signer() {
        try {
            return new RSASSASigner(RSAKey.parse(KEY.privateJwk()));
        } catch (java.text.ParseException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void verifiesOrRefusesAnyBearerToken(byte[] input) throws JOSEException {
        // given
        String authorization;
        String token;
        if (input.length > 0 && (input[0] & 1) == 1) {
            String header = b64("{\"alg\":\"RS256\",\"kid\":\"fuzz\"}".getBytes(StandardCharsets.UTF_8));
            String payload = b64(Arrays.copyOfRange(input, 1, input.length));
            String signingInput = header + "." + payload;
            token = signingInput + "."
                    + SIGNER.sign(
                                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                                            .keyID("fuzz")
                                            .build(),
                                    signingInput.getBytes(StandardCharsets.US_ASCII))
                            .toString();
            authorization = "Bearer " + token;
        } else {
            authorization = new String(input, StandardCharsets.ISO_8859_1);
            token = authorization;
        }
        WebhookRequest request = WebhookRequest.builder()
                .header("Authorization", authorization)
                .body("{}".getBytes(StandardCharsets.UTF_8))
                .build();

        // when
        try {
            assertThat(VERIFIER.verify(request).matchedKey()).isEqualTo("key-1");
        } catch (WebhookVerificationException refused) {
            // then
            assertThat(refused.reason()).isIn(ALLOWED);
            if (token.length() >= 12) {
                assertThat(refused.getMessage()).doesNotContain(token);
            }
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
