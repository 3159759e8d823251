package io.hookwarden.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A stand-in for SNS on loopback, over https with a certificate generated for {@code 127.0.0.1}: it serves signing
 * certificates at paths of its own choosing, answers subscription confirmations, and counts every request by path, so
 * a test proves what was fetched and what never was. Certificates and RSA keys are generated here too. Core's SNS
 * tests, and both Spring adapters' SNS property tests, run against it.
 */
public final class FakeSns implements AutoCloseable {
    /** One RSA key pair for every signing certificate: generating one costs far more than a test. */
    public static final KeyPair SIGNING_KEYS = rsa();

    private static final AtomicLong SERIAL = new AtomicLong(1);

    private HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpClient client;

    /** Starts the server on a free loopback port. */
    public FakeSns() {
        try {
            start();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the fake SNS server did not start", e);
        }
    }

    private void start() throws IOException, GeneralSecurityException {
        KeyPair tlsKeys = rsa();
        X509Certificate tls = certificate(
                tlsKeys,
                "CN=127.0.0.1",
                tlsKeys.getPrivate(),
                "CN=127.0.0.1",
                Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(1)),
                null,
                "127.0.0.1");
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("tls", tlsKeys.getPrivate(), password, new Certificate[] {tls});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);

        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("fake-sns", tls);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
        client = HttpClient.newBuilder()
                .sslContext(clientContext)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        server.setExecutor(executor);
        server.createContext("/", this::answer);
        server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        requests.add(exchange.getRequestURI().toString());
        try (exchange) {
            Duration delay = delays.get(path);
            if (delay != null) {
                Thread.sleep(delay.toMillis()); // stands in for a server that does not answer in time
            }
            byte[] body = files.getOrDefault(path, "not found".getBytes(StandardCharsets.US_ASCII));
            int status = statuses.getOrDefault(path, files.containsKey(path) ? 200 : 404);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing to answer
        }
    }

    /** The https URL of {@code path} on this server. */
    /** The https URL of {@code path} on this server. */
    public String url(String path) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Serves {@code certificate} in PEM at {@code path}; returns its URL. */
    public String serve(String path, X509Certificate certificate) {
        return serve(path, pem(certificate).getBytes(StandardCharsets.US_ASCII));
    }

    public String serve(String path, byte[] body) {
        files.put(path, body);
        return url(path);
    }

    /** Answers {@code path} with {@code status} (and whatever body it has). */
    public void status(String path, int status) {
        statuses.put(path, status);
    }

    /** Answers {@code path} only after {@code delay}. */
    public void delay(String path, Duration delay) {
        delays.put(path, delay);
    }

    /** How many requests named {@code path} (with any query). */
    public long requests(String path) {
        return requests.stream()
                .filter(r -> r.equals(path) || r.startsWith(path + "?"))
                .count();
    }

    /** Every request's path and query, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Serves a signing certificate for {@link #SIGNING_KEYS}, valid from yesterday for a year; returns its URL. */
    public String serveSigningCertificate(String path) {
        return serve(
                path,
                signing(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365))));
    }

    /** The same, with a subject and an issuer of the test's (a certificate check that is not SNS's). */
    public String serveSigningCertificate(String path, String subject, String issuer) {
        return serve(
                path,
                certificate(
                        SIGNING_KEYS,
                        subject,
                        SIGNING_KEYS.getPrivate(),
                        issuer,
                        Instant.now().minus(Duration.ofDays(1)),
                        Instant.now().plus(Duration.ofDays(365)),
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment),
                        null));
    }

    /** {@link #SIGNING_KEYS}' private key as the SNS signer of the test kit takes it: PKCS#8 in PEM armour. */
    public static String signingKeyPem() {
        return privateKeyPem(SIGNING_KEYS.getPrivate());
    }

    /** A client that trusts this server's certificate (and nothing else). */
    public HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signing certificate for {@link #SIGNING_KEYS}, named as SNS's are, valid in [from, to]. */
    public static X509Certificate signing(Instant from, Instant to) {
        return certificate(
                SIGNING_KEYS,
                "CN=sns.amazonaws.com, O=Amazon.com\\, Inc., C=US",
                FakeSns.SIGNING_KEYS.getPrivate(),
                "CN=Amazon RSA 2048 M01, O=Amazon, C=US",
                from,
                to,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment),
                null);
    }

    /** A certificate; issued by {@code issuerKey} under the name {@code issuer}. */
    public static X509Certificate certificate(
            KeyPair keys,
            String subject,
            PrivateKey issuerKey,
            String issuer,
            Instant from,
            Instant to,
            KeyUsage usage,
            String ipAddress) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(from),
                    Date.from(to),
                    new X500Name(subject),
                    keys.getPublic());
            if (usage != null) {
                builder.addExtension(Extension.keyUsage, true, usage);
            }
            if (ipAddress != null) {
                builder.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, ipAddress)));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key as the SNS signer takes it: PKCS#8 in PEM armour. */
    public static String privateKeyPem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----";
    }
}
