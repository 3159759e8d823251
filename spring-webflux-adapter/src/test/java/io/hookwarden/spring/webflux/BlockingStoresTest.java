package io.hookwarden.spring.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.InMemoryInbox;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.jdbc.JdbcDedupeStore;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spring.WebhookEndpoints;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Stores that block, kept off the event loop on the filter's scheduler: the JDBC dedupe store on H2, and an inbox
 * whose write records its thread; over real HTTP on Reactor Netty, without Spring Boot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlockingStoresTest {
    private static final String SECRET = "whsec_YmxvY2tpbmctc3RvcmVzLXRlc3Qta2V5LTAxMjM0NTY3";
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final MutableClock clock = MutableClock.atEpochSecond(1_700_000_000);
    private final WebhookFixtures fixtures = WebhookFixtures.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .clock(clock)
            .build();
    private final Scheduler scheduler = Schedulers.newBoundedElastic(4, 64, "hookwarden-stores");
    private final List<String> inboxWrites = new CopyOnWriteArrayList<>();
    private final List<String> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger handled = new AtomicInteger();
    private DisposableServer server;

    private WebhookVerifier verifier() {
        return WebhookVerifier.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .clock(clock)
                .build();
    }

    /** An in-memory inbox that records the thread each write runs on, as a JDBC inbox would block it. */
    private Inbox recordingInbox() {
        InMemoryInbox inbox = InMemoryInbox.builder().clock(clock).build();
        return (Inbox) Proxy.newProxyInstance(
                Inbox.class.getClassLoader(), new Class<?>[] {Inbox.class}, (proxy, method, args) -> {
                    if (method.getName().equals("write")) {
                        inboxWrites.add(Thread.currentThread().getName());
                    }
                    try {
                        return method.invoke(inbox, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** H2, recording the thread each connection is taken on. */
    private DataSource recordingDataSource() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:webflux-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.add(Thread.currentThread().getName());
                    }
                    try {
                        return method.invoke(h2, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @BeforeAll
    void start() {
        JdbcDedupeStore jdbc =
                JdbcDedupeStore.builder().dataSource(recordingDataSource()).build();
        jdbc.createTableIfMissing();
        WebhookEndpoints endpoints = WebhookEndpoints.builder()
                .endpoint(
                        "jdbc",
                        WebhookReceiver.builder()
                                .name("jdbc")
                                .verifier(verifier())
                                .dedupeStore(jdbc)
                                .build())
                .paths("jdbc", List.of("/hooks/jdbc"))
                .endpoint(
                        "inbox",
                        WebhookReceiver.builder()
                                .name("inbox")
                                .verifier(verifier())
                                .inbox(recordingInbox())
                                .acceptStatus(202)
                                .build())
                .paths("inbox", List.of("/hooks/inbox"))
                .build();
        WebhookWebFilter filter = WebhookWebFilter.builder()
                .endpoints(endpoints)
                .scheduler(scheduler)
                .build();
        var routes = route(POST("/hooks/{name}"), request -> {
            handled.incrementAndGet();
            return ServerResponse.ok().bodyValue("processed");
        });
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(new ReactorHttpHandlerAdapter(
                        WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(routes))
                                .filter(filter)
                                .exceptionHandler(new WebhookProblemHandler())
                                .build()))
                .bindNow();
    }

    @AfterAll
    void stop() {
        server.disposeNow();
        scheduler.dispose();
    }

    private HttpResponse<String> send(WebhookRequest delivery, String path) throws Exception {
        return CLIENT.send(
                WebhookRequests.toHttpRequest(delivery, URI.create("http://127.0.0.1:" + server.port() + path)),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theJdbcDedupeStoreClaimsCompletesAndFindsTheDuplicateOffTheEventLoop() throws Exception {
        WebhookRequest delivery = fixtures.delivery()
                .body("{\"type\":\"invoice.paid\",\"n\":\"" + UUID.randomUUID() + "\"}")
                .signed();
        int before = handled.get();
        connections.clear();

        HttpResponse<String> first = send(delivery, "/hooks/jdbc");
        HttpResponse<String> replay = send(delivery, "/hooks/jdbc");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("processed");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(replay.body()).path("reason").asText())
                .isEqualTo("DUPLICATE");
        assertThat(handled.get() - before).isOne();
        assertThat(connections)
                .as("claim, complete, then the replay's claim")
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(thread -> assertThat(thread).startsWith("hookwarden-stores"));
    }

    @Test
    void anInboxWriteRunsOnTheFiltersSchedulerAndIsAnsweredWithoutTheApplication() throws Exception {
        WebhookRequest delivery = fixtures.delivery()
                .body("{\"type\":\"invoice.paid\",\"n\":\"" + UUID.randomUUID() + "\"}")
                .signed();
        int before = handled.get();
        inboxWrites.clear();

        HttpResponse<String> answer = send(delivery, "/hooks/inbox");

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(handled.get()).isEqualTo(before);
        assertThat(inboxWrites).singleElement().satisfies(thread -> assertThat(thread)
                .startsWith("hookwarden-stores"));
    }
}
