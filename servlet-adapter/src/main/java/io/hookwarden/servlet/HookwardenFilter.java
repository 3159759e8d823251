package io.hookwarden.servlet;

import io.hookwarden.Delivery;
import io.hookwarden.HttpAnswer;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A servlet filter in front of an application's webhook endpoints: for a request whose path is an endpoint's, it reads
 * the body (capped), lets the endpoint's {@link WebhookReceiver} verify and claim it, and either answers the sender
 * itself or hands the verified request on to the application. Requests to other paths, and forwards, includes, error
 * and async dispatches (whatever dispatcher types the filter is mapped to), pass through untouched.
 *
 * <pre>{@code
 * HookwardenFilter filter = HookwardenFilter.builder()
 *     .endpoint("/webhooks/stripe", stripeReceiver)
 *     .endpoint("/webhooks/github", githubReceiver)
 *     .build();
 * servletContext.addFilter("hookwarden", filter).addMappingForUrlPatterns(null, false, "/webhooks/*");
 * }</pre>
 *
 * <p>Or in {@code web.xml}, with init parameters ({@code hookwarden.endpoints}, {@code hookwarden.<name>.path},
 * {@code .scheme}, {@code .secret-env}; see {@code docs/servlet.md}) and this class's public no-argument constructor.
 *
 * <p>Per request to an endpoint:
 *
 * <ul>
 *   <li>A body over the verifier's {@link io.hookwarden.WebhookVerifier#maxBodyBytes()} is refused with 413 before it
 *       is read (by {@code Content-Length}), or as soon as the limit is passed (chunked); no more is ever buffered.
 *   <li>An {@link Outcome.Accepted accepted} delivery goes down the chain in a request that replays the very same bytes
 *       from {@code getInputStream()} and {@code getReader()}, as often as asked, with the {@link VerifiedWebhook} in
 *       the request attribute {@link #VERIFIED_WEBHOOK}. When the chain returns with a 2xx status the claim is
 *       completed; any other status releases it, so the provider's retry is processed.
 *   <li>When the chain throws, the claim is released; if the response is not yet committed the filter answers the
 *       receiver's {@link WebhookReceiver#handlerFailed()} (500 problem+json with {@code Retry-After}) and logs the
 *       exception, so no stack trace reaches the sender; if it is committed the exception propagates.
 *   <li>A duplicate, a refusal or a handshake is answered with the outcome's {@link HttpAnswer} verbatim (status,
 *       headers, body) and the chain is not called.
 * </ul>
 *
 * <p>Asynchronous handlers are supported: when the application starts async processing, the claim is completed or
 * released when the async cycle ends. Immutable once initialised and thread-safe.
 */
public final class HookwardenFilter implements Filter {
    /** The request attribute holding the {@link VerifiedWebhook} of an accepted delivery. */
    public static final String VERIFIED_WEBHOOK = "io.hookwarden.servlet.VerifiedWebhook";

    private static final System.Logger LOG = System.getLogger(HookwardenFilter.class.getName());

    /**
     * RFC 9112 section 6.3: a request framed both by {@code Content-Length} and by {@code Transfer-Encoding} "ought to
     * be handled as an error", and a server that answers it must close the connection; otherwise what one hop reads as
     * the body, the next reads as a second request (request smuggling).
     */
    private static final HttpAnswer CONFLICTING_FRAMING = HttpAnswer.problem(
            Reason.AMBIGUOUS_REQUEST, null, Map.of("detail", "both Content-Length and Transfer-Encoding are present"));

    private volatile Map<String, WebhookReceiver> endpoints;
    /** The endpoints' paths {@link PathFolding#fold folded}, derived once from {@link #endpoints} for the ambiguity check. */
    private volatile Map<String, WebhookReceiver> foldedEndpoints;

    private final boolean built;

    /**
     * For containers that create the filter from {@code web.xml} or by class: the endpoints come from the init
     * parameters in {@link #init(FilterConfig)}. In code, use {@link #builder()}.
     */
    public HookwardenFilter() {
        this.endpoints = Map.of();
        this.foldedEndpoints = Map.of();
        this.built = false;
    }

