package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookwarden.SchemeCase.Secret;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * A captured delivery replayed with its signature spelt another way that still verifies (hex in another case, entries
 * repeated, reordered, dropped or joined by another key's, the other of two accepted signature headers, a form's
 * parameters in another order, the URL with its default port, an ECDSA signature's twin) is the same delivery: every
 * spelling that verifies has the dedupe key of the original, for every built-in scheme. Issue 12, item 3.
 */
class CanonicalDedupeKeyPropertiesTest {
    private static final String URL = "https://hooks.example.com/in?tenant=7";

    /** The order of the P-256 group: {@code (r, n - s)} is a second valid signature of whatever {@code (r, s)} signs. */
    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    /**
     * One scheme and the re-spellings it accepts.
     *
     * @param a the first key pair (the endpoint's current key)
     * @param b the second key pair (the endpoint's previous key, still active)
     * @param respell the spellings of a delivery signed with {@code a} (the first argument) and the same delivery
     *     signed with {@code b} (the second), beyond the generic hex-case ones
     * @param spellingsThatMustVerify how many of the scheme-specific spellings must verify, so the property is never
     *     vacuous
     */
    record Case(
            String name,
            Scheme scheme,
            Secret a,
            Secret b,
            boolean hex,
            BiFunction<WebhookRequest, WebhookRequest, List<WebhookRequest>> respell,
            int spellingsThatMustVerify) {
        @Override
        public String toString() {
            return name;
        }

        WebhookRequest sign(Secret secret, byte[] body, String id, String url) {
            return WebhookSigner.builder()
                    .scheme(scheme)
                    .secret(secret.signing())
                    .clock(SchemeCase.CLOCK)
                    .build()
                    .sign(WebhookMessage.body(body)
                            .id(id)
                            .eventType("push")
                            .url(url)
                            .build());
        }

        WebhookVerifier verifier() {
            return WebhookVerifier.builder()
                    .scheme(scheme)
                    .keys(Keys.builder()
                            .add("current", a.verifying())
                            .add("previous", b.verifying())
                            .build())
                    .clock(SchemeCase.CLOCK)
                    .build();
        }
    }

    private static final Secret HMAC_A = Secret.hmac("current-secret-0123456789");
    private static final Secret HMAC_B = Secret.hmac("previous-secret-9876543210");
    private static final Secret WHSEC_A = Secret.hmac("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    private static final Secret WHSEC_B = Secret.hmac("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD");

    static final List<Case> CASES = List.of(
            new Case(
                    "standard-webhooks v1",
                    Schemes.standardWebhooks(),
                    WHSEC_A,
                    WHSEC_B,
                    false,
                    entries("webhook-signature", " "),
                    5),
            new Case(
                    "standard-webhooks v1a",
                    Schemes.standardWebhooks(),
                    SchemeCase.ed25519(1),
                    SchemeCase.ed25519(2),
                    false,
                    entries("webhook-signature", " "),
                    5),
            new Case("svix", Schemes.svix(), WHSEC_A, WHSEC_B, false, entries("svix-signature", " "), 5),
            new Case("stripe", Schemes.stripe(), HMAC_A, HMAC_B, true, stripeEntries(), 6),
            new Case("paddle", Schemes.paddle(), HMAC_A, HMAC_B, true, paddleEntries(), 5),
            new Case("github", Schemes.github(), HMAC_A, HMAC_B, true, (a, b) -> List.of(b), 1),
            new Case(
                    "github accepting sha1",
                    Schemes.githubAcceptingSha1(),
                    HMAC_A,
                    HMAC_B,
                    true,
                    (a, b) -> List.of(without(a, "X-Hub-Signature-256"), without(b, "X-Hub-Signature-256")),
                    2),
            new Case("slack", Schemes.slack(), HMAC_A, HMAC_B, true, (a, b) -> List.of(b), 1),
            new Case("shopify", Schemes.shopify(), HMAC_A, HMAC_B, false, (a, b) -> List.of(b), 1),
            new Case("x", Schemes.x(), HMAC_A, HMAC_B, false, (a, b) -> List.of(b), 1),
            new Case("hmac", Schemes.hmac().build(), HMAC_A, HMAC_B, true, (a, b) -> List.of(b), 1),
            new Case("zoom", Schemes.zoom(), HMAC_A, HMAC_B, true, (a, b) -> List.of(b), 1),
            new Case("linear", Schemes.linear(), HMAC_A, HMAC_B, true, (a, b) -> List.of(b), 1),
            new Case("meta", Schemes.meta(), HMAC_A, HMAC_B, true, (a, b) -> List.of(b), 1),
            new Case("square", Schemes.square(), HMAC_A, HMAC_B, false, (a, b) -> List.of(b), 1),
            new Case("twilio", Schemes.twilio(), HMAC_A, HMAC_B, false, (a, b) -> List.of(b, withDefaultPort(a)), 2),
            new Case(
                    "twilio form",
                    Schemes.twilio(),
                    HMAC_A,
                    HMAC_B,
                    false,
                    (a, b) -> List.of(b, reversedForm(a), withDefaultPort(reversedForm(a))),
                    3),
            new Case(
                    "discord",
                    Schemes.discord(),
                    ProviderRoundTripPropertiesTest.discord(1),
                    ProviderRoundTripPropertiesTest.discord(2),
                    true,
                    (a, b) -> List.of(b),
                    1),
            new Case(
                    "sendgrid",
                    Schemes.sendgrid(),
                    ProviderRoundTripPropertiesTest.sendgrid(),
                    ProviderRoundTripPropertiesTest.sendgrid(),
                    false,
                    (a, b) -> List.of(b, ecdsaTwin(a, "X-Twilio-Email-Event-Webhook-Signature")),
                    2),
            new Case("mailgun", Schemes.mailgun(), HMAC_A, HMAC_B, false, (a, b) -> List.of(upperMailgun(a)), 1));

    @Property(tries = 400)
    void everySpellingThatVerifiesHasTheOriginalsDedupeKey(
            @ForAll("cases") Case c, @ForAll("bodies") String json, @ForAll("ids") String id, @ForAll long seed) {
        // given: a delivery signed with the current key, the same one signed with the previous key, and re-spellings
        boolean form = c.name().endsWith("form");
        byte[] body = (form ? "From=%2B1555" + id + "&Body=" + id + "&To=%2B1666&Body=again" : json)
                .getBytes(StandardCharsets.UTF_8);
        WebhookRequest original = c.sign(c.a(), body, id, URL);
        WebhookRequest byPrevious = c.sign(c.b(), body, id, URL);
        List<WebhookRequest> specific = c.respell().apply(original, byPrevious);
        List<WebhookRequest> generic = hexSpellings(original, new Random(seed));
        WebhookVerifier verifier = c.verifier();
        String expectedSignatureKey = DedupeKey.signature().of(verifier.verify(original));
        String expectedDefaultKey = DedupeKey.schemeDefault().of(verifier.verify(original));

        // when
        int specificVerified = 0;
        int genericVerified = 0;
        Set<String> signatureKeys = new LinkedHashSet<>();
        Set<String> defaultKeys = new LinkedHashSet<>();
        for (WebhookRequest spelling : specific) {
            VerifiedWebhook webhook = verifier.verify(spelling);
            specificVerified++;
            signatureKeys.add(DedupeKey.signature().of(webhook));
            defaultKeys.add(DedupeKey.schemeDefault().of(webhook));
        }
        for (WebhookRequest spelling : generic) {
            try {
                VerifiedWebhook webhook = verifier.verify(spelling);
                genericVerified++;
                signatureKeys.add(DedupeKey.signature().of(webhook));
                defaultKeys.add(DedupeKey.schemeDefault().of(webhook));
            } catch (WebhookVerificationException refused) {
                assertThat(refused.reason()).isIn(Reason.SIGNATURE_MISMATCH, Reason.MALFORMED_HEADER);
            }
        }

        // then
        assertThat(specificVerified).isEqualTo(c.spellingsThatMustVerify());
        if (c.hex()) {
            assertThat(genericVerified)
                    .as("the upper-case hex spelling verifies")
                    .isPositive();
        }
        assertThat(signatureKeys).as("signature keys of every spelling").containsOnly(expectedSignatureKey);
        assertThat(defaultKeys).as("default keys of every spelling").containsOnly(expectedDefaultKey);
        Statistics.label("scheme").collect(c.name());
    }

    @Property(tries = 200)
    void anotherDeliveryHasAnotherKey(
            @ForAll("cases") Case c, @ForAll("bodies") String json, @ForAll("ids") String id) {
        // given: the same delivery, and one whose body differs by one field
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] other = ("{\"hookwarden_other\":1," + json.substring(1)).getBytes(StandardCharsets.UTF_8);
        WebhookVerifier verifier = c.verifier();

        // when
        String first = DedupeKey.signature().of(verifier.verify(c.sign(c.a(), body, id, URL)));
        String second = DedupeKey.signature().of(verifier.verify(c.sign(c.a(), other, id, URL)));

        // then: Mailgun signs a fresh random token, not the body, so its deliveries differ by token anyway
        assertThat(first).startsWith("sig-").hasSize(4 + 64);
        assertThat(second).isNotEqualTo(first);
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(CASES);
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(24);
    }

    /** JSON objects (every scheme takes one; Linear and Mailgun need one). */
    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> keys = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> values = Arbitraries.strings().alpha().numeric().ofMaxLength(30);
        return Arbitraries.maps(keys, values).ofMinSize(1).ofMaxSize(4).map(m -> {
            try {
                return Handshakes.MAPPER.writeValueAsString(m);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A run of hex digits long enough to be a signature, not a prefix such as {@code sha256=}. */
    private static final java.util.regex.Pattern HEX_RUN = java.util.regex.Pattern.compile("[0-9a-fA-F]{32,}");

    /**
     * Each signature header with its hex signatures in upper case, and with a random set of their letters
     * case-flipped: two variants per header.
     */
    private static List<WebhookRequest> hexSpellings(WebhookRequest request, Random random) {
        List<WebhookRequest> out = new ArrayList<>();
        for (String name : request.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.contains("signature") && !lower.contains("hmac")) {
                continue;
            }
            String value = request.headers().first(name).orElseThrow();
            out.add(with(request, name, HEX_RUN.matcher(value).replaceAll(m -> m.group()
                    .toUpperCase(Locale.ROOT))));
            out.add(with(request, name, HEX_RUN.matcher(value).replaceAll(m -> flip(m.group(), random))));
        }
        return out;
    }

    private static String flip(String run, Random random) {
        StringBuilder flipped = new StringBuilder(run);
        for (int i = 0; i < flipped.length(); i++) {
            char ch = flipped.charAt(i);
            if (Character.isLetter(ch) && random.nextBoolean()) {
                flipped.setCharAt(i, Character.isUpperCase(ch) ? Character.toLowerCase(ch) : Character.toUpperCase(ch));
            }
        }
        return flipped.toString();
    }

    /**
     * For schemes that send several {@code version,signature} entries in one header: both keys' entries in either
     * order, one entry twice, and an unknown entry added.
     */
    private static BiFunction<WebhookRequest, WebhookRequest, List<WebhookRequest>> entries(
            String header, String separator) {
        return (a, b) -> {
            String x = a.headers().first(header).orElseThrow();
            String y = b.headers().first(header).orElseThrow();
            return List.of(
                    b,
                    with(a, header, x + separator + y),
                    with(a, header, y + separator + x),
                    with(a, header, x + separator + x),
                    with(a, header, "v9,AAAA" + separator + x));
        };
    }

    /** Stripe: {@code t=...,v1=...}; the previous key's v1 entries joined in, reordered, repeated, v0 added. */
    private static BiFunction<WebhookRequest, WebhookRequest, List<WebhookRequest>> stripeEntries() {
        String header = "Stripe-Signature";
        return (a, b) -> {
            String x = a.headers().first(header).orElseThrow();
            String t = x.substring(0, x.indexOf(','));
            String v1a = x.substring(x.indexOf(',') + 1);
            String y = b.headers().first(header).orElseThrow();
            String v1b = y.substring(y.indexOf(',') + 1);
            return List.of(
                    b,
                    with(a, header, t + "," + v1a + "," + v1b),
                    with(a, header, t + "," + v1b + "," + v1a),
                    with(a, header, t + "," + v1a + "," + v1a),
                    with(a, header, t + ",v0=deadbeef," + v1a),
                    with(a, header, t + "," + v1a.toUpperCase(Locale.ROOT).replace("V1=", "v1=") + "," + v1b));
        };
    }

    /** Paddle: {@code ts=...;h1=...}, likewise. */
    private static BiFunction<WebhookRequest, WebhookRequest, List<WebhookRequest>> paddleEntries() {
        String header = "Paddle-Signature";
        return (a, b) -> {
            String x = a.headers().first(header).orElseThrow();
            String ts = x.substring(0, x.indexOf(';'));
            String h1a = x.substring(x.indexOf(';') + 1);
            String y = b.headers().first(header).orElseThrow();
            String h1b = y.substring(y.indexOf(';') + 1);
            return List.of(
                    b,
                    with(a, header, ts + ";" + h1a + ";" + h1b),
                    with(a, header, ts + ";" + h1b + ";" + h1a),
                    with(a, header, ts + ";" + h1a + ";" + h1a),
                    with(
                            a,
                            header,
                            ts + ";" + h1b + ";" + h1a.toUpperCase(Locale.ROOT).replace("H1=", "h1=")));
        };
    }

    private static WebhookRequest with(WebhookRequest request, String header, String value) {
        return withHeaders(
                request, request.headers().toBuilder().set(header, value).build());
    }

    private static WebhookRequest without(WebhookRequest request, String header) {
        return withHeaders(request, request.headers().toBuilder().remove(header).build());
    }

    /** The request with its headers replaced ({@code toBuilder().headers(...)} adds to them). */
    private static WebhookRequest withHeaders(WebhookRequest request, Headers headers) {
        return WebhookRequest.builder()
                .method(request.method())
                .url(request.url().orElse(null))
                .headers(headers)
                .body(request.bodyBytes())
                .build();
    }

    /** The same URL with its default port spelt out: Twilio accepts a signature over either. */
    private static WebhookRequest withDefaultPort(WebhookRequest request) {
        String url = request.url().orElseThrow();
        return request.toBuilder()
                .url(url.replace("hooks.example.com/", "hooks.example.com:443/"))
                .build();
    }

    /** The form's parameters in reverse order: Twilio signs them sorted, so this verifies too. */
    private static WebhookRequest reversedForm(WebhookRequest request) {
        List<String> pairs =
                new ArrayList<>(List.of(new String(request.bodyBytes(), StandardCharsets.UTF_8).split("&")));
        java.util.Collections.reverse(pairs);
        return request.toBuilder().body(String.join("&", pairs)).build();
    }

    /** Mailgun's signature, in the JSON body, in upper case. */
    private static WebhookRequest upperMailgun(WebhookRequest request) {
        ObjectNode root = (ObjectNode) BoundedJson.parse(request.bodyBytes());
        ObjectNode signature = (ObjectNode) root.get("signature");
        signature.put("signature", signature.get("signature").asText().toUpperCase(Locale.ROOT));
        return request.toBuilder().body(root.toString()).build();
    }

    /** The other valid ECDSA signature of the same content: {@code (r, n - s)}, re-encoded as DER. */
    private static WebhookRequest ecdsaTwin(WebhookRequest request, String header) {
        byte[] der = Base64.getDecoder().decode(request.headers().first(header).orElseThrow());
        int offset = 2;
        int rLength = der[offset + 1];
        byte[] r = java.util.Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength);
        offset += 2 + rLength;
        int sLength = der[offset + 1];
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(der, offset + 2, offset + 2 + sLength));
        byte[] twin = P256_ORDER.subtract(s).toByteArray();
        byte[] sequence = new byte[2 + r.length + 2 + twin.length];
        int i = 0;
        sequence[i++] = 0x02;
        sequence[i++] = (byte) r.length;
        System.arraycopy(r, 0, sequence, i, r.length);
        i += r.length;
        sequence[i++] = 0x02;
        sequence[i++] = (byte) twin.length;
        System.arraycopy(twin, 0, sequence, i, twin.length);
        byte[] out = new byte[2 + sequence.length];
        out[0] = 0x30;
        out[1] = (byte) sequence.length;
        System.arraycopy(sequence, 0, out, 2, sequence.length);
        return with(request, header, Base64.getEncoder().encodeToString(out));
    }
}
