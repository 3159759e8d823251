package io.hookwarden.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.InboxListener;
import io.hookwarden.InboxWorker;
import io.hookwarden.RetryPolicy;
import io.hookwarden.Router;
import io.hookwarden.WebhookReceiver;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * The {@link InboxWorker}s of the endpoints with an inbox, one per endpoint (threads {@code hookwarden-inbox-<name>-N}),
 * each running a {@link Router} of the endpoint's {@link InboxHandler} methods. Built once every singleton exists
 * (start-up fails there on a handler naming no inbox endpoint, or an inbox endpoint without a handler); started with
 * the context's lifecycle, and stopped gracefully ({@code hookwarden.inbox.worker.shutdown-grace}) in {@link #PHASE},
 * after the web server has stopped taking requests and before any bean, such as a {@code DataSource}, is destroyed.
 * Thread-safe.
 */
final class InboxWorkers implements SmartInitializingSingleton, SmartLifecycle {
    /** Below the web server's phases: started after it, stopped after it stopped taking requests. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final ListableBeanFactory beans;
    private final WebhookEndpoints endpoints;
    private final HookwardenProperties properties;
    private final Supplier<ObjectMapper> mapper;
    private final List<WebhookEndpointCustomizer> customizers;
    private final InboxListener listener;
    private final External external;

    private volatile Map<String, Router> routers = Map.of();
    private volatile List<InboxWorker> workers = List.of();
    private volatile boolean running;

    InboxWorkers(
            ListableBeanFactory beans,
            WebhookEndpoints endpoints,
            HookwardenProperties properties,
            Supplier<ObjectMapper> mapper,
            List<WebhookEndpointCustomizer> customizers,
            InboxListener listener,
            External external) {
        this.beans = beans;
        this.endpoints = endpoints;
        this.properties = properties;
        this.mapper = mapper;
        this.customizers = customizers;
        this.listener = listener;
        this.external = external;
    }

    /**
     * Workers of another kind for the endpoints whose inbox only writes ({@link WriteOnlyInbox}), such as Kafka's
     * consumers: given each such endpoint with its router, then told to build them. Its own bean, with its own
     * lifecycle.
     */
    interface External {
        /** Whether these workers consume what this inbox writes. */
        boolean serves(io.hookwarden.spi.Inbox inbox);

        /** An endpoint to consume, with its handlers. */
        void add(String endpoint, WebhookReceiver receiver, Router router);

        /**
         * Builds the workers of the endpoints added.
         *
         * @throws WebhookConfigurationException naming the property, if a worker option is refused
         */
        void build();
    }

