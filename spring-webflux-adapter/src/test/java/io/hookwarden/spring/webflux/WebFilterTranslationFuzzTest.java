package io.hookwarden.spring.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spring.WebhookEndpoints;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fuzz target (issue 17): the WebFlux filter's translation of a request (method, raw URI, header names and values in any
 * case and number, {@code Content-Length} absent, true or false, the body in any number of buffers) into the core's
 * exchange. Whatever arrives, the filter and {@link WebhookProblemHandler} answer with a typed status (never a 5xx: the
 * store never fails and the application here answers 204) or pass the request on; they pass on unverified only a path
 * that is not the endpoint's, and verified only a delivery signed with the endpoint's key whose body is intact.
 */
class WebFilterTranslationFuzzTest {
    private static final String PATH = "/hooks/standard";
    private static final String SECRET = "whsec_ZnV6eiB0aGUgV2ViRmx1eCBmaWx0ZXIgdG9vIQ==";
    private static final WebhookSigner SIGNER = WebhookSigner.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .build();
    private static final List<String> METHODS = List.of("POST", "GET", "HEAD", "PUT", "OPTIONS", "PATCH", "post");
    private static final List<String> URIS = List.of(
            PATH,
            PATH + "/",
            "/hooks//standard",
            "/hooks/./standard",
            "/HOOKS/standard",
            "/hooks/standard;x=1",
            "/hooks/%73tandard",
            "/hooks%2Fstandard",
            PATH + "?x=1&x=2",
            "/elsewhere",
            "/");
    private static final DefaultDataBufferFactory BUFFERS = DefaultDataBufferFactory.sharedInstance;
    private static final WebhookProblemHandler PROBLEMS = new WebhookProblemHandler();

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void answersOrPassesOnOnlyWhatItMay(FuzzedDataProvider data) {
        // given: a filter with one endpoint, and a request shaped by the input
        WebhookReceiver receiver = WebhookReceiver.builder()
                .name("standard")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(SECRET)
                        .maxBodyBytes(4096)
                        .build())
                .dedupeStore(InMemoryDedupeStore.create())
                .build();
        WebhookWebFilter filter = WebhookWebFilter.of(WebhookEndpoints.builder()
                .endpoint("standard", receiver)
                .paths("standard", List.of(PATH))
                .build());
        // A server parses the method from the request line: never empty, never blank.
        String method = data.consumeBoolean()
                ? data.pickValue(METHODS)
                : "X" + data.consumeString(10).strip();
        URI uri = uri(data.consumeBoolean() ? data.pickValue(URIS) : data.consumeString(80));
        int mode = data.consumeInt(0, 2); // 0 unsigned, 1 signed, 2 signed then its body changed
        // Content-Length: 0 absent, 1 true, 2 any non-negative number, 3 any text (a server may pass on what it
        // does not parse)
        int length = data.consumeInt(0, 3);
        long declared = length == 2 ? data.consumeLong(0, Long.MAX_VALUE) : -1;
        String declaredText = length == 3 ? data.consumeString(12) : null;
        int chunks = data.consumeInt(1, 8);
        List<String[]> headers = new ArrayList<>();
        int count = data.consumeInt(0, 16);
        for (int i = 0; i < count; i++) {
            headers.add(new String[] {data.consumeString(24), data.consumeString(64)});
        }
        byte[] body = data.consumeRemainingAsBytes();
        byte[] signedBody = body;
        if (mode > 0) {
            WebhookRequest signed = SIGNER.sign(WebhookMessage.body(body).build());
            signed.headers()
                    .toMap()
                    .forEach((name, values) -> values.forEach(v -> headers.add(new String[] {name, v})));
            if (mode == 2) {
                body = body.length == 0 ? new byte[] {'x'} : body.clone();
                body[body.length / 2] ^= 0x01;
            }
        }
        MockServerHttpRequest.BodyBuilder request = MockServerHttpRequest.method(HttpMethod.valueOf(method), uri)
                .remoteAddress(new InetSocketAddress("203.0.113.7", 40000));
        for (String[] h : headers) {
            // A server never hands on a header without a name, nor a second Content-Length.
            if (!h[0].isEmpty() && !h[0].equalsIgnoreCase("Content-Length")) {
                request.header(h[0], h[1]);
            }
        }
        if (length == 1) {
            request.contentLength(body.length);
        } else if (length == 2) {
            request.contentLength(declared);
        } else if (length == 3) {
            request.header("Content-Length", declaredText);
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(request.body(buffers(body, chunks)));
        AtomicReference<ServerWebExchange> passed = new AtomicReference<>();
        AtomicReference<byte[]> read = new AtomicReference<>();
        WebFilterChain application = verified -> {
            passed.set(verified);
            return DataBufferUtils.join(verified.getRequest().getBody())
                    .map(buffer -> {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        DataBufferUtils.release(buffer);
                        return bytes;
                    })
                    .defaultIfEmpty(new byte[0])
                    .doOnNext(read::set)
                    .then(Mono.defer(() -> {
                        verified.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
                        return verified.getResponse().setComplete();
                    }));
        };

        // when: the filter, then WebFlux's exception handling as the auto-configuration sets it up
        filter.filter(exchange, application)
                .onErrorResume(e -> PROBLEMS.handle(exchange, e))
                .block(Duration.ofSeconds(5));

        // then
        ServerWebExchange on = passed.get();
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        if (on == null) {
            assertThat(status).as("the filter's own answer").isNotNull();
            assertThat(status.value()).as("the filter's own answer").isBetween(200, 499);
            assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(1)))
                    .doesNotContainIgnoringCase("exception");
        } else if (on.getAttribute(WebFluxAttributes.VERIFIED_WEBHOOK) instanceof VerifiedWebhook webhook) {
            assertThat(mode).as("verified without a valid signature").isEqualTo(1);
            assertThat(webhook.body()).isEqualTo(signedBody);
            assertThat(read.get()).as("the body replayed to the application").isEqualTo(signedBody);
            assertThat(segments(uri.getRawPath())).isEqualTo(List.of("hooks", "standard"));
        } else {
            assertThat(segments(uri.getRawPath()))
                    .as("passed on unverified")
                    .isNotEqualTo(List.of("hooks", "standard"));
        }
    }

    @Test
    void aContentLengthThatIsNoNumberIsTakenAsUnknownNotAnError() {
        // given: a signed delivery whose Content-Length no server would have parsed
        byte[] body = "{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        WebhookRequest signed = SIGNER.sign(WebhookMessage.body(body).build());
        WebhookWebFilter filter = WebhookWebFilter.of(WebhookEndpoints.builder()
                .endpoint(
                        "standard",
                        WebhookReceiver.builder()
                                .name("standard")
                                .verifier(WebhookVerifier.builder()
                                        .scheme(Schemes.standardWebhooks())
                                        .secret(SECRET)
                                        .build())
                                .build())
                .paths("standard", List.of(PATH))
                .build());
        MockServerHttpRequest.BodyBuilder request = MockServerHttpRequest.post(PATH);
        signed.headers().toMap().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        request.header("Content-Length", "twelve");
        MockServerWebExchange exchange = MockServerWebExchange.from(request.body(buffers(body, 1)));
        AtomicReference<VerifiedWebhook> verified = new AtomicReference<>();

        // when
        filter.filter(exchange, on -> {
                    verified.set(on.getAttribute(WebFluxAttributes.VERIFIED_WEBHOOK));
                    on.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
                    return on.getResponse().setComplete();
                })
                .block(Duration.ofSeconds(5));

        // then: read under the cap as a body of unknown length, and verified
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
        assertThat(verified.get()).isNotNull();
        assertThat(verified.get().body()).isEqualTo(body);
    }

    /** The request URI a server hands on: the fuzzed text as sent when it parses, else with its illegal chars quoted. */
    private static URI uri(String path) {
        try {
            return new URI("http://hooks.example.com" + (path.startsWith("/") ? "" : "/") + path);
        } catch (URISyntaxException e) {
            try {
                return new URI("http", "hooks.example.com", path.startsWith("/") ? path : "/" + path, null);
            } catch (URISyntaxException again) {
                return URI.create("http://hooks.example.com/");
            }
        }
    }

    /** The body in up to {@code chunks} buffers, as a server may hand it on. */
    private static Flux<DataBuffer> buffers(byte[] body, int chunks) {
        List<byte[]> parts = new ArrayList<>();
        int size = Math.max(1, (body.length + chunks - 1) / chunks);
        for (int from = 0; from < body.length; from += size) {
            parts.add(Arrays.copyOfRange(body, from, Math.min(body.length, from + size)));
        }
        return Flux.defer(() -> Flux.fromIterable(parts).map(BUFFERS::wrap));
    }

    /**
     * The path's segments as a router reads them, an oracle independent of the filter's: split on '/', each without its
     * matrix parameters, percent-decoded.
     */
    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        String path = rawPath == null ? "" : rawPath;
        String[] parts = (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
        for (String part : parts) {
            int matrix = part.indexOf(';');
            String value = matrix < 0 ? part : part.substring(0, matrix);
            try {
                out.add(URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                out.add(value);
            }
        }
        return out;
    }
}
