package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static io.hookwarden.TestRequests.replaceAt;
import static io.hookwarden.TestRequests.withBody;
import static io.hookwarden.TestRequests.withHeader;
import static io.hookwarden.TestRequests.withUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.hookwarden.SchemeCase.Secret;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Sign, then verify, for every scheme: random bodies (mostly small, with the edges 0 and exactly the 1 MiB default
 * limit), random ids and random keys. Any single changed byte of body, id, timestamp or signature is refused; a key
 * set in rotation accepts the old key and names it.
 */
class RoundTripPropertiesTest {
    private static final int LIMIT = (int) WebhookVerifier.DEFAULT_MAX_BODY_BYTES;

    /** A delivery to sign: scheme, key, id, body and URL. */
    record Delivery(SchemeCase scheme, Secret secret, String id, byte[] body, String url) {
        WebhookRequest signed() {
            return signedWith(secret);
        }

        WebhookRequest signedWith(Secret key) {
            return scheme.signer(key.signing()).sign(scheme.message(body, id, url));
        }

        WebhookVerifier verifier() {
            return scheme.verifier(
                    Keys.builder().add("current", secret.verifying()).build());
        }

        @Override
        public String toString() {
            return scheme + ", id " + id + ", " + body.length + " bytes, key " + secret;
        }
    }

    /** The same delivery and three distinct keys: the new one, the old one, and one not in the key set. */
    record Rotation(Delivery delivery, Secret newKey, Secret oldKey, Secret thirdKey) {}

    @Property(tries = 800)
    void signedDeliveryVerifiesWithTheSigningKey(@ForAll("deliveries") Delivery d) {
        // given
        WebhookRequest request = d.signed();

        // when
        VerifiedWebhook webhook = d.verifier().verify(request);

        // then
        assertThat(webhook.matchedKey()).isEqualTo("current");
        assertThat(webhook.schemeId()).isEqualTo(d.scheme().scheme().id());
        assertThat(webhook.body()).isEqualTo(d.body());
        if (d.scheme().timestampHeader() != null) {
            assertThat(webhook.timestamp()).contains(d.scheme().truncated(SchemeCase.NOW));
        } else {
            assertThat(webhook.timestamp()).isEmpty();
        }
        if (d.scheme().deliveryIdHeader() != null) {
            assertThat(webhook.id()).contains(d.id());
        }
        if (d.scheme() == SchemeCase.GITHUB) {
            assertThat(webhook.eventType()).contains("push");
        }
        assertThatCode(() -> {
                    webhook.id();
                    webhook.eventType();
                })
                .as("reading id and type from an arbitrary body never throws")
                .doesNotThrowAnyException();
        covers(d.scheme(), SchemeCase.ALL);
        String size = d.body().length == 0
                ? "empty"
                : d.body().length == LIMIT ? "exactly the limit" : d.body().length > 512 ? "large" : "small";
        Statistics.label("body").collect(size);
        Statistics.label("body").coverage(coverage -> {
            coverage.check("empty").count(n -> n > 0);
            coverage.check("exactly the limit").count(n -> n > 0);
        });
    }

    @Property(tries = 800)
    void changingAnyBodyByteIsASignatureMismatch(
            @ForAll("nonEmptyDeliveries") Delivery d,
            @ForAll int position,
            @ForAll @IntRange(min = 1, max = 255) int xor) {
        // given
        WebhookRequest request = d.signed();
        byte[] body = request.body();
        body[Math.floorMod(position, body.length)] ^= (byte) xor;

        // when
        WebhookVerificationException e = refusal(d.verifier(), withBody(request, body));

        // then
        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        covers(d.scheme(), SchemeCase.ALL);
    }

    @Property(tries = 300)
    void changingAnyIdCharacterIsASignatureMismatch(
            @ForAll("deliveriesWithSignedIds") Delivery d, @ForAll int position, @ForAll("visibleChars") char c) {
        // given
        WebhookRequest request = d.signed();
        String header = d.scheme().idHeader();
        String id = request.headers().first(header).orElseThrow();
        int index = Math.floorMod(position, id.length());
        Assume.that(id.charAt(index) != c);

        // when
        WebhookVerificationException e = refusal(d.verifier(), withHeader(request, header, replaceAt(id, index, c)));

        // then
        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        covers(d.scheme(), SchemeCase.signingIds());
    }

