package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.SchemeCase.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Sign, then verify, for every provider scheme added with issues 8 and 16, with bodies of the shape each provider sends
 * (any bytes where the signature covers them; JSON objects for Linear and Mailgun, which read fields of the body; forms
 * and JSON for Twilio), random keys and random ids: the delivery verifies with its key, and is refused with another
 * key or (where the provider signs the body) with any one body byte changed.
 */
class ProviderRoundTripPropertiesTest {
    private static final String URL = "https://hooks.example.com/in?tenant=7";

    /**
     * @param scheme the scheme
     * @param secrets random key pairs
     * @param bodies bodies of the provider's shape
     * @param signsBodyBytes whether any changed body byte must be refused
     */
    record Provider(
            String name, Scheme scheme, Arbitrary<Secret> secrets, Arbitrary<byte[]> bodies, boolean signsBodyBytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Delivery(Provider provider, Secret secret, Secret other, byte[] body, String id) {
        WebhookRequest signedWith(Secret key) {
            return WebhookSigner.builder()
                    .scheme(provider.scheme())
                    .secret(key.signing())
                    .clock(SchemeCase.CLOCK)
                    .build()
                    .sign(WebhookMessage.body(body)
                            .id(id)
                            .eventType("evt")
                            .url(URL)
                            .build());
        }

        WebhookVerifier verifier() {
            return WebhookVerifier.builder()
                    .scheme(provider.scheme())
                    .keys(Keys.builder().add("current", secret.verifying()).build())
                    .clock(SchemeCase.CLOCK)
                    .build();
        }

        @Override
        public String toString() {
            return provider + ", " + body.length + " bytes";
        }
    }

    static final List<Provider> PROVIDERS = List.of(
            new Provider("shopify", Schemes.shopify(), utf8(), anyBytes(), true),
            new Provider("twilio form", Schemes.twilio(), utf8(), forms(), false),
            new Provider("twilio json", Schemes.twilio(), utf8(), jsonObjects(), true),
            new Provider("paddle", Schemes.paddle(), utf8(), anyBytes(), true),
            new Provider("square", Schemes.square(), utf8(), anyBytes(), true),
            new Provider("zoom", Schemes.zoom(), utf8(), anyBytes(), true),
            new Provider("linear", Schemes.linear(), utf8(), jsonObjects(), false),
            new Provider("mailgun", Schemes.mailgun(), utf8(), jsonObjects(), false),
            new Provider("meta", Schemes.meta(), utf8(), anyBytes(), true),
            new Provider("gitlab", Schemes.gitlab(), utf8(), anyBytes(), false),
            new Provider(
                    "discord",
                    Schemes.discord(),
                    Arbitraries.longs().map(ProviderRoundTripPropertiesTest::discord),
                    anyBytes(),
                    true),
            new Provider(
                    "sendgrid",
                    Schemes.sendgrid(),
                    Arbitraries.of(sendgrid(), sendgrid(), sendgrid()),
                    anyBytes(),
                    true),
            new Provider("x", Schemes.x(), utf8(), anyBytes(), true),
            new Provider("token bearer", Schemes.token().build(), utf8(), anyBytes(), false),
            new Provider(
                    "token header",
                    Schemes.token()
                            .header("X-Webhook-Token")
                            .idHeader("X-Delivery-Id")
                            .build(),
                    utf8(),
                    anyBytes(),
                    false),
            new Provider(
                    "token basic",
                    Schemes.token().basic().build(),
                    utf8().map(s -> Secret.hmac("acme:" + s.signing())),
                    anyBytes(),
                    false),
            new Provider(
                    "token basic user",
                    Schemes.token().basicUser().build(),
                    utf8().filter(s -> s.signing().indexOf(':') < 0),
                    anyBytes(),
                    false),
            new Provider("token basic password", Schemes.token().basicPassword().build(), utf8(), anyBytes(), false),
            new Provider("token query", Schemes.token().query("token").build(), utf8(), anyBytes(), false),
            new Provider("event-grid", Schemes.eventGrid(), utf8(), anyBytes(), false),
            new Provider("microsoft-graph", Schemes.microsoftGraph(), utf8(), jsonObjects(), false),
            new Provider("openai", Schemes.openai(), whsec(), anyBytes(), true),
            new Provider("clerk", Schemes.clerk(), whsec(), anyBytes(), true),
            new Provider(
                    "polar",
                    Schemes.polar(),
                    utf8().filter(s -> !s.signing().startsWith("whsec_"))
                            .filter(s -> s.signing().getBytes(StandardCharsets.UTF_8).length >= 16),
                    anyBytes(),
                    true),
            new Provider("bitbucket", Schemes.bitbucket(), utf8(), anyBytes(), true),
            new Provider("typeform", Schemes.typeform(), utf8(), anyBytes(), true),
            new Provider("sentry", Schemes.sentry(), utf8(), anyBytes(), true),
            new Provider("lemonsqueezy", Schemes.lemonSqueezy(), utf8(), anyBytes(), true),
            new Provider("vercel", Schemes.vercel(), utf8(), anyBytes(), true),
            new Provider("woocommerce", Schemes.wooCommerce(), utf8(), anyBytes(), true),
            new Provider("line", Schemes.line(), utf8(), anyBytes(), true),
            new Provider("coinbase", Schemes.coinbase(), utf8(), anyBytes(), true),
            new Provider("intercom", Schemes.intercom(), utf8(), anyBytes(), true),
            new Provider("xero", Schemes.xero(), utf8(), anyBytes(), true),
            new Provider("jira", Schemes.jira(), utf8(), anyBytes(), true),
            new Provider("dropbox", Schemes.dropbox(), utf8(), anyBytes(), true),
            new Provider("mux", Schemes.mux(), utf8(), anyBytes(), true),
            new Provider("calendly", Schemes.calendly(), utf8(), anyBytes(), true),
            // Trello's "binary" form covers every byte of an ASCII body (TrelloSchemeTest pins what it cannot cover)
            new Provider("trello", Schemes.trello(), utf8(), asciiBytes(), true),
            new Provider("box", Schemes.box(), utf8(), anyBytes(), true),
            new Provider("hubspot", Schemes.hubspot(), utf8(), anyBytes(), true),
            new Provider("hubspot-legacy", Schemes.hubspotLegacy(), utf8(), anyBytes(), true),
            new Provider("docusign", Schemes.docusign(), utf8(), anyBytes(), true),
            // Adyen signs eight fields of each item, not every byte (AdyenSchemeTest changes an unsigned one)
            new Provider("adyen", Schemes.adyen(), hexKeys(), adyenNotifications(), false),
            new Provider("adyen-platform", Schemes.adyenPlatform(), hexKeys(), anyBytes(), true),
            // Braintree signs the decoded bt_payload of a form, whose escapes may be re-spelt
            new Provider(
                    "braintree",
                    Schemes.braintree(),
                    utf8().map(s -> Secret.hmac("hookwarden_public_key:" + s.signing())),
                    anyBytes().filter(body -> body.length > 0),
                    false),
            new Provider("zendesk", Schemes.zendesk(), utf8(), anyBytes(), true),
            new Provider("intuit", Schemes.intuit(), utf8(), anyBytes(), true),
            new Provider("contentful", Schemes.contentful(), utf8(), anyBytes(), true),
            new Provider("twitch", Schemes.twitch(), utf8(), anyBytes(), true));

    @Property(tries = 600)
    void signedDeliveryVerifiesWithItsKeyAndNotWithAnother(@ForAll("deliveries") Delivery d) {
        // given
        WebhookRequest signed = d.signedWith(d.secret());
        WebhookRequest byOther = d.signedWith(d.other());

        // when
        VerifiedWebhook webhook = d.verifier().verify(signed);
        WebhookVerificationException refused = refusal(d.verifier(), byOther);

        // then
        assertThat(webhook.matchedKey()).isEqualTo("current");
        assertThat(webhook.schemeId()).isEqualTo(d.provider().scheme().id());
        assertThat(refused.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        Statistics.label("provider").collect(d.provider().name());
        Statistics.label("provider")
                .coverage(c -> PROVIDERS.forEach(p -> c.check(p.name()).count(n -> n > 0)));
    }

    @Property(tries = 400)
    void changingAnySignedBodyByteIsRefused(@ForAll("deliveries") Delivery d, @ForAll int position, @ForAll byte xor) {
        // given
        net.jqwik.api.Assume.that(d.provider().signsBodyBytes() && xor != 0);
        WebhookRequest signed = d.signedWith(d.secret());
        byte[] body = signed.body();
        net.jqwik.api.Assume.that(body.length > 0);
        body[Math.floorMod(position, body.length)] ^= xor;

        // when
        WebhookVerificationException e =
                refusal(d.verifier(), signed.toBuilder().body(body).build());

        // then
        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Property(tries = 200)
    void changingAFormValueIsRefusedByTwilio(@ForAll("twilioForms") Delivery d) {
        // given: Twilio signs the decoded parameters, so change one value's text
        WebhookRequest signed = d.signedWith(d.secret());
        String form = new String(signed.body(), StandardCharsets.US_ASCII);
        String changed = form.replaceFirst("=", "=z");

        // when
        WebhookVerificationException e =
                refusal(d.verifier(), signed.toBuilder().body(changed).build());

        // then
        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Property(tries = 400)
    void theDefaultDedupeKeyNamesTheDeliveryNeverTheKey(
            @ForAll("deliveries") Delivery d, @ForAll("otherIds") String otherId) {
        // given: the same endpoint receives one delivery twice and a second, different one
        net.jqwik.api.Assume.that(!otherId.equals(d.id()));
        byte[] otherBody = differentBody(d.body(), otherId);
        Delivery second = new Delivery(d.provider(), d.secret(), d.other(), otherBody, otherId);
        WebhookRequest first = d.signedWith(d.secret());
        DedupeKey key = DedupeKey.schemeDefault();

        // when
        String once = key.of(d.verifier().verify(first));
        String again = key.of(d.verifier().verify(first));
        String other = key.of(d.verifier().verify(second.signedWith(d.secret())));

        // then: a retry is a duplicate; another delivery is not, even with the same key (GitLab's token)
        assertThat(again).isEqualTo(once);
        if (once == null || other == null) {
            assertThat(d.provider().scheme().idPointer())
                    .as("only a body without its id field has no key")
                    .isNotNull();
        } else {
            assertThat(other).isNotEqualTo(once);
        }
    }

    /** Another body of the same shape: a JSON object gains a field (signers that re-serialise keep it), else a byte. */
    private static byte[] differentBody(byte[] body, String marker) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.startsWith("{") && text.endsWith("}")) {
            String field = "\"hookwarden_other\":\"" + marker + "\"";
            return ("{" + field + (text.length() > 2 ? "," : "") + text.substring(1)).getBytes(StandardCharsets.UTF_8);
        }
        byte[] other = Arrays.copyOf(body, body.length + 1);
        other[body.length] = ' ';
        return other;
    }

    @Provide
    Arbitrary<String> otherIds() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(32);
    }

    @Provide
    Arbitrary<Delivery> deliveries() {
        return Arbitraries.of(PROVIDERS).flatMap(ProviderRoundTripPropertiesTest::deliveryOf);
    }

    @Provide
    Arbitrary<Delivery> twilioForms() {
        return deliveryOf(PROVIDERS.get(1));
    }

    private static Arbitrary<Delivery> deliveryOf(Provider p) {
        Arbitrary<String> ids =
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(32);
        return Combinators.combine(p.secrets(), p.secrets(), p.bodies(), ids)
                .as((secret, other, body, id) -> new Delivery(p, secret, other, body, id))
                .filter(d -> !d.secret().verifying().equals(d.other().verifying()));
    }

    private static Arbitrary<Secret> utf8() {
        return Arbitraries.strings()
                .withCharRange('!', '~')
                .withCharRange('\u00a1', '\u024f')
                .ofMinLength(8)
                .ofMaxLength(48)
                .filter(s -> !Scheme.looksLikePlaceholder(s)) // refused on purpose: BuilderValidationTest
                .map(Secret::hmac);
    }

    /** Standard Webhooks secrets: {@code whsec_} and the base64 of 24 to 64 random bytes. */
    private static Arbitrary<Secret> whsec() {
        return Arbitraries.bytes()
                .array(byte[].class)
                .ofMinSize(24)
                .ofMaxSize(64)
                .map(bytes -> Secret.hmac("whsec_" + Base64.getEncoder().encodeToString(bytes)));
    }

    /** Adyen HMAC keys: 32 random bytes in hex. */
    private static Arbitrary<Secret> hexKeys() {
        return Arbitraries.bytes()
                .array(byte[].class)
                .ofSize(32)
                .map(bytes -> Secret.hmac(HexFormat.of().withUpperCase().formatHex(bytes)));
    }

    /**
     * Adyen classic notifications of one to three unsigned items without a {@code pspReference} (the signer takes it
     * from the message's id), with random references, amounts and outcomes.
     */
    private static Arbitrary<byte[]> adyenNotifications() {
        Arbitrary<Map<String, Object>> items = Combinators.combine(
                        Arbitraries.strings().all().ofMaxLength(30),
                        Arbitraries.longs().between(0, 10_000_000),
                        Arbitraries.of("AUTHORISATION", "CAPTURE", "REFUND", "CHARGEBACK"),
                        Arbitraries.of("true", "false"))
                .as((reference, value, code, success) -> Map.<String, Object>of(
                        "NotificationRequestItem",
                        Map.of(
                                "merchantAccountCode", "Shop",
                                "merchantReference", reference,
                                "amount", Map.of("currency", "EUR", "value", value),
                                "eventCode", code,
                                "success", success)));
        return items.list().ofMinSize(1).ofMaxSize(3).map(list -> {
            try {
                return Handshakes.MAPPER.writeValueAsBytes(Map.of("live", "false", "notificationItems", list));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Arbitrary<byte[]> anyBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(2048);
    }

    private static Arbitrary<byte[]> asciiBytes() {
        return Arbitraries.strings().ascii().ofMaxLength(2048).map(text -> text.getBytes(StandardCharsets.US_ASCII));
    }

    /** JSON objects with a few string fields. */
    private static Arbitrary<byte[]> jsonObjects() {
        Arbitrary<String> keys = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> values = Arbitraries.strings().all().ofMaxLength(40);
        return Arbitraries.maps(keys, values).ofMaxSize(5).map(m -> {
            try {
                return Handshakes.MAPPER.writeValueAsBytes(m);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Form bodies: 1 to 6 pairs of encoded names and values, names repeated at times. */
    private static Arbitrary<byte[]> forms() {
        Arbitrary<String> names = Arbitraries.of("Body", "From", "To", "MessageSid", "Digits", "Media.Url");
        Arbitrary<String> values = Arbitraries.strings().all().ofMaxLength(30);
        return Combinators.combine(names, values)
                .as((n, v) -> FormBody.encode(n) + "=" + FormBody.encode(v))
                .list()
                .ofMinSize(1)
                .ofMaxSize(6)
                .map(pairs -> String.join("&", pairs).getBytes(StandardCharsets.US_ASCII));
    }

    /** A Discord pair: hex seed to sign, hex public key to verify. */
    static Secret discord(long seed) {
        Secret whsk = SchemeCase.ed25519(seed);
        byte[] seedAndPublic = Base64.getDecoder().decode(whsk.signing().substring("whsk_".length()));
        HexFormat hex = HexFormat.of();
        return new Secret(
                hex.formatHex(Arrays.copyOf(seedAndPublic, 32)),
                hex.formatHex(Arrays.copyOfRange(seedAndPublic, 32, 64)));
    }

    /** A SendGrid pair: base64 PKCS#8 private key to sign, base64 SPKI public key to verify. */
    static Secret sendgrid() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Base64.Encoder b64 = Base64.getEncoder();
            return new Secret(
                    b64.encodeToString(pair.getPrivate().getEncoded()),
                    b64.encodeToString(pair.getPublic().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
