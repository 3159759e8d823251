package io.hookwarden.spring.webflux;

import io.hookwarden.Delivery;
import io.hookwarden.HttpAnswer;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.spring.WebhookEndpoints;
import io.hookwarden.spring.WebhookRejectedException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Hands a request to a webhook endpoint to the endpoint's {@link WebhookReceiver} before WebFlux or anything else reads
 * it, and settles the claim by the status the application answered. Requests to other paths pass untouched.
 *
 * <p>A request is an endpoint's when its path matches one of the endpoint's {@link WebhookEndpoints#paths() path
 * patterns} (within the application, matched as WebFlux's functional routes match them: use it in front of {@code
 * RouterFunction} routes), or, with the Spring Boot auto-configuration, when the annotated handler WebFlux will pick
 * for it carries {@link io.hookwarden.spring.WebhookEndpoint}. Another spelling of a path of an endpoint's {@code paths}
 * ({@code ;params}, percent escapes, dot or empty segments, a trailing '/', another case) is answered {@code 400
 * AMBIGUOUS_REQUEST}, as by the Spring MVC adapter, unless the handler mapping picks an annotated handler for it (then
 * it is that handler's endpoint's, and verified); a method no endpoint receives on (OPTIONS, a CORS preflight, PUT,
 * ...) is answered {@code 405 METHOD_NOT_ALLOWED}, and a request framed by both {@code Content-Length} and {@code
 * Transfer-Encoding} {@code 400 AMBIGUOUS_REQUEST}, all before anything is read or claimed.
 *
 * <p>For an endpoint's request:
 *
 * <ul>
 *   <li>the body is read as {@link DataBuffer}s without blocking, at most the endpoint's cap and one byte more; a body
 *       declared or found over the cap is refused with the receiver's own {@code 413 PAYLOAD_TOO_LARGE} and {@code
 *       Connection: close}, after the rest was read and dropped within {@link WebhookReceiver#drainBytes()} and {@link
 *       WebhookReceiver#drainTime()}, never buffered (a sender that asked {@code Expect: 100-continue} with a length
 *       over the cap is answered at once, and never invited to send the body);
 *   <li>the receiver verifies and claims it; when the endpoint's dedupe store or inbox may block (anything but the
 *       in-memory store), on the {@link Builder#scheduler scheduler} (bounded elastic by default), never on the event
 *       loop; completing and releasing the claim too;
 *   <li>accepted: the application runs with the verified bytes replayed as the request's body (and the {@link
 *       io.hookwarden.VerifiedWebhook} as an exchange attribute, for the argument resolvers); the claim is completed
 *       just before the answer is committed when its status is 2xx, and released otherwise: when the handler's {@code
 *       Mono} errors (answered {@code 500 HANDLER_FAILED}), or is cancelled because the sender went away;
 *   <li>refused: a {@link WebhookRejectedException} carrying the core's answer goes to WebFlux's exception handling,
 *       where {@link WebhookProblemHandler} writes it as {@code application/problem+json}, unless the application
 *       handles it first;
 *   <li>a duplicate, a handshake, or a delivery stored in the endpoint's inbox: the core's answer, verbatim; the
 *       application does not run.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class WebhookWebFilter implements WebFilter, Ordered {
    /** Early: before any filter that might read the body (form handling, security). */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    private static final System.Logger LOG = System.getLogger(WebhookWebFilter.class.getName());

    /** The answer to a request framed by both Content-Length and Transfer-Encoding, rendered once. */
    private static final HttpAnswer FRAMED_TWICE = HttpAnswer.problem(
            Reason.AMBIGUOUS_REQUEST, null, Map.of("detail", "both Content-Length and Transfer-Encoding are present"));

    /** The answer to another spelling of an endpoint's path, as the Spring MVC adapter's: it names no endpoint. */
    private static final HttpAnswer OTHER_SPELLING = HttpAnswer.problem(Reason.AMBIGUOUS_REQUEST, null);

    private final WebhookEndpoints endpoints;
    private final AnnotatedHandlers annotated;
    private final Scheduler scheduler;
    private final EndpointPaths paths;
    /** Whether an endpoint's store or inbox may block, by name. */
    private final Map<String, Boolean> blocking = new HashMap<>();

    private WebhookWebFilter(Builder b) {
        this.endpoints = b.endpoints;
        this.annotated = b.annotated;
        this.scheduler = b.scheduler == null ? Schedulers.boundedElastic() : b.scheduler;
        this.paths = new EndpointPaths(endpoints);
        endpoints.forEach((name, receiver) -> blocking.put(
                name, receiver.inbox().isPresent() || !(receiver.dedupeStore() instanceof InMemoryDedupeStore)));
    }

    /**
     * A filter for the endpoints' {@link WebhookEndpoints#paths() path patterns}, on {@link Schedulers#boundedElastic()}.
     *
     * @throws NullPointerException if endpoints is null
     */
    public static WebhookWebFilter of(WebhookEndpoints endpoints) {
        return builder().endpoints(endpoints).build();
    }

    /** A builder; the endpoints are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (paths.isEmpty() && (annotated == null || annotated.isEmpty())) {
            return chain.filter(exchange);
        }
        ServerHttpRequest request = exchange.getRequest();
        boolean received = receivedOn(request.getMethod().name());
        EndpointPaths.Match byPath = paths.match(request.getPath());
        if (byPath != null && byPath.plain()) {
            return received ? receive(exchange, chain, byPath.endpoint()) : refuseMethod(exchange, byPath.endpoint());
        }
        // Another spelling of an endpoint's paths goes on only to the annotated handler the mapping itself picks for
        // it (then verified as that handler's endpoint, as by the Spring MVC adapter); else it is refused.
        Mono<Void> otherwise = Mono.defer(() -> byPath == null ? chain.filter(exchange) : refuseSpelling(exchange));
        if (annotated == null || annotated.isEmpty()) {
            return otherwise;
        }
        if (!received) {
            String asPost = annotated.endpointAsPost(exchange);
            return asPost == null ? otherwise : refuseMethod(exchange, asPost);
        }
        return annotated
                .endpointOf(exchange)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(endpoint -> {
                    if (endpoint.isPresent()) {
                        return receive(exchange, chain, endpoint.get());
                    }
                    String asPost =
                            "POST".equals(request.getMethod().name()) ? null : annotated.endpointAsPost(exchange);
                    if (asPost == null) {
                        return otherwise;
                    }
                    // A GET handshake (Meta's hub.challenge, X's CRC, Okta's verification) to a @PostMapping handler:
                    // WebFlux would answer 405 itself, so it goes to the endpoint the POST reaches, for the core to
                    // answer or refuse; unless the application maps the GET to a handler of its own.
                    return annotated
                            .servedByAHandler(exchange)
                            .flatMap(served -> served ? otherwise : receive(exchange, chain, asPost));
                });
    }

    /**
     * Issue 12: another spelling of an endpoint's path is answered {@code 400 AMBIGUOUS_REQUEST} before anything is
     * read or claimed, and never passed on; the answer names no endpoint.
     */
    private static Mono<Void> refuseSpelling(ServerWebExchange exchange) {
        return ReactiveExchange.write(OTHER_SPELLING, exchange.getResponse());
    }

    /**
     * Whether an endpoint may receive on this method: POST, and GET (and HEAD) for the handshakes and signed GET
     * callbacks the core answers itself; the core refuses a GET its scheme does not receive.
     */
    private static boolean receivedOn(String method) {
        return "POST".equals(method) || "GET".equals(method) || "HEAD".equals(method);
    }

    private Mono<Void> refuseMethod(ServerWebExchange exchange, String endpoint) {
        ServerHttpRequest request = exchange.getRequest();
        HttpAnswer answer = endpoints
                .receiver(endpoint)
                .refuse(
                        ReactiveExchange.head(request),
                        Reason.METHOD_NOT_ALLOWED,
                        "method " + request.getMethod().name() + " is not received");
        return ReactiveExchange.write(answer, exchange.getResponse());
    }

    private Mono<Void> receive(ServerWebExchange exchange, WebFilterChain chain, String endpoint) {
        ServerHttpRequest request = exchange.getRequest();
        ServerHttpResponse response = exchange.getResponse();
        WebhookReceiver receiver = endpoints.receiver(endpoint);
        // getFirst, not containsKey: Spring Framework 7's HttpHeaders is no Map, and a call compiled against 6.2's
        // containsKey(Object) is a NoSuchMethodError there (Boot4WebFluxApplicationTest)
        if (request.getHeaders().getFirst("Content-Length") != null
                && request.getHeaders().getFirst("Transfer-Encoding") != null) {
            // RFC 9112, section 6.1: a request with both may be rejected, and the connection must close after it.
            response.getHeaders().set("Connection", "close");
            return ReactiveExchange.write(FRAMED_TWICE, response);
        }
        WebhookRequest.Builder head = ReactiveExchange.head(request);
        // not HttpHeaders.getContentLength(), which throws on a value that is no number
        long declared = WebhookReceiver.declaredLength(request.getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH));
        long limit = receiver.verifier().maxBodyBytes();
        if (declared > limit) {
            // Refused by the core from the declared length alone, before a byte is read; then the body is dropped, or,
            // from a sender that waits for "100 Continue" before sending it, never asked for.
            Outcome refused = receiveNow(receiver, head, InputStream.nullInputStream(), declared);
            if ("100-continue".equalsIgnoreCase(request.getHeaders().getFirst("Expect"))) {
                // Reading would send "100 Continue": answered at once instead, the body never invited.
                return answer(exchange, chain, endpoint, receiver, refused);
            }
            return ReactiveExchange.drain(request.getBody(), receiver.drainBytes(), receiver.drainTime())
                    .onErrorResume(e -> Mono.empty())
                    .then(Mono.defer(() -> answer(exchange, chain, endpoint, receiver, refused)));
        }
        return ReactiveExchange.readCapped(
                        request.getBody(), (int) limit, declared, receiver.drainBytes(), receiver.drainTime())
                .map(Optional::of)
                .onErrorResume(e -> {
                    // The body could not be read as framed, or the sender went away: the sender's doing, never a 5xx.
                    LOG.log(
                            Level.DEBUG,
                            "webhook body at endpoint {0} could not be read: {1}",
                            endpoint,
                            e.getClass().getName());
                    return Mono.just(Optional.empty());
                })
                .flatMap(body -> {
                    if (body.isEmpty()) {
                        response.getHeaders().set("Connection", "close");
                        return ReactiveExchange.write(receiver.answer(Reason.MALFORMED_PAYLOAD), response);
                    }
                    byte[] bytes = body.get();
                    if (bytes.length > limit) {
                        // Over the cap: length unknown to the core, so it reads the cap and one byte more and refuses.
                        Outcome refused = receiveNow(receiver, head, new ByteArrayInputStream(bytes), -1);
                        return answer(exchange, chain, endpoint, receiver, refused);
                    }
                    // Within the cap: the array read above is no one else's, so the request takes it over uncopied.
                    WebhookRequest received = head.wrapBody(bytes).build();
                    if (blocking.get(endpoint)) {
                        return Mono.fromCallable(() -> receiver.receive(received))
                                .subscribeOn(scheduler)
                                .flatMap(o -> answer(exchange, chain, endpoint, receiver, o));
                    }
                    // A store that never blocks: decided on the event loop, without another operator per request.
                    return answer(exchange, chain, endpoint, receiver, receiver.receive(received));
                });
    }

    private static Outcome receiveNow(
            WebhookReceiver receiver, WebhookRequest.Builder head, InputStream body, long length) {
        try {
            return receiver.receive(head, body, length);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("reading bytes in memory cannot fail", e);
        }
    }

    private Mono<Void> answer(
            ServerWebExchange exchange,
            WebFilterChain chain,
            String endpoint,
            WebhookReceiver receiver,
            Outcome outcome) {
        ServerHttpResponse response = exchange.getResponse();
        if (outcome instanceof Outcome.Rejected rejected) {
            if (rejected.reason() == Reason.PAYLOAD_TOO_LARGE) {
                response.getHeaders().set("Connection", "close");
            }
            return Mono.error(new WebhookRejectedException(endpoint, rejected));
        }
        if (!(outcome instanceof Outcome.Accepted accepted)) {
            return ReactiveExchange.write(outcome.answer(), response);
        }
        Delivery delivery = accepted.delivery();
        boolean offload = blocking.get(endpoint);
        response.beforeCommit(() -> settle(delivery, status(response), offload));
        ServerHttpRequest replayed = new VerifiedRequest(exchange.getRequest(), delivery, response);
        ServerWebExchange verified = exchange.mutate().request(replayed).build();
        verified.getAttributes().put(WebFluxAttributes.ENDPOINT, endpoint);
        verified.getAttributes().put(WebFluxAttributes.VERIFIED_WEBHOOK, delivery.webhook());
        return chain.filter(verified)
                .onErrorResume(e -> Mono.error(translate(endpoint, receiver, e)))
                .doFinally(signal -> {
                    if (signal == SignalType.CANCEL && !delivery.isFinished()) {
                        // The sender went away before an answer was committed: the provider will retry.
                        settle(delivery, Reason.HANDLER_FAILED.httpStatus(), offload)
                                .subscribe(null, e -> {});
                    }
                });
    }

    private static int status(ServerHttpResponse response) {
        HttpStatusCode status = response.getStatusCode();
        return status == null ? 200 : status.value();
    }

    /** Completes (2xx) or releases the claim; on the scheduler when the store may block. */
    private Mono<Void> settle(Delivery delivery, int status, boolean offload) {
        Mono<Void> finish = Mono.fromRunnable(() -> delivery.finish(status));
        return offload ? finish.subscribeOn(scheduler) : finish;
    }

    /**
     * What the application's error means to the sender: a refusal stays one; a body that does not bind to a {@code
     * @RequestBody} is {@code MALFORMED_PAYLOAD}; WebFlux's own status exceptions ({@link ErrorResponse}, {@link
     * ResponseStatus}) are left to WebFlux; anything else is the handler's failure, logged here and answered {@code
     * HANDLER_FAILED}, never shown to the sender.
     */
    private static Throwable translate(String endpoint, WebhookReceiver receiver, Throwable e) {
        if (e instanceof WebhookRejectedException) {
            return e;
        }
        if (e instanceof ServerWebInputException) {
            return new WebhookRejectedException(
                    endpoint,
                    receiver.answer(Reason.MALFORMED_PAYLOAD),
                    "body does not bind to the handler's @RequestBody");
        }
        if (e instanceof ErrorResponse || AnnotatedElementUtils.hasAnnotation(e.getClass(), ResponseStatus.class)) {
            return e;
        }
        LOG.log(
                Level.WARNING,
                "webhook handler failed at endpoint " + endpoint + "; the claim is released for the provider's retry",
                e);
        return new WebhookRejectedException(endpoint, receiver.handlerFailed(), "the handler failed");
    }

    /** Where the receiver runs when a store may block, and where claims are settled. */
    Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public String toString() {
        return "WebhookWebFilter" + endpoints.names();
    }

    /** The request as the application reads it: the verified bytes, replayed without a copy. */
    private static final class VerifiedRequest extends ServerHttpRequestDecorator {
        private final Delivery delivery;
        private final ServerHttpResponse response;

        VerifiedRequest(ServerHttpRequest request, Delivery delivery, ServerHttpResponse response) {
            super(request);
            this.delivery = delivery;
            this.response = response;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return Flux.defer(() -> Flux.just(
                    response.bufferFactory().wrap(delivery.webhook().request().bodyBuffer())));
        }
    }

    /** Builds a {@link WebhookWebFilter}. Not thread-safe. */
    public static final class Builder {
        private WebhookEndpoints endpoints;
        private Scheduler scheduler;
        private AnnotatedHandlers annotated;

        private Builder() {}

        /**
         * The endpoints: their receivers, and the path patterns that make a request theirs.
         *
         * @throws NullPointerException if endpoints is null
         * @throws IllegalStateException if already set
         */
        public Builder endpoints(WebhookEndpoints endpoints) {
            Objects.requireNonNull(endpoints, "endpoints cannot be null");
            if (this.endpoints != null) {
                throw new IllegalStateException("endpoints was already set");
            }
            this.endpoints = endpoints;
            return this;
        }

        /**
         * Where the receiver runs when an endpoint's dedupe store or inbox may block (JDBC, Redis's synchronous API,
         * an inbox write), and where claims are completed and released: never the event loop. Default {@link
         * Schedulers#boundedElastic()}.
         *
         * @throws NullPointerException if scheduler is null
         * @throws IllegalStateException if already set
         */
        public Builder scheduler(Scheduler scheduler) {
            Objects.requireNonNull(scheduler, "scheduler cannot be null");
            if (this.scheduler != null) {
                throw new IllegalStateException("scheduler was already set");
            }
            this.scheduler = scheduler;
            return this;
        }

        /** The annotated handler methods' endpoints (the auto-configuration's). */
        Builder annotated(AnnotatedHandlers annotated) {
            this.annotated = Objects.requireNonNull(annotated, "annotated cannot be null");
            return this;
        }

        /**
         * The filter.
         *
         * @throws IllegalStateException if no endpoints were set
         */
        public WebhookWebFilter build() {
            if (endpoints == null) {
                throw new IllegalStateException("endpoints is required");
            }
            return new WebhookWebFilter(this);
        }
    }
}
