package io.hookwarden.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Reason;
import io.hookwarden.VerifiedWebhook;
import java.io.IOException;
import java.util.function.Supplier;
import org.springframework.core.MethodParameter;

/**
 * How a {@link WebhookPayload} parameter is bound from the verified body, for the Spring MVC and WebFlux argument
 * resolvers alike: {@code String}, {@code byte[]}, or Jackson binding with the application's {@link ObjectMapper}. A
 * body that does not bind is refused with the endpoint's {@code MALFORMED_PAYLOAD} answer, its message naming where
 * binding failed and never the payload's values.
 */
public final class WebhookPayloadBinding {
    private WebhookPayloadBinding() {}

    /**
     * The argument for {@code parameter}.
     *
     * @param endpoint the endpoint's name, read only when the body does not bind
     * @throws WebhookRejectedException when the body does not bind to the parameter's type
     */
    public static Object bind(
            MethodParameter parameter,
            VerifiedWebhook webhook,
            ObjectMapper mapper,
            WebhookEndpoints endpoints,
            Supplier<String> endpoint) {
        Class<?> type = parameter.getParameterType();
        if (type == String.class) {
            return webhook.bodyText();
        }
        if (type == byte[].class) {
            return webhook.body();
        }
        JavaType javaType = mapper.constructType(parameter.getGenericParameterType());
        try {
            return mapper.readValue(webhook.body(), javaType);
        } catch (JsonProcessingException e) {
            String name = endpoint.get();
            throw new WebhookRejectedException(
                    name, endpoints.receiver(name).answer(Reason.MALFORMED_PAYLOAD), describe(e, javaType));
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail", e);
        }
    }

    /** Where binding failed (location and field path), never the payload's values: Jackson's message may quote them. */
    private static String describe(JsonProcessingException e, JavaType type) {
        StringBuilder sb = new StringBuilder("body does not bind to ").append(type.toCanonical());
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            sb.append(" at ").append(mapping.getPathReference());
        }
        if (e.getLocation() != null) {
            sb.append(" (line ")
                    .append(e.getLocation().getLineNr())
                    .append(", column ")
                    .append(e.getLocation().getColumnNr())
                    .append(')');
        }
        return sb.toString();
    }
}