    @Property(tries = 400)
    void changingAnyTimestampCharacterIsRefused(
            @ForAll("timestampedDeliveries") Delivery d, @ForAll int position, @ForAll("anyChars") char c) {
        // given
        WebhookRequest request = d.signed();
        String header = d.scheme().timestampHeader();
        String value = request.headers().first(header).orElseThrow();
        int[] range = d.scheme().timestampRange(value);
        int index = range[0] + Math.floorMod(position, range[1] - range[0]);
        Assume.that(value.charAt(index) != c);

        // when
        WebhookVerificationException e = refusal(d.verifier(), withHeader(request, header, replaceAt(value, index, c)));

        // then
        assertThat(e.reason()).isIn(SchemeCase.REFUSALS);
        covers(d.scheme(), SchemeCase.timestamped());
    }

    @Property(tries = 800)
    void changingAnySignatureHeaderCharacterIsRefused(
            @ForAll("deliveries") Delivery d, @ForAll int position, @ForAll("anyChars") char c) {
        // given
        WebhookRequest request = d.signed();
        String header = d.scheme().signatureHeader();
        String value = request.headers().first(header).orElseThrow();
        int index = Math.floorMod(position, value.length());
        char original = value.charAt(index);
        Assume.that(original != c);
        WebhookRequest forged = withHeader(request, header, replaceAt(value, index, c));

        if (d.scheme().hexSignature()
                && index >= d.scheme().signatureStart(value)
                && original >= 'a'
                && original <= 'f'
                && c == Character.toUpperCase(original)) {
            // then: upper-case hex is the same signature (SignatureEncoding.HEX), not a change
            assertThat(d.verifier().verify(forged).matchedKey()).isEqualTo("current");
        } else {
            // then
            assertThat(refusal(d.verifier(), forged).reason()).isIn(SchemeCase.REFUSALS);
        }
        covers(d.scheme(), SchemeCase.ALL);
    }

