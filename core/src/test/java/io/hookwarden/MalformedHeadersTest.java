package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static io.hookwarden.TestRequests.withDuplicatedHeader;
import static io.hookwarden.TestRequests.withHeader;
import static io.hookwarden.TestRequests.withUrl;
import static io.hookwarden.TestRequests.withoutHeader;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shape of broken header, for every scheme: each is refused with MISSING_HEADER, MALFORMED_HEADER or, where
 * the header parses but cannot match, SIGNATURE_MISMATCH; never with any other exception.
 */
class MalformedHeadersTest {
    private static final String ZERO_MAC_BASE64 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String ZERO_MAC_HEX = "0".repeat(64);

    /**
     * One way of breaking a valid delivery.
     *
     * @param edit turns the valid delivery into the broken one
     * @param expected the reasons it may be refused with
     */
    record Malformation(UnaryOperator<WebhookRequest> edit, Set<Reason> expected) {}

    static Stream<Arguments> malformations() {
        List<Arguments> all = new ArrayList<>();
        for (SchemeCase c : SchemeCase.ALL) {
            WebhookRequest valid = c.sampleRequest();
            List<Object[]> shapes = new ArrayList<>();
            headerShapes(shapes, c.signatureHeader());
            signatureShapes(shapes, c, valid);
            if (c.idHeader() != null) {
                headerShapes(shapes, c.idHeader());
            }
            if (c.timestampHeader() != null) {
                timestampShapes(shapes, c, valid);
                if (!c.timestampHeader().equals(c.signatureHeader())) {
                    headerShapes(shapes, c.timestampHeader());
                }
            }
            for (Object[] shape : shapes) {
                all.add(Arguments.of(Named.of(c + ": " + shape[0], c), shape[1]));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformations")
    void refusesEveryMalformedHeaderShapeWithAStableReason(SchemeCase c, Malformation m) {
        // given
        WebhookRequest broken = m.edit().apply(c.sampleRequest());

        // when
        WebhookVerificationException e = refusal(c.sampleVerifier(), broken);

        // then
        assertThat(e.reason()).isIn(m.expected());
        assertThat(e.getMessage()).doesNotContain(c.sample().verifying());
    }

    // ---- shapes

    /** Missing, empty, blank and duplicated: the same for every required header. */
    private static void headerShapes(List<Object[]> shapes, String header) {
        add(shapes, "missing " + header, removed(header), Reason.MISSING_HEADER);
        add(shapes, "empty " + header, set(header, ""), Reason.MALFORMED_HEADER);
        add(shapes, "blank " + header, set(header, " \t "), Reason.MALFORMED_HEADER);
        add(shapes, "duplicated " + header, r -> withDuplicatedHeader(r, header), Reason.MALFORMED_HEADER);
        add(
                shapes,
                header + " given twice, junk first",
                r -> withHeader(r, header, "junk", value(r, header)),
                Reason.MALFORMED_HEADER);
        add(
                shapes,
                header + " given twice, junk last",
                r -> withHeader(r, header, value(r, header), "junk"),
                Reason.MALFORMED_HEADER);
    }

    private static void signatureShapes(List<Object[]> shapes, SchemeCase c, WebhookRequest valid) {
        String h = c.signatureHeader();
        String value = value(valid, h);
        String signature = value.substring(c.signatureStart(value));
        if (c.scheme() instanceof StandardWebhooksScheme) {
            String version = c.signaturePrefix();
            add(shapes, "junk signature", set(h, "junk"), Reason.MALFORMED_HEADER);
            add(shapes, "version without signature", set(h, version), Reason.MALFORMED_HEADER);
            add(shapes, "signature without version", set(h, "," + signature), Reason.MALFORMED_HEADER);
            add(shapes, "= instead of ,", set(h, version.replace(',', '=') + signature), Reason.MALFORMED_HEADER);
            add(shapes, "wrong prefix sha256=", set(h, "sha256=" + ZERO_MAC_HEX), Reason.MALFORMED_HEADER);
            add(shapes, "bad base64", set(h, version + "@@@"), Reason.SIGNATURE_MISMATCH);
            add(
                    shapes,
                    "stripped base64 padding",
                    set(h, version + stripPadding(signature)),
                    Reason.SIGNATURE_MISMATCH);
            add(shapes, "unknown version", set(h, "v2," + signature), Reason.SIGNATURE_MISMATCH);
            add(shapes, "well-formed junk signature", set(h, version + ZERO_MAC_BASE64), Reason.SIGNATURE_MISMATCH);
            add(shapes, "truncated signature", set(h, version + signature.substring(4)), Reason.SIGNATURE_MISMATCH);
            add(shapes, "non-canonical base64", set(h, version + nonCanonical(signature)), Reason.SIGNATURE_MISMATCH);
            add(
                    shapes,
                    "upper-cased base64",
                    set(h, version + signature.toUpperCase(Locale.ROOT)),
                    Reason.SIGNATURE_MISMATCH);
        } else if (c.scheme() == Schemes.stripe()) {
            String t = value.substring(0, value.indexOf(','));
            add(shapes, "junk header", set(h, "junk"), Reason.MALFORMED_HEADER);
            add(shapes, "no v1=", set(h, t), Reason.MALFORMED_HEADER);
            add(shapes, "only v0=", set(h, t + ",v0=" + signature), Reason.MALFORMED_HEADER);
            add(shapes, "empty v1=", set(h, t + ",v1="), Reason.MALFORMED_HEADER);
            add(shapes, "no t=", set(h, "v1=" + signature), Reason.MALFORMED_HEADER);
            add(shapes, "t= twice", set(h, t + "," + t + ",v1=" + signature), Reason.MALFORMED_HEADER);
            add(shapes, "; instead of ,", set(h, t + ";v1=" + signature), Reason.MALFORMED_HEADER);
            add(shapes, "bad hex", set(h, t + ",v1=@@@"), Reason.SIGNATURE_MISMATCH);
            add(shapes, "well-formed junk signature", set(h, t + ",v1=" + ZERO_MAC_HEX), Reason.SIGNATURE_MISMATCH);
            add(shapes, "truncated signature", set(h, t + ",v1=" + signature.substring(1)), Reason.SIGNATURE_MISMATCH);
        } else {
            String prefix = c.signaturePrefix();
            Reason junk = prefix.isEmpty() ? Reason.SIGNATURE_MISMATCH : Reason.MALFORMED_HEADER;
            add(shapes, "junk signature", set(h, "junk"), junk);
            add(shapes, "bad encoding", set(h, prefix + "@@@"), Reason.SIGNATURE_MISMATCH);
            add(shapes, "truncated signature", set(h, prefix + signature.substring(2)), Reason.SIGNATURE_MISMATCH);
            if (!prefix.isEmpty()) {
                add(shapes, "prefix without signature", set(h, prefix), Reason.MALFORMED_HEADER);
                add(shapes, "signature without prefix", set(h, signature), Reason.MALFORMED_HEADER);
                add(
                        shapes,
                        "upper-cased prefix",
                        set(h, prefix.toUpperCase(Locale.ROOT) + signature),
                        Reason.MALFORMED_HEADER);
            }
            if (c.hexSignature()) {
                add(shapes, "well-formed junk signature", set(h, prefix + ZERO_MAC_HEX), Reason.SIGNATURE_MISMATCH);
                add(shapes, "base64 instead of hex", set(h, prefix + ZERO_MAC_BASE64), Reason.SIGNATURE_MISMATCH);
            } else {
                add(
                        shapes,
                        "stripped base64 padding",
                        set(h, prefix + stripPadding(signature)),
                        Reason.SIGNATURE_MISMATCH);
                add(
                        shapes,
                        "non-canonical base64",
                        set(h, prefix + nonCanonical(signature)),
                        Reason.SIGNATURE_MISMATCH);
            }
            if (c == SchemeCase.GITHUB) {
                add(
                        shapes,
                        "wrong prefix sha1=",
                        set(h, "sha1=" + signature.substring(0, 40)),
                        Reason.MALFORMED_HEADER);
            }
            if (c == SchemeCase.SLACK) {
                add(shapes, "wrong prefix v1=", set(h, "v1=" + signature), Reason.MALFORMED_HEADER);
            }
            if (c.signsUrl()) {
                add(shapes, "request URL unknown", r -> withUrl(r, null), Reason.MALFORMED_HEADER);
            }
        }
    }

    private static void timestampShapes(List<Object[]> shapes, SchemeCase c, WebhookRequest valid) {
        String h = c.timestampHeader();
        String value = value(valid, h);
        int[] range = c.timestampRange(value);
        String ts = value.substring(range[0], range[1]);
        String tooLate = c.millis() ? "253402300800000" : "253402300800";
        String[][] bad = {
            {"non-numeric", "abc"},
            {"negative", "-" + ts},
            {"decimal", ts + ".5"},
            {"signed", "+" + ts},
            {"whitespace inside", ts.substring(0, 5) + " " + ts.substring(5)},
            {"20 digits", "17723664001772366400"},
            {"year after 9999", tooLate},
            {"hexadecimal", "0x" + Long.toHexString(Long.parseLong(ts))},
            {"exponent", "1.7e9"},
            {"Arabic-Indic digits", "\u0661\u0667\u0667\u0662\u0663\u0666\u0666\u0664\u0660\u0660"},
            {"fullwidth digits", "\uff11\uff17\uff17\uff12"},
            {"long overflow", "99999999999999999999"},
        };
        for (String[] b : bad) {
            String broken = value.substring(0, range[0]) + b[1] + value.substring(range[1]);
            add(shapes, b[0] + " timestamp", set(h, broken), Reason.MALFORMED_HEADER);
        }
        if (c.scheme() == Schemes.stripe()) {
            add(shapes, "empty t=", set(h, "t=" + value.substring(range[1])), Reason.MALFORMED_HEADER);
        }
    }

    // ---- the same header, once more, where behaviour is deliberate

    @Test
    void acceptsSeveralSignaturesWhenOneMatches() {
        // given
        SchemeCase c = SchemeCase.STANDARD_WEBHOOKS;
        WebhookRequest valid = c.sampleRequest();
        String signature = value(valid, c.signatureHeader());
        WebhookRequest request =
                withHeader(valid, c.signatureHeader(), "v1," + ZERO_MAC_BASE64 + "  v1a,@@@ " + signature + " v2,junk");

        // when
        VerifiedWebhook webhook = c.sampleVerifier().verify(request);

        // then
        assertThat(webhook.matchedKey()).isEqualTo("key-1");
    }

    @Test
    void stripeAcceptsAnyOfSeveralV1SignaturesAndIgnoresV0() {
        // given
        SchemeCase c = SchemeCase.STRIPE;
        WebhookRequest valid = c.sampleRequest();
        String value = value(valid, c.signatureHeader());
        String t = value.substring(0, value.indexOf(','));
        String signature = value.substring(c.signatureStart(value));
        WebhookRequest request = withHeader(
                valid, c.signatureHeader(), t + ",v1=" + ZERO_MAC_HEX + ", v1=" + signature + ",v0=" + ZERO_MAC_HEX);

        // when
        VerifiedWebhook webhook = c.sampleVerifier().verify(request);

        // then
        assertThat(webhook.matchedKey()).isEqualTo("key-1");
    }

    @Test
    void stripeAcceptsBlanksAroundKeysAndValuesAndEmptyItems() {
        // given: Stripe's libraries split on commas, trim, and skip items without a key
        SchemeCase c = SchemeCase.STRIPE;
        WebhookRequest valid = c.sampleRequest();
        String value = value(valid, c.signatureHeader());
        String ts = value.substring(2, value.indexOf(','));
        String signature = value.substring(c.signatureStart(value));
        WebhookRequest request =
                withHeader(valid, c.signatureHeader(), ", t = " + ts + "\t,, v1 =\t" + signature + " ,");

        // when
        VerifiedWebhook webhook = c.sampleVerifier().verify(request);

        // then
        assertThat(webhook.timestamp()).contains(SchemeCase.NOW);
    }

    @Test
    void stripeRefusesABlankTimestampAsEmpty() {
        // given
        SchemeCase c = SchemeCase.STRIPE;
        WebhookRequest valid = c.sampleRequest();
        String value = value(valid, c.signatureHeader());
        String signature = value.substring(c.signatureStart(value));
        WebhookRequest request = withHeader(valid, c.signatureHeader(), "t= ,v1=" + signature);

        // when
        WebhookVerificationException e = refusal(c.sampleVerifier(), request);

        // then
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED_HEADER);
        assertThat(e.getMessage()).isEqualTo("timestamp in header Stripe-Signature is empty");
    }

    @Test
    void timestampRefusalsSayWhatIsWrongInTheTimestampsUnit() {
        // given
        SchemeCase seconds = SchemeCase.SLACK;
        SchemeCase millis = SchemeCase.GENERIC_URL;

        // when
        WebhookVerificationException notSeconds = timestampRefusal(seconds, "17723664x0");
        WebhookVerificationException notMillis = timestampRefusal(millis, "17723664000x0");
        WebhookVerificationException nineteenLetters = timestampRefusal(seconds, "x".repeat(19));
        WebhookVerificationException twentyDigits = timestampRefusal(seconds, "1".repeat(20));

        // then
        assertThat(notSeconds.getMessage()).endsWith(" is not a number of seconds");
        assertThat(notMillis.getMessage()).endsWith(" is not a number of milliseconds");
        assertThat(nineteenLetters.getMessage()).endsWith(" is not a number of seconds");
        assertThat(twentyDigits.getMessage()).endsWith(" is too large");
    }

    private static WebhookVerificationException timestampRefusal(SchemeCase c, String timestamp) {
        WebhookVerificationException e =
                refusal(c.sampleVerifier(), withHeader(c.sampleRequest(), c.timestampHeader(), timestamp));
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED_HEADER);
        return e;
    }

    @Test
    void acceptsUpperCaseHexAsTheSameSignature() {
        for (SchemeCase c : List.of(SchemeCase.GITHUB, SchemeCase.SLACK, SchemeCase.STRIPE, SchemeCase.GENERIC_URL)) {
            // given
            WebhookRequest valid = c.sampleRequest();
            String value = value(valid, c.signatureHeader());
            int start = c.signatureStart(value);
            String upper = value.substring(0, start) + value.substring(start).toUpperCase(Locale.ROOT);

            // when
            VerifiedWebhook webhook = c.sampleVerifier().verify(withHeader(valid, c.signatureHeader(), upper));

            // then
            assertThat(webhook.matchedKey()).as(c.name()).isEqualTo("key-1");
        }
    }

    @Test
    void githubRefusesTheLegacySha1HeaderUnlessSha1IsEnabled() {
        // given: a delivery carrying only a correct X-Hub-Signature (SHA-1)
        String secret = SchemeCase.GITHUB.sample().verifying();
        WebhookRequest both = WebhookSigner.builder()
                .scheme(Schemes.githubAcceptingSha1())
                .secret(secret)
                .build()
                .sign(WebhookMessage.body("{}").id("d-1").build());
        WebhookRequest sha1Only = withoutHeader(both, "X-Hub-Signature-256");

        // when
        WebhookVerificationException refused = refusal(
                WebhookVerifier.builder()
                        .scheme(Schemes.github())
                        .secret(secret)
                        .build(),
                sha1Only);
        VerifiedWebhook accepted = WebhookVerifier.builder()
                .scheme(Schemes.githubAcceptingSha1())
                .secret(secret)
                .build()
                .verify(sha1Only);

        // then
        assertThat(refused.reason()).isEqualTo(Reason.MISSING_HEADER);
        assertThat(refused.getMessage()).contains("X-Hub-Signature-256");
        assertThat(accepted.id()).contains("d-1");
    }

    @Test
    void githubWithSha1EnabledStillPrefersAndChecksTheSha256Header() {
        // given: a valid SHA-1 header next to a broken SHA-256 one
        String secret = SchemeCase.GITHUB.sample().verifying();
        WebhookRequest both = WebhookSigner.builder()
                .scheme(Schemes.githubAcceptingSha1())
                .secret(secret)
                .build()
                .sign(WebhookMessage.body("{}").build());
        WebhookRequest broken = withHeader(both, "X-Hub-Signature-256", "sha256=" + ZERO_MAC_HEX);

        // when
        WebhookVerificationException e = refusal(
                WebhookVerifier.builder()
                        .scheme(Schemes.githubAcceptingSha1())
                        .secret(secret)
                        .build(),
                broken);

        // then
        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void acceptsTimestampWithSurroundingBlanksAsHttpAllows() {
        // given
        SchemeCase c = SchemeCase.SLACK;
        WebhookRequest valid = c.sampleRequest();
        String ts = value(valid, c.timestampHeader());

        // when
        VerifiedWebhook webhook = c.sampleVerifier().verify(withHeader(valid, c.timestampHeader(), " " + ts + "\t"));

        // then
        assertThat(webhook.timestamp()).contains(SchemeCase.NOW);
    }

    // ---- helpers

    private static void add(List<Object[]> shapes, String what, UnaryOperator<WebhookRequest> edit, Reason first) {
        shapes.add(new Object[] {what, new Malformation(edit, EnumSet.of(first))});
    }

    private static UnaryOperator<WebhookRequest> set(String header, String value) {
        return r -> withHeader(r, header, value);
    }

    private static UnaryOperator<WebhookRequest> removed(String header) {
        return r -> withoutHeader(r, header);
    }

    private static String value(WebhookRequest request, String header) {
        return request.headers().first(header).orElseThrow();
    }

    private static String stripPadding(String base64) {
        assertThat(base64).endsWith("=");
        return base64.replace("=", "");
    }

    /** The same bytes, written with non-zero unused bits in the last character before the padding. */
    private static String nonCanonical(String base64) {
        int last = base64.indexOf('=') - 1;
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        int index = alphabet.indexOf(base64.charAt(last));
        String changed = base64.substring(0, last) + alphabet.charAt(index ^ 1) + base64.substring(last + 1);
        assertThat(Base64.getDecoder().decode(changed))
                .isEqualTo(Base64.getDecoder().decode(base64));
        return changed;
    }
}
