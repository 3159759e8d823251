package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import io.hookwarden.spi.InboxLease;
import io.hookwarden.spi.InboxQuery;
import io.hookwarden.spi.InboxStats;
import io.hookwarden.spi.StoreUnavailableException;
import io.hookwarden.spi.StoredDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A receiver with an inbox: written first, answered 2xx only after the write, never a 2xx for a lost delivery. */
class InboxReceiverTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    final TestClock clock = new TestClock(NOW);
    final InMemoryInbox inbox = InMemoryInbox.builder().clock(clock).build();

    WebhookVerifier verifier(Scheme scheme, String secret) {
        return WebhookVerifier.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(clock)
                .build();
    }

    WebhookSigner signer(Scheme scheme, String secret) {
        return WebhookSigner.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(clock)
                .build();
    }

    WebhookRequest standard(String id, String body) {
        return signer(Schemes.standardWebhooks(), SECRET)
                .sign(WebhookMessage.body(body).id(id).timestamp(NOW).build());
    }

    WebhookReceiver.Builder receiver() {
        return WebhookReceiver.builder()
                .name("orders")
                .verifier(verifier(Schemes.standardWebhooks(), SECRET))
                .inbox(inbox);
    }

    StoredDelivery only() {
        List<StoredDelivery> all = inbox.find(InboxQuery.all());
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Nested
    class Answers {
        @Test
        void aVerifiedDeliveryIsWrittenThenAnswered200WithoutABody() {
            // given
            WebhookReceiver receiver = receiver().build();

            // when
            Outcome outcome = receiver.receive(standard("msg_1", "{\"type\":\"invoice.paid\"}"));

            // then
            assertThat(outcome).isInstanceOf(Outcome.Queued.class);
            assertThat(outcome.answer().status()).isEqualTo(200);
            assertThat(outcome.answer().body()).isEmpty();
            StoredDelivery stored = only();
            assertThat(stored.state()).isEqualTo(StoredDelivery.State.PENDING);
            assertThat(stored.entry().endpoint()).isEqualTo("orders");
            assertThat(stored.entry().dedupeKey()).isEqualTo("msg_1");
            assertThat(stored.entry().eventId()).isEqualTo("msg_1");
            assertThat(stored.entry().eventType()).isEqualTo("invoice.paid");
            assertThat(stored.entry().eventTimestamp()).isEqualTo(NOW);
            assertThat(stored.entry().matchedKey()).isEqualTo("key-1");
            assertThat(stored.entry().receivedAt()).isEqualTo(NOW);
            assertThat(new String(stored.entry().body(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("{\"type\":\"invoice.paid\"}");
        }

        @Test
        void anEventTypeNoInboxCanHoldIsRefused400NotRetriedForever() {
            // given: a signed body whose type is longer than an inbox holds
            WebhookReceiver receiver =
                    receiver().eventType(EventAttribute.jsonPointer("/type")).build();
            String longType = "x".repeat(InboxEntry.MAX_TEXT_LENGTH + 1);

            // when
            Outcome tooLong = receiver.receive(standard("msg_long", "{\"type\":\"" + longType + "\"}"));
            Outcome withNul = receiver.receive(standard("msg_nul", "{\"type\":\"a\\u0000b\"}"));

            // then
            assertThat(tooLong).isInstanceOf(Outcome.Rejected.class);
            assertThat(((Outcome.Rejected) tooLong).reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
            assertThat(((Outcome.Rejected) withNul).reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
            assertThat(tooLong.answer().status()).isEqualTo(400);
            assertThat(inbox.find(InboxQuery.all())).isEmpty();
        }

        @Test
        void anIdHoldingNulIsRefused400AndAKeyHoldingNulIsStoredAsItsHash() {
            // given
            WebhookReceiver receiver = receiver().build();

            // when
            Outcome nulId = receiver.receive(standard("msg\u0000evil", "{}"));

            // then
            assertThat(((Outcome.Rejected) nulId).reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
            assertThat(inbox.find(InboxQuery.all())).isEmpty();
            assertThat(InboxEndpoint.bounded("key\u0000evil"))
                    .startsWith("sha256:")
                    .hasSize(7 + 64);
            assertThat(InboxEndpoint.bounded("key")).isEqualTo("key");
        }

        @Test
        void theReceivedTimeIsKeptToTheMillisecondAsEveryInboxKeepsIt() {
            // given
            clock.set(NOW.plusNanos(1_234_567));
            WebhookReceiver receiver = receiver().build();

            // when
            receiver.receive(standard("msg_ms", "{}"));

            // then
            assertThat(only().entry().receivedAt()).isEqualTo(NOW.plusMillis(1));
        }

        @Test
        void theAcceptStatusMayBe202() {
            // given
            WebhookReceiver receiver = receiver().acceptStatus(202).build();

            // when
            Outcome outcome = receiver.receive(standard("msg_1", "{}"));

            // then
            assertThat(outcome.answer().status()).isEqualTo(202);
        }

        @Test
        void theAnswerComesOnlyAfterTheWriteReturned() {
            // given: an inbox that records whether the write finished when the outcome is looked at
            AtomicBoolean written = new AtomicBoolean();
            Inbox recording = new ForwardingInbox(inbox) {
                @Override
                public Written write(InboxEntry entry) {
                    Written w = super.write(entry);
                    written.set(true);
                    return w;
                }
            };
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier(Schemes.standardWebhooks(), SECRET))
                    .inbox(recording)
                    .build();

            // when
            HttpAnswer answer = receiver.receive(standard("msg_1", "{}")).answer();

            // then
            assertThat(answer.status()).isEqualTo(200);
            assertThat(written).isTrue();
        }

        @Test
        void anInboxThatThrowsIsAnswered503WithRetryAfterNeverA2xx() {
            // given
            Inbox down = new ForwardingInbox(inbox) {
                @Override
                public Written write(InboxEntry entry) {
                    throw new StoreUnavailableException("database is down");
                }
            };
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier(Schemes.standardWebhooks(), SECRET))
                    .inbox(down)
                    .build();

            // when
            Outcome outcome = receiver.receive(standard("msg_1", "{}"));

            // then
            assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
            assertThat(outcome.answer().status()).isEqualTo(503);
            assertThat(outcome.answer().headers()).containsKey("Retry-After");
        }

        @Test
        void anyRuntimeExceptionFromTheInboxIs503() {
            // given
            Inbox broken = new ForwardingInbox(inbox) {
                @Override
                public Written write(InboxEntry entry) {
                    throw new IllegalStateException("pool closed");
                }
            };
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier(Schemes.standardWebhooks(), SECRET))
                    .inbox(broken)
                    .build();

            // when
            Outcome outcome = receiver.receive(standard("msg_1", "{}"));

            // then
            assertThat(outcome.answer().status()).isEqualTo(503);
        }

        @Test
        void theSecondWriteOfADeliveryIsADuplicate() {
            // given
            WebhookReceiver receiver = receiver().build();
            WebhookRequest request = standard("msg_1", "{}");
            receiver.receive(request);

            // when
            Outcome again = receiver.receive(request);

            // then
            assertThat(again).isInstanceOf(Outcome.Duplicate.class);
            assertThat(again.answer().status()).isEqualTo(200);
            assertThat(inbox.size()).isEqualTo(1);
        }

        @Test
        void aForgedDeliveryIsRefusedAndNothingIsWritten() {
            // given
            WebhookReceiver receiver = receiver().build();
            WebhookRequest forged = signer(Schemes.standardWebhooks(), "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY")
                    .sign(WebhookMessage.body("{}").id("msg_1").timestamp(NOW).build());

            // when
            Outcome outcome = receiver.receive(forged);

            // then
            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(inbox.size()).isZero();
        }

        @Test
        void anExpiredDeliveryIsRefusedAndNothingIsWritten() {
            // given
            WebhookReceiver receiver = receiver().build();
            WebhookRequest old = signer(Schemes.standardWebhooks(), SECRET)
                    .sign(WebhookMessage.body("{}")
                            .id("msg_1")
                            .timestamp(NOW.minus(Duration.ofHours(1)))
                            .build());

            // when
            Outcome outcome = receiver.receive(old);

            // then
            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
            assertThat(inbox.size()).isZero();
        }

        @Test
        void handleWithAnInboxAnswersQueuedWithoutRunningTheHandler() {
            // given
            WebhookReceiver receiver = receiver().build();
            AtomicInteger ran = new AtomicInteger();

            // when
            HttpAnswer answer = receiver.handle(standard("msg_1", "{}"), webhook -> ran.incrementAndGet());

            // then
            assertThat(answer.status()).isEqualTo(200);
            assertThat(ran).hasValue(0);
            assertThat(inbox.size()).isEqualTo(1);
        }

        @Test
        void theListenerHearsQueued() {
            // given
            List<String> heard = new ArrayList<>();
            WebhookReceiver receiver = receiver()
                    .listener((endpoint, scheme, request) -> new DeliveryListener.Observer() {
                        @Override
                        public void queued(VerifiedWebhook webhook, Duration took, int status) {
                            heard.add("queued " + webhook.id().orElseThrow() + " " + status);
                        }

                        @Override
                        public void accepted(VerifiedWebhook webhook, Duration took) {
                            heard.add("accepted");
                        }
                    })
                    .build();

            // when
            receiver.receive(standard("msg_1", "{}"));

            // then
            assertThat(heard).containsExactly("queued msg_1 200");
        }
    }

    @Nested
    class WhatIsStored {
        @Test
        void noAuthorizationCookieNorGitlabTokenIsStored() {
            // given
            String token = "gitlab-secret-token";
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier(Schemes.gitlab(), token))
                    .inbox(inbox)
                    .build();
            WebhookRequest request = signer(Schemes.gitlab(), token)
                    .sign(WebhookMessage.body("{\"object_kind\":\"push\"}")
                            .id("idem-1")
                            .eventType("Push Hook")
                            .build())
                    .toBuilder()
                    .header("Authorization", "Bearer abc")
                    .header("proxy-authorization", "Basic xyz")
                    .header("Cookie", "session=1")
                    .header("X-Request-Id", "r-1")
                    .build();

            // when
            Outcome outcome = receiver.receive(request);

            // then
            assertThat(outcome).isInstanceOf(Outcome.Queued.class);
            InboxEntry entry = only().entry();
            assertThat(entry.headers().names())
                    .noneMatch(n -> n.equalsIgnoreCase("X-Gitlab-Token")
                            || n.equalsIgnoreCase("Authorization")
                            || n.equalsIgnoreCase("Proxy-Authorization")
                            || n.equalsIgnoreCase("Cookie"));
            assertThat(entry.headers().first("X-Request-Id")).contains("r-1");
            assertThat(entry.headers().first("X-Gitlab-Event")).contains("Push Hook");
            entry.headers().forEach((name, value) -> assertThat(value).doesNotContain(token));
            assertThat(entry.dedupeKey()).isEqualTo("idem-1");
        }

        @Test
        void theQueryIsDroppedFromTheUrlForStripe() {
            // given
            String secret = "whsec_stripe_receiver_test";
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(verifier(Schemes.stripe(), secret))
                    .inbox(inbox)
                    .build();
            WebhookRequest request = signer(Schemes.stripe(), secret)
                    .sign(WebhookMessage.body("{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}")
                            .build())
                    .toBuilder()
                    .url("https://user:pw@hooks.example.com/stripe?token=abc#x")
                    .build();

            // when
            receiver.receive(request);

            // then
            assertThat(only().entry().url()).isEqualTo("https://hooks.example.com/stripe");
        }

        @Test
        void theQueryIsKeptForTwilioWhichSignsIt() {
            // given
            String secret = "twilio-auth-token-123";
            String url = "https://hooks.example.com/twilio/sms?tenant=7";
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .verifier(WebhookVerifier.builder()
                            .scheme(Schemes.twilio())
                            .secret(secret)
                            .build())
                    .inbox(inbox)
                    .build();
            WebhookRequest request = WebhookSigner.builder()
                    .scheme(Schemes.twilio())
                    .secret(secret)
                    .build()
                    .sign(WebhookMessage.body("From=%2B15550001&Body=hi")
                            .url(url)
                            .build());

            // when
            Outcome outcome = receiver.receive(request);

            // then
            assertThat(outcome).isInstanceOf(Outcome.Queued.class);
            assertThat(only().entry().url()).isEqualTo(url);
        }

        @Test
        void theQueryIsKeptForSquareAndAGenericSchemeThatSignTheUrl() {
            // given
            String secret = "square-signature-key-123";
            String url = "https://hooks.example.com/square?tenant=7";
            Scheme urlSigned = Schemes.hmac()
                    .id("url-signed")
                    .signatureHeader("X-Url-Signature")
                    .signedContent("{url}\n{body}")
                    .build();
            for (Scheme scheme : List.of(Schemes.square(), urlSigned)) {
                InMemoryInbox own = InMemoryInbox.create();
                WebhookReceiver receiver = WebhookReceiver.builder()
                        .verifier(verifier(scheme, secret))
                        .inbox(own)
                        .build();
                WebhookRequest request = signer(scheme, secret)
                        .sign(WebhookMessage.body("{\"event_id\":\"e1\"}")
                                .url(url)
                                .build());

                // when
                Outcome outcome = receiver.receive(request);

                // then
                assertThat(outcome).as(scheme.id()).isInstanceOf(Outcome.Queued.class);
                assertThat(own.find(InboxQuery.all()).get(0).entry().url())
                        .as(scheme.id())
                        .isEqualTo(url);
            }
        }

        @Test
        void aVeryLongDedupeKeyIsStoredAsItsDigest() {
            // given
            String id = "m".repeat(InboxEntry.MAX_KEY_LENGTH + 1);
            WebhookReceiver receiver = receiver().build();

            // when
            Outcome outcome = receiver.receive(standard(id, "{}"));

            // then
            assertThat(outcome).isInstanceOf(Outcome.Queued.class);
            assertThat(only().entry().dedupeKey()).startsWith("sha256:").hasSize(7 + 64);
        }
    }

    @Nested
    class Ordering {
        @Test
        void anOrderedDeliveryCarriesItsKeyAndTheSignedTimestampAsSequence() {
            // given
            WebhookReceiver receiver = receiver()
                    .ordering(InboxEntry.Ordering.STRICT, EventAttribute.jsonPointer("/data/id"))
                    .build();

            // when
            receiver.receive(standard("msg_1", "{\"data\":{\"id\":\"cus_1\"}}"));

            // then
            InboxEntry entry = only().entry();
            assertThat(entry.ordering()).isEqualTo(InboxEntry.Ordering.STRICT);
            assertThat(entry.orderingKey()).isEqualTo("cus_1");
            assertThat(entry.sequence()).isEqualTo(NOW.toEpochMilli());
        }

        @Test
        void aConfiguredSequenceIsReadAsANumber() {
            // given
            WebhookReceiver receiver = receiver()
                    .ordering(InboxEntry.Ordering.LATEST, EventAttribute.jsonPointer("/data/id"))
                    .sequence(EventAttribute.jsonPointer("/seq"))
                    .build();

            // when
            receiver.receive(standard("msg_1", "{\"seq\":42,\"data\":{\"id\":\"cus_1\"}}"));

            // then
            assertThat(only().entry().sequence()).isEqualTo(42);
        }

        @Test
        void aDeliveryWhoseKeyCannotBeReadIsQueuedUnordered() {
            // given
            WebhookReceiver receiver = receiver()
                    .ordering(InboxEntry.Ordering.STRICT, EventAttribute.jsonPointer("/data/id"))
                    .build();

            // when
            Outcome outcome = receiver.receive(standard("msg_1", "not json at all"));

            // then
            assertThat(outcome).isInstanceOf(Outcome.Queued.class);
            assertThat(only().entry().ordering()).isEqualTo(InboxEntry.Ordering.NONE);
            assertThat(only().entry().orderingKey()).isNull();
        }

        @Test
        void aDeliveryWhoseSequenceCannotBeReadIsQueuedUnordered() {
            // given
            WebhookReceiver receiver = receiver()
                    .ordering(InboxEntry.Ordering.STRICT, EventAttribute.jsonPointer("/data/id"))
                    .sequence(EventAttribute.jsonPointer("/seq"))
                    .build();

            // when
            Outcome outcome = receiver.receive(standard("msg_1", "{\"seq\":\"soon\",\"data\":{\"id\":\"c\"}}"));

            // then
            assertThat(outcome).isInstanceOf(Outcome.Queued.class);
            assertThat(only().entry().ordering()).isEqualTo(InboxEntry.Ordering.NONE);
        }
    }

    @Nested
    class Building {
        @Test
        void anInboxAndADedupeStoreConflict() {
            // given
            WebhookReceiver.Builder builder = receiver().dedupeStore(InMemoryDedupeStore.create());

            // when / then
            assertThatThrownBy(builder::build)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inbox conflicts with dedupeStore");
        }

        @Test
        void theAcceptStatusIs200Or202Only() {
            assertThatThrownBy(() -> receiver().acceptStatus(204))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("acceptStatus must be 200 or 202 but was 204");
        }

        @Test
        void theAcceptStatusNeedsAnInbox() {
            WebhookReceiver.Builder builder = WebhookReceiver.builder()
                    .verifier(verifier(Schemes.standardWebhooks(), SECRET))
                    .acceptStatus(202);

            assertThatThrownBy(builder::build)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("acceptStatus needs an inbox");
        }

        @Test
        void orderingNoneIsRefused() {
            assertThatThrownBy(() -> receiver().ordering(InboxEntry.Ordering.NONE, EventAttribute.header("X")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ordering must be STRICT or LATEST but was NONE");
        }

        @Test
        void aSequenceNeedsOrdering() {
            WebhookReceiver.Builder builder = receiver().sequence(EventAttribute.header("X-Seq"));

            assertThatThrownBy(builder::build)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("sequence needs ordering");
        }
    }

    /** An inbox that forwards every call, for tests that change one. */
    static class ForwardingInbox implements Inbox {
        final Inbox delegate;

        ForwardingInbox(Inbox delegate) {
            this.delegate = delegate;
        }

        @Override
        public Written write(InboxEntry entry) {
            return delegate.write(entry);
        }

        @Override
        public List<InboxLease> claim(Collection<String> endpoints, int max, Duration lease) {
            return delegate.claim(endpoints, max, lease);
        }

        @Override
        public Optional<InboxLease> heartbeat(InboxLease lease, Duration extension) {
            return delegate.heartbeat(lease, extension);
        }

        @Override
        public boolean complete(InboxLease lease) {
            return delegate.complete(lease);
        }

        @Override
        public List<Boolean> completeAll(List<InboxLease> leases) {
            return delegate.completeAll(leases);
        }

        @Override
        public boolean retry(InboxLease lease, Instant notBefore, String error) {
            return delegate.retry(lease, notBefore, error);
        }

        @Override
        public boolean bury(InboxLease lease, String error) {
            return delegate.bury(lease, error);
        }

        @Override
        public boolean skip(InboxLease lease, String why) {
            return delegate.skip(lease, why);
        }

        @Override
        public OptionalLong completedSequence(String endpoint, String orderingKey) {
            return delegate.completedSequence(endpoint, orderingKey);
        }

        @Override
        public Optional<StoredDelivery> get(String id) {
            return delegate.get(id);
        }

        @Override
        public List<StoredDelivery> find(InboxQuery query) {
            return delegate.find(query);
        }

        @Override
        public int replay(InboxQuery query) {
            return delegate.replay(query);
        }

        @Override
        public boolean replay(String id) {
            return delegate.replay(id);
        }

        @Override
        public int purge(InboxQuery query) {
            return delegate.purge(query);
        }

        @Override
        public int purgeSettled(Instant before, int batch) {
            return delegate.purgeSettled(before, batch);
        }

        @Override
        public InboxStats stats(String endpoint) {
            return delegate.stats(endpoint);
        }
    }
}