    private HookwardenFilter(Map<String, WebhookReceiver> endpoints) {
        this.endpoints = endpoints;
        this.foldedEndpoints = folded(endpoints);
        this.built = true;
    }

    /** A builder; at least one endpoint is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the endpoints from the init parameters when the filter was created by the container; a filter from
     * {@link #builder()} accepts no {@code hookwarden.*} init parameter.
     *
     * @throws ServletException if a parameter is missing, unknown or invalid (the message names it, never a secret)
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        Map<String, String> params = new LinkedHashMap<>();
        Enumeration<String> names = config.getInitParameterNames();
        while (names != null && names.hasMoreElements()) {
            String name = names.nextElement();
            params.put(name, config.getInitParameter(name));
        }
        if (built) {
            if (params.keySet().stream().anyMatch(n -> n.startsWith(InitParams.PREFIX))) {
                throw new ServletException("filter " + config.getFilterName()
                        + " was built in code with its endpoints; remove its hookwarden.* init parameters");
            }
            return;
        }
        try {
            endpoints = Collections.unmodifiableMap(InitParams.parse(
                    params,
                    name -> config.getServletContext().getAttribute(name),
                    System::getenv,
                    System::getProperty));
            foldedEndpoints = folded(endpoints);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ServletException("filter " + config.getFilterName() + ": " + e.getMessage(), e);
        }
    }

    /** The endpoints: path within the context to receiver; read-only. */
    public Map<String, WebhookReceiver> endpoints() {
        return endpoints;
    }

