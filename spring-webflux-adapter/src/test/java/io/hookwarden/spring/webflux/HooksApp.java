package io.hookwarden.spring.webflux;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import io.hookwarden.DeliveryListener;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Reason;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spi.Claim;
import io.hookwarden.spi.ClaimResult;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookEndpointCustomizer;
import io.hookwarden.spring.WebhookPayload;
import io.hookwarden.spring.WebhookRejectedException;
import io.hookwarden.test.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * A WebFlux application with one annotated webhook handler ({@code standard}) and one functional route ({@code
 * routed}, by its {@code paths}), on the test's clock, with a dedupe store that records the threads it runs on and a
 * listener that records what became of every delivery.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({HooksApp.Hooks.class, HooksApp.OwnAnswers.class})
class HooksApp {
    static final String STANDARD_SECRET = "whsec_c3RhbmRhcmQtd2ViZmx1eC1rZXktMDEyMzQ1Njc4OQ==";
    static final String ROUTED_SECRET = "routed-webflux-secret-0123456789";
    static final MutableClock CLOCK = MutableClock.atEpochSecond(1_700_000_000);

    /** The event the annotated handler binds; {@code note} tells it what to do. */
    record Event(String type, Map<String, Object> data) {
        String note() {
            return data == null ? "" : String.valueOf(data.get("note"));
        }
    }

    @RestController
    static class Hooks {
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final List<String> ids = new CopyOnWriteArrayList<>();

        @PostMapping("/hooks/standard")
        @WebhookEndpoint("standard")
        Mono<ResponseEntity<String>> standard(
                @WebhookPayload Event event, VerifiedWebhook webhook, @RequestBody String body) {
            bodies.add(body);
            ids.add(webhook.id().orElseThrow());
            return switch (event.note()) {
                case "fail" -> Mono.error(new IllegalStateException("the handler failed as told"));
                case "decline" -> Mono.just(
                        ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("later"));
                case "hang" -> Mono.never();
                default -> Mono.just(ResponseEntity.ok("processed " + event.type()));
            };
        }

        void reset() {
            bodies.clear();
            ids.clear();
        }
    }

    /** A controller that answers refusals raised inside it its own way: an {@code @ExceptionHandler} of its own. */
    @RestController
    static class OwnAnswers {
        @PostMapping("/hooks/own-answers")
        @WebhookEndpoint("standard")
        Mono<String> typed(@WebhookPayload Event event) {
            return Mono.just("processed");
        }

        @ExceptionHandler(WebhookRejectedException.class)
        ResponseEntity<String> refused(WebhookRejectedException e) {
            return ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY).body("ours: " + e.reason());
        }
    }

    /** The functional route of the {@code routed} endpoint, which its {@code paths} property puts behind the filter. */
    @Bean
    RouterFunction<ServerResponse> routes() {
        return route(POST("/routes/github"), request -> request.bodyToMono(String.class)
                .flatMap(body -> ServerResponse.ok().bodyValue("routed " + body.length())));
    }

    @Bean
    MutableClock clock() {
        return CLOCK;
    }

    @Bean
    WebhookEndpointCustomizer standardClock(MutableClock clock) {
        return WebhookEndpointCustomizer.verifier("standard", verifier -> verifier.clock(clock));
    }

    @Bean
    WebhookEndpointCustomizer routedClock(MutableClock clock) {
        return WebhookEndpointCustomizer.verifier("routed", verifier -> verifier.clock(clock));
    }

    @Bean
    ThreadRecordingStore dedupeStore(MutableClock clock) {
        return new ThreadRecordingStore(
                InMemoryDedupeStore.builder().clock(clock).build());
    }

    @Bean
    Stories stories() {
        return new Stories();
    }

    /** An in-memory store standing in for a blocking one (JDBC, Redis): it records the threads it is called on. */
    static final class ThreadRecordingStore implements DedupeStore {
        private final DedupeStore store;
        final List<String> threads = new CopyOnWriteArrayList<>();

        ThreadRecordingStore(DedupeStore store) {
            this.store = store;
        }

        @Override
        public ClaimResult claim(String key, Duration lease) {
            threads.add("claim " + Thread.currentThread().getName());
            return store.claim(key, lease);
        }

        @Override
        public boolean complete(String key, Claim claim, Duration retention) {
            threads.add("complete " + Thread.currentThread().getName());
            return store.complete(key, claim, retention);
        }

        @Override
        public boolean release(String key, Claim claim) {
            threads.add("release " + Thread.currentThread().getName());
            return store.release(key, claim);
        }
    }

    /** What became of each delivery, as the endpoints' listener heard it. */
    static final class Stories implements DeliveryListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public Observer received(String endpoint, String scheme, WebhookRequest request) {
            return new Observer() {
                @Override
                public void rejected(Reason reason, Duration took) {
                    events.add(endpoint + " rejected " + reason);
                }

                @Override
                public void duplicate(VerifiedWebhook webhook, Duration took) {
                    events.add(endpoint + " duplicate");
                }

                @Override
                public void completed(Duration handling, int status) {
                    events.add(endpoint + " completed " + status);
                }

                @Override
                public void released(Duration handling, int status) {
                    events.add(endpoint + " released " + status);
                }
            };
        }
    }
}
