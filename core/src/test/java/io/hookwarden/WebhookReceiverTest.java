package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final WebhookVerifier verifier = WebhookVerifier.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .clock(CLOCK)
            .build();
    private final WebhookSigner signer = WebhookSigner.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .clock(CLOCK)
            .build();

    private WebhookRequest delivery(String id) {
        return signer.sign(WebhookMessage.body("{\"type\":\"invoice.paid\"}")
                .id(id)
                .timestamp(NOW)
                .build());
    }

    private WebhookReceiver receiver() {
        return WebhookReceiver.builder().verifier(verifier).build();
    }

    private static WebhookReceiver receiverFor(Scheme scheme, String secret) {
        return WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(scheme)
                        .secret(secret)
                        .clock(CLOCK)
                        .build())
                .build();
    }

    private static WebhookSigner signerFor(Scheme scheme, String secret) {
        return WebhookSigner.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(CLOCK)
                .build();
    }

    private static JsonNode json(HttpAnswer answer) throws Exception {
        return new ObjectMapper().readTree(answer.body());
    }

    @Nested
    class DrainBounds {
        @Test
        void anAdapterThatCannotHandDrainAStreamReadsTheDefaultBounds() {
            WebhookReceiver receiver = receiver();

            assertThat(receiver.drainBytes()).isEqualTo(WebhookReceiver.DEFAULT_DRAIN_BYTES);
            assertThat(receiver.drainTime()).isEqualTo(WebhookReceiver.DEFAULT_DRAIN_TIME);
        }

        @Test
        void anAdapterThatCannotHandDrainAStreamReadsTheEndpointsOwnBounds() {
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier)
                    .drainBytes(4096)
                    .drainTime(java.time.Duration.ofMillis(1500))
                    .build();

            assertThat(receiver.drainBytes()).isEqualTo(4096);
            assertThat(receiver.drainTime()).isEqualTo(java.time.Duration.ofMillis(1500));
        }
    }

    @Nested
    class Outcomes {
        @Test
        void aValidDeliveryIsAcceptedWithItsClaim() {
            Outcome outcome = receiver().receive(delivery("msg_1"));

            assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
            Delivery delivery = ((Outcome.Accepted) outcome).delivery();
            assertThat(delivery.webhook().id()).contains("msg_1");
            assertThat(delivery.key()).isEqualTo("standard-webhooks:msg_1");
            assertThat(outcome.answer().status()).isEqualTo(200);
        }

        @Test
        void aForgedDeliveryIsRejectedAsProblemJsonWithoutTheSignature() throws Exception {
            WebhookRequest forged = TestRequests.withBody(delivery("msg_1"), "{\"type\":\"refund\"}".getBytes());

            Outcome outcome = receiver().receive(forged);

            assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            HttpAnswer answer = outcome.answer();
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.contentType()).contains("application/problem+json");
            assertThat(answer.headers()).doesNotContainKey("Retry-After");
            JsonNode doc = json(answer);
            assertThat(doc.get("reason").asText()).isEqualTo("SIGNATURE_MISMATCH");
            assertThat(doc.get("status").asInt()).isEqualTo(401);
            assertThat(doc.get("title").asText()).isEqualTo("Signature mismatch");
            String signature = forged.headers().first("webhook-signature").orElseThrow();
            assertThat(answer.bodyText())
                    .doesNotContain(signature.substring(3))
                    .doesNotContain(SECRET)
                    .doesNotContain("refund");
        }

        @Test
        void aDeliveryProcessedBeforeIsADuplicateAnsweredWith200() throws Exception {
            WebhookReceiver receiver = receiver();
            try (Delivery first = ((Outcome.Accepted) receiver.receive(delivery("msg_1"))).delivery()) {
                first.complete();
            }

            Outcome again = receiver.receive(delivery("msg_1"));

            assertThat(again).isInstanceOf(Outcome.Duplicate.class);
            assertThat(again.answer().status()).isEqualTo(200);
            assertThat(json(again.answer()).get("reason").asText()).isEqualTo("DUPLICATE");
        }

        @Test
        void aDeliveryBeingProcessedIsInProgressWith409AndRetryAfter() {
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier)
                    .retryAfter(Duration.ofSeconds(30))
                    .build();
            Outcome first = receiver.receive(delivery("msg_1"));

            Outcome second = receiver.receive(delivery("msg_1"));

            assertThat(first).isInstanceOf(Outcome.Accepted.class);
            assertThat(((Outcome.Rejected) second).reason()).isEqualTo(Reason.IN_PROGRESS);
            assertThat(second.answer().status()).isEqualTo(409);
            assertThat(second.answer().headers()).containsEntry("Retry-After", "30");
        }

        @Test
        void closingWithoutCompletingReleasesSoTheRetryIsProcessed() {
            WebhookReceiver receiver = receiver();
            try (Delivery failed = ((Outcome.Accepted) receiver.receive(delivery("msg_1"))).delivery()) {
                assertThat(failed.isFinished()).isFalse();
            }

            assertThat(receiver.receive(delivery("msg_1"))).isInstanceOf(Outcome.Accepted.class);
        }

        @Test
        void deliveriesWithDifferentIdsAreIndependent() {
            WebhookReceiver receiver = receiver();

            assertThat(receiver.receive(delivery("msg_1"))).isInstanceOf(Outcome.Accepted.class);
            assertThat(receiver.receive(delivery("msg_2"))).isInstanceOf(Outcome.Accepted.class);
        }

        @Test
        void anInvalidDeliveryIsNeverClaimed() {
            WebhookReceiver receiver = receiver();
            WebhookRequest tampered = TestRequests.withBody(delivery("msg_1"), "{}".getBytes());

            receiver.receive(tampered);

            assertThat(receiver.receive(delivery("msg_1"))).isInstanceOf(Outcome.Accepted.class);
        }
    }

    @Nested
    class Handling {
        @Test
        void aHandlerThatReturnsCompletesTheDelivery() {
            WebhookReceiver receiver = receiver();
            List<String> handled = new ArrayList<>();

            HttpAnswer first = receiver.handle(delivery("msg_1"), w -> handled.add(w.id().orElseThrow()));
            HttpAnswer replay = receiver.handle(delivery("msg_1"), w -> handled.add(w.id().orElseThrow()));

            assertThat(first.status()).isEqualTo(200);
            assertThat(replay.status()).isEqualTo(200);
            assertThat(handled).containsExactly("msg_1");
        }

        @Test
        void aHandlerThatThrowsAnswers500AndTheRetryIsProcessed() throws Exception {
            WebhookReceiver receiver = receiver();
            AtomicInteger runs = new AtomicInteger();

            HttpAnswer failed = receiver.handle(delivery("msg_1"), w -> {
                runs.incrementAndGet();
                throw new IllegalStateException("database down: secret=" + SECRET);
            });
            HttpAnswer retried = receiver.handle(delivery("msg_1"), w -> runs.incrementAndGet());

            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.headers()).containsEntry("Retry-After", "10");
            assertThat(json(failed).get("reason").asText()).isEqualTo("HANDLER_FAILED");
            assertThat(failed.bodyText()).doesNotContain("database").doesNotContain(SECRET);
            assertThat(retried.status()).isEqualTo(200);
            assertThat(runs).hasValue(2);
        }

        @Test
        void aHandlerThatThrowsIsLoggedWithItsExceptionNotSwallowed() {
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger(WebhookReceiver.class.getName());
            List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.logging.Handler capture = new java.util.logging.Handler() {
                @Override
                public void publish(java.util.logging.LogRecord record) {
                    records.add(record);
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
            jul.addHandler(capture);
            IllegalStateException failure = new IllegalStateException("inventory service timed out");
            try {
                receiver().handle(delivery("msg_1"), w -> {
                    throw failure;
                });
            } finally {
                jul.removeHandler(capture);
            }

            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
                assertThat(r.getThrown()).isSameAs(failure);
                assertThat(r.getMessage()).contains("msg_1").contains("released");
            });
        }

        @Test
        void finishCompletesOnA2xxAndReleasesOnAnythingElse() {
            WebhookReceiver receiver = receiver();
            int[] statuses = {200, 204, 299, 199, 300, 302, 400, 404, 500, 503};

            for (int i = 0; i < statuses.length; i++) {
                String id = "msg_" + i;
                Delivery delivery = ((Outcome.Accepted) receiver.receive(delivery(id))).delivery();

                assertThat(delivery.finish(statuses[i])).isTrue();
                assertThat(delivery.finish(200)).as("settled once").isFalse();
                Outcome again = receiver.receive(delivery(id));
                if (statuses[i] >= 200 && statuses[i] <= 299) {
                    assertThat(again).as("after %s", statuses[i]).isInstanceOf(Outcome.Duplicate.class);
                } else {
                    assertThat(again).as("after %s", statuses[i]).isInstanceOf(Outcome.Accepted.class);
                    ((Outcome.Accepted) again).delivery().release();
                }
            }
        }

        @Test
        void theEndpointsAnswerForAReasonIsTheOneItSendsWithItsRetryAfter() {
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier)
                    .retryAfter(Duration.ofSeconds(42))
                    .build();

            HttpAnswer tooLarge = receiver.answer(Reason.PAYLOAD_TOO_LARGE);
            HttpAnswer unavailable = receiver.answer(Reason.STORE_UNAVAILABLE);

            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.reason()).contains(Reason.PAYLOAD_TOO_LARGE);
            assertThat(unavailable.retryAfter()).contains(Duration.ofSeconds(42));
            assertThat(receiver.answer(Reason.HANDLER_FAILED)).isEqualTo(receiver.handlerFailed());
        }

        @Test
        void aRejectedDeliveryNeverReachesTheHandler() {
            AtomicInteger runs = new AtomicInteger();
            WebhookRequest expired = signer.sign(WebhookMessage.body("{}")
                    .id("msg_old")
                    .timestamp(NOW.minus(Duration.ofHours(1)))
                    .build());

            HttpAnswer answer = receiver().handle(expired, w -> runs.incrementAndGet());

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.bodyText()).contains("TIMESTAMP_TOO_OLD");
            assertThat(runs).hasValue(0);
        }
    }

    @Nested
    class FailingStore {
        private final DedupeStore down = new DedupeStore() {
            @Override
            public ClaimResult claim(String key, Duration lease) {
                throw new StoreUnavailableException("redis at localhost:6379 refused the connection");
            }

            @Override
            public boolean complete(String key, Claim claim, Duration retention) {
                throw new StoreUnavailableException("down");
            }

            @Override
            public boolean release(String key, Claim claim) {
                throw new StoreUnavailableException("down");
            }
        };

        @Test
        void aStoreThatCannotClaimFailsClosedWith503AndRetryAfter() {
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier)
                    .dedupeStore(down)
                    .build();
            AtomicInteger runs = new AtomicInteger();

            HttpAnswer answer = receiver.handle(delivery("msg_1"), w -> runs.incrementAndGet());

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.headers()).containsEntry("Retry-After", "10");
            assertThat(answer.bodyText()).contains("STORE_UNAVAILABLE").doesNotContain("6379");
            assertThat(runs).hasValue(0);
        }

        @Test
        void aStoreThatFailsToCompleteDoesNotTurnASuccessIntoAnError() {
            DedupeStore claimsThenFails = new DedupeStore() {
                @Override
                public ClaimResult claim(String key, Duration lease) {
                    return ClaimResult.claimed(Claim.newClaim());
                }

                @Override
                public boolean complete(String key, Claim claim, Duration retention) {
                    throw new StoreUnavailableException("down");
                }

                @Override
                public boolean release(String key, Claim claim) {
                    throw new StoreUnavailableException("down");
                }
            };
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier)
                    .dedupeStore(claimsThenFails)
                    .build();

            Outcome outcome = receiver.receive(delivery("msg_1"));
            Delivery delivery = ((Outcome.Accepted) outcome).delivery();

            assertThat(delivery.complete()).isFalse();
            assertThat(delivery.isFinished()).isTrue();
            assertThat(delivery.release()).isFalse();
        }
    }

    @Nested
    class DedupeKeys {
        @Test
        void theEndpointNamePrefixesKeysSoTwoEndpointsSharingAStoreDoNotCollide() {
            InMemoryDedupeStore shared = InMemoryDedupeStore.create();
            WebhookReceiver a = WebhookReceiver.builder()
                    .verifier(verifier)
                    .dedupeStore(shared)
                    .name("a")
                    .build();
            WebhookReceiver b = WebhookReceiver.builder()
                    .verifier(verifier)
                    .dedupeStore(shared)
                    .name("b")
                    .build();
            ((Outcome.Accepted) a.receive(delivery("msg_1"))).delivery().complete();

            assertThat(b.receive(delivery("msg_1"))).isInstanceOf(Outcome.Accepted.class);
            assertThat(a.receive(delivery("msg_1"))).isInstanceOf(Outcome.Duplicate.class);
        }

        @Test
        void aJsonPointerKeyReadsTheSignedBody() {
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier)
                    .dedupeKey(DedupeKey.jsonPointer("/type"))
                    .build();

            Outcome outcome = receiver.receive(delivery("msg_1"));

            assertThat(((Outcome.Accepted) outcome).delivery().key()).isEqualTo("standard-webhooks:invoice.paid");
        }

        @Test
        void aHeaderKeyUsesTheHeaderAndFallsBackWhenItIsAbsent() {
            DedupeKey key = DedupeKey.header("X-Event-Id").orElse(DedupeKey.deliveryId());
            WebhookRequest withHeader =
                    delivery("msg_1").toBuilder().header("X-Event-Id", "evt_9").build();

            VerifiedWebhook a = verifier.verify(withHeader);
            VerifiedWebhook b = verifier.verify(delivery("msg_2"));

            assertThat(key.of(a)).isEqualTo("evt_9");
            assertThat(key.of(b)).isEqualTo("msg_2");
        }

        @Test
        void theSignatureFallbackIsStableForOneSignedRequestAndDiffersForAnother() {
            WebhookVerifier github = WebhookVerifier.builder()
                    .scheme(Schemes.github())
                    .secret("It's a Secret to Everybody")
                    .build();
            WebhookSigner signGithub = WebhookSigner.builder()
                    .scheme(Schemes.github())
                    .secret("It's a Secret to Everybody")
                    .build();
            WebhookRequest one =
                    signGithub.sign(WebhookMessage.body("{\"a\":1}").build());
            WebhookRequest two =
                    signGithub.sign(WebhookMessage.body("{\"a\":2}").build());

            String first = DedupeKey.signature().of(github.verify(one));

            assertThat(first).startsWith("sig-").hasSize(4 + 64);
            assertThat(DedupeKey.signature().of(github.verify(one))).isEqualTo(first);
            assertThat(DedupeKey.signature().of(github.verify(two))).isNotEqualTo(first);
        }

        @Test
        void byDefaultAnUnsignedDeliveryHeaderIsNotTheKeySoAReplayWithANewOneIsADuplicate() {
            Scheme scheme = Schemes.github();
            String secret = "It's a Secret to Everybody";
            WebhookReceiver receiver = receiverFor(scheme, secret);
            WebhookRequest original = signerFor(scheme, secret)
                    .sign(WebhookMessage.body("{\"zen\":\"Keep it logically awesome.\"}")
                            .id("72d3162e-cc78-11e3-81ab-4c9367dc0958")
                            .build());
            WebhookRequest replay =
                    TestRequests.withHeader(original, "X-GitHub-Delivery", "00000000-0000-0000-0000-000000000000");
            ((Outcome.Accepted) receiver.receive(original)).delivery().complete();

            Outcome outcome = receiver.receive(replay);

            assertThat(outcome).isInstanceOf(Outcome.Duplicate.class);
        }

        @Test
        void aCapturedGithubDeliveryReplayedWithItsHexInOtherCasesIsProcessedOnce() throws Exception {
            // given: one accepted GitHub delivery, then 20 replays whose hex signature differs in letter case only
            Scheme scheme = Schemes.github();
            String secret = "It's a Secret to Everybody";
            WebhookReceiver receiver = receiverFor(scheme, secret);
            WebhookRequest original = signerFor(scheme, secret)
                    .sign(WebhookMessage.body("{\"zen\":\"Design for failure.\"}")
                            .build());
            String signature = original.headers().first("X-Hub-Signature-256").orElseThrow();
            List<WebhookRequest> replays = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                StringBuilder respelt = new StringBuilder(signature);
                for (int j = "sha256=".length(); j < respelt.length(); j++) {
                    if (Character.isLetter(respelt.charAt(j)) && ((i >> (j % 5)) & 1) == 1) {
                        respelt.setCharAt(j, Character.toUpperCase(respelt.charAt(j)));
                    }
                }
                replays.add(TestRequests.withHeader(original, "X-Hub-Signature-256", respelt.toString()));
            }
            ((Outcome.Accepted) receiver.receive(original)).delivery().complete();

            // when: the replays arrive at once
            AtomicInteger processed = new AtomicInteger();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<Outcome>> outcomes = new ArrayList<>();
                for (WebhookRequest replay : replays) {
                    outcomes.add(pool.submit(() -> {
                        Outcome outcome = receiver.receive(replay);
                        if (outcome instanceof Outcome.Accepted accepted) {
                            processed.incrementAndGet();
                            accepted.delivery().complete();
                        }
                        return outcome;
                    }));
                }
                // then: every one verified and is a duplicate; the handler never ran again
                for (java.util.concurrent.Future<Outcome> outcome : outcomes) {
                    assertThat(outcome.get()).isInstanceOf(Outcome.Duplicate.class);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(processed).hasValue(0);
        }

        @Test
        void anIdlessStripeEventReplayedWithAnotherOrUpperCasedV1EntryIsADuplicate() {
            // given: a Stripe event without an id (the key is then the signature's), accepted once
            Scheme scheme = Schemes.stripe();
            String secret = "whsec_stripe_receiver_test";
            WebhookReceiver receiver = receiverFor(scheme, secret);
            WebhookRequest original = signerFor(scheme, secret)
                    .sign(WebhookMessage.body("{\"type\":\"invoice.paid\"}").build());
            String header = original.headers().first("Stripe-Signature").orElseThrow();
            ((Outcome.Accepted) receiver.receive(original)).delivery().complete();

            // when: replayed with a second v1 entry, with the entry upper-cased, and with both
            String v1 = header.substring(header.indexOf(",v1=") + 4);
            List<WebhookRequest> replays = List.of(
                    TestRequests.withHeader(original, "Stripe-Signature", header + ",v1=" + "ab".repeat(32)),
                    TestRequests.withHeader(
                            original, "Stripe-Signature", header.replace(v1, v1.toUpperCase(java.util.Locale.ROOT))),
                    TestRequests.withHeader(original, "Stripe-Signature", header + ",v1=" + v1));

            // then
            for (WebhookRequest replay : replays) {
                assertThat(receiver.receive(replay)).isInstanceOf(Outcome.Duplicate.class);
            }
        }

        @Test
        void byDefaultASignedBodyIdIsTheKey() {
            Scheme scheme = Schemes.stripe();
            String secret = "whsec_stripe_receiver_test";
            WebhookReceiver receiver = receiverFor(scheme, secret);
            WebhookRequest request = signerFor(scheme, secret)
                    .sign(WebhookMessage.body("{\"id\":\"evt_42\",\"type\":\"invoice.paid\"}")
                            .build());

            Outcome outcome = receiver.receive(request);

            assertThat(((Outcome.Accepted) outcome).delivery().key()).isEqualTo("stripe:evt_42");
        }

        @Test
        void aStripeBodyThatIsNotJsonIsRefusedAsMalformedNotClaimedUnderItsSignature() {
            Scheme scheme = Schemes.stripe();
            String secret = "whsec_stripe_receiver_test";
            WebhookReceiver receiver = receiverFor(scheme, secret);
            WebhookRequest notJson = signerFor(scheme, secret)
                    .sign(WebhookMessage.body("{\"id\":\"evt_42\",").build());

            Outcome outcome = receiver.receive(notJson);

            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
            assertThat(outcome.answer().status()).isEqualTo(400);
        }

        @Test
        void aSignedIdMissingFromTheBodyFallsBackToTheSignatureSoSlackCommandsAreReceived() {
            Scheme scheme = Schemes.slack();
            String secret = "8f742231b10e8888abcd99yyyzzz85a5";
            WebhookReceiver receiver = receiverFor(scheme, secret);
            WebhookRequest command = signerFor(scheme, secret)
                    .sign(WebhookMessage.body("command=%2Fweather&text=94070").build());

            Outcome outcome = receiver.receive(command);

            assertThat(((Outcome.Accepted) outcome).delivery().key()).startsWith("slack:sig-");
        }

        @Test
        void aDeliveryWithoutAnyKeyIsRejectedAsMalformedNotProcessed() {
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier)
                    .dedupeKey(DedupeKey.jsonPointer("/missing"))
                    .build();

            Outcome outcome = receiver.receive(delivery("msg_1"));

            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
            assertThat(outcome.answer().status()).isEqualTo(400);
        }
    }

    @Nested
    class Building {
        @Test
        void aVerifierIsRequired() {
            assertThatThrownBy(() -> WebhookReceiver.builder().build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("verifier is required");
        }

        @Test
        void durationsMustBePositiveAndTheBadValueIsEchoed() {
            assertThatThrownBy(() -> WebhookReceiver.builder().lease(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lease must be positive but was PT0S");
            assertThatThrownBy(() -> WebhookReceiver.builder().retention(Duration.ofSeconds(-1)))
                    .hasMessage("retention must be positive but was PT-1S");
        }

        @Test
        void anOptionSetTwiceIsRefused() {
            assertThatThrownBy(
                            () -> WebhookReceiver.builder().verifier(verifier).verifier(verifier))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("verifier was already set");
        }

        @Test
        void nullsAreRefusedByName() {
            assertThatThrownBy(() -> WebhookReceiver.builder().dedupeStore(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("dedupeStore cannot be null");
        }
    }
}
