package io.hookwarden.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Owner tokens: 128 random bits as 32 hex digits, never the same twice, from any number of threads. */
class ClaimTest {

    @Test
    void aNewClaimCarries128BitsAs32LowerCaseHexDigits() {
        // when
        String token = Claim.newClaim().token();

        // then
        assertThat(token).matches("[0-9a-f]{32}");
    }

    @Test
    void claimsFromManyThreadsNeverShareAToken() throws InterruptedException {
        // given: more tokens per thread than one generator block holds, so blocks are refilled while others draw
        int threads = 8;
        int perThread = 4 * Claim.Tokens.BLOCK_BYTES;
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();

        // when
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    tokens.add(Claim.newClaim().token());
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        // then
        assertThat(tokens).hasSize(threads * perThread);
    }

    @Test
    void successiveClaimsOnOneThreadDifferInAboutHalfTheirBits() {
        // given
        byte[] a = HexFormat.of().parseHex(Claim.newClaim().token());
        int differing = 0;

        // when: 64 pairs, 8192 bits; a counter or a repeated block would differ in far fewer
        for (int i = 0; i < 64; i++) {
            byte[] b = HexFormat.of().parseHex(Claim.newClaim().token());
            for (int j = 0; j < a.length; j++) {
                differing += Integer.bitCount((a[j] ^ b[j]) & 0xff);
            }
            a = b;
        }

        // then: expected 4096, standard deviation about 45
        assertThat(differing).isBetween(3_700, 4_500);
    }
}
