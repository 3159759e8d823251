package io.hookwarden.spring;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.test.MutableClock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The application the HTTP and MockMvc tests run: two endpoints with different schemes, handlers of every shape. */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({HooksApp.Hooks.class, HooksApp.ClassLevelHooks.class, HooksApp.PlainController.class})
class HooksApp {
    static final long NOW = 1_700_000_000L;

    @Bean
    MutableClock clock() {
        return MutableClock.atEpochSecond(NOW);
    }

    @Bean
    WebhookEndpointCustomizer stripeClock(MutableClock clock) {
        return WebhookEndpointCustomizer.verifier("stripe", verifier -> verifier.clock(clock));
    }

    @Bean
    WebhookEndpointCustomizer standardClock(MutableClock clock) {
        return WebhookEndpointCustomizer.verifier("standard", verifier -> verifier.clock(clock));
    }

    @Bean
    Recorder recorder() {
        return new Recorder();
    }

    /** What the handlers saw, and switches that make them fail or wait. */
    static final class Recorder {
        final List<String> handled = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicReference<CountDownLatch> gate = new AtomicReference<>();

        void reset() {
            handled.clear();
            failures.set(0);
            gate.set(null);
        }

        void record(String what) {
            handled.add(what);
        }

        long count(String what) {
            return handled.stream().filter(what::equals).count();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Event(String id, String type) {}

    @RestController
    static class Hooks {
        private final Recorder recorder;

        Hooks(Recorder recorder) {
            this.recorder = recorder;
        }

        @PostMapping("/webhooks/stripe")
        @WebhookEndpoint("stripe")
        Map<String, Object> stripe(@RequestBody String body, VerifiedWebhook webhook) {
            recorder.record("stripe:" + webhook.id().orElseThrow());
            return Map.of(
                    "id", webhook.id().orElseThrow(),
                    "type", webhook.eventType().orElse(""),
                    "key", webhook.matchedKey(),
                    "sameBody", body.equals(webhook.bodyText()));
        }

        @PostMapping("/webhooks/stripe/bytes")
        @WebhookEndpoint("stripe")
        Map<String, Object> bytes(@RequestBody byte[] body, VerifiedWebhook webhook) {
            return Map.of("length", body.length, "sameBytes", Arrays.equals(body, webhook.body()));
        }

        @PostMapping("/webhooks/stripe/dto")
        @WebhookEndpoint("stripe")
        Map<String, Object> dto(@RequestBody Event event) {
            return Map.of("id", event.id(), "type", event.type());
        }

        @PostMapping("/webhooks/stripe/payload")
        @WebhookEndpoint("stripe")
        Map<String, Object> payload(@WebhookPayload Event event, @WebhookPayload String raw) {
            return Map.of("id", event.id(), "type", event.type(), "raw", raw);
        }

        @PostMapping("/webhooks/standard")
        @WebhookEndpoint("standard")
        ResponseEntity<Void> standard(VerifiedWebhook webhook) throws InterruptedException {
            String id = webhook.id().orElseThrow();
            CountDownLatch gate = recorder.gate.get();
            recorder.record("standard:" + id);
            if (gate != null && !gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
            if (recorder.failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("handler failed: internal detail 42");
            }
            return ResponseEntity.noContent().build();
        }

        @PostMapping("/webhooks/standard/async")
        @WebhookEndpoint("standard")
        Callable<ResponseEntity<Void>> async(VerifiedWebhook webhook) {
            String id = webhook.id().orElseThrow();
            return () -> {
                recorder.record("async:" + id);
                if (recorder.failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new IllegalStateException("async handler failed");
                }
                return ResponseEntity.noContent().build();
            };
        }

        @PostMapping("/webhooks/standard/form")
        @WebhookEndpoint("standard")
        Map<String, Object> form(@RequestParam("command") String command, @RequestParam("text") String text) {
            recorder.record("form:" + command);
            return Map.of("command", command, "text", text);
        }

        @PostMapping("/webhooks/standard/status")
        @WebhookEndpoint("standard")
        void status(VerifiedWebhook webhook) {
            recorder.record("status:" + webhook.id().orElseThrow());
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "maintenance");
        }

        @PostMapping("/webhooks/standard/dto")
        @WebhookEndpoint("standard")
        Map<String, Object> standardDto(@RequestBody Event event, VerifiedWebhook webhook) {
            recorder.record("standard-dto:" + webhook.id().orElseThrow());
            return Map.of("type", String.valueOf(event.type()));
        }

        @PostMapping("/webhooks/standard/refuse")
        @WebhookEndpoint("standard")
        ResponseEntity<Void> refuse(VerifiedWebhook webhook) {
            recorder.record("refuse:" + webhook.id().orElseThrow());
            return ResponseEntity.unprocessableEntity().build();
        }

        @PostMapping("/hooks/configured")
        Map<String, Object> configured(VerifiedWebhook webhook, @RequestBody String body) {
            recorder.record("configured:" + webhook.id().orElseThrow());
            return Map.of("id", webhook.id().orElseThrow(), "length", body.length());
        }
    }

    @RestController
    @RequestMapping("/webhooks/class")
    @WebhookEndpoint("standard")
    static class ClassLevelHooks {
        @PostMapping
        Map<String, Object> handle(VerifiedWebhook webhook) {
            return Map.of("scheme", webhook.schemeId());
        }
    }

    @RestController
    static class PlainController {
        @PostMapping("/plain")
        Map<String, Object> plain(@RequestBody String body) {
            return Map.of("length", body.length());
        }
    }
}
