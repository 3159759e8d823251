package io.hookwarden.spring.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookPayload;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The README's "Spring WebFlux" section, compiled and run as written over real HTTP on Reactor Netty; and the README
 * holds exactly the code between the markers below ({@code static} aside, which the nesting here needs).
 */
@SpringBootTest(
        classes = ReadmeSectionTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=${STRIPE_WEBHOOK_SECRET}",
            "hookwarden.endpoints.github.scheme=github",
            "hookwarden.endpoints.github.secrets[0]=${GITHUB_WEBHOOK_SECRET}",
            "hookwarden.endpoints.github.paths[0]=/webhooks/github",
            "STRIPE_WEBHOOK_SECRET=" + ReadmeSectionTest.STRIPE_SECRET,
            "GITHUB_WEBHOOK_SECRET=" + ReadmeSectionTest.GITHUB_SECRET,
        })
class ReadmeSectionTest {
    static final String STRIPE_SECRET = "whsec_readme_webflux_0123456789abcdef";
    static final String GITHUB_SECRET = "readme-webflux-github-secret-0123456789";
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    // README: begin
    @RestController
    static class StripeWebhooks {
        private final Billing billing;

        StripeWebhooks(Billing billing) {
            this.billing = billing;
        }

        @PostMapping("/webhooks/stripe")
        @WebhookEndpoint("stripe") // body read with the cap, verified and claimed first
        Mono<Void> onEvent(@WebhookPayload StripeEvent event) { // or VerifiedWebhook, @RequestBody ...
            return billing.apply(event); // completes: claim completed; errors: released, Stripe retries
        }
    }

    record StripeEvent(String id, String type) {}

    @Configuration
    static class GithubRoutes { // hookwarden.endpoints.github.paths[0]=/webhooks/github
        @Bean
        RouterFunction<ServerResponse> github(Billing billing) {
            return route(POST("/webhooks/github"), request -> request.bodyToMono(String.class) // verified bytes
                    .flatMap(billing::record)
                    .then(ServerResponse.noContent().build()));
        }
    }
    // README: end

    static class Billing {
        final List<Object> seen = new CopyOnWriteArrayList<>();

        Mono<Void> apply(StripeEvent event) {
            return Mono.fromRunnable(() -> seen.add(event));
        }

        Mono<Void> record(String push) {
            return Mono.fromRunnable(() -> seen.add(push));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({StripeWebhooks.class, GithubRoutes.class})
    static class App {
        @Bean
        Billing billing() {
            return new Billing();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Billing billing;

    private HttpResponse<String> send(WebhookRequest delivery, String path) throws Exception {
        return CLIENT.send(
                WebhookRequests.toHttpRequest(delivery, URI.create("http://127.0.0.1:" + port + path)),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String reason(HttpResponse<String> answer) throws Exception {
        return new ObjectMapper().readTree(answer.body()).path("reason").asText(null);
    }

    @Test
    void theExampleProcessesSignedEventsOnceAndRefusesForgedOnes() throws Exception {
        WebhookFixtures stripe = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(STRIPE_SECRET)
                .clock(Clock.systemUTC())
                .build();
        WebhookFixtures github = WebhookFixtures.builder()
                .scheme(Schemes.github())
                .secret(GITHUB_SECRET)
                .clock(Clock.systemUTC())
                .build();
        String event = "{\"id\":\"evt_readme\",\"object\":\"event\",\"type\":\"invoice.paid\",\"livemode\":false}";
        String push = "{\"ref\":\"refs/heads/main\"}";

        HttpResponse<String> first = send(stripe.delivery(event).signed(), "/webhooks/stripe");
        HttpResponse<String> replay = send(stripe.delivery(event).signed(), "/webhooks/stripe");
        HttpResponse<String> forged = send(stripe.delivery(event).forged(), "/webhooks/stripe");
        HttpResponse<String> pushed = send(github.delivery(push).signed(), "/webhooks/github");
        HttpResponse<String> forgedPush = send(github.delivery(push).forged(), "/webhooks/github");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(reason(replay)).isEqualTo("DUPLICATE");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(reason(forged)).isEqualTo("SIGNATURE_MISMATCH");
        assertThat(pushed.statusCode()).isEqualTo(204);
        assertThat(forgedPush.statusCode()).isEqualTo(401);
        assertThat(reason(forgedPush)).isEqualTo("SIGNATURE_MISMATCH");
        assertThat(billing.seen).containsExactly(new StripeEvent("evt_readme", "invoice.paid"), push);
    }

    @Test
    void theReadmeShowsExactlyThisExample() throws Exception {
        List<String> source =
                Files.readAllLines(Path.of("src/test/java/io/hookwarden/spring/webflux/ReadmeSectionTest.java"));
        int begin = source.indexOf("    // README: begin");
        int end = source.indexOf("    // README: end");
        String example = source.subList(begin + 1, end).stream()
                .map(line -> line.startsWith("    ") ? line.substring(4) : line)
                .map(line -> line.replace("static class", "class"))
                .collect(Collectors.joining("\n"));

        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);

        assertThat(begin).isPositive();
        assertThat(end).isGreaterThan(begin);
        assertThat(readme).contains("```java\n" + example + "\n```");
    }
}
