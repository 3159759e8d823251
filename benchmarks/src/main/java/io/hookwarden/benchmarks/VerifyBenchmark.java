package io.hookwarden.benchmarks;

import io.hookwarden.Keys;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
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
 * Verify throughput of the Standard Webhooks and Stripe schemes beside their floors, in the same run.
 *
 * <p>A floor is the least any verifier of that scheme must do: one pre-initialised JDK {@link Mac} (HmacSHA256, the
 * same key bytes the scheme uses) over exactly the bytes the scheme signs, then {@link MessageDigest#isEqual} against
 * the expected MAC. Read a scheme's score divided by its floor's score at the same body size; the targets are 0.8 at
 * 1 KiB and 0.9 at 64 KiB.
 *
 * <p>One fork with the JVM's default flags (G1 on a server-class machine), one thread: the floor's {@code Mac} is
 * not thread-safe and is only ever used by the single benchmark thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class VerifyBenchmark {
    /** A fixed signing time; the verifiers' clocks stand still at it, so every request stays fresh. */
    private static final Instant SIGNED_AT = Instant.parse("2026-01-15T12:00:00Z");

    private static final String DELIVERY_ID = "msg_2mJ4Cq0Y8tXyQe7VbN3kRf1LpZs";

    @Param({"1024", "65536"})
    public int bodySize;

    private WebhookVerifier standardWebhooksVerifier;
    private WebhookRequest standardWebhooksRequest;
    private WebhookVerifier stripeVerifier;
    private WebhookRequest stripeRequest;

    private byte[] body;

    private Mac standardWebhooksMac;
    /** {@code id.timestamp.} as bytes: what Standard Webhooks signs before the body. */
    private byte[] standardWebhooksPrefix;

    private byte[] standardWebhooksExpected;

    private Mac stripeMac;
    /** {@code t.} as bytes: what Stripe signs before the body. */
    private byte[] stripePrefix;

    private byte[] stripeExpected;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        Random random = new Random(0x5EEDL + bodySize);
        body = new byte[bodySize];
        random.nextBytes(body);

        byte[] standardWebhooksKey = new byte[32];
        random.nextBytes(standardWebhooksKey);
        String standardWebhooksSecret = "whsec_" + Base64.getEncoder().encodeToString(standardWebhooksKey);
        String stripeSecret = "whsec_" + hex(random, 16);
        byte[] stripeKey = stripeSecret.getBytes(StandardCharsets.UTF_8);

        Clock clock = Clock.fixed(SIGNED_AT, ZoneOffset.UTC);
        String timestamp = Long.toString(SIGNED_AT.getEpochSecond());

        standardWebhooksRequest = WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(standardWebhooksSecret)
                .clock(clock)
                .build()
                .sign(WebhookMessage.body(body)
                        .id(DELIVERY_ID)
                        .timestamp(SIGNED_AT)
                        .build());
        standardWebhooksVerifier = WebhookVerifier.builder()
                .scheme(Schemes.standardWebhooks())
                .keys(Keys.of(standardWebhooksSecret))
                .clock(clock)
                .build();

        stripeRequest = WebhookSigner.builder()
                .scheme(Schemes.stripe())
                .secret(stripeSecret)
                .clock(clock)
                .build()
                .sign(WebhookMessage.body(body).timestamp(SIGNED_AT).build());
        stripeVerifier = WebhookVerifier.builder()
                .scheme(Schemes.stripe())
                .keys(Keys.of(stripeSecret))
                .clock(clock)
                .build();

        standardWebhooksMac = hmacSha256(standardWebhooksKey);
        standardWebhooksPrefix = (DELIVERY_ID + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        standardWebhooksExpected = mac(standardWebhooksMac, standardWebhooksPrefix, body);

        stripeMac = hmacSha256(stripeKey);
        stripePrefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
        stripeExpected = mac(stripeMac, stripePrefix, body);

        checkSetUp(timestamp);
    }

    /** The floors must be over the same bytes, with the same keys, as the schemes: checked against what was signed. */
    private void checkSetUp(String timestamp) {
        standardWebhooksVerifier.verify(standardWebhooksRequest);
        stripeVerifier.verify(stripeRequest);
        String signature =
                standardWebhooksRequest.headers().first("webhook-signature").orElseThrow();
        if (!signature.equals("v1," + Base64.getEncoder().encodeToString(standardWebhooksExpected))) {
            throw new IllegalStateException("the Standard Webhooks floor does not compute the scheme's MAC");
        }
        String stripeHeader = stripeRequest.headers().first("Stripe-Signature").orElseThrow();
        if (!stripeHeader.equals("t=" + timestamp + ",v1=" + hexOf(stripeExpected))) {
            throw new IllegalStateException("the Stripe floor does not compute the scheme's MAC");
        }
        if (!floorStandardWebhooks() || !floorStripe()) {
            throw new IllegalStateException("a floor benchmark does not match");
        }
    }

    @Benchmark
    public VerifiedWebhook standardWebhooks() {
        return standardWebhooksVerifier.verify(standardWebhooksRequest);
    }

    @Benchmark
    public boolean floorStandardWebhooks() {
        Mac mac = standardWebhooksMac;
        mac.update(standardWebhooksPrefix);
        mac.update(body);
        return MessageDigest.isEqual(standardWebhooksExpected, mac.doFinal());
    }

    @Benchmark
    public VerifiedWebhook stripe() {
        return stripeVerifier.verify(stripeRequest);
    }

    @Benchmark
    public boolean floorStripe() {
        Mac mac = stripeMac;
        mac.update(stripePrefix);
        mac.update(body);
        return MessageDigest.isEqual(stripeExpected, mac.doFinal());
    }

    private static Mac hmacSha256(byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac;
    }

    private static byte[] mac(Mac mac, byte[] prefix, byte[] body) {
        mac.update(prefix);
        mac.update(body);
        return mac.doFinal();
    }

    private static String hex(Random random, int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return hexOf(raw);
    }

    private static String hexOf(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }
}