    @Property(tries = 100)
    void changingAnyUrlCharacterIsASignatureMismatch(
            @ForAll("urlDeliveries") Delivery d, @ForAll int position, @ForAll("visibleChars") char c) {
        // given
        WebhookRequest request = d.signed();
        String url = request.url().orElseThrow();
        int index = Math.floorMod(position, url.length());
        Assume.that(url.charAt(index) != c);

        // when
        WebhookVerificationException e = refusal(d.verifier(), withUrl(request, replaceAt(url, index, c)));

        // then
        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Property(tries = 400)
    void keySetInRotationAcceptsTheOldKeyAndNamesIt(@ForAll("rotations") Rotation r) {
        // given
        Delivery d = r.delivery();
        WebhookVerifier verifier = d.scheme()
                .verifier(Keys.builder()
                        .add("new", r.newKey().verifying())
                        .add("old", r.oldKey().verifying())
                        .build());

        // when
        VerifiedWebhook byOld = verifier.verify(d.signedWith(r.oldKey()));
        VerifiedWebhook byNew = verifier.verify(d.signedWith(r.newKey()));
        WebhookVerificationException byThird = refusal(verifier, d.signedWith(r.thirdKey()));

        // then
        assertThat(byOld.matchedKey()).isEqualTo("old");
        assertThat(byNew.matchedKey()).isEqualTo("new");
        assertThat(byThird.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        covers(d.scheme(), SchemeCase.ALL);
    }

    @Property(tries = 100)
    void bodyOfExactlyTheConfiguredLimitVerifiesAndOneByteMoreIsPayloadTooLarge(
            @ForAll("deliveries") Delivery d, @ForAll @IntRange(min = 1, max = 4096) int limit) {
        // given
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(d.scheme().scheme())
                .secret(d.secret().verifying())
                .clock(SchemeCase.CLOCK)
                .maxBodyBytes(limit)
                .build();
        Delivery atLimit = new Delivery(d.scheme(), d.secret(), d.id(), randomBytes(limit, limit), d.url());
        Delivery overLimit = new Delivery(d.scheme(), d.secret(), d.id(), randomBytes(limit + 1, limit), d.url());

        // when
        VerifiedWebhook accepted = verifier.verify(atLimit.signed());
        WebhookVerificationException refused = refusal(verifier, overLimit.signed());

        // then
        assertThat(accepted.body()).hasSize(limit);
        assertThat(refused.reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
    }

    @Example
    void everySchemeVerifiesAnEmptyBody() {
        for (SchemeCase scheme : SchemeCase.ALL) {
            // given
            WebhookRequest request = scheme.sampleRequest(new byte[0], SchemeCase.NOW);

            // when
            VerifiedWebhook webhook = scheme.sampleVerifier().verify(request);

            // then
            assertThat(webhook.body()).as(scheme.name()).isEmpty();
            if (scheme.deliveryIdHeader() != null) {
                assertThat(webhook.id()).as(scheme.name()).contains("msg_2Yq5s7");
            } else {
                assertThat(webhook.id())
                        .as("%s: no id in an empty body", scheme.name())
                        .isEmpty();
            }
        }
    }

    @Example
    void everySchemeVerifiesABodyOfExactlyTheDefaultLimit() {
        byte[] body = randomBytes(LIMIT, 1);
        for (SchemeCase scheme : SchemeCase.ALL) {
            // given
            WebhookRequest request = scheme.sampleRequest(body, SchemeCase.NOW);

            // when
            VerifiedWebhook webhook = scheme.sampleVerifier().verify(request);

            // then
            assertThat(webhook.body()).as(scheme.name()).hasSize(LIMIT).isEqualTo(body);
        }
    }

    @Example
    void everySchemeRefusesABodyOneByteOverTheDefaultLimitAsPayloadTooLarge() {
        byte[] body = randomBytes(LIMIT + 1, 2);
        for (SchemeCase scheme : SchemeCase.ALL) {
            // given
            WebhookRequest request = scheme.sampleRequest(body, SchemeCase.NOW);

            // when
            WebhookVerificationException e = refusal(scheme.sampleVerifier(), request);

            // then
            assertThat(e.reason()).as(scheme.name()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
            assertThat(e.getMessage()).contains("1048577", "1048576");
        }
    }

    @Example
    void svixVerifiesDeliveriesSentWithStandardWebhooksHeaders() {
        // given
        SchemeCase standard = SchemeCase.STANDARD_WEBHOOKS;
        WebhookRequest request = standard.sampleRequest();
        WebhookVerifier svix =
                SchemeCase.SVIX.verifier(Keys.of(standard.sample().verifying()));

        // when
        VerifiedWebhook webhook = svix.verify(request);

        // then
        assertThat(webhook.schemeId()).isEqualTo("svix");
        assertThat(webhook.id()).contains("msg_2Yq5s7");
    }

    @Example
    void ed25519DeliveryIsRefusedByAnHmacKeyAndTheReverse() {
        // given
        WebhookRequest ed25519Signed = SchemeCase.STANDARD_WEBHOOKS_ED25519.sampleRequest();
        WebhookRequest hmacSigned = SchemeCase.STANDARD_WEBHOOKS.sampleRequest();

        // when
        WebhookVerificationException byHmacKey = refusal(SchemeCase.STANDARD_WEBHOOKS.sampleVerifier(), ed25519Signed);
        WebhookVerificationException byPublicKey =
                refusal(SchemeCase.STANDARD_WEBHOOKS_ED25519.sampleVerifier(), hmacSigned);

        // then
        assertThat(byHmacKey.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(byPublicKey.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Example
    void mixedKeySetOfPublicKeyAndSecretAcceptsBothKindsOfSignature() {
        // given
        WebhookVerifier verifier = SchemeCase.STANDARD_WEBHOOKS.verifier(Keys.builder()
                .add("hmac", SchemeCase.STANDARD_WEBHOOKS.sample().verifying())
                .add("ed25519", SchemeCase.STANDARD_WEBHOOKS_ED25519.sample().verifying())
                .build());

        // when
        VerifiedWebhook ed25519 = verifier.verify(SchemeCase.STANDARD_WEBHOOKS_ED25519.sampleRequest());
        VerifiedWebhook hmac = verifier.verify(SchemeCase.STANDARD_WEBHOOKS.sampleRequest());

        // then
        assertThat(ed25519.matchedKey()).isEqualTo("ed25519");
        assertThat(hmac.matchedKey()).isEqualTo("hmac");
    }

    @Example
    void ed25519KeysWorkInTheirRawAndTheirEncodedForms() {
        // given: the public key as 44-byte SPKI DER, the private key as the bare 32-byte seed
        Secret sample = SchemeCase.STANDARD_WEBHOOKS_ED25519.sample();
        Base64.Decoder decoder = Base64.getDecoder();
        byte[] raw = decoder.decode(sample.verifying().substring("whpk_".length()));
        byte[] seedAndPublic = decoder.decode(sample.signing().substring("whsk_".length()));
        byte[] spki = HexFormat.of()
                .parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
        String whpkDer = "whpk_" + Base64.getEncoder().encodeToString(spki);
        String whskSeed = "whsk_" + Base64.getEncoder().encodeToString(Arrays.copyOf(seedAndPublic, 32));
        WebhookMessage message = SchemeCase.STANDARD_WEBHOOKS_ED25519.message(new byte[] {1, 2, 3}, "msg_1", null);

        // when
        WebhookRequest bySeed =
                SchemeCase.STANDARD_WEBHOOKS_ED25519.signer(whskSeed).sign(message);
        WebhookRequest bySeedAndPublic =
                SchemeCase.STANDARD_WEBHOOKS_ED25519.signer(sample.signing()).sign(message);
        VerifiedWebhook webhook =
                SchemeCase.STANDARD_WEBHOOKS_ED25519.verifier(Keys.of(whpkDer)).verify(bySeed);

        // then: Ed25519 is deterministic, so both private forms sign alike
        assertThat(bySeed.headers().first("webhook-signature"))
                .isEqualTo(bySeedAndPublic.headers().first("webhook-signature"));
        assertThat(webhook.matchedKey()).isEqualTo("key-1");
    }

    // ---- generators

    @Provide
    Arbitrary<Delivery> deliveries() {
        return deliveries(SchemeCase.ALL, 0);
    }

    @Provide
    Arbitrary<Delivery> nonEmptyDeliveries() {
        return deliveries(SchemeCase.ALL, 1);
    }

    @Provide
    Arbitrary<Delivery> deliveriesWithSignedIds() {
        return deliveries(SchemeCase.signingIds(), 0);
    }

    @Provide
    Arbitrary<Delivery> timestampedDeliveries() {
        return deliveries(SchemeCase.timestamped(), 0);
    }

    @Provide
    Arbitrary<Delivery> urlDeliveries() {
        return deliveries(List.of(SchemeCase.GENERIC_URL), 0);
    }

    @Provide
    Arbitrary<Rotation> rotations() {
        return Arbitraries.of(SchemeCase.ALL)
                .flatMap(c -> Combinators.combine(deliveryOf(c, 0), c.secrets(), c.secrets(), c.secrets())
                        .as(Rotation::new)
                        .filter(RoundTripPropertiesTest::distinctKeys));
    }

    /** Visible characters that never make a header blank: ASCII and a few beyond. */
    @Provide
    Arbitrary<Character> visibleChars() {
        return Arbitraries.oneOf(
                Arbitraries.chars().range('!', '~'), Arbitraries.chars().with('é', 'ß', '€', '٣'));
    }

    /** Any character a header value could be corrupted with: controls, blanks, ASCII, look-alike digits. */
    @Provide
    Arbitrary<Character> anyChars() {
        return Arbitraries.oneOf(
                Arbitraries.chars().range(' ', '~'),
                Arbitraries.chars().range('\u0000', '\u001f'),
                Arbitraries.chars().with('\u007f', '\u00a0', '\u2003', 'é', '٣', '０', 'Ａ', '€'));
    }

    private static Arbitrary<Delivery> deliveries(List<SchemeCase> cases, int minBody) {
        return Arbitraries.of(cases).flatMap(c -> deliveryOf(c, minBody));
    }

    private static Arbitrary<Delivery> deliveryOf(SchemeCase c, int minBody) {
        Arbitrary<String> ids =
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(64);
        Arbitrary<String> urls = Arbitraries.strings()
                .alpha()
                .numeric()
                .withChars("-._~/%")
                .ofMaxLength(40)
                .map(path -> "https://hooks.example.com/" + path);
        return Combinators.combine(c.secrets(), ids, bodies(minBody), urls)
                .as((secret, id, body, url) -> new Delivery(c, secret, id, body, url));
    }

    /** Arbitrary bytes; sizes mostly small, sometimes up to 64 KiB, and the edges: min, the limit and one below. */
    private static Arbitrary<byte[]> bodies(int minSize) {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                Tuple.of(80, Arbitraries.integers().between(minSize, 512)),
                Tuple.of(15, Arbitraries.integers().between(513, 64 * 1024)),
                Tuple.of(5, Arbitraries.of(minSize, LIMIT - 1, LIMIT)));
        return Combinators.combine(sizes, Arbitraries.longs()).as(RoundTripPropertiesTest::randomBytes);
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static boolean distinctKeys(Rotation r) {
        return Stream.of(r.newKey(), r.oldKey(), r.thirdKey())
                        .map(Secret::verifying)
                        .distinct()
                        .count()
                == 3;
    }

    private static void covers(SchemeCase scheme, List<SchemeCase> expected) {
        Statistics.label("scheme").collect(scheme.name());
        Statistics.label("scheme")
                .coverage(coverage ->
                        expected.forEach(c -> coverage.check(c.name()).count(n -> n > 0)));
    }
}
