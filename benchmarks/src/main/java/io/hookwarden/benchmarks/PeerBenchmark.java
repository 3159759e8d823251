package io.hookwarden.benchmarks;

import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hookwarden beside the libraries a Java team would otherwise use, and beside the floor, in one run: Standard Webhooks
 * (Hookwarden, the svix SDK, the standardwebhooks library) and Stripe (Hookwarden, stripe-java's signature check).
 *
 * <ul>
 *   <li>{@code floor*}: one pre-initialised JDK {@link Mac} over exactly the signed bytes, then {@link
 *       MessageDigest#isEqual}: the least any verifier does.
 *   <li>{@code hookwarden*Prebuilt}: {@link WebhookVerifier#verify} of a request built once.
 *   <li>{@code hookwarden*}: building the {@link WebhookRequest} from the header names and values and the body, as an
 *       adapter does for every request, then verifying it. The fair comparison with the peers, which take the headers
 *       and the body as they come.
 *   <li>{@code svix}, {@code standardWebhooks}, {@code stripe}: the peers' own verification of the same delivery,
 *       given the body as a {@code String}, as their APIs take it.
 * </ul>
 *
 * <p>Every verifier checks the timestamp against the system clock, with each library's default window; the deliveries
 * are signed at the start of each fork, which runs well inside five minutes. Read each score divided by its scheme's
 * floor.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar PeerBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PeerBenchmark {
    private static final String DELIVERY_ID = "msg_2mJ4Cq0Y8tXyQe7VbN3kRf1LpZs";

    @Param({"1024", "65536"})
    public int bodySize;

    private byte[] body;
    private String bodyText;

    private WebhookVerifier standardVerifier;
    private WebhookRequest standardRequest;
    /** Header names and values alternating, as a container hands them over: the usual four, then the signed three. */
    private String[] standardRaw;

    private Map<String, List<String>> standardHeaders;
    private com.svix.Webhook svix;
    private com.standardwebhooks.Webhook standardWebhooks;

    private WebhookVerifier stripeVerifier;
    private WebhookRequest stripeRequest;
    private String[] stripeRaw;
    private String stripeSecret;
    private String stripeSignature;

    private Mac standardMac;
    private byte[] standardPrefix;
    private byte[] standardExpected;
    private Mac stripeMac;
    private byte[] stripePrefix;
    private byte[] stripeExpected;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Random random = new Random(0x5EEDL);
        body = new byte[bodySize];
        for (int i = 0; i < bodySize; i++) {
            body[i] = (byte) ('a' + random.nextInt(26)); // text: the peers take the body as a String
        }
        bodyText = new String(body, StandardCharsets.US_ASCII);
        byte[] key = new byte[32];
        random.nextBytes(key);
        String whsec = "whsec_" + Base64.getEncoder().encodeToString(key);
        stripeSecret = whsec; // Stripe uses the whsec_ text's UTF-8 bytes as the key
        Instant now = Instant.now();

        standardVerifier = WebhookVerifier.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(whsec)
                .build();
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(whsec)
                .build()
                .sign(WebhookMessage.body(body).id(DELIVERY_ID).timestamp(now).build());
        standardRaw = raw(signed);
        standardRequest = build(standardRaw, body);
        standardHeaders = signed.headers().toMap();
        svix = new com.svix.Webhook(whsec);
        standardWebhooks = new com.standardwebhooks.Webhook(whsec);

        stripeVerifier = WebhookVerifier.builder()
                .scheme(Schemes.stripe())
                .secret(stripeSecret)
                .build();
        WebhookRequest stripeSigned = WebhookSigner.builder()
                .scheme(Schemes.stripe())
                .secret(stripeSecret)
                .build()
                .sign(WebhookMessage.body(body).timestamp(now).build());
        stripeRaw = raw(stripeSigned);
        stripeRequest = build(stripeRaw, body);
        stripeSignature = stripeSigned.headers().first("Stripe-Signature").orElseThrow();

        String timestamp = Long.toString(now.getEpochSecond());
        standardMac = mac(Base64.getDecoder().decode(whsec.substring("whsec_".length())));
        standardPrefix = (DELIVERY_ID + "." + timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        standardExpected = macOf(standardMac, standardPrefix);
        stripeMac = mac(stripeSecret.getBytes(StandardCharsets.UTF_8));
        stripePrefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        stripeExpected = macOf(stripeMac, stripePrefix);

        // every benchmark must be verifying a valid delivery, or its figure means nothing
        if (!floorStandardWebhooks() || !floorStripe() || !stripe()) {
            throw new IllegalStateException("a floor or stripe-java does not accept the signed delivery");
        }
        hookwardenStandardWebhooks();
        hookwardenStripe();
        svix();
        standardWebhooks();
        String v1 = stripeSignature.substring(stripeSignature.indexOf("v1=") + 3);
        if (!MessageDigest.isEqual(java.util.HexFormat.of().parseHex(v1), stripeExpected)) {
            throw new IllegalStateException("the Stripe floor does not compute the signed MAC");
        }
        String header = standardHeaders.get("webhook-signature").get(0);
        if (!MessageDigest.isEqual(
                Base64.getDecoder().decode(header.substring(header.indexOf(',') + 1)), standardExpected)) {
            throw new IllegalStateException("the Standard Webhooks floor does not compute the signed MAC");
        }
    }

    private static String[] raw(WebhookRequest signed) {
        List<String> raw = new ArrayList<>(List.of(
                "Host", "hooks.example.com",
                "User-Agent", "Peer/1.0",
                "Content-Type", "application/json",
                "Accept-Encoding", "gzip"));
        signed.headers()
                .toMap()
                .forEach((name, values) -> values.forEach(v -> {
                    raw.add(name);
                    raw.add(v);
                }));
        return raw.toArray(String[]::new);
    }

    /** As an adapter builds a request: method, URL, the body read (handed over), each header value. */
    private static WebhookRequest build(String[] raw, byte[] body) {
        WebhookRequest.Builder b = WebhookRequest.builder()
                .method("POST")
                .url("https://hooks.example.com/webhooks")
                .wrapBody(body);
        for (int i = 0; i < raw.length; i += 2) {
            b.header(raw[i], raw[i + 1]);
        }
        return b.build();
    }

    private static Mac mac(byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac;
    }

    private byte[] macOf(Mac mac, byte[] prefix) {
        mac.update(prefix);
        mac.update(body);
        return mac.doFinal();
    }

    @Benchmark
    public boolean floorStandardWebhooks() {
        return MessageDigest.isEqual(macOf(standardMac, standardPrefix), standardExpected);
    }

    @Benchmark
    public VerifiedWebhook hookwardenStandardWebhooksPrebuilt() {
        return standardVerifier.verify(standardRequest);
    }

    @Benchmark
    public VerifiedWebhook hookwardenStandardWebhooks() {
        return standardVerifier.verify(build(standardRaw, body));
    }

    @Benchmark
    public boolean svix() throws Exception {
        svix.verify(bodyText, standardHeaders);
        return true;
    }

    @Benchmark
    public boolean standardWebhooks() throws Exception {
        standardWebhooks.verify(bodyText, standardHeaders);
        return true;
    }

    @Benchmark
    public boolean floorStripe() {
        return MessageDigest.isEqual(macOf(stripeMac, stripePrefix), stripeExpected);
    }

    @Benchmark
    public VerifiedWebhook hookwardenStripePrebuilt() {
        return stripeVerifier.verify(stripeRequest);
    }

    @Benchmark
    public VerifiedWebhook hookwardenStripe() {
        return stripeVerifier.verify(build(stripeRaw, body));
    }

    @Benchmark
    public boolean stripe() throws Exception {
        return com.stripe.net.Webhook.Signature.verifyHeader(bodyText, stripeSignature, stripeSecret, 300);
    }
}
