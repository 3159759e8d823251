package io.hookwarden.spring.webflux;

import io.hookwarden.spring.WebhookConfigurationException;
import io.hookwarden.spring.WebhookEndpoint;
import io.hookwarden.spring.WebhookEndpoints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which {@link WebhookEndpoint} the annotated handler WebFlux will pick for a request names, decided before WebFlux
 * reads the request. At start-up it indexes the annotated handler methods and fails when an annotation names no
 * endpoint. Thread-safe.
 */
final class AnnotatedHandlers implements SmartInitializingSingleton {
    private static final System.Logger LOG = System.getLogger(AnnotatedHandlers.class.getName());

    private final ListableBeanFactory beans;
    private final WebhookEndpoints endpoints;
    private volatile List<Entry> entries = List.of();

    private record Entry(RequestMappingHandlerMapping mapping, RequestMappingInfo info, String endpoint) {}

    AnnotatedHandlers(ListableBeanFactory beans, WebhookEndpoints endpoints) {
        this.beans = beans;
        this.endpoints = endpoints;
    }

    /**
     * Indexes the annotated handler methods.
     *
     * @throws WebhookConfigurationException if an annotation names no endpoint
     */
    @Override
    public void afterSingletonsInstantiated() {
        List<Entry> found = new ArrayList<>();
        for (RequestMappingHandlerMapping mapping : beans.getBeansOfType(
                        RequestMappingHandlerMapping.class, false, false)
                .values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> e :
                    mapping.getHandlerMethods().entrySet()) {
                String name = endpointOf(e.getValue());
                if (name == null) {
                    continue;
                }
                if (!endpoints.contains(name)) {
                    throw new WebhookConfigurationException(
                            "hookwarden.endpoints." + name,
                            "@WebhookEndpoint(\"" + name + "\") on "
                                    + e.getValue().getBeanType().getName() + "#"
                                    + e.getValue().getMethod().getName() + " names no endpoint; known endpoints: "
                                    + endpoints.names(),
                            "Configure hookwarden.endpoints." + name + ".scheme and .secrets[0], or fix the name.",
                            null);
                }
                found.add(new Entry(mapping, e.getKey(), name));
            }
        }
        entries = List.copyOf(found);
        Set<String> annotated = new HashSet<>();
        found.forEach(entry -> annotated.add(entry.endpoint()));
        endpoints.warnOfUnused(annotated, LOG);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** How many handler methods carry {@link WebhookEndpoint}. */
    int size() {
        return entries.size();
    }

    /**
     * The endpoint of the handler WebFlux will pick for this request, or empty. A cheap check of the annotated
     * mappings' conditions first; when one matches, the mapping itself picks the handler, exactly as the dispatcher
     * will, so a more specific handler without the annotation is never mistaken for a webhook's. The attributes the
     * mapping sets while looking are taken back: the dispatcher looks again.
     */
    Mono<String> endpointOf(ServerWebExchange exchange) {
        Set<RequestMappingHandlerMapping> candidates = new LinkedHashSet<>();
        for (Entry entry : entries) {
            if (entry.info().getMatchingCondition(exchange) != null) {
                candidates.add(entry.mapping());
            }
        }
        if (candidates.isEmpty()) {
            return Mono.empty();
        }
        Set<String> before = new HashSet<>(exchange.getAttributes().keySet());
        return Flux.fromIterable(candidates)
                .concatMap(mapping -> mapping.getHandler(exchange).onErrorResume(e -> Mono.empty()))
                .next()
                .flatMap(handler ->
                        handler instanceof HandlerMethod method ? Mono.justOrEmpty(endpointOf(method)) : Mono.empty())
                .doFinally(signal -> exchange.getAttributes().keySet().retainAll(before));
    }

    /**
     * The endpoint of the annotated handler the request would reach as a POST, or null: for a method WebFlux would
     * answer itself (OPTIONS, a CORS preflight) or refuse (PUT), which the endpoint refuses before anything is read.
     */
    String endpointAsPost(ServerWebExchange exchange) {
        ServerWebExchange asPost = exchange.mutate()
                .request(request -> request.method(HttpMethod.POST))
                .build();
        for (Entry entry : entries) {
            if (entry.info().getMatchingCondition(asPost) != null) {
                return entry.endpoint();
            }
        }
        return null;
    }

    /**
     * Whether a request-mapping handler of the application serves the request as it is (a GET page of its own on an
     * endpoint's path). The attributes the mappings set while looking are taken back.
     */
    Mono<Boolean> servedByAHandler(ServerWebExchange exchange) {
        Set<RequestMappingHandlerMapping> mappings = new LinkedHashSet<>();
        entries.forEach(entry -> mappings.add(entry.mapping()));
        Set<String> before = new HashSet<>(exchange.getAttributes().keySet());
        return Flux.fromIterable(mappings)
                .concatMap(mapping -> mapping.getHandler(exchange).onErrorResume(e -> Mono.empty()))
                .hasElements()
                .doFinally(signal -> exchange.getAttributes().keySet().retainAll(before));
    }

    /** The name a handler method's, or else its class's, {@link WebhookEndpoint} gives; null for none. */
    static String endpointOf(HandlerMethod method) {
        WebhookEndpoint a = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), WebhookEndpoint.class);
        if (a == null) {
            a = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), WebhookEndpoint.class);
        }
        return a == null ? null : a.value();
    }
}
