package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Arbitrary strings (unicode, control characters, commas, spaces, {@code =}, near-valid structures) in every header a
 * scheme reads: the verifier refuses with a {@link WebhookVerificationException} carrying a refusal reason, or, for
 * headers that are not signed, may accept; it never throws anything else.
 */
class HostileHeaderPropertiesTest {

    /**
     * A valid sample delivery with one header's values replaced.
     *
     * @param scheme the scheme
     * @param header the header replaced
     * @param signed whether changing the header must be refused
     * @param values the new values (one, or several to duplicate the header)
     */
    record Hostile(SchemeCase scheme, String header, boolean signed, List<String> values) {
        @Override
        public String toString() {
            return scheme + ", " + header + " = " + values;
        }
    }

    @Property(tries = 1500)
    void arbitraryHeaderValuesAreRefusedWithAReasonAndNothingElse(@ForAll("hostile") Hostile h) {
        // given
        WebhookRequest request = TestRequests.withHeader(
                h.scheme().sampleRequest(), h.header(), h.values().toArray(String[]::new));

        // when
        Throwable thrown = catchThrowable(() -> h.scheme().sampleVerifier().verify(request));

        // then
        if (thrown == null) {
            assertThat(h.signed())
                    .as("a changed %s must not verify", h.header())
                    .isFalse();
        } else {
            assertThat(thrown).isExactlyInstanceOf(WebhookVerificationException.class);
            assertThat(((WebhookVerificationException) thrown).reason()).isIn(SchemeCase.REFUSALS);
        }
        Statistics.label("outcome")
                .collect(thrown == null ? "accepted" : ((WebhookVerificationException) thrown).reason());
    }

    @Provide
    Arbitrary<Hostile> hostile() {
        List<Arbitrary<Hostile>> perHeader = new ArrayList<>();
        for (SchemeCase c : SchemeCase.ALL) {
            perHeader.add(hostile(c, c.signatureHeader(), true));
            if (c.idHeader() != null) {
                perHeader.add(hostile(c, c.idHeader(), true));
            }
            if (c.timestampHeader() != null && !c.timestampHeader().equals(c.signatureHeader())) {
                perHeader.add(hostile(c, c.timestampHeader(), true));
            }
            if (c.deliveryIdHeader() != null && !c.deliveryIdHeader().equals(c.idHeader())) {
                perHeader.add(hostile(c, c.deliveryIdHeader(), false));
            }
        }
        perHeader.add(hostile(SchemeCase.GITHUB, "X-GitHub-Event", false));
        perHeader.add(hostile(SchemeCase.SVIX, "webhook-signature", false));
        return Arbitraries.oneOf(perHeader);
    }

    private static Arbitrary<Hostile> hostile(SchemeCase c, String header, boolean signed) {
        Arbitrary<List<String>> values = Arbitraries.frequencyOf(
                Tuple.of(8, values(c).list().ofSize(1)),
                Tuple.of(2, values(c).list().ofMinSize(2).ofMaxSize(3)));
        return values.map(v -> new Hostile(c, header, signed, v));
    }

    /** Any string; strings over the characters headers are parsed by; and valid prefixes followed by junk. */
    private static Arbitrary<String> values(SchemeCase c) {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(120);
        Arbitrary<String> structural = Arbitraries.strings()
                .withChars(",= \t;:.+-/v0123456789abcdefABCDEFtsha\u00a0\u2003\u0000\n\r\u0661é")
                .ofMaxLength(120);
        Arbitrary<String> prefixed = Combinators.combine(
                        Arbitraries.of(
                                "t=",
                                "t=1772366400,v1=",
                                "v1,",
                                "v1a,",
                                "sha256=",
                                "sha1=",
                                "v0=",
                                "v1=",
                                c.signaturePrefix() == null ? "" : c.signaturePrefix()),
                        structural)
                .as(String::concat);
        return Arbitraries.oneOf(any, structural, prefixed);
    }
}
