package io.hookwarden.spring;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.ArrayList;
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
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which endpoint a request belongs to, decided before Spring MVC reads it: the {@link WebhookEndpoint} of the handler
 * Spring MVC will pick, else a configured path pattern. At start-up it indexes the annotated handler methods and fails
 * when an annotation names no endpoint. Thread-safe.
 */
final class WebhookHandlers implements SmartInitializingSingleton {
    /** Per context, not static: a restarted context (DevTools) must not keep the old classes. */
    private final Map<HandlerKey, Optional<String>> names = new ConcurrentHashMap<>();

    private final ListableBeanFactory beans;
    private final WebhookEndpoints endpoints;
    private final List<PathEntry> paths = new ArrayList<>();
    private volatile List<MappingEntry> mappings = List.of();

    /** An inherited method serves several controllers, each with its own class-level annotation. */
    private record HandlerKey(Class<?> beanType, Method method) {}

    private record MappingEntry(RequestMappingHandlerMapping mapping, RequestMappingInfo info) {}

    private record PathEntry(PathPattern pattern, String endpoint) {}

    WebhookHandlers(ListableBeanFactory beans, WebhookEndpoints endpoints) {
        this.beans = beans;
        this.endpoints = endpoints;
        endpoints.paths().forEach((name, patterns) -> {
            for (String p : patterns) {
                paths.add(new PathEntry(PathPatternParser.defaultInstance.parse(p), name));
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
                }));
        mappings = List.copyOf(found);
    }

    /** The annotated handler methods' count, for tests and logs. */
    int annotatedHandlers() {
        return mappings.size();
    }

    /** The endpoint of the request, or null when it is none's. */
    String endpointFor(HttpServletRequest request) {
        if (mappings.isEmpty() && paths.isEmpty()) {
            return null;
        }
        Object previous = request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
        RequestPath path = ServletRequestPathUtils.parseAndCache(request);
        try {
            String annotated = annotatedEndpoint(request);
            if (annotated != null) {
                return annotated;
            }
            PathContainer within = path.pathWithinApplication();
            for (PathEntry entry : paths) {
                if (entry.pattern().matches(within)) {
                    return entry.endpoint();
                }
            }
            return null;
        } finally {
            if (previous == null) {
                ServletRequestPathUtils.clearParsedRequestPath(request);
            } else {
                request.setAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE, previous);
            }
        }
    }

    /**
     * A cheap check against the annotated mappings' conditions first; when one matches, the mapping itself picks the
     * handler, exactly as the dispatcher will, so a more specific unannotated handler is never mistaken for a webhook.
     */
    private String annotatedEndpoint(HttpServletRequest request) {
        Set<RequestMappingHandlerMapping> candidates = new LinkedHashSet<>();
        for (MappingEntry entry : mappings) {
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
