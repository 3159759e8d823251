package io.hookwarden.spring;

import io.hookwarden.HttpAnswer;
import io.hookwarden.Reason;
import io.hookwarden.servlet.PathFolding;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.UrlPathHelper;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which endpoint a request belongs to, decided before Spring MVC reads it: the {@link WebhookEndpoint} of the handler
 * Spring MVC will pick, else a configured path pattern; and which requests to refuse at once, another spelling of a
 * configured path or a method no endpoint receives on ({@link #routeOf}). At start-up it indexes the annotated handler
 * methods and fails when an annotation names no endpoint. Thread-safe.
 */
final class WebhookHandlers implements SmartInitializingSingleton {
    private static final System.Logger LOG = System.getLogger(WebhookHandlers.class.getName());

    /** Per context, not static: a restarted context (DevTools) must not keep the old classes. */
    private final Map<HandlerKey, Optional<String>> names = new ConcurrentHashMap<>();

    private final ListableBeanFactory beans;
    private final WebhookEndpoints endpoints;
    private final List<PathEntry> paths = new ArrayList<>();
    /** The same patterns, matching case-insensitively, for folded readings of a path. */
    private final List<PathEntry> loosePaths = new ArrayList<>();

    private volatile List<PathPattern> looseAnnotated = List.of();
    private volatile List<MappingEntry> mappings = List.of();

    /** An inherited method serves several controllers, each with its own class-level annotation. */
    private record HandlerKey(Class<?> beanType, Method method) {}

    private record MappingEntry(RequestMappingHandlerMapping mapping, RequestMappingInfo info) {}

    private record PathEntry(PathPattern pattern, String endpoint) {}

    private static final PathPatternParser LOOSE = new PathPatternParser();

    static {
        LOOSE.setCaseSensitive(false);
    }

    WebhookHandlers(ListableBeanFactory beans, WebhookEndpoints endpoints) {
        this.beans = beans;
        this.endpoints = endpoints;
        endpoints.paths().forEach((name, patterns) -> {
            for (String p : patterns) {
                paths.add(new PathEntry(PathPatternParser.defaultInstance.parse(p), name));
                loosePaths.add(new PathEntry(LOOSE.parse(p), name));
            }
        });
    }

    /**
     * Indexes the annotated handler methods.
     *
     * @throws WebhookConfigurationException if an annotation names no endpoint
     */
    @Override
    public void afterSingletonsInstantiated() {
        List<MappingEntry> found = new ArrayList<>();
        Set<String> annotated = new LinkedHashSet<>();
        beans.getBeansOfType(RequestMappingHandlerMapping.class, false, false)
                .values()
                .forEach(mapping -> mapping.getHandlerMethods().forEach((info, method) -> {
                    String name = endpointOf(method);
                    if (name == null) {
                        return;
                    }
                    if (!endpoints.contains(name)) {
                        throw new WebhookConfigurationException(
                                "hookwarden.endpoints." + name,
                                "@WebhookEndpoint(\"" + name + "\") on "
                                        + method.getBeanType().getName() + "#"
                                        + method.getMethod().getName() + " names no endpoint; known endpoints: "
                                        + endpoints.names(),
                                "Configure hookwarden.endpoints." + name + ".scheme and .secrets[0], or fix the name.",
                                null);
                    }
                    found.add(new MappingEntry(mapping, info));
                    annotated.add(name);
                }));
        mappings = List.copyOf(found);
        endpoints.warnOfUnused(annotated, LOG);
        List<PathPattern> loose = new ArrayList<>();
        for (MappingEntry entry : found) {
            for (String pattern : entry.info().getPatternValues()) {
                try {
                    loose.add(LOOSE.parse(pattern));
                } catch (RuntimeException e) {
                    // an AntPathMatcher pattern PathPattern cannot read; the mapping still decides for itself
                }
            }
        }
        looseAnnotated = List.copyOf(loose);
    }

    /** The annotated handler methods' count, for tests and logs. */
    int annotatedHandlers() {
        return mappings.size();
    }

    /**
     * Where a request goes, decided before Spring MVC reads it.
     *
     * @param endpoint the endpoint's name, or null when the request is an ambiguous spelling of one
     * @param refusal why to answer at once, before the body is read and anything claimed (with the endpoint's own
     *     answer, or {@link #AMBIGUOUS_ANSWER} when there is no endpoint); null to go on
     */
    record Route(String endpoint, Reason refusal) {
        /** Another spelling of an endpoint's path. */
        static final Route AMBIGUOUS = new Route(null, Reason.AMBIGUOUS_REQUEST);

        /** The answer to an ambiguous spelling, which names no endpoint; rendered once, it carries nothing of it. */
        static final HttpAnswer AMBIGUOUS_ANSWER = HttpAnswer.problem(Reason.AMBIGUOUS_REQUEST, null);

        /** The route for this request's method: {@code METHOD_NOT_ALLOWED} unless it is one an endpoint receives on. */
        static Route of(String endpoint, HttpServletRequest request) {
            return receivedOn(request.getMethod())
                    ? new Route(endpoint, null)
                    : new Route(endpoint, Reason.METHOD_NOT_ALLOWED);
        }
    }

    /**
     * Whether an endpoint may receive on this method: POST, and GET (HEAD is GET to Spring MVC) for the handshakes and
     * signed GET callbacks the core answers itself. Any other is refused here, before Spring MVC answers an OPTIONS or
     * a CORS preflight on its own, as the core would refuse it.
     */
    private static boolean receivedOn(String method) {
        return "POST".equals(method) || "GET".equals(method) || "HEAD".equals(method);
    }

    /**
     * The route of the request, or null when it is no endpoint's.
     *
     * <ul>
     *   <li>a handler carrying {@link WebhookEndpoint}, as the handler mapping itself picks it for this request, under
     *       whatever spelling the mapping accepts: the endpoint (nothing is guessed, the dispatcher will run exactly
     *       this handler);
     *   <li>a path an endpoint's {@code paths} pattern matches, spelled plainly: the endpoint;
     *   <li>a path that matches such a pattern, or the path the container routes by does, only under another reading
     *       ({@code ;params}, percent escapes, dot or empty segments, a trailing '/', another case) or one Spring cannot
     *       parse: ambiguous. The container or a handler mapping with other settings (the {@code AntPathMatcher},
     *       case-insensitive matching) may route such a spelling to the endpoint's handler, so it is refused rather
     *       than passed on unverified.
     * </ul>
     *
     * A request to an endpoint with a method it does not receive on (any but POST and GET; for an annotated handler,
     * one whose POST would reach it) is refused with {@code METHOD_NOT_ALLOWED}.
     */
    Route routeOf(HttpServletRequest request) {
        if (mappings.isEmpty() && paths.isEmpty()) {
            return null;
        }
        Object previousPath = request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
        Object previousLookup = request.getAttribute(UrlPathHelper.PATH_ATTRIBUTE);
        try {
            RequestPath path;
            try {
                path = ServletRequestPathUtils.parseAndCache(request);
            } catch (IllegalArgumentException e) {
                // Spring cannot parse it (a context path spelled "//app"); its dispatcher would fail the same way.
                return resembles(request, null, true) ? Route.AMBIGUOUS : null;
            }
            String annotated = annotatedEndpoint(request);
            if (annotated == null && !receivedOn(request.getMethod())) {
                // Issue 12: Spring routes OPTIONS (and a CORS preflight) to its own handler, and PUT or DELETE to
                // none; the handler the same request would reach as a POST decides whether it is an endpoint's.
                annotated = annotatedEndpointAsPost(request);
            } else if (annotated == null && !"POST".equals(request.getMethod())) {
                // A GET handshake (Meta's hub.challenge, X's CRC, Okta's verification) to a @PostMapping handler:
                // Spring would answer 405 itself, so it goes to the endpoint the POST reaches, for the core to answer
                // or refuse; unless the application maps the GET to a handler of its own.
                String asPost = annotatedEndpointAsPost(request);
                if (asPost != null && !servedByAHandler(request)) {
                    annotated = asPost;
                }
            }
            if (annotated != null) {
                return Route.of(annotated, request);
            }
            PathContainer within = path.pathWithinApplication();
            for (PathEntry entry : paths) {
                if (entry.pattern().matches(within)) {
                    return PathFolding.isPlain(within.value()) ? Route.of(entry.endpoint(), request) : Route.AMBIGUOUS;
                }
            }
            return resembles(request, within.value(), false) ? Route.AMBIGUOUS : null;
        } finally {
            restore(request, ServletRequestPathUtils.PATH_ATTRIBUTE, previousPath);
            restore(request, UrlPathHelper.PATH_ATTRIBUTE, previousLookup);
        }
    }

    private static void restore(HttpServletRequest request, String attribute, Object previous) {
        if (previous == null) {
            request.removeAttribute(attribute);
        } else {
            request.setAttribute(attribute, previous);
        }
    }

    /**
     * Whether some reading of the request's path, folded ({@link PathFolding}), matches an endpoint's {@code paths}
     * pattern, or, when Spring could not parse the path, an annotated handler's pattern too; case-insensitively.
     */
    private boolean resembles(HttpServletRequest request, String rawWithin, boolean unparsed) {
        if (loosePaths.isEmpty() && !unparsed) {
            return false;
        }
        String uri = request.getRequestURI();
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String routed = servletPath + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String foldedUri = PathFolding.fold(uri);
        String foldedContext = context.isEmpty() ? "" : PathFolding.fold(context);
        List<String> readings = new ArrayList<>();
        readings.add(PathFolding.fold(routed));
        readings.add(foldedUri);
        if (rawWithin != null) {
            readings.add(PathFolding.fold(rawWithin));
        }
        if (!foldedContext.isEmpty() && foldedUri.startsWith(foldedContext + "/")) {
            readings.add(foldedUri.substring(foldedContext.length()));
        }
        for (String reading : readings) {
            PathContainer folded = PathContainer.parsePath(reading);
            for (PathEntry entry : loosePaths) {
                if (entry.pattern().matches(folded)) {
                    return true;
                }
            }
            if (unparsed) {
                for (PathPattern pattern : looseAnnotated) {
                    if (pattern.matches(folded)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * A cheap check against the annotated mappings' conditions first; when one matches, the mapping itself picks the
     * handler, exactly as the dispatcher will, so a more specific unannotated handler is never mistaken for a webhook.
     */
    private String annotatedEndpoint(HttpServletRequest request) {
        Set<RequestMappingHandlerMapping> candidates = new LinkedHashSet<>();
        RequestMappingHandlerMapping resolved = null;
        for (MappingEntry entry : mappings) {
            if (!entry.mapping().usesPathPatterns() && entry.mapping() != resolved) {
                // The AntPathMatcher's conditions read the lookup path its own UrlPathHelper resolves.
                entry.mapping().getUrlPathHelper().resolveAndCacheLookupPath(request);
                resolved = entry.mapping();
            }
            if (entry.info().getMatchingCondition(request) != null) {
                candidates.add(entry.mapping());
            }
        }
        for (RequestMappingHandlerMapping mapping : candidates) {
            try {
                HandlerExecutionChain chain = mapping.getHandler(request);
                if (chain != null && chain.getHandler() instanceof HandlerMethod method) {
                    return endpointOf(method);
                }
            } catch (Exception e) {
                // The dispatcher meets the same refusal (405, 415, ...) and answers it; nothing to capture.
                return null;
            }
        }
        return null;
    }

    /** Whether a request-mapping handler of the application serves the request as it is (a GET page of its own). */
    private boolean servedByAHandler(HttpServletRequest request) {
        Map<String, Object> before = new HashMap<>();
        for (Enumeration<String> names = request.getAttributeNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            before.put(name, request.getAttribute(name));
        }
        try {
            Set<RequestMappingHandlerMapping> seen = new LinkedHashSet<>();
            for (MappingEntry entry : mappings) {
                if (seen.add(entry.mapping())) {
                    try {
                        if (entry.mapping().getHandler(request) != null) {
                            return true;
                        }
                    } catch (Exception e) {
                        // no handler for this method (405) or media type: not served
                    }
                }
            }
            return false;
        } finally {
            for (String name : Collections.list(request.getAttributeNames())) {
                if (!before.containsKey(name)) {
                    request.removeAttribute(name);
                }
            }
            before.forEach(request::setAttribute);
        }
    }

    /**
     * The endpoint of the handler the request would reach as a POST. The attributes the handler mapping sets while
     * looking are taken back: the dispatcher will look again for the real method and may not set them all.
     */
    private String annotatedEndpointAsPost(HttpServletRequest request) {
        Map<String, Object> before = new HashMap<>();
        for (Enumeration<String> names = request.getAttributeNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            before.put(name, request.getAttribute(name));
        }
        try {
            return annotatedEndpoint(new AsPost(request));
        } finally {
            for (String name : Collections.list(request.getAttributeNames())) {
                if (!before.containsKey(name)) {
                    request.removeAttribute(name);
                }
            }
            before.forEach(request::setAttribute);
        }
    }

    /** The request as a POST, to ask the handler mappings which handler its POST would reach. */
    private static final class AsPost extends HttpServletRequestWrapper {
        AsPost(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getMethod() {
            return "POST";
        }
    }

    /** The endpoint a handler method's (or else its class's) {@link WebhookEndpoint} names, or null. */
    String endpointOf(HandlerMethod method) {
        return names.computeIfAbsent(new HandlerKey(method.getBeanType(), method.getMethod()), key -> {
                    WebhookEndpoint a = AnnotatedElementUtils.findMergedAnnotation(key.method(), WebhookEndpoint.class);
                    if (a == null) {
                        a = AnnotatedElementUtils.findMergedAnnotation(key.beanType(), WebhookEndpoint.class);
                    }
                    return Optional.ofNullable(a).map(WebhookEndpoint::value);
                })
                .orElse(null);
    }
}
