package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.SchemeCase.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One verifier, many threads: every answer right, every time; and the pool of initialised MACs behind it. */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 400;

    /**
     * A delivery and the answer it must get: the matching key's label, or the refusal reason.
     *
     * @param request the delivery
     * @param expected the label or reason name
     */
    record Expected(WebhookRequest request, String expected) {}

    static Stream<SchemeCase> schemes() {
        return Stream.of(
                SchemeCase.STANDARD_WEBHOOKS,
                SchemeCase.GITHUB,
                SchemeCase.GENERIC_ID_TIMESTAMP_BODY,
                SchemeCase.STRIPE,
                SchemeCase.STANDARD_WEBHOOKS_ED25519);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void oneVerifierGivesTheRightAnswerToEightThreadsEveryTime(SchemeCase c) throws Exception {
        // given: a key set in rotation, and valid, forged and foreign deliveries of many sizes
        Random random = new Random(7);
        Secret newKey = c.sample();
        Secret oldKey = otherKey(c, "old");
        Secret foreignKey = otherKey(c, "foreign");
        WebhookVerifier verifier = c.verifier(Keys.builder()
                .add("new", newKey.verifying())
                .add("old", oldKey.verifying())
                .build());
        List<Expected> deliveries = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] body = new byte[(i * 1637) % 20_000];
            random.nextBytes(body);
            WebhookMessage message = c.message(body, "msg_" + i, "https://hooks.example.com/" + i);
            switch (i % 4) {
                case 0 -> deliveries.add(new Expected(c.signer(newKey.signing()).sign(message), "new"));
                case 1 -> deliveries.add(new Expected(c.signer(oldKey.signing()).sign(message), "old"));
                case 2 -> deliveries.add(new Expected(
                        TestRequests.withBody(
                                c.signer(newKey.signing()).sign(message),
                                ("forged " + i).getBytes(StandardCharsets.UTF_8)),
                        Reason.SIGNATURE_MISMATCH.name()));
                default -> deliveries.add(
                        new Expected(c.signer(foreignKey.signing()).sign(message), Reason.SIGNATURE_MISMATCH.name()));
            }
        }
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        int rounds = c == SchemeCase.STANDARD_WEBHOOKS_ED25519 ? ROUNDS / 8 : ROUNDS; // Ed25519 is slow, and pool-free
        List<Callable<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int offset = t * 7;
            workers.add(() -> {
                start.await();
                for (int r = 0; r < rounds; r++) {
                    Expected e = deliveries.get((offset + r) % deliveries.size());
                    String answer = answer(verifier, e.request());
                    if (!answer.equals(e.expected())) {
                        wrong.add(e.expected() + " answered " + answer);
                    }
                }
                return rounds;
            });
        }

        // when
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        int verified = 0;
        try {
            for (Future<Integer> done : pool.invokeAll(workers)) {
                verified += done.get();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        // then
        assertThat(verified).isEqualTo(THREADS * rounds);
        assertThat(wrong).isEmpty();
    }

    @Test
    void macPoolHandsOutMoreMacsThanItHasSlotsEachComputingTheRightMac() throws Exception {
        // given
        byte[] key = "pool-test-key".getBytes(StandardCharsets.UTF_8);
        byte[] data = "data".getBytes(StandardCharsets.UTF_8);
        byte[] expected = hmacSha256(key, data);
        MacPool pool = new MacPool(HmacAlgorithm.SHA256, key);

        // when
        List<Mac> taken = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            taken.add(pool.take());
        }

        // then
        Set<Mac> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(taken);
        assertThat(distinct).hasSize(100);
        for (Mac mac : taken) {
            assertThat(mac.doFinal(data)).isEqualTo(expected);
            pool.give(mac);
        }
        assertThat(pool.take().doFinal(data)).isEqualTo(expected);
    }

    @Test
    void macGivenBackInTheMiddleOfAComputationIsResetBeforeReuse() throws Exception {
        // given
        byte[] key = "pool-test-key".getBytes(StandardCharsets.UTF_8);
        byte[] data = "data".getBytes(StandardCharsets.UTF_8);
        MacPool pool = new MacPool(HmacAlgorithm.SHA256, key);
        Mac interrupted = pool.take();
        interrupted.update("half of something else".getBytes(StandardCharsets.UTF_8));
        pool.give(interrupted);

        // when
        Mac reused = pool.take();

        // then
        assertThat(reused).isSameAs(interrupted);
        assertThat(reused.doFinal(data)).isEqualTo(hmacSha256(key, data));
    }

    private static String answer(WebhookVerifier verifier, WebhookRequest request) {
        try {
            return verifier.verify(request).matchedKey();
        } catch (WebhookVerificationException e) {
            return e.reason().name();
        }
    }

    /** A second and a third key of the scheme, distinct from its sample key. */
    private static Secret otherKey(SchemeCase c, String name) {
        if (c == SchemeCase.STANDARD_WEBHOOKS_ED25519) {
            return SchemeCase.ed25519(name.hashCode());
        }
        if (c == SchemeCase.STANDARD_WEBHOOKS) {
            byte[] key = (name + "-rotation-key-material").getBytes(StandardCharsets.UTF_8);
            return Secret.hmac("whsec_" + Base64.getEncoder().encodeToString(key));
        }
        return Secret.hmac("whsec_" + name + "-rotation-key");
    }

    private static byte[] hmacSha256(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
