package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookwarden.testsupport.FakeSns;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AWS SNS (issue 16): the SDK's published message at its own clock, generated-certificate round trips, the
 * certificate URL rules (a URL not allowed is never requested), the certificate checks, the fetch's timeout and cache,
 * the confirmations, and every refusal with its reason. Certificates are served by {@link FakeSns} on loopback.
 */
class SnsSchemeTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:orders";
    private static final X509Certificate VALID =
            FakeSns.signing(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));

    private static FakeSns sns;
    private static String certUrl;

    @BeforeAll
    static void start() throws IOException, GeneralSecurityException {
        sns = new FakeSns();
        certUrl = sns.serve("/SimpleNotificationService-valid.pem", VALID);
    }

    @AfterAll
    static void stop() {
        sns.close();
    }

    /** The SNS scheme as these tests configure it: certificates from the fake server only, fetched with its client. */
    static SnsScheme scheme(FakeSns sns) {
        return Schemes.sns().certificateHosts("127\\.0\\.0\\.1").httpClient(sns.client());
    }

    static WebhookVerifier verifier(Scheme scheme) {
        return WebhookVerifier.builder().scheme(scheme).clock(CLOCK).build();
    }

    static WebhookSigner signer() {
        return WebhookSigner.builder()
                .scheme(Schemes.sns())
                .secret(FakeSns.privateKeyPem(FakeSns.SIGNING_KEYS.getPrivate()))
                .clock(CLOCK)
                .build();
    }

    static ObjectNode message(String certificateUrl) {
        return Handshakes.MAPPER
                .createObjectNode()
                .put("Type", "Notification")
                .put("TopicArn", TOPIC)
                .put("Subject", "order placed")
                .put("Message", "{\"order\":42}")
                .put("SigningCertURL", certificateUrl);
    }

    static WebhookRequest signed(ObjectNode message) {
        return signer().sign(WebhookMessage.body(message.toString()).build());
    }

    static WebhookRequest withBody(WebhookRequest request, byte[] body) {
        return request.toBuilder().body(body).build();
    }

    static Reason refusal(Scheme scheme, WebhookRequest request) {
        return catchThrowableOfType(WebhookVerificationException.class, () -> verifier(scheme)
                        .verify(request))
                .reason();
    }

    static String text(WebhookRequest request) {
        return new String(request.bodyBytes(), StandardCharsets.UTF_8);
    }

    // The published vector

    static WebhookRequest awsSample(String certificateUrl) throws IOException {
        try (InputStream in = SnsSchemeTest.class.getResourceAsStream("/vectors/aws-sns/sample-message.json")) {
            ObjectNode sample = (ObjectNode) Handshakes.MAPPER.readTree(in);
            sample.put("SigningCertURL", certificateUrl); // not signed: served here instead of by AWS
            return WebhookRequest.builder()
                    .header("Content-Type", "text/plain; charset=UTF-8")
                    .body(Handshakes.MAPPER.writeValueAsBytes(sample))
                    .build();
        }
    }

    static X509Certificate awsCertificate() throws IOException, GeneralSecurityException {
        try (InputStream in = SnsSchemeTest.class.getResourceAsStream("/vectors/aws-sns/unit-test-public-cert.pem")) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static WebhookVerifier atSampleClock(Scheme scheme) {
        return WebhookVerifier.builder()
                .scheme(scheme)
                .clock(Clock.fixed(Instant.parse("2015-09-20T01:22:20Z"), ZoneOffset.UTC))
                .build();
    }

    @Test
    void awsSdkSampleMessageVerifiesWithItsCertificateAtItsOwnClock() throws Exception {
        // given: the SDK's 2015 message and certificate (issued by Symantec, so the name check is the SDK's old test's)
        String url = sns.serve("/aws-sample.pem", awsCertificate());
        SnsScheme scheme = scheme(sns)
                .certificateCheck(c -> c.getSubjectX500Principal().getName().contains("CN=sns.amazonaws.com"));

        // when
        VerifiedWebhook webhook = atSampleClock(scheme).verify(awsSample(url));

        // then
        assertThat(webhook.id()).contains("d39649d4-bf5b-5b80-af75-07acb3dd9b4a");
        assertThat(webhook.eventType()).contains("Notification");
        assertThat(webhook.timestamp()).contains(Instant.parse("2015-09-20T01:22:14.001Z"));
        assertThat(webhook.matchedKey()).isEqualTo("SigningCertURL");
    }

    @Test
    void awsSdkSampleMessageWithOneChangedByteIsRefused() throws Exception {
        String url = sns.serve("/aws-sample.pem", awsCertificate());
        SnsScheme scheme = scheme(sns)
                .certificateCheck(c -> c.getSubjectX500Principal().getName().contains("CN=sns.amazonaws.com"));
        WebhookRequest sample = awsSample(url);
        String body = text(sample);

        for (String[] change : new String[][] {
            {"\"boo\"", "\"bop\""},
            {"this is raw", "this is rax"},
            {"14.001Z", "14.002Z"},
            {"just_testing\"", "just_testinh\""}
        }) {
            WebhookRequest changed =
                    withBody(sample, body.replace(change[0], change[1]).getBytes(StandardCharsets.UTF_8));
            assertThat(catchThrowableOfType(WebhookVerificationException.class, () -> atSampleClock(scheme)
                                    .verify(changed))
                            .reason())
                    .as(change[0])
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
        }
    }

    @Test
    void awsSdkSampleCertificateIsRefusedByTheSdksIssuerCheckAndOutsideItsValidity() throws Exception {
        String url = sns.serve("/aws-sample.pem", awsCertificate());

        // the default name check is the current SDK's: a certificate issued by Symantec is not Amazon's
        WebhookVerificationException byName =
                catchThrowableOfType(WebhookVerificationException.class, () -> atSampleClock(scheme(sns))
                        .verify(awsSample(url)));
        // at today's clock the 2015 certificate has expired (the freshness check never runs first)
        WebhookVerificationException expired = catchThrowableOfType(WebhookVerificationException.class, () -> {
            WebhookVerifier.builder()
                    .scheme(scheme(sns).certificateCheck(c -> true))
                    .clock(CLOCK)
                    .ignoreTimestamp()
                    .build()
                    .verify(awsSample(url));
        });

        assertThat(byName.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(byName).hasMessageContaining("subject or issuer");
        assertThat(expired.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(expired).hasMessageContaining("expired at 2016-08-21T23:59:59Z");
    }

    // Generated round trips

    @ParameterizedTest
    @ValueSource(strings = {"1", "2"})
    void signedNotificationVerifiesForBothSignatureVersions(String version) {
        // given
        WebhookRequest request = signed(message(certUrl).put("SignatureVersion", version));

        // when
        VerifiedWebhook webhook = verifier(scheme(sns)).verify(request);

        // then
        assertThat(webhook.eventType()).contains("Notification");
        assertThat(webhook.timestamp()).contains(NOW);
        assertThat(webhook.id()).isPresent();
        assertThat(request.headers().first("x-amz-sns-message-type")).contains("Notification");
        assertThat(text(request)).contains("\"SignatureVersion\":\"" + version + "\"");
    }

    @Test
    void everySingleChangedByteOfTheSignedFieldsOrSignatureIsRefused() {
        WebhookRequest request = signed(message(certUrl));
        byte[] body = request.bodyBytes();
        String text = text(request);
        // every byte but the SigningCertURL's (not signed: the host rules guard it) and the JSON punctuation
        int urlStart = text.indexOf("\"SigningCertURL\"");
        int urlEnd = text.indexOf(',', urlStart);
        int changed = 0;
        WebhookVerifier verifier = verifier(scheme(sns));
        for (int i = 1; i < body.length - 1; i++) {
            if ((i >= urlStart && i <= urlEnd) || "\"\\:,".indexOf(body[i]) >= 0) {
                continue;
            }
            byte[] copy = body.clone();
            copy[i] = (byte) (copy[i] == 'a' ? 'b' : 'a');
            Reason reason = catchThrowableOfType(
                            WebhookVerificationException.class, () -> verifier.verify(withBody(request, copy)))
                    .reason();
            assertThat(reason).as("byte %d", i).isIn(Reason.SIGNATURE_MISMATCH, Reason.MALFORMED_PAYLOAD);
            changed++;
        }
        assertThat(changed).isGreaterThan(400);
    }

    @Test
    void aNotificationWithoutSubjectSignsAndVerifiesWithoutTheSubjectLine() {
        ObjectNode message = message(certUrl);
        message.remove("Subject");

        assertThat(verifier(scheme(sns)).verify(signed(message)).eventType()).contains("Notification");
    }

    @Test
    void addingASubjectAfterSigningIsRefused() {
        ObjectNode message = message(certUrl);
        message.remove("Subject");
        WebhookRequest request = signed(message);
        String body = text(request).replace("\"Type\"", "\"Subject\":\"injected\",\"Type\"");

        assertThat(refusal(scheme(sns), withBody(request, body.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void theMessageIdIsTheDeliveryIdAndTheDedupeKey() {
        WebhookReceiver receiver = WebhookReceiver.builder()
                .name("sns")
                .verifier(verifier(scheme(sns)))
                .build();
        WebhookRequest request = signer().sign(
                        WebhookMessage.body(message(certUrl).toString())
                                .id("msg-1")
                                .build());

        Outcome first = receiver.receive(request);
        try (Delivery delivery = ((Outcome.Accepted) first).delivery()) {
            assertThat(delivery.webhook().id()).contains("msg-1");
            delivery.complete();
        }
        Outcome again = receiver.receive(request);

        assertThat(again).isInstanceOf(Outcome.Duplicate.class);
    }

    // The certificate URL: never requested unless https, an allowed host and a .pem path

    static Stream<Arguments> urlsNeverFetched() {
        return Stream.of(
                Arguments.of("http", "http://127.0.0.1:%d/never.pem"),
                Arguments.of("host not allowed", "https://localhost:%d/never.pem"),
                Arguments.of("not .pem", "https://127.0.0.1:%d/never.pem.txt"),
                Arguments.of("query", "https://127.0.0.1:%d/never.pem?x=1"),
                Arguments.of("user info", "https://user@127.0.0.1:%d/never.pem"),
                Arguments.of("not a URL", "https://127.0.0.1:%d/never .pem"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urlsNeverFetched")
    void aCertificateUrlNotAllowedIsRefusedWithoutARequest(String what, String pattern) {
        int port = Integer.parseInt(sns.url("").replaceAll(".*:", ""));
        String url = String.format(pattern, port);
        sns.serve("/never.pem", VALID);
        WebhookRequest valid = signed(message(certUrl));
        // SigningCertURL is not among the signed fields: anyone can name any URL, which is why the rules come first
        WebhookRequest request =
                withBody(valid, text(valid).replace(certUrl, url).getBytes(StandardCharsets.UTF_8));

        WebhookVerificationException e = catchThrowableOfType(
                WebhookVerificationException.class, () -> verifier(scheme(sns)).verify(request));

        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(e).hasMessageContaining("SigningCertURL");
        assertThat(sns.requests("/never.pem")).isZero();
    }

    @Test
    void theDefaultHostsAreSnsOnlySoLoopbackIsNeverFetchedWithoutConfiguration() {
        sns.serve("/default-hosts.pem", VALID);
        WebhookRequest request = signed(message(sns.url("/default-hosts.pem")));

        assertThat(refusal(Schemes.sns().httpClient(sns.client()), request)).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(sns.requests("/default-hosts.pem")).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sns.us-east-1.amazonaws.com",
                "sns.eu-west-3.amazonaws.com",
                "sns.us-gov-west-1.amazonaws.com",
                "sns.cn-north-1.amazonaws.com.cn"
            })
    void theDefaultHostsAreEverySnsPartition(String host) {
        assertThat(Schemes.sns()
                        .refusal(java.net.URI.create("https://" + host + "/SimpleNotificationService-1.pem"), true))
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sns.us-east-1.amazonaws.com.evil.example",
                "evil.example",
                "sns.amazonaws.com",
                "sqs.us-east-1.amazonaws.com",
                "sns.us-east-1.amazonaws.co",
                "xsns.us-east-1.amazonaws.com",
                "sns..amazonaws.com"
            })
    void theDefaultHostsRefuseLookAlikes(String host) {
        assertThat(Schemes.sns()
                        .refusal(java.net.URI.create("https://" + host + "/SimpleNotificationService-1.pem"), true))
                .isEqualTo("is not on an allowed host");
    }

    // The certificate

    @Test
    void fetchedCertificatesAreCachedByUrlOneFetchForManyMessages() {
        String url = sns.serve("/cached.pem", VALID);
        WebhookVerifier verifier = verifier(scheme(sns));

        for (int i = 0; i < 5; i++) {
            verifier.verify(signed(message(url)));
        }

        assertThat(sns.requests("/cached.pem")).isEqualTo(1);
    }

    @Test
    void theCacheIsBoundedEvictingTheLeastRecentlyUsed() {
        SnsScheme scheme = scheme(sns).certificateCacheSize(2);
        WebhookVerifier verifier = verifier(scheme);
        String a = sns.serve("/lru-a.pem", VALID);
        String b = sns.serve("/lru-b.pem", VALID);
        String c = sns.serve("/lru-c.pem", VALID);

        verifier.verify(signed(message(a)));
        verifier.verify(signed(message(b)));
        verifier.verify(signed(message(c))); // evicts a
        verifier.verify(signed(message(a)));

        assertThat(scheme.cachedCertificates()).isEqualTo(2);
        assertThat(sns.requests("/lru-a.pem")).isEqualTo(2);
        assertThat(sns.requests("/lru-c.pem")).isEqualTo(1);
    }

    @Test
    void aCertificateThatDoesNotAnswerInTimeIs503KeysUnavailable() {
        String url = sns.serve("/slow.pem", VALID);
        sns.delay("/slow.pem", Duration.ofSeconds(3));
        SnsScheme scheme = scheme(sns).certificateTimeout(Duration.ofMillis(300));

        long started = System.nanoTime();
        WebhookVerificationException e = catchThrowableOfType(
                WebhookVerificationException.class, () -> verifier(scheme).verify(signed(message(url))));

        assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
        assertThat(e.reason().httpStatus()).isEqualTo(503);
        assertThat(e.reason().retryable()).isTrue();
        assertThat(e).hasMessageContaining("did not answer within PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 500, 503})
    void aCertificateThatCannotBeHadIs503AndNotCached(int status) {
        String path = "/status-" + status + ".pem";
        String url = sns.serve(path, VALID);
        sns.status(path, status);
        SnsScheme scheme = scheme(sns);

        assertThat(refusal(scheme, signed(message(url)))).isEqualTo(Reason.KEYS_UNAVAILABLE);
        assertThat(refusal(scheme, signed(message(url)))).isEqualTo(Reason.KEYS_UNAVAILABLE);
        assertThat(sns.requests(path)).isEqualTo(2);
    }

    @Test
    void anUnreachableCertificateHostIs503() throws Exception {
        String url;
        try (FakeSns gone = new FakeSns()) {
            url = gone.url("/gone.pem");
        }
        assertThat(refusal(scheme(sns), signed(message(url)))).isEqualTo(Reason.KEYS_UNAVAILABLE);
    }

    static Stream<Arguments> badCertificates() {
        Instant from = NOW.minus(Duration.ofDays(1));
        Instant to = NOW.plus(Duration.ofDays(1));
        return Stream.of(
                Arguments.of(
                        "expired", FakeSns.signing(NOW.minus(Duration.ofDays(30)), NOW.minusSeconds(1)), "expired at"),
                Arguments.of(
                        "not yet valid",
                        FakeSns.signing(NOW.plusSeconds(1), NOW.plus(Duration.ofDays(30))),
                        "is not valid before"),
                Arguments.of(
                        "issuer not Amazon",
                        FakeSns.certificate(
                                FakeSns.SIGNING_KEYS,
                                "CN=sns.amazonaws.com, O=Amazon.com\\, Inc.",
                                FakeSns.SIGNING_KEYS.getPrivate(),
                                "CN=Evil CA, O=Evil Corp",
                                from,
                                to,
                                null,
                                null),
                        "subject or issuer"),
                Arguments.of(
                        "subject not Amazon",
                        FakeSns.certificate(
                                FakeSns.SIGNING_KEYS,
                                "CN=evil.example",
                                FakeSns.SIGNING_KEYS.getPrivate(),
                                "CN=Amazon RSA 2048 M01, O=Amazon",
                                from,
                                to,
                                null,
                                null),
                        "subject or issuer"),
                Arguments.of(
                        "no digitalSignature usage",
                        FakeSns.certificate(
                                FakeSns.SIGNING_KEYS,
                                "CN=sns.amazonaws.com, O=Amazon.com\\, Inc.",
                                FakeSns.SIGNING_KEYS.getPrivate(),
                                "CN=Amazon RSA 2048 M01, O=Amazon",
                                from,
                                to,
                                new KeyUsage(KeyUsage.keyEncipherment),
                                null),
                        "digital signatures"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCertificates")
    void aBadCertificateIs401NamingTheCheck(String what, X509Certificate certificate, String detail) {
        String url = sns.serve("/bad-" + what.replace(' ', '-') + ".pem", certificate);

        WebhookVerificationException e = catchThrowableOfType(
                WebhookVerificationException.class, () -> verifier(scheme(sns)).verify(signed(message(url))));

        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(e).hasMessageContaining(detail);
    }

    @Test
    void aCertificateOfAnotherKeyIs401() {
        X509Certificate other = FakeSns.certificate(
                FakeSns.rsa(),
                "CN=sns.amazonaws.com, O=Amazon.com\\, Inc.",
                FakeSns.SIGNING_KEYS.getPrivate(),
                "CN=Amazon RSA 2048 M01, O=Amazon",
                NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(1)),
                null,
                null);
        String url = sns.serve("/other-key.pem", other);

        WebhookVerificationException e = catchThrowableOfType(
                WebhookVerificationException.class, () -> verifier(scheme(sns)).verify(signed(message(url))));

        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(e).hasMessageContaining("does not verify with its SigningCertURL certificate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", ""})
    void contentThatIsNotACertificateIs401(String content) {
        String url = sns.serve("/junk-" + content.length() + ".pem", content.getBytes(StandardCharsets.US_ASCII));

        assertThat(refusal(scheme(sns), signed(message(url)))).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void anOversizedCertificateIsRefusedAfterTheCapNotReadWhole() {
        String url = sns.serve("/huge.pem", new byte[SnsScheme.MAX_CERTIFICATE_BYTES * 4]);

        WebhookVerificationException e = catchThrowableOfType(
                WebhookVerificationException.class, () -> verifier(scheme(sns)).verify(signed(message(url))));

        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(e).hasMessageContaining("larger than 10240 bytes");
    }

    // The timestamp

    @Test
    void theTimestampIsCheckedAgainstTheVerifiersWindow() {
        ObjectNode old = message(certUrl).put("Timestamp", "2026-03-01T11:54:59.999Z");
        ObjectNode ahead = message(certUrl).put("Timestamp", "2026-03-01T12:05:00.001Z");
        ObjectNode edge = message(certUrl).put("Timestamp", "2026-03-01T11:55:00.000Z");

        assertThat(refusal(
                        scheme(sns),
                        signer().sign(WebhookMessage.body(old.toString()).build())))
                .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        assertThat(refusal(
                        scheme(sns),
                        signer().sign(WebhookMessage.body(ahead.toString()).build())))
                .isEqualTo(Reason.TIMESTAMP_IN_FUTURE);
        assertThat(verifier(scheme(sns))
                        .verify(signer().sign(
                                        WebhookMessage.body(edge.toString()).build()))
                        .timestamp())
                .contains(Instant.parse("2026-03-01T11:55:00Z"));
    }

    // Malformed messages: 400 or 401, never anything else, and nothing fetched

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not JSON", "!{\"Type\":", Reason.MALFORMED_PAYLOAD),
                Arguments.of("empty", "!", Reason.MALFORMED_PAYLOAD),
                Arguments.of("array", "![]", Reason.MALFORMED_PAYLOAD),
                Arguments.of("no Type", "-Type", Reason.MALFORMED_PAYLOAD),
                Arguments.of("unknown Type", "Type=Other", Reason.MALFORMED_PAYLOAD),
                Arguments.of("no Message", "-Message", Reason.MALFORMED_PAYLOAD),
                Arguments.of("no MessageId", "-MessageId", Reason.MALFORMED_PAYLOAD),
                Arguments.of("no TopicArn", "-TopicArn", Reason.MALFORMED_PAYLOAD),
                Arguments.of("no Timestamp", "-Timestamp", Reason.MALFORMED_PAYLOAD),
                Arguments.of("bad Timestamp", "Timestamp=yesterday", Reason.MALFORMED_PAYLOAD),
                Arguments.of("no Signature", "-Signature", Reason.MALFORMED_PAYLOAD),
                Arguments.of("no SignatureVersion", "-SignatureVersion", Reason.MALFORMED_PAYLOAD),
                Arguments.of("SignatureVersion 3", "SignatureVersion=3", Reason.MALFORMED_PAYLOAD),
                Arguments.of("no SigningCertURL", "-SigningCertURL", Reason.MALFORMED_PAYLOAD),
                Arguments.of("Message a number", "#Message", Reason.MALFORMED_PAYLOAD),
                Arguments.of("Subject an object", "{Subject", Reason.MALFORMED_PAYLOAD),
                Arguments.of("garbage base64", "Signature=!!not*base64!!", Reason.SIGNATURE_MISMATCH),
                Arguments.of("empty Signature", "Signature=", Reason.SIGNATURE_MISMATCH),
                Arguments.of("short Signature", "Signature=AAAA", Reason.SIGNATURE_MISMATCH),
                Arguments.of("confirmation without Token", "Type=SubscriptionConfirmation", Reason.MALFORMED_PAYLOAD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedMessageIsRefusedWithItsReason(String what, String change, Reason expected) {
        String url = sns.serve("/malformed.pem", VALID);
        WebhookRequest request = signed(message(url));
        ObjectNode body;
        try {
            body = (ObjectNode) Handshakes.MAPPER.readTree(request.bodyBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String text;
        if (change.startsWith("!")) {
            text = change.substring(1);
        } else if (change.startsWith("-")) {
            body.remove(change.substring(1));
            text = body.toString();
        } else if (change.startsWith("#")) {
            body.put(change.substring(1), 42);
            text = body.toString();
        } else if (change.startsWith("{")) {
            body.putObject(change.substring(1)).put("a", 1);
            text = body.toString();
        } else {
            String[] kv = change.split("=", 2);
            body.put(kv[0], kv[1]);
            text = body.toString();
        }

        assertThat(refusal(scheme(sns), withBody(request, text.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(expected);
    }

    @Test
    void randomlyMutatedMessagesAreRefusedWithATypedReasonNeverAnotherException() {
        String url = sns.serve("/fuzz.pem", VALID);
        WebhookVerifier verifier = verifier(scheme(sns).certificateHosts("127\\.0\\.0\\.1"));
        byte[] body = signed(message(url)).bodyBytes();
        verifier.verify(signed(message(url)));
        Random random = new Random(20260301L);
        for (int round = 0; round < 400; round++) {
            byte[] copy = body.clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
            }
            WebhookRequest request = WebhookRequest.builder().body(copy).build();
            try {
                verifier.verify(request);
            } catch (WebhookVerificationException e) {
                assertThat(e.reason().httpStatus()).as("round %d", round).isIn(400, 401, 403, 503);
            }
        }
    }

    // Topics and confirmations

    @Test
    void aMessageOfAnotherTopicIs403BeforeItsCertificateIsFetched() {
        String url = sns.serve("/topic.pem", VALID);
        SnsScheme scheme = scheme(sns).topics(TOPIC);
        WebhookRequest other = signed(message(url).put("TopicArn", "arn:aws:sns:us-east-1:123456789012:someone-elses"));

        assertThat(refusal(scheme, other)).isEqualTo(Reason.SOURCE_NOT_ALLOWED);
        assertThat(sns.requests("/topic.pem")).isZero();
        assertThat(verifier(scheme).verify(signed(message(url))).eventType()).contains("Notification");
    }

    static ObjectNode confirmation(String type, String subscribeUrl) {
        ObjectNode message = Handshakes.MAPPER
                .createObjectNode()
                .put("Type", type)
                .put("TopicArn", TOPIC)
                .put("Message", "You have chosen to subscribe to the topic " + TOPIC)
                .put("Token", "2336412f37fb687f5d51e6e2425dacbba")
                .put("SubscribeURL", subscribeUrl)
                .put("SigningCertURL", certUrl);
        return message;
    }

    static WebhookReceiver receiver(SnsScheme scheme) {
        return WebhookReceiver.builder().name("sns").verifier(verifier(scheme)).build();
    }

    @Test
    void byDefaultASubscriptionConfirmationGoesToTheHandlerAndNothingIsVisited() {
        String subscribe = sns.url("/confirm-handler?Action=ConfirmSubscription&Token=1");
        WebhookRequest request = signed(confirmation("SubscriptionConfirmation", subscribe));

        Outcome outcome = receiver(scheme(sns)).receive(request);

        assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        VerifiedWebhook webhook = ((Outcome.Accepted) outcome).delivery().webhook();
        assertThat(webhook.eventType()).contains("SubscriptionConfirmation");
        assertThat(webhook.json().path("SubscribeURL").asText()).isEqualTo(subscribe);
        assertThat(sns.requests("/confirm-handler")).isZero();
    }

    @Test
    void autoConfirmVisitsTheSubscribeUrlOnceVerifiedAndAnswers200() {
        String subscribe = sns.url("/confirm-auto?Action=ConfirmSubscription&Token=2");
        sns.serve("/confirm-auto", "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8));
        WebhookRequest request = signed(confirmation("SubscriptionConfirmation", subscribe));

        Outcome outcome = receiver(scheme(sns).topics(TOPIC).autoConfirm()).receive(request);

        assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
        assertThat(outcome.answer().status()).isEqualTo(200);
        assertThat(sns.requests()).contains("/confirm-auto?Action=ConfirmSubscription&Token=2");
    }

    @Test
    void autoConfirmNeverVisitsTheSubscribeUrlOfAMessageThatDoesNotVerify() {
        String subscribe = sns.url("/confirm-forged?Action=ConfirmSubscription&Token=3");
        sns.serve("/confirm-forged", new byte[0]);
        WebhookRequest request = signed(confirmation("SubscriptionConfirmation", subscribe));
        WebhookRequest forged =
                withBody(request, text(request).replace("2336412f", "2336412e").getBytes(StandardCharsets.UTF_8));

        Outcome outcome = receiver(scheme(sns).autoConfirm()).receive(forged);

        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(sns.requests("/confirm-forged")).isZero();
    }

    @Test
    void autoConfirmRefusesAConfirmationOfAnotherTopicWithoutVisitingIt() {
        String subscribe = sns.url("/confirm-other?Action=ConfirmSubscription&Token=4");
        WebhookRequest request = signed(confirmation("SubscriptionConfirmation", subscribe)
                .put("TopicArn", "arn:aws:sns:us-east-1:123456789012:not-mine"));

        Outcome outcome = receiver(scheme(sns).topics(TOPIC).autoConfirm()).receive(request);

        assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.SOURCE_NOT_ALLOWED);
        assertThat(outcome.answer().status()).isEqualTo(403);
        assertThat(sns.requests("/confirm-other")).isZero();
    }

    @Test
    void autoConfirmNeverVisitsASubscribeUrlOnAHostNotAllowed() {
        String subscribe = sns.url("/confirm-elsewhere?Token=5").replace("127.0.0.1", "localhost");
        WebhookRequest request = signed(confirmation("SubscriptionConfirmation", subscribe));

        Outcome outcome = receiver(scheme(sns).autoConfirm()).receive(request);

        assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
        assertThat(sns.requests("/confirm-elsewhere")).isZero();
    }

    @Test
    void aConfirmationThatSnsRefusesOrThatTimesOutIsAnswered500SoSnsDeliversItAgain() {
        sns.serve("/confirm-refused", new byte[0]);
        sns.status("/confirm-refused", 403);
        sns.serve("/confirm-slow", new byte[0]);
        sns.delay("/confirm-slow", Duration.ofSeconds(3));
        SnsScheme scheme = scheme(sns).autoConfirm().certificateTimeout(Duration.ofMillis(500));
        receiver(scheme).receive(signed(message(certUrl))).answer(); // the certificate is cached before the timing

        Outcome refused = receiver(scheme)
                .receive(signed(confirmation("SubscriptionConfirmation", sns.url("/confirm-refused?Token=6"))));
        Outcome slow = receiver(scheme)
                .receive(signed(confirmation("SubscriptionConfirmation", sns.url("/confirm-slow?Token=7"))));

        assertThat(((Outcome.Rejected) refused).reason()).isEqualTo(Reason.HANDLER_FAILED);
        assertThat(((Outcome.Rejected) refused).detail()).contains("HTTP 403");
        assertThat(refused.answer().status()).isEqualTo(500);
        assertThat(((Outcome.Rejected) slow).reason()).isEqualTo(Reason.HANDLER_FAILED);
        assertThat(((Outcome.Rejected) slow).detail()).contains("did not answer within PT0.5S");
    }

    @Test
    void autoConfirmAcknowledgesAnUnsubscribeConfirmationWithoutVisitingAnything() {
        String subscribe = sns.url("/resubscribe?Action=ConfirmSubscription&Token=8");
        WebhookRequest request = signed(confirmation("UnsubscribeConfirmation", subscribe));

        Outcome outcome = receiver(scheme(sns).autoConfirm()).receive(request);

        assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
        assertThat(outcome.answer().status()).isEqualTo(200);
        assertThat(sns.requests("/resubscribe")).isZero();
    }

    @Test
    void aConfirmationSignsTheSubscribeUrlAndToken() {
        WebhookRequest request = signed(confirmation("SubscriptionConfirmation", sns.url("/confirm-x?Token=9")));
        String body = text(request);

        assertThat(verifier(scheme(sns)).verify(request).eventType()).contains("SubscriptionConfirmation");
        assertThat(refusal(
                        scheme(sns),
                        withBody(request, body.replace("Token=9", "Token=8").getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(refusal(
                        scheme(sns),
                        withBody(request, body.replace("2336412f", "2336412e").getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    // Configuration

    @Test
    void theSchemeTakesNoKeysAndItsOptionsEchoBadValues() {
        assertThatThrownBy(() -> WebhookVerifier.builder()
                        .scheme(Schemes.sns())
                        .secret("some-secret-value")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes no keys");
        assertThatThrownBy(() -> Schemes.sns().topics("orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was orders");
        assertThatThrownBy(() -> Schemes.sns().topics()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schemes.sns().certificateHosts("("))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(");
        assertThatThrownBy(() -> Schemes.sns().certificateTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> Schemes.sns().certificateCacheSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was 0");
        assertThat(Schemes.sns().certificateCacheSize(3)).isNotSameAs(Schemes.sns());
    }

    @Test
    void signingWithoutACertificateUrlSaysWhatIsMissing() {
        ObjectNode message = message(certUrl);
        message.remove("SigningCertURL");

        assertThatThrownBy(() -> signed(message))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SigningCertURL");
    }
}