    /**
     * Verifies and answers a request to an endpoint, or passes any other request on untouched.
     *
     * @throws IOException if reading the body or writing the answer fails (the sender went away), or the application
     *     threw it after committing its answer
     * @throws ServletException if the application threw it after committing its answer
     */
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request)
                || !(res instanceof HttpServletResponse response)
                || request.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(req, res);
            return;
        }
        String path = routedPath(request);
        WebhookReceiver receiver = endpoints.get(path);
        boolean exact = receiver != null && request.getRequestURI().equals(request.getContextPath() + path);
        WebhookReceiver named = receiver != null ? receiver : resembled(request, path);
        if (request.getHeader("Content-Length") != null
                && request.getHeader("Transfer-Encoding") != null
                && named != null) {
            named.refuse(
                    ServletExchange.head(request),
                    Reason.AMBIGUOUS_REQUEST,
                    "both Content-Length and Transfer-Encoding");
            response.setHeader("Connection", "close");
            write(CONFLICTING_FRAMING, response);
            return;
        }
        if (!exact) {
            if (named != null) {
                // Issue 12: the container routes by the decoded, normalised path; a raw URI that differs from it
                // (;params, %XX, dot segments, // or a trailing /, another case) is refused, never guessed at.
                write(
                        named.refuse(ServletExchange.head(request), Reason.AMBIGUOUS_REQUEST, "ambiguous request path"),
                        response);
                return;
            }
            chain.doFilter(req, res);
            return;
        }
        Outcome outcome = receiver.receive(
                ServletExchange.head(request), request.getInputStream(), request.getContentLengthLong());
        if (!(outcome instanceof Outcome.Accepted accepted)) {
            LOG.log(Level.DEBUG, "webhook answered at {0}: {1}", path, outcome);
            if (outcome instanceof Outcome.Rejected rejected && rejected.reason() == Reason.PAYLOAD_TOO_LARGE) {
                // The rest of the body was not read: answer, then read and drop what the sender still writes (up to
                // the endpoint's bound) before the container closes, so a sender that writes everything before it
                // reads gets this 413, not a reset that makes it retry a delivery that will never fit.
                ServletExchange.writeAfterDraining(outcome.answer(), response, receiver, request.getInputStream());
                return;
            }
            write(outcome.answer(), response);
            return;
        }
        process(
                accepted.delivery(),
                receiver,
                new VerifiedRequest(request, accepted.delivery().webhook()),
                response,
                chain);
    }

    private static void process(
            Delivery delivery,
            WebhookReceiver receiver,
            VerifiedRequest request,
            HttpServletResponse response,
            FilterChain chain)
            throws IOException, ServletException {
        request.setAttribute(VERIFIED_WEBHOOK, delivery.webhook());
        boolean async = false;
        try {
            chain.doFilter(request, response);
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new Finisher(delivery, response));
                async = true;
            } else {
                delivery.finish(response.getStatus());
            }
        } catch (IOException | ServletException | RuntimeException e) {
            delivery.finish(receiver.handlerFailed().status());
            if (response.isCommitted()) {
                throw e;
            }
            LOG.log(
                    Level.WARNING,
                    "handler failed on " + delivery.webhook() + " at " + receiver.name() + "; claim released",
                    e);
            response.reset();
            write(receiver.handlerFailed(), response);
        } finally {
            if (!async) {
                delivery.close();
            }
        }
    }

    /**
     * The path the container routes the request by: servlet path plus path info, decoded and normalised by the
     * container itself, so the filter guards exactly the path that reaches the application's servlet.
     */
    static String routedPath(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }

    /**
     * The endpoint a request that is not exactly an endpoint's path would name under some reading, or null: its raw or
     * routed path, with path parameters dropped, percent escapes decoded, dot segments resolved, empty segments
     * collapsed and case folded, is that endpoint's path folded the same way.
     */
    private WebhookReceiver resembled(HttpServletRequest request, String routed) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String raw = context != null && !context.isEmpty() && uri.startsWith(context)
                ? uri.substring(context.length())
                : uri;
        Map<String, WebhookReceiver> folded = foldedEndpoints;
        WebhookReceiver found = folded.get(PathFolding.fold(raw));
        if (found == null) {
            found = folded.get(PathFolding.fold(routed));
        }
        return found != null ? found : folded.get(PathFolding.fold(uri));
    }

    private static Map<String, WebhookReceiver> folded(Map<String, WebhookReceiver> endpoints) {
        Map<String, WebhookReceiver> folded = new HashMap<>();
        endpoints.forEach((path, receiver) -> folded.putIfAbsent(PathFolding.fold(path), receiver));
        return Map.copyOf(folded);
    }

    private static void write(HttpAnswer answer, HttpServletResponse response) throws IOException {
        ServletExchange.write(answer, response);
    }

    @Override
    public String toString() {
        return "HookwardenFilter" + endpoints.keySet();
    }

    /** Completes or releases the claim of an asynchronous handler when its async cycle ends. */
    private static final class Finisher implements AsyncListener {
        private final Delivery delivery;
        private final HttpServletResponse response;

        Finisher(Delivery delivery, HttpServletResponse response) {
            this.delivery = delivery;
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            delivery.finish(response.getStatus());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            delivery.release();
        }

        @Override
        public void onError(AsyncEvent event) {
            delivery.release();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    /** Configures a {@link HookwardenFilter}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, WebhookReceiver> endpoints = new HashMap<>();

        private Builder() {}

        /**
         * An endpoint: requests to exactly this path (within the servlet context, no wildcards) go to the receiver.
         *
         * @param path such as {@code /webhooks/stripe}
         * @param receiver the endpoint's receiver
         * @return this builder
         * @throws NullPointerException if path or receiver is null
         * @throws IllegalArgumentException if path does not start with '/'
         * @throws IllegalStateException if the path already has an endpoint
         */
        public Builder endpoint(String path, WebhookReceiver receiver) {
            checkPath(path);
            Objects.requireNonNull(receiver, "receiver cannot be null");
            if (endpoints.putIfAbsent(path, receiver) != null) {
                throw new IllegalStateException("path " + path + " already has an endpoint");
            }
            return this;
        }

        /**
         * The filter.
         *
         * @throws IllegalStateException if no endpoint was given
         */
        public HookwardenFilter build() {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("at least one endpoint is required");
            }
            return new HookwardenFilter(Collections.unmodifiableMap(new HashMap<>(endpoints)));
        }
    }

    static void checkPath(String path) {
        Objects.requireNonNull(path, "path cannot be null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/' but was " + path);
        }
    }
}
