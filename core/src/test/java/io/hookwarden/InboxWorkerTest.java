package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.spi.StoredDelivery;
import io.hookwarden.spi.StoredDelivery.State;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The worker side of the inbox, against {@link InMemoryInbox}. The worker's threads wait in real time, so the tests
 * poll fast (10 ms) and wait for a state with a deadline; a {@link TestClock} holds retry times still where a test
 * checks backoff.
 */
class InboxWorkerTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Duration FAST = Duration.ofMillis(10);
    private static final Duration DEFAULT_TEST_LEASE = Duration.ofSeconds(30);

    private final List<InboxWorker> workers = new ArrayList<>();

    @AfterEach
    void stopWorkers() {
        workers.forEach(w -> w.stop(Duration.ofSeconds(1)));
    }

    /** An endpoint named orders with an inbox, on one clock. */
    private static final class Endpoint {
        final Clock clock;
        final Inbox inbox;
        final InMemoryInbox memory;
        final WebhookReceiver receiver;
        final WebhookSigner signer;

        Endpoint(Clock clock) {
            this(clock, null, b -> b);
        }

        Endpoint(
                Clock clock,
                java.util.function.UnaryOperator<Inbox> wrap,
                java.util.function.UnaryOperator<WebhookReceiver.Builder> options) {
            this.clock = clock;
            this.memory = InMemoryInbox.builder().clock(clock).build();
            this.inbox = wrap == null ? memory : wrap.apply(memory);
            this.receiver = options.apply(WebhookReceiver.builder()
                            .name("orders")
                            .verifier(WebhookVerifier.builder()
                                    .scheme(Schemes.standardWebhooks())
                                    .secret(SECRET)
                                    .clock(clock)
                                    .build())
                            .inbox(inbox))
                    .build();
            this.signer = WebhookSigner.builder()
                    .scheme(Schemes.standardWebhooks())
                    .secret(SECRET)
                    .clock(clock)
                    .build();
        }

        WebhookRequest request(String id, String body) {
            return signer.sign(
                    WebhookMessage.body(body).id(id).timestamp(clock.instant()).build());
        }

        /** Receives a delivery; it must be queued. */
        void send(String id, String body) {
            Outcome outcome = receiver.receive(request(id, body));
            assertThat(outcome).isInstanceOf(Outcome.Queued.class);
        }

        StoredDelivery stored(String eventId) {
            return memory.find(InboxQuery.all()).stream()
                    .filter(d -> eventId.equals(d.entry().eventId()))
                    .findFirst()
                    .orElseThrow();
        }

        boolean inState(String eventId, State state) {
            return stored(eventId).state() == state;
        }
    }

    private InboxWorker.Builder worker(Endpoint endpoint, WebhookReceiver.Handler handler) {
        return InboxWorker.builder()
                .endpoint(endpoint.receiver, handler)
                .pollInterval(FAST)
                .clock(endpoint.clock);
    }

    private InboxWorker started(InboxWorker.Builder builder) {
        InboxWorker worker = builder.build();
        workers.add(worker);
        return worker.start();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + DEADLINE + ": " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** Waits until the inbox was asked to claim {@code more} more times: the worker looked, at least that often. */
    private static void awaitPolls(AtomicInteger claims, int more) {
        int target = claims.get() + more;
        await(more + " more claims", () -> claims.get() >= target);
    }

    /** An inbox that counts claims. */
    private static class CountingInbox extends InboxReceiverTest.ForwardingInbox {
        final AtomicInteger claims = new AtomicInteger();
        final List<String> claimers = new CopyOnWriteArrayList<>();

        CountingInbox(Inbox delegate) {
            super(delegate);
        }

        @Override
        public List<InboxLease> claim(Collection<String> endpoints, int max, Duration lease) {
            claims.incrementAndGet();
            claimers.add(Thread.currentThread().getName());
            return super.claim(endpoints, max, lease);
        }

        long claimsBy(String thread) {
            return claimers.stream().filter(thread::equals).count();
        }
    }

    @Nested
    class Handling {
        @Test
        void theHandlerGetsTheDeliveryAsTheRequestWouldHaveGivenIt() {
            // given
            Endpoint endpoint = new Endpoint(Clock.systemUTC(), null, b -> b.version(EventAttribute.jsonPointer("/v"))
                    .format(PayloadFormat.JSON));
            WebhookRequest request = endpoint.request("msg_1", "{\"type\":\"invoice.paid\",\"v\":\"2\",\"n\":7}");
            Outcome inRequestOutcome = WebhookReceiver.builder() // the same endpoint without an inbox
                    .name("orders")
                    .verifier(endpoint.receiver.verifier())
                    .version(EventAttribute.jsonPointer("/v"))
                    .format(PayloadFormat.JSON)
                    .build()
                    .receive(request);
            VerifiedWebhook inRequest =
                    ((Outcome.Accepted) inRequestOutcome).delivery().webhook();
            List<VerifiedWebhook> got = new CopyOnWriteArrayList<>();
            List<String> threads = new CopyOnWriteArrayList<>();

            // when
            started(worker(endpoint, w -> {
                got.add(w);
                threads.add(Thread.currentThread().getName());
            }));
            assertThat(endpoint.receiver.receive(request)).isInstanceOf(Outcome.Queued.class);
            await("completed", () -> endpoint.inState("msg_1", State.COMPLETED));

            // then
            VerifiedWebhook w = got.get(0);
            assertThat(w.id()).isEqualTo(inRequest.id()).contains("msg_1");
            assertThat(w.eventType()).isEqualTo(inRequest.eventType()).contains("invoice.paid");
            assertThat(w.version()).isEqualTo(inRequest.version()).contains("2");
            assertThat(w.timestamp()).isEqualTo(inRequest.timestamp());
            assertThat(w.matchedKey()).isEqualTo(inRequest.matchedKey());
            assertThat(w.schemeId()).isEqualTo("standard-webhooks");
            assertThat(w.body()).isEqualTo(request.body());
            assertThat(w.request().headers().first("webhook-id")).contains("msg_1");
            assertThat(w.as(Amount.class)).isEqualTo(inRequest.as(Amount.class)).isEqualTo(new Amount(7));
            assertThat(w.events()).hasSize(1);
            assertThat(w.events().get(0).type())
                    .isEqualTo(inRequest.events().get(0).type());
            assertThat(threads.get(0)).startsWith("hookwarden-inbox-orders-");
        }

        @Test
        void aSlowHandlerDoesNotHoldUpTheAnswer() throws Exception {
            // given
            Endpoint endpoint = new Endpoint(Clock.systemUTC());
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            started(worker(endpoint, w -> {
                running.countDown();
                release.await();
            }));
            endpoint.send("msg_1", "{}");
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

            // when: the handler is still running
            Outcome second = endpoint.receiver.receive(endpoint.request("msg_2", "{}"));

            // then
            assertThat(second.answer().status()).isEqualTo(200);
            assertThat(release.getCount()).as("the first handler still runs").isEqualTo(1);
            assertThat(endpoint.stored("msg_1").state()).isEqualTo(State.IN_FLIGHT);
            release.countDown();
            await(
                    "both completed",
                    () -> endpoint.inState("msg_1", State.COMPLETED) && endpoint.inState("msg_2", State.COMPLETED));
        }

        @Test
        void itClaimsNoMoreThanItHasIdleThreads() throws Exception {
            // given
            Endpoint endpoint = new Endpoint(Clock.systemUTC());
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger running = new AtomicInteger();
            for (int i = 0; i < 5; i++) {
                endpoint.send("msg_" + i, "{}");
            }

            // when
            started(worker(endpoint, w -> {
                        running.incrementAndGet();
                        release.await();
                    })
                    .concurrency(2)
                    .batchSize(10));
            await("two running", () -> running.get() == 2);

            // then
            assertThat(endpoint.memory.stats(null).count(State.IN_FLIGHT)).isEqualTo(2);
            assertThat(endpoint.memory.stats(null).count(State.PENDING)).isEqualTo(3);
            release.countDown();
            await("all completed", () -> endpoint.memory.stats(null).count(State.COMPLETED) == 5);
            assertThat(running).hasValue(5);
        }

        @Test
        void theListenerHearsEachAttempt() {
            // given
            Endpoint endpoint = new Endpoint(Clock.systemUTC());
            List<InboxListener.Result> heard = new CopyOnWriteArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            started(worker(endpoint, w -> {
                        if (calls.incrementAndGet() == 1) {
                            throw new IllegalStateException("first time");
                        }
                    })
                    .retryPolicy(
                            RetryPolicy.builder().base(Duration.ofMillis(1)).build())
                    .listener((name, delivery, result, took, failure) -> heard.add(result)));

            // when
            endpoint.send("msg_1", "{}");
            await("completed", () -> endpoint.inState("msg_1", State.COMPLETED));

            // then
            await("both heard", () -> heard.size() == 2);
            assertThat(heard).containsExactly(InboxListener.Result.RETRIED, InboxListener.Result.COMPLETED);
        }
    }

    @Nested
    class Failures {
        @Test
        void transientFailuresAreRetriedWithBackoffUntilTheySucceedOnce() {
            // given: a clock that stands still, so a retry is due only when the test moves it
            TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
            Instant start = clock.instant();
            Endpoint endpoint = new Endpoint(clock);
            AtomicInteger attempts = new AtomicInteger();
            AtomicInteger successes = new AtomicInteger();
            started(worker(endpoint, w -> {
                        if (attempts.incrementAndGet() <= 2) {
                            throw new IllegalStateException("downstream busy");
                        }
                        successes.incrementAndGet();
                    })
                    .retryPolicy(RetryPolicy.builder()
                            .base(Duration.ofHours(1))
                            .cap(Duration.ofHours(4))
                            .build()));

            // when
            endpoint.send("msg_1", "{}");

            // then: the first failure is due again within the first ceiling (1 h), and not before the clock moves
            await(
                    "first failure recorded",
                    () -> endpoint.stored("msg_1").attempts() == 1 && endpoint.inState("msg_1", State.PENDING));
            StoredDelivery first = endpoint.stored("msg_1");
            assertThat(first.nextAttemptAt()).isBetween(start, start.plus(Duration.ofHours(1)));
            assertThat(first.lastError()).isEqualTo("java.lang.IllegalStateException: downstream busy");
            assertThat(attempts).hasValue(1);

            clock.advance(Duration.ofHours(1));
            await(
                    "second failure recorded",
                    () -> endpoint.stored("msg_1").attempts() == 2 && endpoint.inState("msg_1", State.PENDING));
            Instant secondFailed = clock.instant();
            assertThat(endpoint.stored("msg_1").nextAttemptAt())
                    .isBetween(secondFailed, secondFailed.plus(Duration.ofHours(2)));

            clock.advance(Duration.ofHours(2));
            await("completed", () -> endpoint.inState("msg_1", State.COMPLETED));
            assertThat(successes).hasValue(1);
            assertThat(attempts).hasValue(3);
            assertThat(endpoint.stored("msg_1").attempts()).isEqualTo(3);
        }

        @Test
        void aPoisonDeliveryIsDeadAtOnce() {
            // given
            Endpoint endpoint = new Endpoint(Clock.systemUTC());
            AtomicInteger attempts = new AtomicInteger();
            started(worker(endpoint, w -> {
                attempts.incrementAndGet();
                throw new PoisonDeliveryException("unknown currency");
            }));

            // when
            endpoint.send("msg_1", "{}");

            // then
            await("dead", () -> endpoint.inState("msg_1", State.DEAD));
            StoredDelivery dead = endpoint.stored("msg_1");
            assertThat(dead.attempts()).isEqualTo(1);
            assertThat(dead.lastError()).isEqualTo("io.hookwarden.PoisonDeliveryException: unknown currency");
            assertThat(attempts).hasValue(1);
        }

        @Test
        void aPayloadThatDoesNotBindIsDeadAtOnce() {
            // given
            Endpoint endpoint = new Endpoint(Clock.systemUTC());
            started(worker(endpoint, w -> w.as(Amount.class)));

            // when
            endpoint.send("msg_1", "{\"n\":\"not a number\"}");

            // then
            await("dead", () -> endpoint.inState("msg_1", State.DEAD));
            assertThat(endpoint.stored("msg_1").attempts()).isEqualTo(1);
            assertThat(endpoint.stored("msg_1").lastError()).startsWith("io.hookwarden.InvalidPayloadException");
        }

        @Test
        void aDeliveryOutOfAttemptsIsDeadWithItsLastErrorTruncated() {
            // given
            Endpoint endpoint = new Endpoint(Clock.systemUTC());
            AtomicInteger attempts = new AtomicInteger();
            started(worker(endpoint, w -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("x".repeat(5000));
                    })
                    .retryPolicy(RetryPolicy.builder()
                            .base(Duration.ofMillis(1))
                            .maxAttempts(3)
                            .build()));

            // when
            endpoint.send("msg_1", "{}");

            // then
            await("dead", () -> endpoint.inState("msg_1", State.DEAD));
            StoredDelivery dead = endpoint.stored("msg_1");
            assertThat(dead.attempts()).isEqualTo(3);
            assertThat(attempts).hasValue(3);
            assertThat(dead.lastError())
                    .hasSize(StoredDelivery.MAX_ERROR_LENGTH)
                    .startsWith("java.lang.IllegalStateException: xxx")
                    .endsWith("\u2026");
        }

        @Test
        void aDeadDeliveryReplayedAfterAFixSucceeds() {
            // given
            Endpoint endpoint = new Endpoint(Clock.systemUTC());
            AtomicBoolean fixed = new AtomicBoolean();
            AtomicInteger successes = new AtomicInteger();
            started(worker(endpoint, w -> {
                if (!fixed.get()) {
                    throw new PoisonDeliveryException("bug in handler");
                }
                successes.incrementAndGet();
            }));
            endpoint.send("msg_1", "{}");
            await("dead", () -> endpoint.inState("msg_1", State.DEAD));

            // when
            fixed.set(true);
            int replayed = endpoint.memory.replay(
                    InboxQuery.builder().endpoint("orders").state(State.DEAD).build());

            // then
            assertThat(replayed).isEqualTo(1);
            await("completed", () -> endpoint.inState("msg_1", State.COMPLETED));
            assertThat(successes).hasValue(1);
        }

        @Test
        void theInboxFailingWhileSettlingLeavesTheDeliveryToBeTakenAgain() {
            // given: an inbox whose first complete fails
            AtomicInteger completes = new AtomicInteger();
            Endpoint endpoint = new Endpoint(
                    Clock.systemUTC(),
                    inbox -> new InboxReceiverTest.ForwardingInbox(inbox) {
                        @Override
                        public boolean complete(InboxLease lease) {
                            if (completes.incrementAndGet() == 1) {
                                throw new StoreUnavailableException("connection reset");
                            }
                            return super.complete(lease);
                        }
                    },
                    b -> b);
            AtomicInteger runs = new AtomicInteger();
            started(worker(endpoint, w -> runs.incrementAndGet()).lease(Duration.ofMillis(300)));

            // when
            endpoint.send("msg_1", "{}");

            // then: at least once: taken again after the lease, completed the second time
            await("completed", () -> endpoint.inState("msg_1", State.COMPLETED));
            assertThat(runs).hasValue(2);
            assertThat(endpoint.stored("msg_1").attempts()).isEqualTo(2);
        }
    }

    @Nested
    class Completing {
        /** An inbox whose first complete waits at a gate, and which records every completeAll's size. */
        private final class GatedInbox extends InboxReceiverTest.ForwardingInbox {
            final CountDownLatch entered = new CountDownLatch(1);
            final CountDownLatch gate = new CountDownLatch(1);
            final AtomicInteger completes = new AtomicInteger();
            final List<Integer> batches = new CopyOnWriteArrayList<>();
            final AtomicInteger batchFailures;

            GatedInbox(Inbox delegate, int batchFailures) {
                super(delegate);
                this.batchFailures = new AtomicInteger(batchFailures);
            }

            @Override
            public boolean complete(InboxLease lease) {
                if (completes.incrementAndGet() == 1) {
                    entered.countDown();
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.complete(lease);
            }

            @Override
            public List<Boolean> completeAll(List<InboxLease> leases) {
                batches.add(leases.size());
                if (batchFailures.getAndDecrement() > 0) {
                    throw new StoreUnavailableException("connection reset");
                }
                return super.completeAll(leases);
            }
        }

        private final AtomicReference<GatedInbox> gated = new AtomicReference<>();
        private final List<InboxListener.Result> heard = new CopyOnWriteArrayList<>();

        /** Four deliveries; msg_0's handler returns first, the others only once its completion is under way. */
        private InboxWorker fourFinishingTogether(int batchFailures, Duration lease) {
            Endpoint endpoint = new Endpoint(
                    Clock.systemUTC(),
                    inbox -> {
                        gated.set(new GatedInbox(inbox, batchFailures));
                        return gated.get();
                    },
                    b -> b);
            for (int i = 0; i < 4; i++) {
                endpoint.send("msg_" + i, "{}");
            }
            InboxWorker worker = started(worker(endpoint, w -> {
                        if (!w.id().orElseThrow().equals("msg_0")) {
                            gated.get().entered.await();
                        }
                    })
                    .concurrency(4)
                    .lease(lease)
                    .listener((name, delivery, result, took, failure) -> heard.add(result)));
            this.endpoint = endpoint;
            return worker;
        }

        private Endpoint endpoint;

        @Test
        void handlersThatFinishWhileACompletionIsRecordedAreCompletedTogetherInOneCall() {
            // given
            InboxWorker worker = fourFinishingTogether(0, DEFAULT_TEST_LEASE);
            GatedInbox inbox = gated.get();

            // when: msg_0's completion is held at the gate while the three others finish
            await("msg_0 completing", () -> inbox.entered.getCount() == 0);
            await("three waiting", () -> worker.completionsWaiting() == 3);
            inbox.gate.countDown();

            // then
            await("all completed", () -> endpoint.memory.stats(null).count(State.COMPLETED) == 4);
            assertThat(inbox.completes).as("msg_0 on its own").hasValue(1);
            assertThat(inbox.batches).containsExactly(3);
            await("all heard", () -> heard.size() == 4);
            assertThat(heard).containsOnly(InboxListener.Result.COMPLETED);
        }

        @Test
        void aBatchTheInboxFailsToRecordIsTakenAgainAfterTheLeaseAndCompletedOnce() {
            // given: the first completeAll fails
            InboxWorker worker = fourFinishingTogether(1, Duration.ofSeconds(2));
            GatedInbox inbox = gated.get();

            // when
            await("msg_0 completing", () -> inbox.entered.getCount() == 0);
            await("three waiting", () -> worker.completionsWaiting() == 3);
            inbox.gate.countDown();

            // then: the three are unsettled, taken again, and completed on their second attempt
            await("all completed", () -> endpoint.memory.stats(null).count(State.COMPLETED) == 4);
            assertThat(inbox.batches.get(0)).isEqualTo(3);
            for (int i = 1; i < 4; i++) {
                assertThat(endpoint.stored("msg_" + i).attempts())
                        .as("msg_" + i)
                        .isEqualTo(2);
            }
            assertThat(endpoint.stored("msg_0").attempts()).isOne();
            await("all heard", () -> heard.size() == 7);
            assertThat(heard).filteredOn(InboxListener.Result.UNSETTLED::equals).hasSize(3);
            assertThat(heard).filteredOn(InboxListener.Result.COMPLETED::equals).hasSize(4);
        }
    }

    @Nested
    class Prefetch {
        @Test
        void aClaimTakesAsManyAsThereAreIdleThreadsAndPlacesInLine() {
            // given
            Endpoint endpoint = new Endpoint(Clock.systemUTC());
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger running = new AtomicInteger();
            for (int i = 0; i < 10; i++) {
                endpoint.send("msg_" + i, "{}");
            }

            // when
            started(worker(endpoint, w -> {
                        running.incrementAndGet();
                        release.await();
                    })
                    .concurrency(2)
                    .prefetch(3));
            await("two running", () -> running.get() == 2);
            await("five held", () -> endpoint.memory.stats(null).count(State.IN_FLIGHT) == 5);

            // then: two run, three wait in line, the rest stay pending
            assertThat(endpoint.memory.stats(null).count(State.PENDING)).isEqualTo(5);
            assertThat(running).hasValue(2);
            release.countDown();
            await("all completed", () -> endpoint.memory.stats(null).count(State.COMPLETED) == 10);
            assertThat(running).hasValue(10);
        }

        @Test
        void aDeliveryThatWaitedInLinePastAThirdOfItsLeaseHasItExtendedBeforeItsHandlerRuns() {
            // given: one thread, one place in line, a 3 s lease; the first handler takes 1.2 s
            List<String> beats = new CopyOnWriteArrayList<>();
            Endpoint endpoint = new Endpoint(
                    Clock.systemUTC(),
                    inbox -> new InboxReceiverTest.ForwardingInbox(inbox) {
                        @Override
                        public Optional<InboxLease> heartbeat(InboxLease lease, Duration extension) {
                            beats.add(lease.delivery().entry().eventId());
                            return super.heartbeat(lease, extension);
                        }
                    },
                    b -> b);
            endpoint.send("msg_1", "{}");
            endpoint.send("msg_2", "{}");
            List<String> beatsBeforeSecond = new CopyOnWriteArrayList<>();
            started(worker(endpoint, w -> {
                        if (w.id().orElseThrow().equals("msg_1")) {
                            Thread.sleep(1200);
                        } else {
                            beatsBeforeSecond.addAll(beats);
                        }
                    })
                    .concurrency(1)
                    .prefetch(1)
                    .lease(Duration.ofSeconds(3)));

            // then
            await("both completed", () -> endpoint.memory.stats(null).count(State.COMPLETED) == 2);
            assertThat(beatsBeforeSecond).contains("msg_2");
            assertThat(endpoint.stored("msg_2").attempts()).isOne();
        }

        @Test
        void aDeliveryWhoseLeaseRanOutInLineIsNotRunWhenAnotherWorkerTookIt() {
            // given: worker A holds msg_1 running and msg_2 in line, with a short lease
            Endpoint endpoint = new Endpoint(Clock.systemUTC());
            endpoint.send("msg_1", "{}");
            endpoint.send("msg_2", "{}");
            CountDownLatch release = new CountDownLatch(1);
            List<String> ranByA = new CopyOnWriteArrayList<>();
            List<String> ranByB = new CopyOnWriteArrayList<>();
            List<InboxListener.Result> heardByA = new CopyOnWriteArrayList<>();
            started(worker(endpoint, w -> {
                        ranByA.add(w.id().orElseThrow());
                        if (w.id().orElseThrow().equals("msg_1")) {
                            release.await();
                        }
                    })
                    .name("a")
                    .concurrency(1)
                    .prefetch(1)
                    .lease(Duration.ofMillis(300))
                    .listener((name, delivery, result, took, failure) -> heardByA.add(result)));
            await("A holds both", () -> endpoint.memory.stats(null).count(State.IN_FLIGHT) == 2);

            // when: msg_2's lease runs out in A's line, worker B takes and completes it, then A's thread frees up
            started(worker(endpoint, w -> ranByB.add(w.id().orElseThrow())).name("b"));
            await("B completed msg_2", () -> endpoint.inState("msg_2", State.COMPLETED));
            release.countDown();

            // then: A did not run msg_2, and said so
            await("msg_1 completed", () -> endpoint.inState("msg_1", State.COMPLETED));
            await("A heard both", () -> heardByA.size() == 2);
            assertThat(ranByA).containsExactly("msg_1");
            assertThat(ranByB).containsExactly("msg_2");
            assertThat(heardByA)
                    .containsExactlyInAnyOrder(InboxListener.Result.COMPLETED, InboxListener.Result.UNSETTLED);
        }

        @Test
        void aNegativePrefetchIsRefused() {
            assertThatThrownBy(() -> InboxWorker.builder().prefetch(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("prefetch cannot be negative but was -1");
        }
    }

    /**
     * A {@link TransactionalHandler} over an inbox with transactions, simulated: the handler's effects are staged
     * while it runs and kept only when the completion commits.
     */
    @Nested
    class Transactional {
        final List<String> committed = new CopyOnWriteArrayList<>();
        final ThreadLocal<List<String>> staged = new ThreadLocal<>();
        final AtomicInteger commitFailures = new AtomicInteger();

        /** The inbox: completeWith stages, completes, then keeps the effects or fails as a commit would. */
        Endpoint endpoint() {
            return new Endpoint(
                    Clock.systemUTC(),
                    inbox -> new InboxReceiverTest.ForwardingInbox(inbox) {
                        @Override
                        public boolean completeWith(InboxLease lease, Inbox.Work work) throws Exception {
                            staged.set(new ArrayList<>());
                            try {
                                work.run();
                                if (commitFailures.getAndDecrement() > 0) {
                                    throw new StoreUnavailableException("commit failed");
                                }
                                boolean done = complete(lease);
                                if (done) {
                                    committed.addAll(staged.get());
                                }
                                return done;
                            } finally {
                                staged.remove();
                            }
                        }
                    },
                    b -> b);
        }

        TransactionalHandler handler(Inbox inbox, WebhookReceiver.Handler effect) {
            return new TransactionalHandler() {
                @Override
                public Inbox inbox() {
                    return inbox;
                }

                @Override
                public void handle(VerifiedWebhook webhook) throws Exception {
                    staged.get().add(webhook.id().orElseThrow());
                    effect.handle(webhook);
                }
            };
        }

        @Test
        void theHandlersEffectsCommitWithTheCompletion() {
            // given
            Endpoint endpoint = endpoint();
            List<InboxListener.Result> heard = new CopyOnWriteArrayList<>();
            started(worker(endpoint, handler(endpoint.inbox, w -> {}))
                    .listener((name, delivery, result, took, failure) -> heard.add(result)));

            // when
            endpoint.send("msg_1", "{}");

            // then
            await("completed", () -> endpoint.inState("msg_1", State.COMPLETED));
            await("heard", () -> heard.size() == 1);
            assertThat(committed).containsExactly("msg_1");
            assertThat(heard).containsExactly(InboxListener.Result.COMPLETED);
        }

        @Test
        void aCommitThatFailsKeepsNothingAndTheDeliveryRunsAgainOnce() {
            // given: the first commit fails after the handler ran
            commitFailures.set(1);
            Endpoint endpoint = endpoint();
            AtomicInteger runs = new AtomicInteger();
            List<InboxListener.Result> heard = new CopyOnWriteArrayList<>();
            started(worker(endpoint, handler(endpoint.inbox, w -> runs.incrementAndGet()))
                    .lease(Duration.ofMillis(300))
                    .listener((name, delivery, result, took, failure) -> heard.add(result)));

            // when
            endpoint.send("msg_1", "{}");

            // then: taken again after the lease; its effects kept once, by the second run
            await("completed", () -> endpoint.inState("msg_1", State.COMPLETED));
            await("heard", () -> heard.size() == 2);
            assertThat(runs).hasValue(2);
            assertThat(committed).containsExactly("msg_1");
            assertThat(heard).containsExactly(InboxListener.Result.UNSETTLED, InboxListener.Result.COMPLETED);
        }

        @Test
        void aHandlerThatThrowsIsRetriedWithItsOwnFailureAndKeepsNothing() {
            // given
            Endpoint endpoint = endpoint();
            AtomicInteger runs = new AtomicInteger();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            started(worker(endpoint, handler(endpoint.inbox, w -> {
                        if (runs.incrementAndGet() == 1) {
                            throw new IllegalStateException("first time");
                        }
                    }))
                    .retryPolicy(
                            RetryPolicy.builder().base(Duration.ofMillis(1)).build())
                    .listener((name, delivery, result, took, failure) -> {
                        if (failure != null) {
                            failures.add(failure);
                        }
                    }));

            // when
            endpoint.send("msg_1", "{}");

            // then
            await("completed", () -> endpoint.inState("msg_1", State.COMPLETED));
            assertThat(committed).containsExactly("msg_1");
            assertThat(failures).singleElement().satisfies(f -> assertThat(f).hasMessage("first time"));
            assertThat(endpoint.stored("msg_1").attempts()).isEqualTo(2);
        }

        @Test
        void aTransactionalHandlerOfAnotherInboxIsRefused() {
            // given
            Endpoint endpoint = endpoint();
            TransactionalHandler elsewhere = handler(InMemoryInbox.create(), w -> {});

            // when / then
            assertThatThrownBy(() -> InboxWorker.builder().endpoint(endpoint.receiver, elsewhere))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("orders")
                    .hasMessageContaining("another inbox");
        }
    }

    @Nested
    class Leases {
        @Test
        void aCrashedWorkersDeliveryIsTakenAgainAfterTheLeaseOnce() {
            // given: a worker that claimed the delivery and died without settling it
            TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
            Endpoint endpoint = new Endpoint(clock, CountingInbox::new, b -> b);
            CountingInbox counting = (CountingInbox) endpoint.inbox;
            endpoint.send("msg_1", "{}");
            List<InboxLease> crashed = endpoint.inbox.claim(List.of("orders"), 1, Duration.ofMinutes(1));
            assertThat(crashed).hasSize(1);
            AtomicInteger runs = new AtomicInteger();
            started(worker(endpoint, w -> runs.incrementAndGet()));

            // when: the survivor polls while the lease holds, then after it ran out
            awaitPolls(counting.claims, 5);
            assertThat(runs).as("not taken while the lease holds").hasValue(0);
            clock.advance(Duration.ofMinutes(1).plusMillis(1));

            // then
            await("completed", () -> endpoint.inState("msg_1", State.COMPLETED));
            awaitPolls(counting.claims, 5);
            assertThat(runs).hasValue(1);
            assertThat(endpoint.stored("msg_1").attempts()).isEqualTo(2);
            assertThat(endpoint.inbox.complete(crashed.get(0)))
                    .as("the crashed lease settles nothing")
                    .isFalse();
        }

        @Test
        void theHeartbeatKeepsALongHandlerFromBeingTakenTwice() throws Exception {
            // given: two workers on one inbox, a lease of 300 ms and a handler that runs far longer
            Endpoint endpoint = new Endpoint(Clock.systemUTC(), CountingInbox::new, b -> b);
            CountingInbox counting = (CountingInbox) endpoint.inbox;
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            WebhookReceiver.Handler slow = w -> {
                runs.incrementAndGet();
                release.await();
            };
            Duration lease = Duration.ofMillis(300);
            started(worker(endpoint, slow).lease(lease).name("one"));
            started(worker(endpoint, slow).lease(lease).name("two"));
            endpoint.send("msg_1", "{}");
            await("running", () -> runs.get() == 1);

            // when: four leases pass while both workers keep polling
            long until = System.nanoTime() + lease.multipliedBy(4).toNanos();
            await("four leases passed", () -> System.nanoTime() - until > 0);
            awaitPolls(counting.claims, 4);

            // then
            assertThat(runs).as("never taken twice").hasValue(1);
            assertThat(endpoint.stored("msg_1").attempts()).isEqualTo(1);
            release.countDown();
            await("completed", () -> endpoint.inState("msg_1", State.COMPLETED));
        }

        @Test
        void aLostLeaseIsNotSettled() throws Exception {
            // given: an inbox whose heartbeat says another worker owns the delivery
            TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
            Endpoint endpoint = new Endpoint(
                    clock,
                    inbox -> new InboxReceiverTest.ForwardingInbox(inbox) {
                        @Override
                        public java.util.Optional<InboxLease> heartbeat(InboxLease lease, Duration extension) {
                            return java.util.Optional.empty();
                        }
                    },
                    b -> b);
            CountDownLatch beaten = new CountDownLatch(1);
            List<InboxListener.Result> heard = new CopyOnWriteArrayList<>();
            started(worker(endpoint, w -> beaten.await(200, TimeUnit.MILLISECONDS))
                    .lease(Duration.ofMillis(30))
                    .listener((name, d, result, took, failure) -> heard.add(result)));

            // when
            endpoint.send("msg_1", "{}");

            // then
            await("heard", () -> !heard.isEmpty());
            assertThat(heard).containsExactly(InboxListener.Result.UNSETTLED);
            assertThat(endpoint.stored("msg_1").state()).isEqualTo(State.IN_FLIGHT);
        }
    }

    @Nested
    class Ordering {
        @Test
        void strictOrderingHandlesAKeysEventsInSequenceEvenWithRetries() {
            // given: three events of one key, received out of order; the oldest fails once
            Endpoint endpoint = new Endpoint(Clock.systemUTC(), null, b -> b.ordering(
                            InboxEntry.Ordering.STRICT, EventAttribute.jsonPointer("/key"))
                    .sequence(EventAttribute.jsonPointer("/seq")));
            endpoint.send("msg_3", "{\"key\":\"k\",\"seq\":3}");
            endpoint.send("msg_1", "{\"key\":\"k\",\"seq\":1}");
            endpoint.send("msg_2", "{\"key\":\"k\",\"seq\":2}");
            endpoint.send("other", "{\"key\":\"j\",\"seq\":9}");
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean failedOnce = new AtomicBoolean();

            // when
            started(worker(endpoint, w -> {
                        String id = w.id().orElseThrow();
                        if (id.equals("msg_1") && failedOnce.compareAndSet(false, true)) {
                            seen.add(id + " failed");
                            throw new IllegalStateException("once");
                        }
                        seen.add(id);
                    })
                    .concurrency(4)
                    .retryPolicy(
                            RetryPolicy.builder().base(Duration.ofMillis(5)).build()));

            // then
            await("all completed", () -> endpoint.memory.stats(null).count(State.COMPLETED) == 4);
            List<String> ofK = new ArrayList<>(seen);
            ofK.remove("other");
            assertThat(ofK).containsExactly("msg_1 failed", "msg_1", "msg_2", "msg_3");
        }

        @Test
        void latestOrderingSkipsAnEventOlderThanOneCompleted() {
            // given: the newer event of a key was completed
            Endpoint endpoint = new Endpoint(Clock.systemUTC(), null, b -> b.ordering(
                            InboxEntry.Ordering.LATEST, EventAttribute.jsonPointer("/key"))
                    .sequence(EventAttribute.jsonPointer("/seq")));
            List<String> seen = new CopyOnWriteArrayList<>();
            started(worker(endpoint, w -> seen.add(w.id().orElseThrow())));
            endpoint.send("new", "{\"key\":\"k\",\"seq\":200}");
            await("new completed", () -> endpoint.inState("new", State.COMPLETED));

            // when: the older one arrives late
            endpoint.send("old", "{\"key\":\"k\",\"seq\":100}");

            // then
            await("old skipped", () -> endpoint.inState("old", State.SKIPPED));
            assertThat(seen).containsExactly("new");
            assertThat(endpoint.stored("old").lastError()).contains("200");
        }
    }

    @Nested
    class Stopping {
        @Test
        void stopWaitsForRunningHandlersWithinTheGrace() throws Exception {
            // given
            Endpoint endpoint = new Endpoint(Clock.systemUTC());
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            InboxWorker worker = started(worker(endpoint, w -> {
                running.countDown();
                release.await();
            }));
            endpoint.send("msg_1", "{}");
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

            // when: the handler finishes soon after stop is called
            Thread releaser = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                release.countDown();
            });
            releaser.start();
            boolean finished = worker.stop(Duration.ofSeconds(10));

            // then
            assertThat(finished).isTrue();
            assertThat(endpoint.stored("msg_1").state()).isEqualTo(State.COMPLETED);
            assertThat(worker.isRunning()).isFalse();
        }

        @Test
        void aHandlerStillRunningAfterTheGraceIsInterruptedAndDueAgain() throws Exception {
            // given
            Endpoint endpoint = new Endpoint(Clock.systemUTC());
            CountDownLatch running = new CountDownLatch(1);
            InboxWorker worker = started(worker(endpoint, w -> {
                running.countDown();
                new CountDownLatch(1).await(); // until interrupted
            }));
            endpoint.send("msg_1", "{}");
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

            // when
            boolean finished = worker.stop(Duration.ofMillis(50));

            // then
            assertThat(finished).isFalse();
            StoredDelivery stored = endpoint.stored("msg_1");
            assertThat(stored.state()).isEqualTo(State.PENDING);
            assertThat(stored.lastError()).startsWith("java.lang.InterruptedException");
            assertThat(stored.nextAttemptAt()).isBeforeOrEqualTo(Instant.now());
        }

        @Test
        void stoppingNeverInterruptsAClaimInProgressAndEndsAPauseAtOnce() throws Exception {
            // given: a claim that blocks until released, noting whether its thread was interrupted
            CountDownLatch inClaim = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean interrupted = new AtomicBoolean();
            AtomicInteger claims = new AtomicInteger();
            Endpoint endpoint = new Endpoint(
                    Clock.systemUTC(),
                    inbox -> new InboxReceiverTest.ForwardingInbox(inbox) {
                        @Override
                        public List<InboxLease> claim(Collection<String> endpoints, int max, Duration lease) {
                            if (claims.incrementAndGet() == 1) {
                                inClaim.countDown();
                                try {
                                    release.await(10, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    interrupted.set(true);
                                    Thread.currentThread().interrupt();
                                }
                            }
                            return super.claim(endpoints, max, lease);
                        }
                    },
                    b -> b);
            InboxWorker worker = started(InboxWorker.builder()
                    .endpoint(endpoint.receiver, w -> {})
                    .pollInterval(Duration.ofHours(1))
                    .clock(endpoint.clock));
            assertThat(inClaim.await(10, TimeUnit.SECONDS)).isTrue();

            // when: stopped while the claim runs, which then ends
            Thread stopper = new Thread(() -> worker.stop(Duration.ofSeconds(5)));
            stopper.start();
            Thread.sleep(200);
            release.countDown();
            stopper.join(10_000);

            // then: the claim was not interrupted, and the worker did not wait out its hour-long pause
            assertThat(stopper.isAlive()).isFalse();
            assertThat(interrupted).isFalse();
            assertThat(worker.isRunning()).isFalse();
            assertThat(claims).hasValue(1);
        }

        @Test
        void aStoppedWorkerClaimsNothingMore() {
            // given
            Endpoint endpoint = new Endpoint(Clock.systemUTC(), CountingInbox::new, b -> b);
            CountingInbox counting = (CountingInbox) endpoint.inbox;
            InboxWorker worker = started(worker(endpoint, w -> {}));
            awaitPolls(counting.claims, 2);

            List<String> handledBy = new CopyOnWriteArrayList<>();
            String poller = "hookwarden-inbox-orders-poller";
            assertThat(counting.claimsBy(poller)).isPositive();

            // when
            worker.stop(Duration.ofSeconds(1));
            long claimsAtStop = counting.claimsBy(poller);
            endpoint.send("msg_1", "{}");
            started(worker(endpoint, w -> handledBy.add(Thread.currentThread().getName()))
                    .name("other"));
            await("completed by the other", () -> endpoint.inState("msg_1", State.COMPLETED));
            awaitPolls(counting.claims, 5);

            // then
            assertThat(counting.claimsBy(poller)).isEqualTo(claimsAtStop);
            assertThat(handledBy).singleElement().asString().startsWith("hookwarden-inbox-other-");
            assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class Retention {
        @Test
        void completedDeliveriesOlderThanTheRetentionAreSweptAndTheirKeysFreed() {
            // given
            TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
            Endpoint endpoint = new Endpoint(clock);
            started(worker(endpoint, w -> {}).retention(Duration.ofDays(1)));
            endpoint.send("msg_1", "{}");
            await("completed", () -> endpoint.inState("msg_1", State.COMPLETED));
            WebhookRequest retry = endpoint.request("msg_1", "{}");
            assertThat(endpoint.receiver.receive(retry)).isInstanceOf(Outcome.Duplicate.class);

            // when
            clock.advance(Duration.ofDays(2));

            // then
            await("swept", () -> endpoint.memory.size() == 0);
        }
    }

    @Nested
    class StoreDown {
        @Test
        void aDownInboxIsPolledWithBackoffAndLoggedOncePerOutage() throws Exception {
            // given
            AtomicBoolean down = new AtomicBoolean(true);
            Endpoint endpoint = new Endpoint(
                    Clock.systemUTC(),
                    inbox -> new CountingInbox(inbox) {
                        @Override
                        public List<InboxLease> claim(Collection<String> endpoints, int max, Duration lease) {
                            if (down.get()) {
                                claims.incrementAndGet();
                                throw new StoreUnavailableException("database is down");
                            }
                            return super.claim(endpoints, max, lease);
                        }
                    },
                    b -> b);
            CountingInbox counting = (CountingInbox) endpoint.inbox;
            List<LogRecord> records = new CopyOnWriteArrayList<>();
            Logger jul = Logger.getLogger(InboxWorker.class.getName());
            Handler capture = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    records.add(record);
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
            jul.addHandler(capture);
            try {
                started(worker(endpoint, w -> {}));

                // when: the inbox is down for 640 ms, 64 polls at 10 ms without backoff
                long until = System.nanoTime() + Duration.ofMillis(640).toNanos();
                await("640 ms passed", () -> System.nanoTime() - until > 0);
                int claimsWhileDown = counting.claims.get();
                down.set(false);

                // then
                assertThat(claimsWhileDown).isBetween(2, 12);
                assertThat(records.stream().filter(r -> r.getMessage().contains("failed to claim")))
                        .hasSize(1);
                endpoint.send("msg_1", "{}");
                await("completed once the inbox answers", () -> endpoint.inState("msg_1", State.COMPLETED));
                assertThat(records.stream().filter(r -> r.getMessage().contains("answers again")))
                        .hasSize(1);
            } finally {
                jul.removeHandler(capture);
            }
        }
    }

    @Nested
    class Building {
        @Test
        void anEndpointWithoutAnInboxIsRefused() {
            WebhookReceiver plain = WebhookReceiver.builder()
                    .name("plain")
                    .verifier(WebhookVerifier.builder()
                            .scheme(Schemes.standardWebhooks())
                            .secret(SECRET)
                            .build())
                    .build();

            assertThatThrownBy(() -> InboxWorker.builder().endpoint(plain, w -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("endpoint plain has no inbox: its handler runs in the request");
        }

        @Test
        void endpointsOfTwoInboxesAreRefused() {
            Endpoint one = new Endpoint(Clock.systemUTC());
            WebhookReceiver other = WebhookReceiver.builder()
                    .name("other")
                    .verifier(one.receiver.verifier())
                    .inbox(InMemoryInbox.create())
                    .build();

            assertThatThrownBy(() -> InboxWorker.builder()
                            .endpoint(one.receiver, w -> {})
                            .endpoint(other, w -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another inbox");
        }

        @Test
        void aWorkerNeedsAnEndpoint() {
            assertThatThrownBy(() -> InboxWorker.builder().build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("at least one endpoint is required");
        }

        @Test
        void badOptionsAreRefusedEchoingThem() {
            assertThatThrownBy(() -> InboxWorker.builder().concurrency(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("concurrency must be at least 1 but was 0");
            assertThatThrownBy(() -> InboxWorker.builder().lease(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lease must be positive but was PT0S");
            assertThatThrownBy(() -> InboxWorker.builder().batchSize(-2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("batchSize must be at least 1 but was -2");
        }
    }

    /** A bound payload type. */
    record Amount(int n) {}

    static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
