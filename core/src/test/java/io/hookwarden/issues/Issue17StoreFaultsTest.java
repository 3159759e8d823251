package io.hookwarden.issues;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Delivery;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Issue 17, stores failing under load: what the servlet sample's StoreFaultsTest found, kept next to its fix. */
class Issue17StoreFaultsTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    /** A store that can be taken down: every call throws while it is. */
    private static final class Outage implements DedupeStore {
        final AtomicBoolean down = new AtomicBoolean();
        private final DedupeStore store = InMemoryDedupeStore.create();

        @Override
        public ClaimResult claim(String key, Duration lease) {
            check();
            return store.claim(key, lease);
        }

        @Override
        public boolean complete(String key, Claim claim, Duration retention) {
            check();
            return store.complete(key, claim, retention);
        }

        @Override
        public boolean release(String key, Claim claim) {
            check();
            return store.release(key, claim);
        }

        private void check() {
            if (down.get()) {
                throw new StoreUnavailableException("the store is down");
            }
        }
    }

    /** A receiver on {@code store}, with a lease long enough that only the retried settlement can free the key. */
    private static WebhookReceiver receiver(DedupeStore store) {
        return WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(SECRET)
                        .build())
                .dedupeStore(store)
                .lease(Duration.ofSeconds(30))
                .build();
    }

    private static WebhookRequest delivery(String id) {
        return WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .build()
                .sign(WebhookMessage.body("{\"type\":\"order.created\"}").id(id).build());
    }

    /**
     * StoreFaultsTest: Redis killed, or PostgreSQL stopped, while handlers ran. A handler finished and its delivery was
     * answered 204, but its completion failed; the claim stayed until its lease (a minute) ran out, the event's other
     * copies were answered 409 meanwhile, and then one of them was processed again. Now the completion is retried
     * while the lease lasts, and a copy sent once the store is back is a duplicate.
     */
    @Test
    void aCompletionLostToAStoreOutageIsRecordedWhenTheStoreIsBackSoACopyIsADuplicate() throws Exception {
        // given
        Outage store = new Outage();
        WebhookReceiver receiver = receiver(store);
        WebhookRequest delivery = delivery("msg_outage");
        Outcome first = receiver.receive(delivery);
        assertThat(first).isInstanceOf(Outcome.Accepted.class);

        // when: the handler ran, then the store went down before its completion, and came back
        store.down.set(true);
        boolean completed;
        try (Delivery claimed = ((Outcome.Accepted) first).delivery()) {
            completed = claimed.complete();
        }
        store.down.set(false);
        Outcome copy = awaitSettled(receiver, delivery, Duration.ofSeconds(5));

        // then
        assertThat(completed).isFalse();
        assertThat(copy).isInstanceOf(Outcome.Duplicate.class);
    }

    /** A failed release is retried too: a copy sent once the store is back is processed at once, not after the lease. */
    @Test
    void aReleaseLostToAStoreOutageIsRecordedWhenTheStoreIsBackSoACopyIsProcessed() throws Exception {
        // given
        Outage store = new Outage();
        WebhookReceiver receiver = receiver(store);
        WebhookRequest delivery = delivery("msg_outage_release");
        Outcome first = receiver.receive(delivery);
        assertThat(first).isInstanceOf(Outcome.Accepted.class);

        // when: the handler threw, the store went down before the release, and came back
        store.down.set(true);
        boolean released = ((Outcome.Accepted) first).delivery().release();
        store.down.set(false);
        Outcome copy = awaitSettled(receiver, delivery, Duration.ofSeconds(5));

        // then
        assertThat(released).isFalse();
        assertThat(copy).isInstanceOf(Outcome.Accepted.class);
    }

    /** Sends {@code delivery} every 20 ms until it is no longer answered IN_PROGRESS, for at most {@code timeout}. */
    private static Outcome awaitSettled(WebhookReceiver receiver, WebhookRequest delivery, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Outcome outcome = receiver.receive(delivery);
        while (outcome instanceof Outcome.Rejected r
                && r.reason() == Reason.IN_PROGRESS
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
            outcome = receiver.receive(delivery);
        }
        return outcome;
    }
}
