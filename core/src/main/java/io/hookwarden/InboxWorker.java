package io.hookwarden;

import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.StoredDelivery;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Takes the deliveries that endpoints with an {@link WebhookReceiver.Builder#inbox inbox} answered at once, and runs
 * their handlers: the same {@link WebhookReceiver.Handler} (or {@link Router}) as in the request, given the same {@link
 * VerifiedWebhook} (id, type, timestamp, matched key, body, headers, payload options), not verified again.
 *
 * <pre>{@code
 * try (InboxWorker worker = InboxWorker.builder()
 *         .endpoint(stripeReceiver, router)
 *         .concurrency(4)
 *         .build()
 *         .start()) {
 *     ...                                                   // until the application stops
 * }
 * }</pre>
 *
 * <p><b>Each attempt.</b> The worker claims due deliveries with a {@link Builder#lease lease}, never more than it has
 * idle threads (plus its {@link Builder#prefetch prefetch}, if any), and extends the lease every third of it while the handler runs, so a handler longer than the lease
 * never runs twice in parallel. Then: the handler returns, the delivery is completed (together with those whose
 * handlers returned while the previous completions were being recorded: one {@link Inbox#completeAll} round trip for
 * all of them); it throws {@link
 * PoisonDeliveryException} or {@link InvalidPayloadException} (a binding failure: it can never succeed), the delivery
 * is dead at once; it throws anything else, the delivery is due again after the {@link RetryPolicy}'s backoff, or dead
 * after the last attempt. A delivery of a {@link InboxEntry.Ordering#LATEST} key older than one completed is skipped
 * without running the handler. When the lease was lost (the heartbeat found another owner) or the inbox fails while
 * settling, nothing is settled: the lease runs out and the delivery is taken again. Delivery to handlers is therefore
 * at least once; keep handlers idempotent for effects outside the inbox's own transaction.
 *
 * <p><b>A {@link TransactionalHandler}</b> (such as {@code JdbcInbox.transactional(...)}) runs inside a transaction of
 * the inbox ({@link Inbox#completeWith}): its writes to the inbox's database and the delivery's completion commit
 * together, so those happen exactly once. When it throws, its writes are rolled back and the delivery is retried or
 * dead as above; when the commit fails or the lease was lost, nothing of it is kept and the delivery runs again.
 *
 * <p><b>The inbox down.</b> A claim that fails backs off exponentially to 30 seconds, logged once per outage.
 *
 * <p><b>Retention.</b> Every minute, completed and skipped deliveries older than {@link Builder#retention} are purged
 * in small batches.
 *
 * <p><b>Threads</b> are named {@code hookwarden-inbox-<name>-N} (the handlers), {@code -poller} and {@code
 * -heartbeat}; daemon threads, so stop the worker ({@link #stop(Duration)}, {@link #close()}) when the application
 * stops: a delivery whose handler the JVM's exit cut short is taken again after its lease. Thread-safe.
 */
public final class InboxWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InboxWorker.class.getName());

    /** The default number of handler threads. */
    public static final int DEFAULT_CONCURRENCY = 4;
    /** The default time between claims when nothing is due. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** The default lease of a claimed delivery. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(1);
    /** How long {@link #close()} waits for running handlers before interrupting them. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
    /** The longest wait between claims while the inbox is down. */
    static final Duration MAX_OUTAGE_BACKOFF = Duration.ofSeconds(30);
    /** How often the retention sweep runs. */
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    /** How often a poller whose handlers are all busy looks whether it should stop. */
    private static final Duration IDLE_CHECK = Duration.ofMillis(100);
    /** Deliveries deleted per sweep call; a sweep makes at most ten. */
    static final int SWEEP_BATCH = 100;

    private enum Lifecycle {
        NEW,
        RUNNING,
        STOPPED
    }

    private final String name;
    private final Inbox inbox;
    private final Map<String, Endpoint> endpoints;
    private final int concurrency;
    private final Duration pollInterval;
    private final int batchSize;
    private final int prefetch;
    private final Duration lease;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final Duration retention;
    private final InboxListener listener;

    private final Semaphore idle;
    private final ThreadPoolExecutor handlers;
    private final ScheduledExecutorService heartbeats;
    private final Thread poller;
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private volatile boolean stopping;
    /**
     * Counted down by {@link #stop}: wakes the poller from its pauses without interrupting it, since an interrupt
     * during a claim's I/O can break the inbox's connection (H2 closes a file database on one).
     */
    private final java.util.concurrent.CountDownLatch stopSignal = new java.util.concurrent.CountDownLatch(1);

    private volatile boolean interrupting;

    private record Endpoint(WebhookReceiver receiver, WebhookReceiver.Handler handler) {}

    /** A handler's success, waiting to be recorded with others that finished at the same time. */
    private record Completion(InboxLease lease, Duration took) {}

    /** The most successes recorded in one {@link Inbox#completeAll} call. */
    static final int COMPLETION_BATCH = 64;

    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final ReentrantLock completing = new ReentrantLock();

    private InboxWorker(Builder b) {
        this.endpoints = Map.copyOf(b.endpoints);
        this.inbox = b.inbox;
        this.name = b.name != null
                ? b.name
                : b.endpoints.size() == 1 ? b.endpoints.keySet().iterator().next() : "worker";
        this.concurrency = b.concurrency == null ? DEFAULT_CONCURRENCY : b.concurrency;
        this.pollInterval = b.pollInterval == null ? DEFAULT_POLL_INTERVAL : b.pollInterval;
        this.prefetch = b.prefetch == null ? 0 : b.prefetch;
        this.batchSize = b.batchSize == null ? concurrency + prefetch : b.batchSize;
        this.lease = b.lease == null ? DEFAULT_LEASE : b.lease;
        this.retryPolicy = b.retryPolicy == null ? RetryPolicy.defaults() : b.retryPolicy;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
        this.retention = b.retention == null ? WebhookReceiver.DEFAULT_RETENTION : b.retention;
        this.listener = b.listener;
        this.idle = new Semaphore(concurrency + prefetch); // a thread for each delivery held, or a place in line
        AtomicInteger n = new AtomicInteger();
        this.handlers = new ThreadPoolExecutor(
                concurrency,
                concurrency,
                0,
                TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(),
                daemon(() -> "hookwarden-inbox-" + name + "-" + n.incrementAndGet()));
        ScheduledThreadPoolExecutor beats =
                new ScheduledThreadPoolExecutor(1, daemon(() -> "hookwarden-inbox-" + name + "-heartbeat"));
        beats.setRemoveOnCancelPolicy(true);
        this.heartbeats = beats;
        this.poller = daemon(() -> "hookwarden-inbox-" + name + "-poller").newThread(this::poll);
    }

    private static ThreadFactory daemon(Supplier<String> names) {
        return runnable -> {
            Thread t = new Thread(runnable, names.get());
            t.setDaemon(true);
            return t;
        };
    }

    /** A builder; at least one endpoint is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts claiming and handling deliveries.
     *
     * @return this worker
     * @throws IllegalStateException if already started or stopped
     */
    public InboxWorker start() {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.RUNNING)) {
            throw new IllegalStateException("worker " + name + " was already " + lifecycle.get());
        }
        poller.start();
        return this;
    }

    /**
     * Stops gracefully: claims nothing more, waits up to {@code grace} for running handlers, then interrupts those
     * still running (their deliveries are due again at once, for another worker). Does nothing when not running.
     *
     * @return true when every handler ended within the grace period (none was interrupted)
     * @throws IllegalArgumentException if grace is negative
     */
    public boolean stop(Duration grace) {
        Objects.requireNonNull(grace, "grace cannot be null");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace cannot be negative but was " + grace);
        }
        if (lifecycle.getAndSet(Lifecycle.STOPPED) != Lifecycle.RUNNING) {
            return true;
        }
        stopping = true;
        stopSignal.countDown(); // the poller ends after the claim it may be in; it is never interrupted
        boolean finished;
        try {
            poller.join(Math.max(1, grace.toMillis()));
            handlers.shutdown();
            finished = handlers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                interrupting = true;
                handlers.shutdownNow();
                // Interrupted handlers settle their deliveries as due again; give them a moment to do so.
                handlers.awaitTermination(Math.max(1000, lease.toMillis() / 3), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handlers.shutdownNow();
            finished = false;
        } finally {
            // Not shutdownNow: an interrupted heartbeat could break the inbox's connection mid-statement.
            heartbeats.shutdown();
        }
        return finished;
    }

    /** {@link #stop(Duration)} with {@link #DEFAULT_GRACE}. */
    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }

    /** How many handlers' successes wait to be recorded; for tests. */
    int completionsWaiting() {
        return completions.size();
    }

    /** The worker's name, in its threads' names. */
    public String name() {
        return name;
    }

    /** Whether started and not stopped. */
    public boolean isRunning() {
        return lifecycle.get() == Lifecycle.RUNNING;
    }

    /** The poller: claims as many due deliveries as there are idle threads, hands each to one, sweeps now and then. */
    private void poll() {
        List<String> names = List.copyOf(endpoints.keySet());
        int failures = 0;
        Instant nextSweep = clock.instant();
        while (!stopping) {
            int permits = 0;
            try {
                if (!idle.tryAcquire(IDLE_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue; // every handler busy: look again, or end when stopping
                }
                permits = 1 + drainUpTo(batchSize - 1);
                int requested = permits;
                List<InboxLease> taken;
                try {
                    taken = inbox.claim(names, permits, lease);
                } catch (RuntimeException e) {
                    idle.release(permits);
                    permits = 0;
                    failures++;
                    if (failures == 1) {
                        LOG.log(
                                Level.WARNING,
                                "inbox of worker " + name + " failed to claim deliveries ("
                                        + e.getClass().getName() + "); backing off until it answers");
                    }
                    sleep(outageBackoff(failures));
                    continue;
                }
                if (failures > 0) {
                    LOG.log(
                            Level.INFO,
                            "inbox of worker " + name + " answers again after " + failures + " failed claims");
                    failures = 0;
                }
                idle.release(permits - taken.size());
                permits = 0;
                for (InboxLease claimed : taken) {
                    try {
                        handlers.execute(() -> {
                            try {
                                attempt(claimed);
                            } finally {
                                idle.release();
                            }
                        });
                    } catch (RejectedExecutionException stopped) {
                        idle.release(); // stopping: the lease runs out and another worker takes it
                    }
                }
                Instant now = clock.instant();
                if (!now.isBefore(nextSweep)) {
                    sweep(now);
                    nextSweep = now.plus(SWEEP_INTERVAL);
                }
                if (taken.size() < requested) { // nothing more is due now
                    sleep(jittered(pollInterval));
                }
            } catch (InterruptedException e) {
                idle.release(permits);
                return;
            } catch (RuntimeException e) {
                idle.release(permits);
                LOG.log(
                        Level.WARNING,
                        "worker " + name + " poller failed: " + e.getClass().getName());
            }
        }
    }

    private int drainUpTo(int more) {
        int got = 0;
        while (got < more && idle.tryAcquire()) {
            got++;
        }
        return got;
    }

    /** min(30 s, pollInterval * 2^failures), with jitter. */
    private Duration outageBackoff(int failures) {
        long millis = pollInterval.toMillis() << Math.min(failures, 20);
        return jittered(Duration.ofMillis(Math.min(MAX_OUTAGE_BACKOFF.toMillis(), Math.max(1, millis))));
    }

    /** Between three quarters and five quarters of {@code interval}: workers that started together drift apart. */
    private static Duration jittered(Duration interval) {
        long millis = interval.toMillis();
        return Duration.ofMillis(millis * 3 / 4 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    /** Pauses the poller for {@code d}, or until the worker stops. */
    private void sleep(Duration d) throws InterruptedException {
        stopSignal.await(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** The retention sweep: completed and skipped deliveries older than the retention, in small batches. */
    private void sweep(Instant now) {
        try {
            Instant before = now.minus(retention);
            for (int i = 0; i < 10 && inbox.purgeSettled(before, SWEEP_BATCH) == SWEEP_BATCH; i++) {
                // another batch
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "inbox of worker " + name + " failed to purge settled deliveries: " + e);
        }
    }

    /** One attempt on one claimed delivery, on a handler thread. */
    private void attempt(InboxLease claimed) {
        StoredDelivery delivery = claimed.delivery();
        InboxEntry entry = delivery.entry();
        Endpoint endpoint = endpoints.get(entry.endpoint());
        if (endpoint == null) {
            unsettled(claimed, "find the endpoint of", new IllegalStateException(entry.endpoint()));
            return;
        }
        if (entry.ordering() == InboxEntry.Ordering.LATEST) {
            OptionalLong done;
            try {
                done = inbox.completedSequence(entry.endpoint(), entry.orderingKey());
            } catch (RuntimeException e) {
                unsettled(claimed, "read the completed sequence of", e);
                return;
            }
            if (done.isPresent() && done.getAsLong() > entry.sequence()) {
                settle(
                        claimed,
                        InboxListener.Result.SKIPPED,
                        Duration.ZERO,
                        null,
                        () -> inbox.skip(
                                claimed,
                                "an event of its ordering key with sequence " + done.getAsLong()
                                        + " was completed; this one has " + entry.sequence()));
                return;
            }
        }
        InboxLease held = claimed;
        if (prefetch > 0) {
            Optional<InboxLease> renewed = renewedIfWaited(claimed);
            if (renewed.isEmpty()) {
                LOG.log(
                        Level.WARNING,
                        "worker " + name + " no longer held delivery " + delivery.id() + " after it waited for a"
                                + " thread; not run here: it runs when another worker takes it");
                report(claimed, InboxListener.Result.UNSETTLED, Duration.ZERO, null);
                return;
            }
            held = renewed.get();
        }
        VerifiedWebhook webhook;
        try {
            webhook = endpoint.receiver().restore(entry);
        } catch (RuntimeException e) { // a stored delivery that cannot be rebuilt never will be
            settle(claimed, InboxListener.Result.DEAD, Duration.ZERO, e, () -> inbox.bury(claimed, describe(e)));
            return;
        }
        AtomicReference<InboxLease> current = new AtomicReference<>(held);
        AtomicBoolean lost = new AtomicBoolean();
        long beat = Math.max(1, lease.toMillis() / 3);
        ScheduledFuture<?> heartbeat;
        try {
            heartbeat = heartbeats.scheduleAtFixedRate(() -> beat(current, lost), beat, beat, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            return; // stopped before it ran: the lease runs out
        }
        boolean transactional = endpoint.handler() instanceof TransactionalHandler;
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Inbox.Work work = () -> {
            try {
                endpoint.handler().handle(webhook);
            } catch (Throwable t) { // the application's code: an Error fails the attempt too, never the worker
                thrown.set(t);
                throw t;
            }
        };
        long start = System.nanoTime();
        Throwable failure = null;
        boolean committed = false;
        RuntimeException storeFailure = null;
        try {
            if (transactional) {
                committed = inbox.completeWith(current.get(), work);
            } else {
                work.run();
            }
        } catch (Throwable t) {
            if (thrown.get() == null && t instanceof RuntimeException e) {
                storeFailure = e; // the work succeeded, its transaction did not commit
            } else {
                failure = thrown.get() == null ? t : thrown.get();
            }
        } finally {
            heartbeat.cancel(false);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        boolean interrupted = Thread.interrupted();
        if (transactional && failure == null) {
            if (storeFailure != null) {
                unsettled(claimed, "commit the handler's transaction with", storeFailure);
                report(claimed, InboxListener.Result.UNSETTLED, took, null);
            } else if (committed) { // completed in the handler's transaction; a heartbeat after it may think it lost
                report(current.get(), InboxListener.Result.COMPLETED, took, null);
            } else {
                LOG.log(
                        Level.WARNING,
                        "worker " + name + " no longer held delivery " + delivery.id() + " when its handler's"
                                + " transaction was to commit; rolled back, it runs again");
                report(claimed, InboxListener.Result.UNSETTLED, took, null);
            }
            return;
        }
        if (lost.get()) {
            LOG.log(
                    Level.WARNING,
                    "worker " + name + " lost the lease of delivery " + delivery.id() + " of endpoint "
                            + entry.endpoint() + " while its handler ran (attempt " + delivery.attempts()
                            + "); not settled: it may run again");
            report(claimed, InboxListener.Result.UNSETTLED, took, failure);
            return;
        }
        InboxLease owned = current.get();
        if (failure == null) {
            completions.add(new Completion(owned, took));
            completeWaiting();
            return;
        }
        LOG.log(
                Level.WARNING,
                "handler of endpoint " + entry.endpoint() + " failed on delivery " + delivery.id() + " (attempt "
                        + delivery.attempts() + "): " + failure.getClass().getName());
        String error = StoredDelivery.truncate(describe(failure));
        if (failure instanceof PoisonDeliveryException || failure instanceof InvalidPayloadException) {
            settle(owned, InboxListener.Result.DEAD, took, failure, () -> inbox.bury(owned, error));
            return;
        }
        if (interrupting && (interrupted || failure instanceof InterruptedException)) {
            // The worker stopped under it: not the handler's fault, due again at once for another worker.
            settle(
                    owned,
                    InboxListener.Result.RETRIED,
                    took,
                    failure,
                    () -> inbox.retry(owned, clock.instant(), error));
            return;
        }
        Optional<Instant> next =
                retryPolicy.nextAttempt(delivery.attempts(), clock.instant(), ThreadLocalRandom.current());
        if (next.isEmpty()) {
            settle(owned, InboxListener.Result.DEAD, took, failure, () -> inbox.bury(owned, error));
        } else {
            settle(owned, InboxListener.Result.RETRIED, took, failure, () -> inbox.retry(owned, next.get(), error));
        }
    }

    /** The exception's class and message, as the stored last error; the operator reads it beside the delivery. */
    /**
     * A prefetched delivery's lease, extended first when it waited for a thread past a third of the lease (its
     * heartbeat starts only with its handler); empty when the inbox says another worker owns it now, or cannot say.
     */
    private Optional<InboxLease> renewedIfWaited(InboxLease claimed) {
        Duration left = Duration.between(clock.instant(), claimed.until());
        if (left.compareTo(lease.multipliedBy(2).dividedBy(3)) > 0) {
            return Optional.of(claimed);
        }
        try {
            return inbox.heartbeat(claimed, lease);
        } catch (RuntimeException e) {
            return Optional.empty(); // not run without a lease: the delivery runs again when it runs out
        }
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null
                ? failure.getClass().getName()
                : failure.getClass().getName() + ": " + message;
    }

    /** Extends the lease; when the inbox says another owns the delivery, marks it lost and stops extending. */
    private void beat(AtomicReference<InboxLease> current, AtomicBoolean lost) {
        if (lost.get()) {
            return;
        }
        try {
            Optional<InboxLease> extended = inbox.heartbeat(current.get(), lease);
            if (extended.isPresent()) {
                current.set(extended.get());
            } else {
                lost.set(true);
            }
        } catch (RuntimeException e) {
            LOG.log(
                    Level.DEBUG,
                    "inbox of worker " + name + " failed to extend the lease of delivery "
                            + current.get().id() + ": " + e.getClass().getName());
        }
    }

    /**
     * Records the handlers' successes waiting in {@link #completions}, as many at once as there are ({@link
     * Inbox#completeAll}, at most {@value #COMPLETION_BATCH} a call): run by the handler thread that just added its
     * own, unless another is already recording, which then takes it in its next call (it looks again after it lets go,
     * so none is left waiting). Handlers that finish together are thus recorded in one round trip, and one that
     * finishes alone at once.
     */
    private void completeWaiting() {
        while (!completions.isEmpty() && completing.tryLock()) {
            try {
                List<Completion> batch = new ArrayList<>();
                for (Completion next; batch.size() < COMPLETION_BATCH && (next = completions.poll()) != null; ) {
                    batch.add(next);
                }
                if (!batch.isEmpty()) {
                    complete(batch);
                }
            } finally {
                completing.unlock();
            }
        }
    }

    private void complete(List<Completion> batch) {
        if (batch.size() == 1) {
            Completion one = batch.get(0);
            settle(one.lease(), InboxListener.Result.COMPLETED, one.took(), null, () -> inbox.complete(one.lease()));
            return;
        }
        List<InboxLease> leases = new ArrayList<>(batch.size());
        for (Completion each : batch) {
            leases.add(each.lease());
        }
        List<Boolean> recorded;
        try {
            recorded = inbox.completeAll(leases);
            if (recorded.size() != batch.size()) {
                throw new IllegalStateException(
                        "the inbox answered " + recorded.size() + " results for " + batch.size() + " completions");
            }
        } catch (RuntimeException e) {
            for (Completion each : batch) {
                unsettled(each.lease(), "settle (" + InboxListener.Result.COMPLETED + ")", e);
                report(each.lease(), InboxListener.Result.UNSETTLED, each.took(), null);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Completion each = batch.get(i);
            settle(each.lease(), InboxListener.Result.COMPLETED, each.took(), null, recorded.get(i)::booleanValue);
        }
    }

    /** Settles through the inbox; a refusal or a failure leaves the lease to run out. */
    private void settle(
            InboxLease owned, InboxListener.Result result, Duration took, Throwable failure, BooleanSupplier call) {
        boolean settled;
        try {
            settled = call.getAsBoolean();
        } catch (RuntimeException e) {
            unsettled(owned, "settle (" + result + ")", e);
            report(owned, InboxListener.Result.UNSETTLED, took, failure);
            return;
        }
        if (!settled) {
            LOG.log(
                    Level.WARNING,
                    "worker " + name + " no longer held delivery " + owned.id() + " when it settled it (" + result
                            + "); its lease ran out and it may run again");
            result = InboxListener.Result.UNSETTLED;
        }
        report(owned, result, took, failure);
    }

    private void unsettled(InboxLease lease, String what, RuntimeException e) {
        LOG.log(
                Level.WARNING,
                "inbox of worker " + name + " failed to " + what + " delivery " + lease.id() + " ("
                        + e.getClass().getName() + "); it is taken again when its lease runs out");
    }

    private void report(InboxLease lease, InboxListener.Result result, Duration took, Throwable failure) {
        if (listener == null) {
            return;
        }
        try {
            listener.attempted(lease.delivery().entry().endpoint(), lease.delivery(), result, took, failure);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "inbox listener of worker " + name + " failed: " + e);
        }
    }

    @Override
    public String toString() {
        return "InboxWorker[" + name + ", endpoints=" + endpoints.keySet() + ", concurrency=" + concurrency
                + ", pollInterval=" + pollInterval + ", batchSize=" + batchSize + ", prefetch=" + prefetch + ", lease="
                + lease + ", "
                + retryPolicy + ", " + lifecycle.get() + "]";
    }

    /** Configures an {@link InboxWorker}. Each option may be set once; endpoints are added. Not thread-safe. */
    public static final class Builder {
        private final BuilderOptions options = new BuilderOptions();
        private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        private Inbox inbox;
        private String name;
        private Integer concurrency;
        private Duration pollInterval;
        private Integer batchSize;
        private Integer prefetch;
        private Duration lease;
        private RetryPolicy retryPolicy;
        private Clock clock;
        private Duration retention;
        private InboxListener listener;

        private Builder() {}

        /**
         * Handles the deliveries of one endpoint: those {@code receiver} wrote to its inbox, each given to {@code
         * handler} (a {@link Router}, or any handler) as the request would have given it. Every endpoint of a worker
         * shares one inbox.
         *
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the receiver has no inbox, or its inbox is not the one of the endpoints
         *     added before, or the handler is a {@link TransactionalHandler} of another inbox
         * @throws IllegalStateException if an endpoint of that name was added already
         */
        public Builder endpoint(WebhookReceiver receiver, WebhookReceiver.Handler handler) {
            Objects.requireNonNull(receiver, "receiver cannot be null");
            Objects.requireNonNull(handler, "handler cannot be null");
            Inbox its = receiver.inbox()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "endpoint " + receiver.name() + " has no inbox: its handler runs in the request"));
            if (inbox != null && its != inbox) {
                throw new IllegalArgumentException("endpoint " + receiver.name()
                        + " writes to another inbox than the endpoints added before; give each inbox its worker");
            }
            if (endpoints.containsKey(receiver.name())) {
                throw new IllegalStateException("endpoint " + receiver.name() + " was already added");
            }
            if (handler instanceof TransactionalHandler transactional && transactional.inbox() != its) {
                throw new IllegalArgumentException("the transactional handler of endpoint " + receiver.name()
                        + " runs in another inbox's transactions than the one the endpoint writes to");
            }
            inbox = its;
            endpoints.put(receiver.name(), new Endpoint(receiver, handler));
            return this;
        }

        /**
         * The worker's name, in its threads' names and its log lines; default the endpoint's name when there is one,
         * else {@code worker}.
         *
         * @throws IllegalArgumentException if blank
         * @throws IllegalStateException if already set
         */
        public Builder name(String name) {
            options.once("name");
            this.name = BuilderOptions.nonBlank(name, "name");
            return this;
        }

        /**
         * How many handlers run at once; default {@value InboxWorker#DEFAULT_CONCURRENCY}.
         *
         * @throws IllegalArgumentException if below 1
         * @throws IllegalStateException if already set
         */
        public Builder concurrency(int threads) {
            options.once("concurrency");
            if (threads < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1 but was " + threads);
            }
            this.concurrency = threads;
            return this;
        }

        /**
         * How long the worker waits before claiming again when nothing was due, with a quarter's jitter either way;
         * default one second.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder pollInterval(Duration interval) {
            options.once("pollInterval");
            this.pollInterval = BuilderOptions.positive(interval, "pollInterval");
            return this;
        }

        /**
         * The most deliveries one claim takes; default the concurrency plus the {@link #prefetch}. A claim never takes
         * more than there are idle threads and free places in line.
         *
         * @throws IllegalArgumentException if below 1
         * @throws IllegalStateException if already set
         */
        public Builder batchSize(int size) {
            options.once("batchSize");
            if (size < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1 but was " + size);
            }
            this.batchSize = size;
            return this;
        }

        /**
         * How many claimed deliveries may wait in line for a thread, beyond one per thread; default 0 (the worker holds
         * nothing no thread runs). A line lets one claim take more at a time, so the poller keeps fast handlers busy
         * with fewer round trips to the inbox. A delivery that waited past a third of its {@link #lease} has its lease
         * extended before its handler runs, and is not run when another worker took it meanwhile.
         *
         * @throws IllegalArgumentException if negative
         * @throws IllegalStateException if already set
         */
        public Builder prefetch(int deliveries) {
            options.once("prefetch");
            if (deliveries < 0) {
                throw new IllegalArgumentException("prefetch cannot be negative but was " + deliveries);
            }
            this.prefetch = deliveries;
            return this;
        }

        /**
         * How long a claimed delivery is held, extended every third of it while its handler runs; default one minute.
         * After a crash, the delivery waits this long before another worker takes it.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder lease(Duration lease) {
            options.once("lease");
            this.lease = BuilderOptions.positive(lease, "lease");
            return this;
        }

        /**
         * When failed deliveries are tried again, and how often; default {@link RetryPolicy#defaults()}.
         *
         * @throws NullPointerException if null
         * @throws IllegalStateException if already set
         */
        public Builder retryPolicy(RetryPolicy policy) {
            options.once("retryPolicy");
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy cannot be null");
            return this;
        }

        /**
         * The clock for retry times and the retention sweep; default the system clock. Use the inbox's clock.
         *
         * @throws NullPointerException if null
         * @throws IllegalStateException if already set
         */
        public Builder clock(Clock clock) {
            options.once("clock");
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /**
         * How long completed and skipped deliveries stay (as duplicates) before the sweep deletes them; default
         * seven days, like {@link WebhookReceiver#DEFAULT_RETENTION}. Longer than providers retry.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder retention(Duration retention) {
            options.once("retention");
            this.retention = BuilderOptions.positive(retention, "retention");
            return this;
        }

        /**
         * Hears what became of every attempt (metrics, audit); default none.
         *
         * @throws NullPointerException if null
         * @throws IllegalStateException if already set
         */
        public Builder listener(InboxListener listener) {
            options.once("listener");
            this.listener = Objects.requireNonNull(listener, "listener cannot be null");
            return this;
        }

        /**
         * The worker, not yet started.
         *
         * @throws IllegalStateException if no endpoint was added
         */
        public InboxWorker build() {
            if (endpoints.isEmpty()) {
                throw new MissingOptionException("endpoint", "at least one endpoint is required");
            }
            return new InboxWorker(this);
        }
    }
}
