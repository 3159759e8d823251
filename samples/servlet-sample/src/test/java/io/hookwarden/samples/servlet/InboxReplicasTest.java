package io.hookwarden.samples.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.samples.support.SampleSettings;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servlet samples with {@code HOOKWARDEN_INBOX} set to one H2 database, as two replicas behind a load balancer:
 * every delivery, sent to either replica, some twice, is answered 200 at once and handled exactly once by one of
 * the two replicas' workers, as their {@code GET /events} together show from outside.
 */
class InboxReplicasTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int EVENTS = 40;

    @TempDir
    Path dir;

    @Test
    void replicasSharingOneJdbcInboxHandleEveryDeliveryOnceWhicheverReplicaItReached() throws Exception {
        // given
        String inbox = "jdbc:h2:" + dir.resolve("inbox").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        SampleSettings settings = SampleSettings.from(Map.of("PORT", "0", "HOOKWARDEN_INBOX", inbox));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        WebhookFixtures standard = WebhookFixtures.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(settings.standardSecret())
                .build();
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (ServletSample one = ServletSample.start(settings, "127.0.0.1", Clock.systemUTC(), quiet);
                ServletSample two = ServletSample.start(settings, "127.0.0.1", Clock.systemUTC(), quiet)) {
            ExecutorService senders = Executors.newFixedThreadPool(8);
            try {
                // when: each event to one replica, every third one again to the other (a provider's retry)
                List<Future<HttpResponse<String>>> sent = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    WebhookRequest order = standard.delivery("{\"type\":\"order.created\",\"data\":{\"order_id\":\"ord_"
                                    + i + "\",\"total\":1}}")
                            .id("msg_replica_" + i)
                            .signed();
                    ServletSample first = i % 2 == 0 ? one : two;
                    ServletSample other = first == one ? two : one;
                    sent.add(senders.submit(() -> send(client, first, order)));
                    if (i % 3 == 0) {
                        sent.add(senders.submit(() -> send(client, other, order)));
                    }
                }
                for (Future<HttpResponse<String>> answer : sent) {
                    answers.add(answer.get());
                }
            } finally {
                senders.shutdown();
            }
            List<String> handled = awaitHandled(client, one, two);

            // then
            assertThat(answers)
                    .allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
            assertThat(answers.stream().filter(answer -> answer.body().contains("DUPLICATE")))
                    .hasSize((EVENTS + 2) / 3);
            // which replica's worker took which delivery is up to their polls; that none was taken twice is not
            assertThat(handled).hasSize(EVENTS).doesNotHaveDuplicates();
        }
    }

    private static HttpResponse<String> send(HttpClient client, ServletSample sample, WebhookRequest request)
            throws Exception {
        return client.send(
                WebhookRequests.toHttpRequest(request, sample.uri().resolve(SampleEndpoints.STANDARD)),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The ids both replicas handled, once all {@value #EVENTS} are in (or after 30 s, whatever is in then). */
    private static List<String> awaitHandled(HttpClient client, ServletSample one, ServletSample two) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> handled;
        do {
            Thread.sleep(100);
            handled = new ArrayList<>(events(client, one));
            handled.addAll(events(client, two));
        } while (handled.size() < EVENTS && System.nanoTime() < deadline);
        Thread.sleep(300); // a second handling of one of them, were there one, would show now
        handled = new ArrayList<>(events(client, one));
        handled.addAll(events(client, two));
        return handled;
    }

    private static List<String> events(HttpClient client, ServletSample sample) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(sample.uri().resolve(SampleEndpoints.EVENTS))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> ids = new ArrayList<>();
        for (JsonNode event : MAPPER.readTree(response.body())) {
            ids.add(event.path("id").asText());
        }
        return ids;
    }
}
