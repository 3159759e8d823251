package io.hookwarden.spring;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.InvalidPayloadException;
import io.hookwarden.Reason;
import io.hookwarden.Router;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.function.Supplier;
import org.springframework.util.ReflectionUtils;

/**
 * One {@link InboxHandler} method as a {@link Router.EventHandler}: its arguments bound from the event, its exception
 * passed on as thrown. Thread-safe.
 */
final class InboxHandlerMethod implements Router.EventHandler {
    private enum Kind {
        WEBHOOK,
        EVENT,
        BODY_TEXT,
        BODY_BYTES,
        PAYLOAD
    }

    private final Object bean;
    private final Method method;
    private final Kind[] kinds;
    private final JavaType[] types;
    private final Supplier<ObjectMapper> mapper;

    /**
     * @throws WebhookConfigurationException if a parameter is of no supported kind, or two are payloads
     */
    InboxHandlerMethod(String endpoint, Object bean, Method method, Supplier<ObjectMapper> mapper) {
        this.bean = bean;
        this.method = method;
        this.mapper = mapper;
        Parameter[] parameters = method.getParameters();
        this.kinds = new Kind[parameters.length];
        this.types = new JavaType[parameters.length];
        boolean payload = false;
        for (int i = 0; i < parameters.length; i++) {
            Parameter p = parameters[i];
            Class<?> type = p.getType();
            if (p.isAnnotationPresent(WebhookPayload.class)) {
                if (payload) {
                    throw refused(endpoint, "has two @WebhookPayload parameters");
                }
                payload = true;
                kinds[i] =
                        type == String.class ? Kind.BODY_TEXT : type == byte[].class ? Kind.BODY_BYTES : Kind.PAYLOAD;
            } else if (type == VerifiedWebhook.class) {
                kinds[i] = Kind.WEBHOOK;
            } else if (type == WebhookEvent.class) {
                kinds[i] = Kind.EVENT;
            } else {
                throw refused(
                        endpoint,
                        "has parameter " + p.getName() + " of type " + type.getName()
                                + ", which is neither VerifiedWebhook, WebhookEvent nor @WebhookPayload");
            }
        }
        ReflectionUtils.makeAccessible(method);
    }

    private WebhookConfigurationException refused(String endpoint, String problem) {
        return new WebhookConfigurationException(
                "hookwarden.endpoints." + endpoint + ".inbox",
                "@InboxHandler method " + describe() + " " + problem,
                "Take VerifiedWebhook, WebhookEvent and at most one @WebhookPayload parameter.",
                null);
    }

    String describe() {
        return method.getDeclaringClass().getName() + "#" + method.getName();
    }

    @Override
    public void handle(WebhookEvent event) throws Exception {
        Object[] args = new Object[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            args[i] = switch (kinds[i]) {
                case WEBHOOK -> event.webhook();
                case EVENT -> event;
                case BODY_TEXT -> event.webhook().bodyText();
                case BODY_BYTES -> event.webhook().body();
                case PAYLOAD -> bind(event, i);
            };
        }
        try {
            method.invoke(bean, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** The event's JSON bound to the parameter's type; a binding failure can never succeed, so it is dead at once. */
    private Object bind(WebhookEvent event, int i) {
        ObjectMapper m = mapper.get();
        if (types[i] == null) {
            types[i] = m.constructType(method.getGenericParameterTypes()[i]);
        }
        JavaType type = types[i];
        try {
            return m.readerFor(type).readValue(event.json());
        } catch (java.io.IOException | IllegalArgumentException e) {
            // Where binding failed, never a payload value: Jackson's message may quote them.
            throw new InvalidPayloadException(
                    Reason.MALFORMED_PAYLOAD, "event" + event.pointer() + " does not bind to " + type.toCanonical());
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
