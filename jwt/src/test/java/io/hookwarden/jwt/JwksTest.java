package io.hookwarden.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hookwarden.HttpAnswer;
import io.hookwarden.Reason;
import io.hookwarden.Scheme;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.test.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keys from a JWKS URL served on loopback (issue 16): fetched once and cached, refreshed on an unknown kid at most once
 * per interval however many arrive, kept through an outage, and a retryable 503 when there are none.
 */
class JwksTest {
    static final String ISSUER = "https://login.example.com/";
    static final String AUDIENCE = "https://hooks.example.com/orders";
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final JwtFixtures.SigningKey CURRENT = JwtFixtures.rsaKey("2026-03");
    static final JwtFixtures.SigningKey NEXT = JwtFixtures.ecKey("2026-04");
    static final JwtFixtures.SigningKey STRANGER = JwtFixtures.rsaKey("stranger");

    final MutableClock clock = MutableClock.at(NOW);
    final List<JwtFixtures.JwksServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(JwtFixtures.JwksServer::close);
    }

    JwtFixtures.JwksServer serve(JwtFixtures.SigningKey... keys) throws Exception {
        JwtFixtures.JwksServer server = JwtFixtures.JwksServer.start(JwtFixtures.jwks(keys));
        servers.add(server);
        return server;
    }

    WebhookVerifier verifier(JwtFixtures.JwksServer server) {
        Scheme scheme = JwtSchemes.bearer()
                .jwksUrl(server.url())
                .issuers(ISSUER)
                .audiences(AUDIENCE)
                .jwksMinInterval(Duration.ofSeconds(30))
                .jwksTtl(Duration.ofMinutes(5))
                .jwksTimeout(Duration.ofSeconds(2))
                .build();
        return WebhookVerifier.builder().scheme(scheme).clock(clock).build();
    }

    WebhookRequest delivery(JwtFixtures.SigningKey key) {
        return delivery(key, key.kid());
    }

    WebhookRequest delivery(JwtFixtures.SigningKey key, String kid) {
        String token = JwtFixtures.token(key)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issuedAt(clock.instant())
                .kid(kid)
                .sign();
        return WebhookRequest.builder()
                .header("Authorization", "Bearer " + token)
                .body("{}".getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static WebhookVerificationException refusal(WebhookVerifier verifier, WebhookRequest request) {
        Throwable thrown = catchThrowable(() -> verifier.verify(request));
        assertThat(thrown).isInstanceOf(WebhookVerificationException.class);
        return (WebhookVerificationException) thrown;
    }

    @Test
    void keysAreFetchedOnTheFirstDeliveryAndCachedAndTheKidNamesTheMatchedKey() throws Exception {
        JwtFixtures.JwksServer server = serve(CURRENT, NEXT);
        WebhookVerifier verifier = verifier(server);
        assertThat(server.fetches()).isZero();

        for (int i = 0; i < 5; i++) {
            assertThat(verifier.verify(delivery(CURRENT)).matchedKey()).isEqualTo("2026-03");
            assertThat(verifier.verify(delivery(NEXT)).matchedKey()).isEqualTo("2026-04");
        }

        assertThat(server.fetches()).isEqualTo(1);
    }

    @Test
    void aKeyWithoutKidIsNamedByTheIssuer() throws Exception {
        JwtFixtures.JwksServer server = serve(CURRENT);
        server.serve("{\"keys\":[" + CURRENT.publicJwk().replace("\"kid\":\"2026-03\",", "") + "]}");

        assertThat(verifier(server).verify(delivery(CURRENT, null)).matchedKey())
                .isEqualTo(ISSUER);
    }

    @Test
    void anUnknownKidFetchesTheRotatedKeysOnce() throws Exception {
        JwtFixtures.JwksServer server = serve(CURRENT);
        WebhookVerifier verifier = verifier(server);
        verifier.verify(delivery(CURRENT));
        server.serve(JwtFixtures.jwks(CURRENT, NEXT)); // the provider rotates
        clock.advance(Duration.ofSeconds(31));

        assertThat(verifier.verify(delivery(NEXT)).matchedKey()).isEqualTo("2026-04");
        assertThat(verifier.verify(delivery(NEXT)).matchedKey()).isEqualTo("2026-04");
        assertThat(verifier.verify(delivery(CURRENT)).matchedKey()).isEqualTo("2026-03");
        assertThat(server.fetches()).isEqualTo(2);
    }

    @Test
    void aFloodOfUnknownKidsFetchesAtMostOncePerInterval() throws Exception {
        JwtFixtures.JwksServer server = serve(CURRENT);
        WebhookVerifier verifier = verifier(server);
        verifier.verify(delivery(CURRENT));
        clock.advance(Duration.ofSeconds(31));

        for (int i = 0; i < 200; i++) {
            WebhookVerificationException e = refusal(verifier, delivery(STRANGER, "forged-" + i));
            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        }
        assertThat(server.fetches()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 50; i++) {
            refusal(verifier, delivery(STRANGER, "forged-again-" + i));
        }
        assertThat(server.fetches()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(21));
        for (int i = 0; i < 50; i++) {
            refusal(verifier, delivery(STRANGER, "forged-later-" + i));
        }
        assertThat(server.fetches()).isEqualTo(3);
        assertThat(verifier.verify(delivery(CURRENT)).matchedKey()).isEqualTo("2026-03");
    }

    @Test
    void aFloodFromManyThreadsAtOnceFetchesOnce() throws Exception {
        JwtFixtures.JwksServer server = serve(CURRENT);
        WebhookVerifier verifier = verifier(server);
        List<WebhookRequest> requests = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            requests.add(i % 2 == 0 ? delivery(CURRENT) : delivery(STRANGER, "forged-" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Reason>> results = new ArrayList<>();
            for (WebhookRequest request : requests) {
                results.add(pool.submit(() -> {
                    try {
                        verifier.verify(request);
                        return null;
                    } catch (WebhookVerificationException e) {
                        return e.reason();
                    }
                }));
            }
            int accepted = 0;
            for (Future<Reason> result : results) {
                Reason reason = result.get(30, TimeUnit.SECONDS);
                if (reason == null) {
                    accepted++;
                } else {
                    assertThat(reason).isEqualTo(Reason.SIGNATURE_MISMATCH);
                }
            }
            assertThat(accepted).isEqualTo(32);
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.fetches()).isEqualTo(1);
    }

    @Test
    void aJwksOutageAfterTheFirstFetchKeepsTheCachedKeysVerifying() throws Exception {
        JwtFixtures.JwksServer server = serve(CURRENT);
        WebhookVerifier verifier = verifier(server);
        verifier.verify(delivery(CURRENT));
        server.down(true);

        clock.advance(Duration.ofMinutes(6)); // past the TTL: a refresh is tried, fails, the keys stay
        assertThat(verifier.verify(delivery(CURRENT)).matchedKey()).isEqualTo("2026-03");
        clock.advance(Duration.ofHours(3));
        assertThat(verifier.verify(delivery(CURRENT)).matchedKey()).isEqualTo("2026-03");
        assertThat(server.fetches()).isEqualTo(3);

        WebhookVerificationException unknown = refusal(verifier, delivery(NEXT));
        assertThat(unknown.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void aJwksThatAnswersJunkAfterTheFirstFetchKeepsTheCachedKeysToo() throws Exception {
        JwtFixtures.JwksServer server = serve(CURRENT);
        WebhookVerifier verifier = verifier(server);
        verifier.verify(delivery(CURRENT));
        for (String junk : List.of("not json", "{\"keys\":[]}", "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}")) {
            server.serve(junk);
            clock.advance(Duration.ofMinutes(6));

            assertThat(verifier.verify(delivery(CURRENT)).matchedKey()).isEqualTo("2026-03");
        }
        assertThat(server.fetches()).isEqualTo(4);
    }

    @Test
    void aJwksDownWithNoKeyCachedIsARetryable503NotA401() throws Exception {
        JwtFixtures.JwksServer server = serve(CURRENT);
        server.down(true);
        WebhookVerifier verifier = verifier(server);

        WebhookVerificationException e = refusal(verifier, delivery(CURRENT));

        assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
        assertThat(e.reason().httpStatus()).isEqualTo(503);
        assertThat(e.reason().retryable()).isTrue();
        assertThat(e.getMessage()).contains(server.url(), "no keys are cached");

        HttpAnswer answer = WebhookReceiver.builder().verifier(verifier).build().handle(delivery(CURRENT), webhook -> {
            throw new AssertionError("the handler must not run");
        });
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers()).containsKey("Retry-After");

        assertThat(server.fetches()).isEqualTo(1); // the second delivery came within the interval
        server.down(false);
        clock.advance(Duration.ofSeconds(30));
        assertThat(verifier.verify(delivery(CURRENT)).matchedKey()).isEqualTo("2026-03");
        assertThat(server.fetches()).isEqualTo(2);
    }

    @Test
    void keysAreFetchedAgainAfterTheTtlSoAKeyTheProviderWithdrewStopsVerifying() throws Exception {
        JwtFixtures.JwksServer server = serve(CURRENT, NEXT);
        WebhookVerifier verifier = verifier(server);
        verifier.verify(delivery(CURRENT));
        server.serve(JwtFixtures.jwks(NEXT)); // CURRENT withdrawn

        clock.advance(Duration.ofMinutes(4));
        assertThat(verifier.verify(delivery(CURRENT)).matchedKey()).isEqualTo("2026-03");
        clock.advance(Duration.ofMinutes(2));
        WebhookVerificationException e = refusal(verifier, delivery(CURRENT));

        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(verifier.verify(delivery(NEXT)).matchedKey()).isEqualTo("2026-04");
        assertThat(server.fetches()).isEqualTo(2);
    }

    @Test
    void aJwksLargerThanTheLimitIsNotRead() throws Exception {
        JwtFixtures.JwksServer server = serve(CURRENT);
        String jwks = JwtFixtures.jwks(CURRENT);
        server.serve(
                jwks.substring(0, jwks.length() - 1) + ",\"padding\":\"" + "x".repeat(JwksCache.MAX_BYTES) + "\"}");

        assertThat(refusal(verifier(server), delivery(CURRENT)).reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
    }

    /** A loopback server answering every request with {@code handler}; stopped after the test. */
    String rawServer(com.sun.net.httpserver.HttpHandler handler) throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", handler);
        server.start();
        stops.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    final List<Runnable> stops = new ArrayList<>();

    @AfterEach
    void stopRawServers() {
        stops.forEach(Runnable::run);
    }

    WebhookVerifier verifier(String url, Duration timeout) {
        return WebhookVerifier.builder()
                .scheme(JwtSchemes.bearer()
                        .jwksUrl(url)
                        .issuers(ISSUER)
                        .audiences(AUDIENCE)
                        .jwksTimeout(timeout)
                        .build())
                .clock(clock)
                .build();
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        JwtFixtures.JwksServer real = serve(CURRENT);
        String redirecting = rawServer(exchange -> {
            exchange.getResponseHeaders().add("Location", real.url());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });

        assertThat(refusal(verifier(redirecting, Duration.ofSeconds(2)), delivery(CURRENT))
                        .reason())
                .isEqualTo(Reason.KEYS_UNAVAILABLE);
        assertThat(real.fetches()).isZero();
    }

    @Test
    void aJwksThatDoesNotAnswerInTimeIsA503AfterTheTimeout() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        stops.add(release::countDown);
        String hanging = rawServer(exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        WebhookVerifier verifier = verifier(hanging, Duration.ofMillis(300));

        long start = System.nanoTime();
        WebhookVerificationException e = refusal(verifier, delivery(CURRENT));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
        assertThat(tookMillis)
                .as("bounded by the 300 ms timeout, not the 10 s hang")
                .isLessThan(5_000L);
    }

    @Test
    void aJwksHostThatIsNotThereIsA503Too() throws Exception {
        JwtFixtures.JwksServer server = serve(CURRENT);
        WebhookVerifier verifier = verifier(server);
        server.close();

        assertThat(refusal(verifier, delivery(CURRENT)).reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
    }

    @Test
    void garbageTokensAskTheJwksNothing() throws Exception {
        JwtFixtures.JwksServer server = serve(CURRENT);
        WebhookVerifier verifier = verifier(server);

        for (String token : List.of("garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln")) {
            WebhookVerificationException e = refusal(
                    verifier,
                    WebhookRequest.builder()
                            .header("Authorization", "Bearer " + token)
                            .body(new byte[0])
                            .build());
            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        }
        assertThat(server.fetches()).isZero();
    }
}
