package io.hookwarden.jaxrs;

import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Puts Hookwarden in front of every resource method annotated with {@link WebhookEndpoint} (on the method or its
 * class); other methods are untouched. Register it with the application:
 *
 * <pre>{@code
 * ResourceConfig app = new ResourceConfig(StripeResource.class)
 *     .register(HookwardenFeature.builder().endpoint("stripe", stripeReceiver).build());
 * }</pre>
 *
 * <p>Per request to a webhook method:
 *
 * <ul>
 *   <li>A request with both {@code Content-Length} and {@code Transfer-Encoding} is refused with 400
 *       {@code AMBIGUOUS_REQUEST} and {@code Connection: close}, and a request to another spelling of the method's path
 *       (matrix parameters, needless or structural escapes, dot segments, empty segments, a trailing slash) with 400
 *       {@code AMBIGUOUS_REQUEST}; both before the body is read. {@code OPTIONS} on a webhook method's path is
 *       answered 405 {@code METHOD_NOT_ALLOWED} instead of the runtime's automatic answer.
 *   <li>A body over the verifier's {@link io.hookwarden.WebhookVerifier#maxBodyBytes()} is refused with 413 before it
 *       is read (by {@code Content-Length}), or as soon as the limit is passed (chunked); no more is ever buffered.
 *   <li>The endpoint's {@link WebhookReceiver} verifies and claims the delivery. A duplicate, a refusal or a handshake
 *       is answered with the outcome's {@link io.hookwarden.HttpAnswer} verbatim (status, headers, body) and the method
 *       does not run.
 *   <li>An accepted delivery reaches the method with the very same bytes as its entity ({@code String}, {@code byte[]},
 *       {@code InputStream} or any type a reader binds), or as a {@link VerifiedWebhook} entity parameter; the
 *       verified delivery is also the request property {@link #VERIFIED_WEBHOOK}.
 *   <li>A 2xx answer from the method completes the claim. Any other answer releases it, so the provider's retry is
 *       processed; a 500 (the method threw and nothing mapped the exception to another answer, or it returned 500)
 *       is replaced by the receiver's {@link WebhookReceiver#handlerFailed()}: problem+json with {@code Retry-After},
 *       never the exception's message or stack trace.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class HookwardenFeature implements Feature {
    /** The request property that holds the {@link VerifiedWebhook} of an accepted delivery. */
    public static final String VERIFIED_WEBHOOK = "io.hookwarden.jaxrs.VerifiedWebhook";

    private final Map<String, WebhookReceiver> endpoints;
    private final Function<ContainerRequestContext, String> remoteAddress;

    private HookwardenFeature(Builder b) {
        this.endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(b.endpoints));
        this.remoteAddress = b.remoteAddress == null ? request -> null : b.remoteAddress;
    }

    /** A builder; at least one endpoint is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers, with the application, what puts each endpoint's filter on its annotated resource methods, a filter
     * that answers {@code OPTIONS} on their paths with 405 instead of the runtime's automatic answer, the reader
     * that hands a method its {@link VerifiedWebhook} entity, and a last-resort exception mapper (lowest priority) that
     * answers an exception nothing else maps with 500, so that a webhook method that throws has its claim released
     * and the sender gets the handler-failed problem instead of the container's error page.
     *
     * @return true: the feature is enabled
     */
    @Override
    public boolean configure(FeatureContext context) {
        OptionsRefusal options = new OptionsRefusal();
        context.register(new Binding(options));
        context.register(options, Priorities.AUTHENTICATION);
        context.register(new VerifiedWebhookReader());
        context.register(new UnmappedExceptionMapper(), UnmappedExceptionMapper.PRIORITY);
        return true;
    }

    /** The endpoints: name to receiver; read-only. */
    public Map<String, WebhookReceiver> endpoints() {
        return endpoints;
    }

    @Override
    public String toString() {
        return "HookwardenFeature" + endpoints.keySet();
    }

    /** Registers an endpoint's filter on each resource method annotated for it, once per method at start-up. */
    private final class Binding implements DynamicFeature {
        private final OptionsRefusal options;

        Binding(OptionsRefusal options) {
            this.options = options;
        }

        /** @throws IllegalStateException if the annotation names an endpoint that was not registered */
        @Override
        public void configure(ResourceInfo resourceInfo, FeatureContext context) {
            Method method = resourceInfo.getResourceMethod();
            Class<?> type = resourceInfo.getResourceClass();
            WebhookEndpoint annotation = method == null ? null : method.getAnnotation(WebhookEndpoint.class);
            if (annotation == null && type != null) {
                annotation = type.getAnnotation(WebhookEndpoint.class);
            }
            if (annotation == null) {
                return;
            }
            WebhookReceiver receiver = endpoints.get(annotation.value());
            if (receiver == null) {
                throw new IllegalStateException("@WebhookEndpoint(\"" + annotation.value() + "\") on "
                        + (type == null ? "" : type.getName() + ".") + (method == null ? "?" : method.getName())
                        + " names no registered endpoint; registered: " + endpoints.keySet());
            }
            context.register(new EndpointFilter(receiver, remoteAddress), Priorities.AUTHENTICATION);
            options.add(type, method);
        }
    }

    /** Configures a {@link HookwardenFeature}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, WebhookReceiver> endpoints = new LinkedHashMap<>();
        private Function<ContainerRequestContext, String> remoteAddress;

        private Builder() {}

        /**
         * An endpoint: resource methods annotated {@code @WebhookEndpoint(name)} go through the receiver.
         *
         * @param name the value of the {@link WebhookEndpoint} annotation, such as {@code stripe}
         * @param receiver the endpoint's receiver
         * @return this builder
         * @throws NullPointerException if name or receiver is null
         * @throws IllegalArgumentException if name is blank
         * @throws IllegalStateException if the name already has an endpoint
         */
        public Builder endpoint(String name, WebhookReceiver receiver) {
            Objects.requireNonNull(name, "name cannot be null");
            Objects.requireNonNull(receiver, "receiver cannot be null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name cannot be blank");
            }
            if (endpoints.containsKey(name)) {
                throw new IllegalStateException("endpoint " + name + " was already set");
            }
            endpoints.put(name, receiver);
            return this;
        }

        /**
         * Where the sender's address comes from. JAX-RS has no portable way to read it, so by default the {@link
         * io.hookwarden.WebhookRequest#remoteAddress()} of a delivery is unknown; an application whose runtime exposes
         * the address (a request property, or a header set by its own trusted proxy) supplies it here.
         *
         * @param remoteAddress the request's address, or null when unknown
         * @return this builder
         * @throws NullPointerException if remoteAddress is null
         * @throws IllegalStateException if already set
         */
        public Builder remoteAddress(Function<ContainerRequestContext, String> remoteAddress) {
            if (this.remoteAddress != null) {
                throw new IllegalStateException("remoteAddress was already set");
            }
            this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress cannot be null");
            return this;
        }

        /**
         * The feature.
         *
         * @throws IllegalStateException if no endpoint was set
         */
        public HookwardenFeature build() {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("at least one endpoint is required");
            }
            return new HookwardenFeature(this);
        }
    }
}