    /**
     * Finds the {@link InboxHandler} methods and builds the workers.
     *
     * @throws WebhookConfigurationException if a handler names no endpoint, or one without an inbox; if a handler's
     *     parameter is of no supported kind; if an inbox endpoint has no handler while workers are enabled; or if a
     *     worker property is invalid
     */
    @Override
    public void afterSingletonsInstantiated() {
        Map<String, Router.Builder> found = new LinkedHashMap<>();
        for (String beanName : beans.getBeanNamesForType(Object.class, false, false)) {
            Class<?> type = beans.getType(beanName, false);
            if (type == null) {
                continue;
            }
            if (type.isInterface() || Proxy.isProxyClass(type)) {
                // A JDK proxy: its target's class carries the annotations.
                type = AopProxyUtils.ultimateTargetClass(beans.getBean(beanName));
            }
            Class<?> beanType = type;
            Map<Method, InboxHandler> methods = MethodIntrospector.selectMethods(
                    ClassUtils.getUserClass(beanType), (MethodIntrospector.MetadataLookup<InboxHandler>)
                            m -> AnnotatedElementUtils.findMergedAnnotation(m, InboxHandler.class));
            methods.forEach((method, annotation) -> {
                String name = annotation.endpoint();
                String where =
                        "@InboxHandler(endpoint = \"" + name + "\") on " + beanType.getName() + "#" + method.getName();
                if (!endpoints.contains(name)) {
                    throw new WebhookConfigurationException(
                            "hookwarden.endpoints." + name,
                            where + " names no endpoint; known endpoints: " + endpoints.names(),
                            "Configure hookwarden.endpoints." + name + ".scheme, .secrets[0] and .inbox.enabled=true,"
                                    + " or fix the name.",
                            null);
                }
                if (endpoints.receiver(name).inbox().isEmpty()) {
                    throw new WebhookConfigurationException(
                            "hookwarden.endpoints." + name + ".inbox.enabled",
                            where + " names an endpoint without an inbox",
                            "Set hookwarden.endpoints." + name + ".inbox.enabled=true, or handle the endpoint's"
                                    + " deliveries in a @WebhookEndpoint controller method instead.",
                            null);
                }
                Object bean = beans.getBean(beanName);
                // A proxied bean (transactions, security) is called through its proxy, on the proxy's method.
                Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
                InboxHandlerMethod handler = new InboxHandlerMethod(name, bean, invocable, mapper);
                Router.Builder router = found.computeIfAbsent(name, n -> Router.builder());
                for (String pattern : annotation.eventType()) {
                    try {
                        router.on(pattern, handler);
                    } catch (IllegalArgumentException e) {
                        throw new WebhookConfigurationException(
                                "hookwarden.endpoints." + name + ".inbox",
                                where + ": " + e.getMessage(),
                                "Give event types such as invoice.paid, invoice.* or *.",
                                e);
                    }
                }
            });
        }
        Map<String, Router> built = new LinkedHashMap<>();
        found.forEach((name, router) -> built.put(name, router.build()));
        routers = Map.copyOf(built);
        HookwardenProperties.Worker global = properties.getInbox().getWorker();
        if (!global.isEnabled()) {
            return;
        }
        List<InboxWorker> all = new ArrayList<>();
        endpoints.forEach((name, receiver) -> {
            if (receiver.inbox().isEmpty()) {
                return;
            }
            Router router = routers.get(name);
            if (router == null) {
                throw new WebhookConfigurationException(
                        "hookwarden.endpoints." + name + ".inbox.enabled",
                        "endpoint " + name + " has an inbox, but no @InboxHandler method handles its deliveries",
                        "Add a bean method @InboxHandler(endpoint = \"" + name + "\") void on(VerifiedWebhook"
                                + " webhook), or set hookwarden.inbox.worker.enabled=false on instances that only"
                                + " receive.",
                        null);
            }
            io.hookwarden.spi.Inbox inbox = receiver.inbox().get();
            if (WriteOnlyInbox.is(inbox)) {
                if (external == null || !external.serves(inbox)) {
                    throw new WebhookConfigurationException(
                            "hookwarden.endpoints." + name + ".inbox.enabled",
                            "endpoint " + name + " writes to "
                                    + inbox.getClass().getSimpleName()
                                    + ", which only writes: the inbox workers cannot claim from it",
                            "Set hookwarden.inbox.store=kafka with hookwarden.inbox.kafka.* so that Hookwarden runs"
                                    + " the Kafka workers, or set hookwarden.inbox.worker.enabled=false and run"
                                    + " KafkaInboxWorker yourself.",
                            null);
                }
                external.add(name, receiver, router);
                return;
            }
            all.add(worker(name, receiver, router, global));
        });
        if (external != null) {
            external.build();
        }
        workers = List.copyOf(all);
    }

