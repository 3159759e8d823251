package io.hookwarden;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * One scheme configuration under test, with what the tests need to know about it: where its id, timestamp and
 * signature live, how its secrets look, and a fixed sample key for example-based tests.
 *
 * @param name a label for reports
 * @param scheme the scheme
 * @param secrets random key pairs (the same string twice for HMAC schemes)
 * @param sample a fixed key pair for example tests
 * @param signatureHeader the header carrying the signature
 * @param idHeader the header carrying a signed delivery id, or null
 * @param deliveryIdHeader the header the verified delivery's id is read from (signed or not), or null
 * @param timestampHeader the header carrying the timestamp (for Stripe, the signature header), or null
 * @param signaturePrefix the text before the encoded signature in the signature header value
 * @param hexSignature whether the signature is hex (whose upper-case form is accepted by design)
 * @param millis whether timestamps count milliseconds
 * @param signsUrl whether the request URL is signed
 */
record SchemeCase(
        String name,
        Scheme scheme,
        Arbitrary<Secret> secrets,
        Secret sample,
        String signatureHeader,
        String idHeader,
        String deliveryIdHeader,
        String timestampHeader,
        String signaturePrefix,
        boolean hexSignature,
        boolean millis,
        boolean signsUrl) {

    /** The instant every fixed clock in the core tests reads. */
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** The reasons a refused delivery may carry once its headers were read. */
    static final Set<Reason> REFUSALS = Set.of(
            Reason.MISSING_HEADER,
            Reason.MALFORMED_HEADER,
            Reason.SIGNATURE_MISMATCH,
            Reason.TIMESTAMP_TOO_OLD,
            Reason.TIMESTAMP_IN_FUTURE);

    /**
     * A signing secret and the matching verification secret, exactly as a provider hands them out.
     *
     * @param signing for the signer
     * @param verifying for the verifier
     */
    record Secret(String signing, String verifying) {
        static Secret hmac(String secret) {
            return new Secret(secret, secret);
        }
    }

    static final SchemeCase STANDARD_WEBHOOKS = new SchemeCase(
            "standard-webhooks (whsec_)",
            Schemes.standardWebhooks(),
            whsecSecrets(),
            Secret.hmac("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            "webhook-signature",
            "webhook-id",
            "webhook-id",
            "webhook-timestamp",
            "v1,",
            false,
            false,
            false);

    static final SchemeCase STANDARD_WEBHOOKS_ED25519 = new SchemeCase(
            "standard-webhooks (whsk_/whpk_)",
            Schemes.standardWebhooks(),
            Arbitraries.longs().map(SchemeCase::ed25519),
            ed25519(20260301L),
            "webhook-signature",
            "webhook-id",
            "webhook-id",
            "webhook-timestamp",
            "v1a,",
            false,
            false,
            false);

    static final SchemeCase SVIX = new SchemeCase(
            "svix",
            Schemes.svix(),
            whsecSecrets(),
            Secret.hmac("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"),
            "svix-signature",
            "svix-id",
            "svix-id",
            "svix-timestamp",
            "v1,",
            false,
            false,
            false);

    static final SchemeCase STRIPE = new SchemeCase(
            "stripe",
            Schemes.stripe(),
            Arbitraries.strings()
                    .alpha()
                    .numeric()
                    .ofMinLength(8)
                    .ofMaxLength(40)
                    .map(s -> Secret.hmac("whsec_" + s)),
            Secret.hmac("whsec_test_secret_1234567890"),
            "Stripe-Signature",
            null,
            null,
            "Stripe-Signature",
            null,
            true,
            false,
            false);

    static final SchemeCase GITHUB = new SchemeCase(
            "github",
            Schemes.github(),
            utf8Secrets(),
            Secret.hmac("It's a Secret to Everybody"),
            "X-Hub-Signature-256",
            null,
            "X-GitHub-Delivery",
            null,
            "sha256=",
            true,
            false,
            false);

    static final SchemeCase SLACK = new SchemeCase(
            "slack",
            Schemes.slack(),
            utf8Secrets(),
            Secret.hmac("8f742231b10e8888abcd99yyyzzz85a5"),
            "X-Slack-Signature",
            null,
            null,
            "X-Slack-Request-Timestamp",
            "v0=",
            true,
            false,
            false);

    /** A generic HMAC scheme: SHA-512 in base64 over {@code {id}.{timestamp}.{body}}. */
    static final SchemeCase GENERIC_ID_TIMESTAMP_BODY = new SchemeCase(
            "hmac {id}.{timestamp}.{body} sha512/base64",
            Schemes.hmac()
                    .id("acme")
                    .signatureHeader("X-Acme-Signature")
                    .prefix("v1=")
                    .algorithm(HmacAlgorithm.SHA512)
                    .encoding(SignatureEncoding.BASE64)
                    .idHeader("X-Acme-Id")
                    .timestampHeader("X-Acme-Timestamp")
                    .signedContent("{id}.{timestamp}.{body}")
                    .build(),
            utf8Secrets(),
            Secret.hmac("acme-signing-secret"),
            "X-Acme-Signature",
            "X-Acme-Id",
            "X-Acme-Id",
            "X-Acme-Timestamp",
            "v1=",
            false,
            false,
            false);

    /** A generic HMAC scheme that signs the URL, with a hex secret and timestamps in milliseconds. */
    static final SchemeCase GENERIC_URL = new SchemeCase(
            "hmac {timestamp}:{url}:{body} millis, hex secret",
            Schemes.hmac()
                    .id("relay")
                    .signatureHeader("X-Relay-Signature")
                    .timestampHeader("X-Relay-Timestamp")
                    .timestampInMillis()
                    .signedContent("{timestamp}:{url}:{body}")
                    .secretEncoding(SecretEncoding.HEX)
                    .build(),
            Arbitraries.bytes()
                    .array(byte[].class)
                    .ofMinSize(8)
                    .ofMaxSize(64)
                    .map(b -> Secret.hmac(HexFormat.of().formatHex(b))),
            Secret.hmac("00112233445566778899aabbccddeeff"),
            "X-Relay-Signature",
            null,
            null,
            "X-Relay-Timestamp",
            "",
            true,
            true,
            true);

    static final List<SchemeCase> ALL = List.of(
            STANDARD_WEBHOOKS,
            STANDARD_WEBHOOKS_ED25519,
            SVIX,
            STRIPE,
            GITHUB,
            SLACK,
            GENERIC_ID_TIMESTAMP_BODY,
            GENERIC_URL);

    static List<SchemeCase> timestamped() {
        return ALL.stream().filter(c -> c.timestampHeader() != null).toList();
    }

    static List<SchemeCase> signingIds() {
        return ALL.stream().filter(c -> c.idHeader() != null).toList();
    }

    @Override
    public String toString() {
        return name;
    }

    boolean boundsFuture() {
        return scheme.boundsFuture();
    }

    /** A signer with {@code secret}, reading {@link #CLOCK}. */
    WebhookSigner signer(String secret) {
        return WebhookSigner.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(CLOCK)
                .build();
    }

    /** A verifier with the given keys, reading {@link #CLOCK}. */
    WebhookVerifier verifier(Keys keys) {
        return WebhookVerifier.builder().scheme(scheme).keys(keys).clock(CLOCK).build();
    }

    /** A message with the fields every scheme may need. */
    WebhookMessage message(byte[] body, String id, String url) {
        WebhookMessage.Builder message = WebhookMessage.body(body).id(id).eventType("push");
        if (signsUrl) {
            message.url(url);
        }
        return message.build();
    }

    /** A delivery of {@code body} signed with the sample key at {@code timestamp}. */
    WebhookRequest sampleRequest(byte[] body, Instant timestamp) {
        WebhookMessage.Builder message =
                WebhookMessage.body(body).id("msg_2Yq5s7").eventType("push").timestamp(timestamp);
        if (signsUrl) {
            message.url("https://hooks.example.com/relay?tenant=7");
        }
        return signer(sample.signing()).sign(message.build());
    }

    WebhookRequest sampleRequest() {
        return sampleRequest("{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}".getBytes(StandardCharsets.UTF_8), NOW);
    }

    WebhookVerifier sampleVerifier() {
        return verifier(Keys.of(sample.verifying()));
    }

    /** The timestamp as the scheme writes it. */
    Instant truncated(Instant timestamp) {
        return millis
                ? Instant.ofEpochMilli(timestamp.toEpochMilli())
                : Instant.ofEpochSecond(timestamp.getEpochSecond());
    }

    /** Where the timestamp text sits inside the value of {@link #timestampHeader()}: [start, end). */
    int[] timestampRange(String headerValue) {
        if (scheme == Schemes.stripe()) {
            return new int[] {2, headerValue.indexOf(',')};
        }
        return new int[] {0, headerValue.length()};
    }

    /** Where the encoded signature starts inside the signature header value. */
    int signatureStart(String headerValue) {
        if (scheme == Schemes.stripe()) {
            return headerValue.indexOf(",v1=") + 4;
        }
        return signaturePrefix.length();
    }

    private static Arbitrary<Secret> whsecSecrets() {
        return Arbitraries.bytes()
                .array(byte[].class)
                .ofMinSize(16)
                .ofMaxSize(64)
                .map(b -> Secret.hmac("whsec_" + Base64.getEncoder().encodeToString(b)));
    }

    /**
     * Secrets used as their UTF-8 bytes: ASCII, Latin, CJK, inner spaces, never surrounding blanks, never shaped like
     * an unresolved placeholder ({@code ${...}}), which every scheme refuses on purpose (BuilderValidationTest).
     */
    private static Arbitrary<Secret> utf8Secrets() {
        return Arbitraries.strings()
                .withCharRange('!', '~')
                .withCharRange('\u00a1', '\u024f')
                .withCharRange('\u4e00', '\u4e80')
                .withChars(' ')
                .ofMinLength(8)
                .ofMaxLength(48)
                .filter(s -> s.strip().equals(s))
                .filter(s -> !Scheme.looksLikePlaceholder(s))
                .map(Secret::hmac);
    }

    /**
     * An Ed25519 pair from a seed, as Standard Webhooks hands it out: {@code whpk_} + base64 of the raw 32-byte public
     * key (the last 32 bytes of its X.509 encoding), {@code whsk_} + base64 of the seed (the last 32 bytes of the PKCS#8
     * encoding) followed by the public key.
     */
    static Secret ed25519(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, random);
            KeyPair pair = generator.generateKeyPair();
            byte[] x509 = pair.getPublic().getEncoded();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            byte[] publicKey = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
            byte[] privateSeed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
            byte[] seedAndPublic = Arrays.copyOf(privateSeed, 64);
            System.arraycopy(publicKey, 0, seedAndPublic, 32, 32);
            Base64.Encoder base64 = Base64.getEncoder();
            return new Secret(
                    "whsk_" + base64.encodeToString(seedAndPublic), "whpk_" + base64.encodeToString(publicKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
