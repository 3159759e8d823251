package io.hookwarden.jaxrs;

import io.hookwarden.VerifiedWebhook;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Declares {@link VerifiedWebhook} readable as an entity of any media type, so the runtime selects a resource method
 * that takes one. The value itself comes from {@link EndpointFilter#aroundReadFrom}, which answers before this reader
 * is reached on a webhook method; reaching it means the method is not one.
 */
final class VerifiedWebhookReader implements MessageBodyReader<VerifiedWebhook> {
    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == VerifiedWebhook.class;
    }

    /**
     * Refuses: a {@link VerifiedWebhook} exists only for a method annotated with {@link WebhookEndpoint}.
     *
     * @throws IllegalStateException always
     */
    @Override
    public VerifiedWebhook readFrom(
            Class<VerifiedWebhook> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders,
            InputStream entityStream) {
        throw new IllegalStateException(
                "a VerifiedWebhook entity is only available to resource methods annotated with @WebhookEndpoint");
    }
}
