package io.hookwarden.spring;

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
 * A stand-in for SNS on loopback (the core tests' FakeSns, trimmed): over https with a certificate generated for
 * {@code 127.0.0.1}, it serves a signing certificate named as SNS's are and counts every request by path, so a test
 * proves what was fetched and what never was. {@link #client()} trusts this server only.
 */
final class FakeSns implements AutoCloseable {
    /** The RSA key pair behind the signing certificate. */
    static final KeyPair SIGNING_KEYS = rsa();

    private static final AtomicLong SERIAL = new AtomicLong(1);

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpClient client;

    FakeSns() {
        try {
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
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.add(exchange.getRequestURI().toString());
        try (exchange) {
            byte[] body = files.get(exchange.getRequestURI().getRawPath());
            byte[] answer = body == null ? "not found".getBytes(StandardCharsets.US_ASCII) : body;
            exchange.sendResponseHeaders(body == null ? 404 : 200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    /** Serves a signing certificate for {@link #SIGNING_KEYS}, valid from yesterday for a year, at {@code path}. */
    String serveSigningCertificate(String path) {
        return serveSigningCertificate(
                path, "CN=sns.amazonaws.com, O=Amazon.com\\, Inc., C=US", "CN=Amazon RSA 2048 M01, O=Amazon, C=US");
    }

    /** The same, with a subject and an issuer of the test's. */
    String serveSigningCertificate(String path, String subject, String issuer) {
        X509Certificate signing = certificate(
                SIGNING_KEYS,
                subject,
                SIGNING_KEYS.getPrivate(),
                issuer,
                Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)),
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment),
                null);
        try {
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(signing.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            files.put(path, pem.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** How many requests named {@code path}. */
    long requests(String path) {
        return requests.stream().filter(path::equals).count();
    }

    /** A client that trusts this server's certificate (and nothing else). */
    HttpClient client() {
        return client;
    }

    /** The private key as the SNS signer of the test kit takes it: PKCS#8 in PEM armour. */
    static String signingKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(SIGNING_KEYS.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(
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
}