    private InboxWorker worker(
            String name, WebhookReceiver receiver, Router router, HookwardenProperties.Worker global) {
        HookwardenProperties.Endpoint endpoint = properties.getEndpoints().get(name);
        HookwardenProperties.WorkerOptions own = endpoint == null || endpoint.getInbox() == null
                ? new HookwardenProperties.WorkerOptions()
                : endpoint.getInbox().getWorker();
        String ownPrefix = "hookwarden.endpoints." + name + ".inbox.worker.";
        String globalPrefix = "hookwarden.inbox.worker.";
        InboxWorker.Builder worker = InboxWorker.builder().endpoint(receiver, router);
        option(
                ownPrefix,
                globalPrefix,
                "concurrency",
                own.getConcurrency(),
                global.getConcurrency(),
                worker::concurrency);
        option(
                ownPrefix,
                globalPrefix,
                "poll-interval",
                own.getPollInterval(),
                global.getPollInterval(),
                worker::pollInterval);
        option(ownPrefix, globalPrefix, "batch-size", own.getBatchSize(), global.getBatchSize(), worker::batchSize);
        option(ownPrefix, globalPrefix, "prefetch", own.getPrefetch(), global.getPrefetch(), worker::prefetch);
        option(ownPrefix, globalPrefix, "lease", own.getLease(), global.getLease(), worker::lease);
        option(ownPrefix, globalPrefix, "retention", null, global.getRetention(), worker::retention);
        HookwardenProperties.Retry ownRetry =
                own.getRetry() == null ? new HookwardenProperties.Retry() : own.getRetry();
        HookwardenProperties.Retry globalRetry =
                global.getRetry() == null ? new HookwardenProperties.Retry() : global.getRetry();
        if (!ownRetry.isEmpty() || !globalRetry.isEmpty()) {
            RetryPolicy.Builder retry = RetryPolicy.builder();
            option(ownPrefix, globalPrefix, "retry.base", ownRetry.getBase(), globalRetry.getBase(), retry::base);
            option(
                    ownPrefix,
                    globalPrefix,
                    "retry.factor",
                    ownRetry.getFactor(),
                    globalRetry.getFactor(),
                    retry::factor);
            option(ownPrefix, globalPrefix, "retry.cap", ownRetry.getCap(), globalRetry.getCap(), retry::cap);
            option(
                    ownPrefix,
                    globalPrefix,
                    "retry.max-attempts",
                    ownRetry.getMaxAttempts(),
                    globalRetry.getMaxAttempts(),
                    retry::maxAttempts);
            try {
                worker.retryPolicy(retry.build());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new WebhookConfigurationException(
                        ownPrefix + "retry",
                        e.getMessage(),
                        "Fix " + globalPrefix + "retry.* or " + ownPrefix + "retry.*.",
                        e);
            }
        }
        if (listener != null) {
            worker.listener(listener);
        }
        for (WebhookEndpointCustomizer c : customizers) {
            if (c.name().equals(name)) {
                try {
                    c.customize(worker);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new WebhookConfigurationException(
                            ownPrefix + "*",
                            e.getMessage(),
                            "A WebhookEndpointCustomizer sets a worker option that a property already set: set each"
                                    + " option once, in properties or in code. The listener is the InboxListener"
                                    + " bean's, when there is one.",
                            e);
                }
            }
        }
        return worker.build();
    }

    /** The endpoint's value, else the global one, given to the builder; a refusal names the property it came from. */
    static <T> void option(String ownPrefix, String globalPrefix, String name, T own, T global, Consumer<T> setter) {
        T value = own != null ? own : global;
        if (value == null) {
            return;
        }
        String property = (own != null ? ownPrefix : globalPrefix) + name;
        try {
            setter.accept(value);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new WebhookConfigurationException(property, e.getMessage(), "Fix the value of " + property + ".", e);
        }
    }

    /** The endpoints' routers of {@link InboxHandler} methods, by endpoint name. */
    Map<String, Router> routers() {
        return routers;
    }

    /** The workers, one per inbox endpoint; empty when workers are disabled. */
    List<InboxWorker> workers() {
        return workers;
    }

    @Override
    public void start() {
        workers.forEach(InboxWorker::start);
        running = true;
    }

    /** Stops every worker at once, each waiting up to the grace for its running handlers. */
    @Override
    public void stop() {
        Duration grace = properties.getInbox().getWorker().getShutdownGrace();
        Duration g = grace == null ? InboxWorker.DEFAULT_GRACE : grace;
        CompletableFuture.allOf(workers.stream()
                        .map(w -> CompletableFuture.runAsync(() -> w.stop(g)))
                        .toArray(CompletableFuture[]::new))
                .join();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public String toString() {
        return "InboxWorkers" + routers.keySet();
    }
}
