package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant keys (issue 16): each delivery verified with the keys of the tenant it names, read from a function, cached
 * and refreshed; unknown tenants answered exactly as a wrong signature; a failing source served from the cache or
 * answered 503; bounded caches and reads.
 */
class TenantKeysTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String ACME =
            "whsec_" + java.util.Base64.getEncoder().encodeToString("acme-secret-0123456789".getBytes());
    static final String GLOBEX =
            "whsec_" + java.util.Base64.getEncoder().encodeToString("globex-secret-0123456789".getBytes());
    static final String ACME_NEXT =
            "whsec_" + java.util.Base64.getEncoder().encodeToString("acme-rotated-0123456789".getBytes());

    final TestClock clock = new TestClock(NOW);
    final Map<String, String> secrets = new ConcurrentHashMap<>(Map.of("acme", ACME, "globex", GLOBEX));
    final AtomicInteger reads = new AtomicInteger();
    final Function<String, Optional<Keys>> source = tenant -> {
        reads.incrementAndGet();
        return Optional.ofNullable(secrets.get(tenant)).map(Keys::of);
    };

    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    final Logger jul = Logger.getLogger(TenantKeys.class.getName());

    @BeforeEach
    void captureLog() {
        jul.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        jul.removeHandler(capture);
    }

    WebhookVerifier verifier(TenantKeys tenants) {
        return WebhookVerifier.builder()
                .scheme(Schemes.standardWebhooks())
                .tenantKeys(tenants)
                .clock(clock)
                .build();
    }

    WebhookReceiver receiver(TenantKeys tenants) {
        return WebhookReceiver.builder()
                .verifier(verifier(tenants))
                .dedupeStore(InMemoryDedupeStore.builder().build())
                .build();
    }

    TenantKeys.Builder byPath() {
        return TenantKeys.builder().tenantFromPath("/hooks/{tenant}").keys(source);
    }

    WebhookRequest signed(String secret, String url) {
        return signed(secret, url, "{\"type\":\"invoice.paid\",\"account\":\"acme\"}");
    }

    WebhookRequest signed(String secret, String url, String body) {
        return WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(secret)
                .clock(clock)
                .build()
                .sign(WebhookMessage.body(body).url(url).build());
    }

    static WebhookVerificationException refusal(WebhookVerifier verifier, WebhookRequest request) {
        return TestRequests.refusal(verifier, request);
    }

    String logText() {
        StringBuilder text = new StringBuilder();
        records.forEach(r -> text.append(r.getMessage()).append('\n'));
        return text.toString();
    }

    @Nested
    class WhereTheTenantIsNamed {
        @Test
        void eachTenantIsVerifiedWithItsOwnKeysAndTheMatchedKeyNamesIt() {
            WebhookVerifier verifier = verifier(byPath().build());

            assertThat(verifier.verify(signed(ACME, "https://h.example.com/hooks/acme"))
                            .matchedKey())
                    .isEqualTo("acme/key-1");
            assertThat(verifier.verify(signed(GLOBEX, "https://h.example.com/hooks/globex"))
                            .matchedKey())
                    .isEqualTo("globex/key-1");
            // signed by acme, sent to globex's path: globex's keys only
            assertThat(refusal(verifier, signed(ACME, "https://h.example.com/hooks/globex"))
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void aPathOfAnotherShapeNamesNoTenant() {
            WebhookVerifier verifier = verifier(byPath().build());

            for (String url : List.of(
                    "https://h.example.com/hooks",
                    "https://h.example.com/hooks/acme/extra",
                    "https://h.example.com/other/acme",
                    "https://h.example.com/hooks/")) {
                assertThat(refusal(verifier, signed(ACME, url)).reason())
                        .as(url)
                        .isEqualTo(Reason.SIGNATURE_MISMATCH);
            }
            assertThat(reads).hasValue(0);
        }

        @Test
        void aHeaderAQueryParameterOrABodyFieldNamesTheTenant() {
            WebhookRequest inBody = signed(ACME, "https://h.example.com/in");
            assertThat(verifier(TenantKeys.builder()
                                    .tenantFromBody("/account")
                                    .keys(source)
                                    .build())
                            .verify(inBody)
                            .matchedKey())
                    .isEqualTo("acme/key-1");

            WebhookRequest inQuery = signed(GLOBEX, "https://h.example.com/in?x=1&tenant=globex");
            assertThat(verifier(TenantKeys.builder()
                                    .tenantFromQuery("tenant")
                                    .keys(source)
                                    .build())
                            .verify(inQuery)
                            .matchedKey())
                    .isEqualTo("globex/key-1");

            WebhookRequest inHeader =
                    TestRequests.withHeader(signed(GLOBEX, "https://h.example.com/in"), "X-Account-Id", "globex");
            assertThat(verifier(TenantKeys.builder()
                                    .tenantFromHeader("X-Account-Id")
                                    .keys(source)
                                    .build())
                            .verify(inHeader)
                            .matchedKey())
                    .isEqualTo("globex/key-1");
        }

        @Test
        void aTenantNameOutsideTheSafeCharactersIsNeverLookedUp() {
            WebhookVerifier verifier = verifier(TenantKeys.builder()
                    .tenantFromHeader("X-Tenant")
                    .keys(source)
                    .build());
            WebhookRequest base = signed(ACME, "https://h.example.com/in");

            for (String name : List.of("", "..", ".", "a b", "acme/../globex", "ac%6De", "é", "x".repeat(129))) {
                assertThat(refusal(verifier, TestRequests.withHeader(base, "X-Tenant", name))
                                .reason())
                        .as(name)
                        .isEqualTo(Reason.SIGNATURE_MISMATCH);
            }
            assertThat(refusal(verifier, base).reason()).as("no header").isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(reads).hasValue(0);
            assertThat(verifier.verify(TestRequests.withHeader(base, "X-Tenant", "acme"))
                            .matchedKey())
                    .isEqualTo("acme/key-1");
        }
    }

    @Nested
    class NoOracle {
        @Test
        void anUnknownTenantGetsTheAnswerOfAWrongSignature() {
            WebhookReceiver receiver = receiver(byPath().build());

            Outcome unknown = receiver.receive(signed(ACME, "https://h.example.com/hooks/initech"));
            Outcome forged = receiver.receive(signed(GLOBEX, "https://h.example.com/hooks/acme"));

            assertThat(unknown).isInstanceOf(Outcome.Rejected.class);
            assertThat(forged).isInstanceOf(Outcome.Rejected.class);
            assertThat(((Outcome.Rejected) unknown).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(unknown.answer().status())
                    .isEqualTo(401)
                    .isEqualTo(forged.answer().status());
            assertThat(unknown.answer().body()).isEqualTo(forged.answer().body());
            assertThat(unknown.answer().headers()).isEqualTo(forged.answer().headers());
        }

        @Test
        void anUnknownTenantIsAskedForOncePerPeriod() {
            WebhookVerifier verifier =
                    verifier(byPath().unknownFor(Duration.ofSeconds(30)).build());
            WebhookRequest toInitech = signed(ACME, "https://h.example.com/hooks/initech");

            for (int i = 0; i < 20; i++) {
                assertThat(refusal(verifier, toInitech).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            }
            assertThat(reads).hasValue(1);

            secrets.put("initech", ACME); // the tenant is added: seen once the period has passed
            clock.advance(Duration.ofSeconds(31));
            assertThat(verifier.verify(signed(ACME, "https://h.example.com/hooks/initech"))
                            .matchedKey())
                    .isEqualTo("initech/key-1");
            assertThat(reads).hasValue(2);
        }
    }

    @Nested
    class Rotation {
        @Test
        void aRotatedSecretIsReadAgainAfterTheRefreshPeriod() {
            WebhookVerifier verifier =
                    verifier(byPath().refreshAfter(Duration.ofMinutes(5)).build());
            String url = "https://h.example.com/hooks/acme";
            verifier.verify(signed(ACME, url));

            secrets.put("acme", ACME_NEXT);
            clock.advance(Duration.ofMinutes(4));
            assertThat(verifier.verify(signed(ACME, url)).matchedKey()).isEqualTo("acme/key-1");
            assertThat(refusal(verifier, signed(ACME_NEXT, url)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);

            clock.advance(Duration.ofMinutes(2));
            assertThat(verifier.verify(signed(ACME_NEXT, url)).matchedKey()).isEqualTo("acme/key-1");
            assertThat(refusal(verifier, signed(ACME, url)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(reads).hasValue(2);
        }

        @Test
        void invalidateMakesTheOldSecretStopAtOnce() {
            TenantKeys tenants = byPath().build();
            WebhookVerifier verifier = verifier(tenants);
            String url = "https://h.example.com/hooks/acme";
            verifier.verify(signed(ACME, url));

            secrets.put("acme", ACME_NEXT);
            tenants.invalidate("acme");

            assertThat(refusal(verifier, signed(ACME, url)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(verifier.verify(signed(ACME_NEXT, url)).matchedKey()).isEqualTo("acme/key-1");
        }

        @Test
        void severalKeysAtOnceWhileRotating() {
            Function<String, Optional<Keys>> both = tenant -> Optional.of(
                    Keys.builder().add("old", ACME).add("new", ACME_NEXT).build());
            WebhookVerifier verifier = verifier(TenantKeys.builder()
                    .tenantFromPath("/hooks/{tenant}")
                    .keys(both)
                    .build());
            String url = "https://h.example.com/hooks/acme";

            assertThat(verifier.verify(signed(ACME, url)).matchedKey()).isEqualTo("acme/old");
            assertThat(verifier.verify(signed(ACME_NEXT, url)).matchedKey()).isEqualTo("acme/new");
        }
    }

    @Nested
    class WhenTheSourceFails {
        static final String LEAKY = "vault said: the secret is whsec_TOPSECRET";

        @Test
        void cachedKeysGoOnServingAndTheFailureIsLoggedWithoutItsMessage() {
            AtomicInteger calls = new AtomicInteger();
            TenantKeys tenants = TenantKeys.builder()
                    .tenantFromPath("/hooks/{tenant}")
                    .refreshAfter(Duration.ofMinutes(1))
                    .keys(tenant -> {
                        if (calls.incrementAndGet() > 1) {
                            throw new IllegalStateException(LEAKY);
                        }
                        return Optional.of(Keys.of(ACME));
                    })
                    .build();
            WebhookVerifier verifier = verifier(tenants);
            String url = "https://h.example.com/hooks/acme";
            verifier.verify(signed(ACME, url));

            clock.advance(Duration.ofMinutes(2));
            assertThat(verifier.verify(signed(ACME, url)).matchedKey()).isEqualTo("acme/key-1");
            // not asked again on every delivery while it fails: after a tenth of the period
            verifier.verify(signed(ACME, url));
            assertThat(calls).hasValue(2);

            assertThat(logText()).contains("acme", IllegalStateException.class.getName());
            assertThat(logText()).doesNotContain("TOPSECRET");
        }

        @Test
        void withNothingCachedTheDeliveryIsRefusedAsRetryable() {
            WebhookReceiver receiver = receiver(TenantKeys.builder()
                    .tenantFromPath("/hooks/{tenant}")
                    .keys(tenant -> {
                        throw new IllegalStateException(LEAKY);
                    })
                    .build());

            Outcome outcome = receiver.receive(signed(ACME, "https://h.example.com/hooks/acme"));

            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
            assertThat(outcome.answer().status()).isEqualTo(503);
            assertThat(((Outcome.Rejected) outcome).detail()).doesNotContain("TOPSECRET");
            assertThat(new String(outcome.answer().body(), java.nio.charset.StandardCharsets.UTF_8))
                    .doesNotContain("TOPSECRET");
            assertThat(logText()).doesNotContain("TOPSECRET");
        }

        @Test
        void aKeyTheSchemeCannotUseIsRetryableAndNeverShown() {
            WebhookReceiver receiver = receiver(TenantKeys.builder()
                    .tenantFromPath("/hooks/{tenant}")
                    .keys(tenant -> Optional.of(Keys.of("whsec_c2hvcnQ="))) // 5 bytes: too short
                    .build());

            Outcome outcome = receiver.receive(signed(ACME, "https://h.example.com/hooks/acme"));

            assertThat(((Outcome.Rejected) outcome).reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
            assertThat(logText()).contains("acme/key-1").doesNotContain("c2hvcnQ");
            assertThat(((Outcome.Rejected) outcome).detail()).doesNotContain("c2hvcnQ");
        }
    }

    @Nested
    class Bounds {
        @Test
        void aFloodOfInventedTenantsIsReadAtTheBoundedRateAndLeavesKnownTenantsAlone() {
            WebhookVerifier verifier =
                    verifier(byPath().maximumLoadsPerSecond(5).build());
            String acme = "https://h.example.com/hooks/acme";
            verifier.verify(signed(ACME, acme)); // read 1

            int unavailable = 0;
            for (int i = 0; i < 50; i++) {
                Reason reason = refusal(verifier, signed(ACME, "https://h.example.com/hooks/t" + i))
                        .reason();
                if (reason == Reason.KEYS_UNAVAILABLE) {
                    unavailable++;
                } else {
                    assertThat(reason).isEqualTo(Reason.SIGNATURE_MISMATCH);
                }
            }

            assertThat(reads).hasValue(5);
            assertThat(unavailable).isEqualTo(46);
            assertThat(verifier.verify(signed(ACME, acme)).matchedKey()).isEqualTo("acme/key-1");
            clock.advance(Duration.ofSeconds(1)); // a new second: reads again
            assertThat(refusal(verifier, signed(ACME, "https://h.example.com/hooks/t49"))
                            .reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void theKnownTenantsCacheIsBounded() {
            TenantKeys tenants = TenantKeys.builder()
                    .tenantFromPath("/hooks/{tenant}")
                    .keys(tenant -> Optional.of(Keys.of(ACME)))
                    .maximumTenants(16)
                    .maximumLoadsPerSecond(1_000)
                    .build();
            WebhookVerifier verifier = verifier(tenants);

            for (int i = 0; i < 200; i++) {
                assertThat(verifier.verify(signed(ACME, "https://h.example.com/hooks/t" + i))
                                .matchedKey())
                        .isEqualTo("t" + i + "/key-1");
            }

            assertThat(tenants.cachedTenants()).isBetween(1, 16);
        }

        @Test
        void aFullCacheEvictsTheTenantsUnusedLongestNeverABusyOne() {
            Map<String, Integer> reads = new ConcurrentHashMap<>();
            TenantKeys tenants = TenantKeys.builder()
                    .tenantFromPath("/hooks/{tenant}")
                    .keys(tenant -> {
                        reads.merge(tenant, 1, Integer::sum);
                        return Optional.of(Keys.of(ACME));
                    })
                    .maximumTenants(16)
                    .maximumLoadsPerSecond(1_000)
                    .build();
            WebhookVerifier verifier = verifier(tenants);

            // a busy tenant gets a delivery between every new tenant's first, 200 new tenants in all
            for (int i = 0; i < 200; i++) {
                clock.advance(Duration.ofMillis(1));
                assertThat(verifier.verify(signed(ACME, "https://h.example.com/hooks/busy"))
                                .matchedKey())
                        .isEqualTo("busy/key-1");
                clock.advance(Duration.ofMillis(1));
                assertThat(verifier.verify(signed(ACME, "https://h.example.com/hooks/t" + i))
                                .matchedKey())
                        .isEqualTo("t" + i + "/key-1");
            }

            // the busy tenant was read once and never evicted; the newest tenants are still held, the oldest are not
            assertThat(reads).containsEntry("busy", 1);
            assertThat(tenants.cachedTenants()).isBetween(2, 16);
            verifier.verify(signed(ACME, "https://h.example.com/hooks/t199"));
            assertThat(reads).containsEntry("t199", 1);
            verifier.verify(signed(ACME, "https://h.example.com/hooks/t0"));
            assertThat(reads).containsEntry("t0", 2);
        }

        @Test
        void concurrentFirstDeliveriesOfATenantReadItsKeysOnce() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger calls = new AtomicInteger();
            WebhookVerifier verifier = verifier(TenantKeys.builder()
                    .tenantFromPath("/hooks/{tenant}")
                    .keys(tenant -> {
                        calls.incrementAndGet();
                        try {
                            release.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return Optional.of(Keys.of(ACME));
                    })
                    .build());
            WebhookRequest request = signed(ACME, "https://h.example.com/hooks/acme");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<VerifiedWebhook>> results = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    results.add(pool.submit(() -> verifier.verify(request)));
                }
                Thread.sleep(200); // let every thread reach the read in flight
                release.countDown();
                for (Future<VerifiedWebhook> result : results) {
                    assertThat(result.get(10, TimeUnit.SECONDS).matchedKey()).isEqualTo("acme/key-1");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(calls).hasValue(1);
        }
    }

    @Nested
    class Building {
        @Test
        void keysAndTenantKeysExcludeEachOther() {
            assertThatThrownBy(() -> WebhookVerifier.builder().secret(ACME).tenantKeys(byPath().build()))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> WebhookVerifier.builder()
                            .tenantKeys(byPath().build())
                            .secret(ACME))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void oneTenantKeysServesOneScheme() {
            TenantKeys tenants = byPath().build();
            verifier(tenants);
            assertThatThrownBy(() -> WebhookVerifier.builder()
                            .scheme(Schemes.github())
                            .tenantKeys(tenants)
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("standard-webhooks");
        }

        @Test
        void missingAndBadOptionsAreNamed() {
            assertThatThrownBy(() -> TenantKeys.builder().keys(source).build())
                    .isInstanceOf(MissingOptionException.class)
                    .hasMessageContaining("tenantFromPath");
            assertThatThrownBy(
                            () -> TenantKeys.builder().tenantFromHeader("X-T").build())
                    .isInstanceOf(MissingOptionException.class)
                    .hasMessageContaining("keys");
            assertThatThrownBy(() -> TenantKeys.builder().tenantFromPath("/hooks/tenant"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no {tenant}");
            assertThatThrownBy(() -> TenantKeys.builder().tenantFromPath("/{tenant}/{tenant}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("two {tenant}");
            assertThatThrownBy(() -> TenantKeys.builder().tenantFromBody("account"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> TenantKeys.builder().maximumTenants(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maximumTenants");
            assertThatThrownBy(() -> TenantKeys.builder().tenantFromHeader("A").tenantFromQuery("b"))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aSignedHandshakeIsAnsweredWithTheTenantsKey() {
        String slackSecret = "slack-signing-secret-acme-0001";
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.slack())
                        .tenantKeys(TenantKeys.builder()
                                .tenantFromPath("/slack/{tenant}")
                                .keys(tenant -> Optional.of(Keys.of(slackSecret)))
                                .build())
                        .clock(clock)
                        .build())
                .dedupeStore(InMemoryDedupeStore.builder().build())
                .build();
        WebhookRequest challenge = WebhookSigner.builder()
                .scheme(Schemes.slack())
                .secret(slackSecret)
                .clock(clock)
                .build()
                .sign(WebhookMessage.body("{\"type\":\"url_verification\",\"challenge\":\"c0ffee\"}")
                        .url("https://h.example.com/slack/acme")
                        .build());

        Outcome outcome = receiver.receive(challenge);

        assertThat(outcome).isInstanceOf(Outcome.Handshake.class);
        assertThat(new String(outcome.answer().body(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("c0ffee");
    }
}
