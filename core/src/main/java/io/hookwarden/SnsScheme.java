package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * AWS SNS over HTTP(S): the body is the SNS message, a JSON object whose {@code Signature} is the base64 RSA signature
 * ({@code SignatureVersion} {@code 1}: SHA1withRSA, {@code 2}: SHA256withRSA) of its fields, named and in the order
 * AWS documents ("Verifying the signatures of Amazon SNS messages"): {@code Message}, {@code MessageId}, {@code
 * Subject} (when present), {@code Timestamp}, {@code TopicArn}, {@code Type} for a notification; {@code Message},
 * {@code MessageId}, {@code SubscribeURL}, {@code Timestamp}, {@code Token}, {@code TopicArn}, {@code Type} for a
 * subscription or unsubscribe confirmation. Each line is the name, a newline, the value, a newline.
 *
 * <p>The key is not configured: it is the certificate at the message's {@code SigningCertURL}, which is fetched only
 * over https, only from an allowed host (by default the SNS hosts {@code sns.<region>.amazonaws.com} and {@code
 * sns.<region>.amazonaws.com.cn}, as AWS's SDKs allow) and only for a path ending {@code .pem}; any other URL is
 * refused without a request. The fetch's TLS is checked against the JDK trust store (or the {@link
 * #httpClient(HttpClient) client} given), which is how the SDKs trust the certificate: they check no chain of the
 * signing certificate itself. The certificate is then checked as AWS's Java SDK does: within its validity at the
 * verifier's clock, its subject and issuer naming Amazon ({@link #certificateCheck(Predicate)} replaces this), a
 * {@code digitalSignature} key usage where it has one, and an RSA key. Fetched certificates are cached by URL
 * ({@link #certificateCacheSize(int)}); a fetch that fails or times out ({@link #certificateTimeout(Duration)}) is
 * {@link Reason#KEYS_UNAVAILABLE} (503, so SNS retries), a bad certificate or signature {@link
 * Reason#SIGNATURE_MISMATCH} (401). A body that is not an SNS message is {@link Reason#MALFORMED_PAYLOAD} (400).
 *
 * <p>The delivery id, and so the dedupe key, is {@code MessageId} (SNS keeps it across retries); the event type is
 * {@code Type} ({@code Notification}, {@code SubscriptionConfirmation}, {@code UnsubscribeConfirmation}), not the
 * free-text, optional {@code Subject}; the timestamp is {@code Timestamp}, checked against the verifier's window (SNS
 * keeps the first attempt's time on retries: widen the tolerance to a custom delivery policy's retry span).
 *
 * <p>Confirmations: by default a verified {@code SubscriptionConfirmation} or {@code UnsubscribeConfirmation} goes to
 * the handler like a notification, which confirms by visiting {@code SubscribeURL} or not. With {@link #autoConfirm()}
 * the scheme answers it: it visits {@code SubscribeURL} of a subscription confirmation (only after the signature
 * verified, only over https to an allowed host, within the timeout) and acknowledges an unsubscribe confirmation
 * without visiting anything (visiting it would subscribe again). {@link #topics(String...)} refuses messages of any
 * other topic, confirmations included, with {@link Reason#SOURCE_NOT_ALLOWED} (403), before fetching anything.
 *
 * <p>Signing (the test kit): the key is an RSA private key, base64 of its PKCS#8 DER form, PEM armour optional; the
 * body must carry {@code TopicArn}, {@code Message} and a {@code SigningCertURL} where the test serves the matching
 * certificate. Immutable and thread-safe; each configuring method returns a new scheme with its own cache.
 */
public final class SnsScheme extends Scheme {
    /** The default bound on a certificate fetch or a subscription confirmation ({@link #certificateTimeout}). */
    public static final Duration DEFAULT_CERTIFICATE_TIMEOUT = Duration.ofSeconds(5);
    /** The default number of certificates cached (SNS signs with one certificate per region at a time). */
    public static final int DEFAULT_CERTIFICATE_CACHE_SIZE = 64;
    /** The largest certificate read, as AWS's Java SDK: 10 KiB. */
    static final int MAX_CERTIFICATE_BYTES = 10 * 1024;

    /** The SNS hosts of every partition, as AWS's SDKs match them. */
    private static final List<Pattern> SNS_HOSTS = List.of(
            Pattern.compile("sns\\.[a-z0-9][a-z0-9-]*[a-z0-9]\\.amazonaws\\.com"),
            Pattern.compile("sns\\.[a-z0-9][a-z0-9-]*[a-z0-9]\\.amazonaws\\.com\\.cn"));

    static final String NOTIFICATION = "Notification";
    static final String SUBSCRIPTION = "SubscriptionConfirmation";
    static final String UNSUBSCRIBE = "UnsubscribeConfirmation";
    /** The signed fields, in the documented order, per type. */
    private static final List<String> NOTIFICATION_FIELDS =
            List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");

    private static final List<String> CONFIRMATION_FIELDS =
            List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
    private static final DateTimeFormatter SNS_TIME = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Set<String> topics;
    private final List<Pattern> hosts;
    private final Duration timeout;
    private final int cacheSize;
    private final HttpClient client;
    private final boolean autoConfirm;
    private final Predicate<X509Certificate> certificateCheck;
    private final Map<String, X509Certificate> cache;
    private volatile HttpClient defaultClient;

    SnsScheme() {
        this(Set.of(), SNS_HOSTS, DEFAULT_CERTIFICATE_TIMEOUT, DEFAULT_CERTIFICATE_CACHE_SIZE, null, false, null);
    }

    private SnsScheme(
            Set<String> topics,
            List<Pattern> hosts,
            Duration timeout,
            int cacheSize,
            HttpClient client,
            boolean autoConfirm,
            Predicate<X509Certificate> certificateCheck) {
        this.topics = topics;
        this.hosts = hosts;
        this.timeout = timeout;
        this.cacheSize = cacheSize;
        this.client = client;
        this.autoConfirm = autoConfirm;
        this.certificateCheck = certificateCheck;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, X509Certificate> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /**
     * Only messages of these topics are accepted (confirmations included); any other is refused with {@link
     * Reason#SOURCE_NOT_ALLOWED} before its certificate is fetched. Default: every topic.
     *
     * @param topicArns one or more topic ARNs, such as {@code arn:aws:sns:us-east-1:123456789012:orders}
     * @return a scheme that accepts only these topics
     * @throws IllegalArgumentException if none is given, or one is blank or not an SNS topic ARN
     */
    public SnsScheme topics(String... topicArns) {
        Objects.requireNonNull(topicArns, "topicArns cannot be null");
        if (topicArns.length == 0) {
            throw new IllegalArgumentException("topics needs at least one topic ARN");
        }
        for (String arn : topicArns) {
            Objects.requireNonNull(arn, "topic ARN cannot be null");
            if (!arn.startsWith("arn:") || !arn.contains(":sns:")) {
                throw new IllegalArgumentException("topic must be an SNS topic ARN (arn:aws:sns:...) but was " + arn);
            }
        }
        return new SnsScheme(Set.of(topicArns), hosts, timeout, cacheSize, client, autoConfirm, certificateCheck);
    }

    /**
     * Replaces the hosts a {@code SigningCertURL} (and, with {@link #autoConfirm()}, a {@code SubscribeURL}) may name:
     * each a regular expression matched against the whole host in lower case. The default is the SNS hosts of every
     * partition; tests that serve certificates on loopback give {@code "127\\.0\\.0\\.1"}. The URL must still be https
     * with a path ending {@code .pem}.
     *
     * @param hostPatterns one or more regular expressions
     * @return a scheme that fetches only from these hosts
     * @throws IllegalArgumentException if none is given or one is not a regular expression
     */
    public SnsScheme certificateHosts(String... hostPatterns) {
        Objects.requireNonNull(hostPatterns, "hostPatterns cannot be null");
        if (hostPatterns.length == 0) {
            throw new IllegalArgumentException("certificateHosts needs at least one host pattern");
        }
        List<Pattern> compiled = new ArrayList<>();
        for (String host : hostPatterns) {
            Objects.requireNonNull(host, "host pattern cannot be null");
            try {
                compiled.add(Pattern.compile(host));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("host pattern is not a regular expression: " + host, e);
            }
        }
        return new SnsScheme(topics, List.copyOf(compiled), timeout, cacheSize, client, autoConfirm, certificateCheck);
    }

    /**
     * The bound on fetching a certificate and on visiting a {@code SubscribeURL}: on the wait for the answer's status
     * (connection included), and again on reading its body, so a request takes at most twice this. Default 5 seconds.
     *
     * @param timeout a positive duration
     * @return a scheme with this bound
     */
    public SnsScheme certificateTimeout(Duration timeout) {
        return new SnsScheme(
                topics,
                hosts,
                BuilderOptions.positive(timeout, "certificateTimeout"),
                cacheSize,
                client,
                autoConfirm,
                certificateCheck);
    }

    /**
     * How many fetched certificates are kept, by URL, least recently used evicted first. Default 64.
     *
     * @param entries at least 1
     * @return a scheme with this cache bound
     */
    public SnsScheme certificateCacheSize(int entries) {
        if (entries < 1) {
            throw new IllegalArgumentException("certificateCacheSize must be at least 1 but was " + entries);
        }
        return new SnsScheme(topics, hosts, timeout, entries, client, autoConfirm, certificateCheck);
    }

    /**
     * The HTTP client that fetches certificates and confirms subscriptions: for a proxy, or for tests, whose client
     * trusts a loopback server's certificate. Default: a client with the JDK trust store that follows no redirect.
     *
     * @param client the client; its redirect policy should be {@code NEVER}
     * @return a scheme that fetches with this client
     */
    public SnsScheme httpClient(HttpClient client) {
        Objects.requireNonNull(client, "client cannot be null");
        return new SnsScheme(topics, hosts, timeout, cacheSize, client, autoConfirm, certificateCheck);
    }

    /**
     * Replaces the check of the signing certificate's names (by default, as AWS's Java SDK: the issuer and the subject
     * name Amazon or AWS). Validity, key usage and the RSA key are checked whatever this says.
     *
     * @param check true for a certificate to accept
     * @return a scheme with this check
     */
    public SnsScheme certificateCheck(Predicate<X509Certificate> check) {
        Objects.requireNonNull(check, "check cannot be null");
        return new SnsScheme(topics, hosts, timeout, cacheSize, client, autoConfirm, check);
    }

    /**
     * Answers confirmations itself: a verified {@code SubscriptionConfirmation} is confirmed by visiting its {@code
     * SubscribeURL} (https, an allowed host, within the timeout), then answered 200; a failed visit is answered 500 so
     * SNS delivers it again. A verified {@code UnsubscribeConfirmation} is answered 200 and nothing is visited. Neither
     * reaches the handler. Combine with {@link #topics(String...)} to confirm only your topics.
     *
     * @return a scheme that confirms subscriptions
     */
    public SnsScheme autoConfirm() {
        return new SnsScheme(topics, hosts, timeout, cacheSize, client, true, certificateCheck);
    }

    @Override
    public String id() {
        return "sns";
    }

    @Override
    KeyMaterial implicitKey(java.time.Clock clock) {
        return new KeyMaterial.MessageCertificate("SigningCertURL", clock);
    }

    @Override
    KeyMaterial verificationKey(String label, String secret) {
        throw new IllegalArgumentException("scheme sns takes no keys: each message names its certificate in"
                + " SigningCertURL; configure the verifier without keys");
    }

    @Override
    KeyMaterial signingKey(String label, String secret) {
        String text = secret.strip();
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        if (text.startsWith(begin) && text.endsWith(end)) {
            text = text.substring(begin.length(), text.length() - end.length()).replaceAll("\\s", "");
        }
        byte[] der = secretBytes(label, text, SecretEncoding.BASE64, 64);
        try {
            return new KeyMaterial.RsaPrivate(label, der);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret " + label + " for scheme sns " + e.getMessage());
        }
    }

    @Override
    PayloadFormat defaultFormat() {
        return PayloadFormat.JSON;
    }

    @Override
    String idPointer() {
        return "/MessageId";
    }

    @Override
    List<String> eventTypePointers() {
        return List.of("/Type");
    }

    @Override
    String mismatchDetail(Parsed parsed, int keys) {
        return "the Signature of SNS message " + parsed.id + " does not verify with its SigningCertURL certificate";
    }

    /** An SNS message as read from the body: the fields that matter, checked for presence and shape. */
    record Message(
            String type,
            String messageId,
            String topicArn,
            String timestampText,
            Instant timestamp,
            String signatureVersion,
            String signature,
            URI certificateUrl,
            String subscribeUrl,
            byte[] signedContent) {}

    /**
     * Reads the message.
     *
     * @throws WebhookVerificationException MALFORMED_PAYLOAD for a body that is not an SNS message
     */
    static Message read(byte[] body) {
        JsonNode root = BoundedJson.parse(body);
        if (root == null || !root.isObject()) {
            throw malformed("the body is not a JSON object");
        }
        String type = field(root, "Type", true);
        List<String> signed =
                switch (type) {
                    case NOTIFICATION -> NOTIFICATION_FIELDS;
                    case SUBSCRIPTION, UNSUBSCRIBE -> CONFIRMATION_FIELDS;
                    default -> throw malformed("Type " + abbreviate(type)
                            + " is none of Notification, SubscriptionConfirmation, UnsubscribeConfirmation");
                };
        StringBuilder content = new StringBuilder(256);
        for (String name : signed) {
            String value = field(root, name, !"Subject".equals(name));
            if (value != null) {
                content.append(name).append('\n').append(value).append('\n');
            }
        }
        String timestampText = field(root, "Timestamp", true);
        Instant timestamp;
        try {
            timestamp = Instant.parse(timestampText);
        } catch (DateTimeParseException e) {
            throw malformed("Timestamp is not an ISO-8601 instant");
        }
        String version = field(root, "SignatureVersion", true);
        if (!"1".equals(version) && !"2".equals(version)) {
            throw malformed("SignatureVersion " + abbreviate(version) + " is neither 1 nor 2");
        }
        String certificateUrl = field(root, "SigningCertURL", true);
        URI uri;
        try {
            uri = new URI(certificateUrl);
        } catch (URISyntaxException e) {
            throw new WebhookVerificationException(Reason.SIGNATURE_MISMATCH, "SigningCertURL is not a URL");
        }
        return new Message(
                type,
                field(root, "MessageId", true),
                field(root, "TopicArn", true),
                timestampText,
                timestamp,
                version,
                field(root, "Signature", true),
                uri,
                type.equals(NOTIFICATION) ? null : field(root, "SubscribeURL", true),
                content.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A string field, or null for an absent or null optional one. */
    private static String field(JsonNode root, String name, boolean required) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw malformed("the SNS message has no " + name);
            }
            return null;
        }
        if (!node.isTextual()) {
            throw malformed(name + " is not a string");
        }
        return node.textValue();
    }

    private static WebhookVerificationException malformed(String detail) {
        return new WebhookVerificationException(Reason.MALFORMED_PAYLOAD, "scheme sns: " + detail);
    }

    private static String abbreviate(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return "\"" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }

    @Override
    Parsed parse(WebhookRequest request) {
        Message message = read(request.bodyBytes());
        if (!topics.isEmpty() && !topics.contains(message.topicArn())) {
            throw new WebhookVerificationException(
                    Reason.SOURCE_NOT_ALLOWED,
                    "SNS topic " + abbreviate(message.topicArn()) + " is not one of the endpoint's topics");
        }
        String refusal = refusal(message.certificateUrl(), true);
        if (refusal != null) {
            throw new WebhookVerificationException(Reason.SIGNATURE_MISMATCH, "SigningCertURL " + refusal);
        }
        return new Parsed(
                "Signature",
                message.messageId(),
                message.timestampText(),
                message.timestamp(),
                message.type(),
                List.of(new OfferedSignature(
                        message.signatureVersion(),
                        message.signature(),
                        0,
                        message.signature().length())));
    }

    /** Why a URL may not be requested, or null when it may: https, an allowed host, no user info. */
    String refusal(URI uri, boolean certificate) {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return "is not https";
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return "carries user info or a fragment";
        }
        String host = uri.getHost();
        if (host == null || !allowedHost(host.toLowerCase(Locale.ROOT))) {
            return "is not on an allowed host";
        }
        if (certificate
                && (uri.getRawQuery() != null
                        || uri.getPath() == null
                        || !uri.getPath().endsWith(".pem"))) {
            return "is not a .pem path";
        }
        return null;
    }

    private boolean allowedHost(String host) {
        for (Pattern pattern : hosts) {
            if (pattern.matcher(host).matches()) {
                return true;
            }
        }
        return false;
    }

    @Override
    boolean matches(KeyMaterial key, Parsed parsed, WebhookRequest request) {
        Message message = read(request.bodyBytes());
        byte[] signature = Codec.decodeBase64Strict(message.signature());
        if (signature == null) {
            throw new WebhookVerificationException(Reason.SIGNATURE_MISMATCH, "the Signature is not base64");
        }
        X509Certificate certificate = certificate(message.certificateUrl());
        check(certificate, ((KeyMaterial.MessageCertificate) key).clock.instant());
        try {
            Signature verifier = Signature.getInstance(algorithm(message.signatureVersion()));
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(message.signedContent());
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a signature of the wrong length or shape is a mismatch, not an error
        }
    }

    private static String algorithm(String version) {
        return "1".equals(version) ? "SHA1withRSA" : "SHA256withRSA";
    }

    /**
     * Checks the certificate at {@code now}: within its validity, named as SNS's, usable to sign, an RSA key.
     *
     * @throws WebhookVerificationException SIGNATURE_MISMATCH naming the failed check
     */
    private void check(X509Certificate certificate, Instant now) {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw badCertificate("expired at " + certificate.getNotAfter().toInstant() + ", now " + now);
        } catch (CertificateNotYetValidException e) {
            throw badCertificate(
                    "is not valid before " + certificate.getNotBefore().toInstant() + ", now " + now);
        }
        if (certificateCheck != null ? !certificateCheck.test(certificate) : !namedAsAmazon(certificate)) {
            throw badCertificate("is not an SNS signing certificate by its subject or issuer");
        }
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && (usage.length == 0 || !usage[0])) {
            throw badCertificate("does not allow digital signatures");
        }
        if (!(certificate.getPublicKey() instanceof RSAPublicKey)) {
            throw badCertificate("does not hold an RSA key");
        }
    }

    /** AWS's Java SDK: the issuer names Amazon (or sns.amazonaws.com), the subject Amazon or AWS. */
    private static boolean namedAsAmazon(X509Certificate certificate) {
        String issuer = certificate.getIssuerX500Principal().getName().toLowerCase(Locale.ROOT);
        String subject = certificate.getSubjectX500Principal().getName().toLowerCase(Locale.ROOT);
        boolean issuerOk = issuer.contains("cn=sns.amazonaws.com")
                || issuer.contains("cn=amazon")
                || issuer.contains("o=amazon")
                || (issuer.contains("amazonaws.com") && issuer.contains("amazon"));
        boolean subjectOk = subject.contains("amazon") || subject.contains("aws");
        return issuerOk && subjectOk;
    }

    private static WebhookVerificationException badCertificate(String problem) {
        return new WebhookVerificationException(Reason.SIGNATURE_MISMATCH, "the SigningCertURL certificate " + problem);
    }

    /** The certificate at {@code url}, from the cache or fetched. */
    private X509Certificate certificate(URI url) {
        String key = url.toString();
        synchronized (cache) {
            X509Certificate cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        byte[] bytes = fetch(url);
        X509Certificate certificate;
        try {
            certificate = (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(bytes));
        } catch (CertificateException | ClassCastException e) {
            throw badCertificate("is not an X.509 certificate");
        }
        synchronized (cache) {
            cache.put(key, certificate);
        }
        return certificate;
    }

    /** How many certificates are cached now: for tests. */
    int cachedCertificates() {
        synchronized (cache) {
            return cache.size();
        }
    }

    /**
     * GETs {@code url} within the timeout, reading at most {@link #MAX_CERTIFICATE_BYTES}.
     *
     * @throws WebhookVerificationException KEYS_UNAVAILABLE when it cannot be had
     */
    private byte[] fetch(URI url) {
        try {
            HttpResponse<InputStream> response = get(url);
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw unavailable("answered HTTP " + response.statusCode());
                }
                byte[] bytes = in.readNBytes(MAX_CERTIFICATE_BYTES + 1);
                if (bytes.length > MAX_CERTIFICATE_BYTES) {
                    throw badCertificate("is larger than " + MAX_CERTIFICATE_BYTES + " bytes");
                }
                return bytes;
            }
        } catch (IOException e) {
            throw unavailable("could not be read: " + e.getClass().getSimpleName());
        }
    }

    /**
     * GETs {@code url}, bounded by the timeout from the start to the headers; the body that follows is read by the
     * caller, and the timeout also closes it (and so ends a read that stalls).
     */
    private HttpResponse<InputStream> get(URI url) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        CompletableFuture<HttpResponse<InputStream>> future =
                client().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            HttpResponse<InputStream> response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .execute(() -> closeQuietly(response.body()));
            return response;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw unavailable("did not answer within " + timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
                throw unavailable("did not answer within " + timeout);
            }
            throw unavailable("could not be fetched: " + e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("fetch was interrupted");
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the read it ends reports the failure
        }
    }

    private static WebhookVerificationException unavailable(String problem) {
        return new WebhookVerificationException(Reason.KEYS_UNAVAILABLE, "the SigningCertURL certificate " + problem);
    }

    private HttpClient client() {
        if (client != null) {
            return client;
        }
        HttpClient local = defaultClient;
        if (local == null) {
            synchronized (this) {
                local = defaultClient;
                if (local == null) {
                    local = HttpClient.newBuilder()
                            .connectTimeout(timeout)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
                    defaultClient = local;
                }
            }
        }
        return local;
    }

    @Override
    HttpAnswer answerAfterVerify(VerifiedWebhook webhook, KeyMaterial matched) {
        if (!autoConfirm) {
            return null;
        }
        Message message = read(webhook.request().bodyBytes());
        if (NOTIFICATION.equals(message.type())) {
            return null;
        }
        if (UNSUBSCRIBE.equals(message.type())) {
            return HttpAnswer.ok(); // AWS: visiting SubscribeURL here would subscribe the endpoint again
        }
        URI subscribe;
        try {
            subscribe = new URI(message.subscribeUrl());
        } catch (URISyntaxException e) {
            throw malformed("SubscribeURL is not a URL");
        }
        String refusal = refusal(subscribe, false);
        if (refusal != null) {
            throw malformed("SubscribeURL " + refusal);
        }
        try {
            HttpResponse<InputStream> response = get(subscribe);
            try (InputStream in = response.body()) {
                in.readNBytes(64 * 1024);
                if (response.statusCode() / 100 != 2) {
                    throw notConfirmed("SNS answered HTTP " + response.statusCode());
                }
            }
        } catch (IOException e) {
            throw notConfirmed("reading SNS's answer failed: " + e.getClass().getSimpleName());
        } catch (WebhookVerificationException e) {
            if (e.reason() == Reason.KEYS_UNAVAILABLE) {
                throw notConfirmed(e.getMessage().replace("the SigningCertURL certificate ", "SubscribeURL "));
            }
            throw e;
        }
        return HttpAnswer.ok();
    }

    private static WebhookVerificationException notConfirmed(String problem) {
        return new WebhookVerificationException(
                Reason.HANDLER_FAILED, "the SNS subscription could not be confirmed: " + problem);
    }

    @Override
    void writeSignedContent(Parsed parsed, WebhookRequest request, ContentTemplate.Sink sink) {
        sink.update(read(request.bodyBytes()).signedContent());
    }

    @Override
    Headers sign(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        throw new IllegalArgumentException("scheme sns signs inside the body: sign the whole request");
    }

    /**
     * The SNS message with its missing fields set ({@code Type} {@code Notification}, {@code MessageId} the message's
     * id or a random UUID, {@code Timestamp} the signing time, {@code SignatureVersion} {@code 2}), then signed; sent
     * as SNS sends it, {@code text/plain} with its {@code x-amz-sns-*} headers.
     */
    @Override
    WebhookRequest signedRequest(KeyMaterial key, WebhookMessage message, Instant timestamp) {
        byte[] body = message.bodyBytes();
        JsonNode root = body.length == 0 ? Handshakes.MAPPER.createObjectNode() : BoundedJson.parse(body);
        if (!(root instanceof ObjectNode object)) {
            throw new IllegalArgumentException("scheme sns sends a JSON object body");
        }
        if (!object.hasNonNull("Type")) {
            object.put("Type", NOTIFICATION);
        }
        if (message.id().isPresent() || !object.hasNonNull("MessageId")) {
            object.put(
                    "MessageId", message.id().orElseGet(() -> UUID.randomUUID().toString()));
        }
        if (message.timestamp().isPresent() || !object.hasNonNull("Timestamp")) {
            object.put("Timestamp", SNS_TIME.format(timestamp));
        }
        if (!object.hasNonNull("SignatureVersion")) {
            object.put("SignatureVersion", "2");
        }
        for (String required : List.of("TopicArn", "Message", "SigningCertURL")) {
            if (!object.hasNonNull(required)) {
                throw new IllegalArgumentException("scheme sns signs a message with " + required + ": give it in the"
                        + " body (SigningCertURL where the test serves the signing certificate)");
            }
        }
        object.put("Signature", "");
        Message read = read(write(object));
        byte[] signature =
                ((KeyMaterial.RsaPrivate) key).sign(algorithm(read.signatureVersion()), read.signedContent());
        object.put("Signature", new String(Codec.base64(signature), StandardCharsets.US_ASCII));
        WebhookRequest.Builder request = WebhookRequest.builder()
                .url(message.url().orElse(null))
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", read.type())
                .header("x-amz-sns-message-id", read.messageId())
                .header("x-amz-sns-topic-arn", read.topicArn())
                .body(write(object));
        return request.build();
    }

    private static byte[] write(ObjectNode object) {
        try {
            return Handshakes.MAPPER.writeValueAsBytes(object);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the JSON body", e);
        }
    }
}
