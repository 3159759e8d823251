package io.hookwarden.jaxrs;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.lang.System.Logger.Level;

/**
 * Maps an exception that nothing else maps to a bare 500 (a {@link WebApplicationException} to its own answer), so
 * the response filters run: {@link EndpointFilter} then releases the claim and answers the receiver's handler-failed
 * problem. Without it the runtime hands such an exception to the container, which answers on its own (an error page,
 * possibly naming the exception) after the filters had no say.
 *
 * <p>Registered with the lowest priority, so every mapper of the application's own, even one for {@code Throwable},
 * wins. Stateless and thread-safe.
 */
final class UnmappedExceptionMapper implements ExceptionMapper<Throwable> {
    /** Below the default {@code Priorities.USER}: an application's mapper for the same type is chosen first. */
    static final int PRIORITY = Integer.MAX_VALUE / 2;

    private static final System.Logger LOG = System.getLogger(UnmappedExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable exception) {
        if (exception instanceof WebApplicationException wae && wae.getResponse() != null) {
            return wae.getResponse();
        }
        LOG.log(Level.WARNING, "unmapped exception answered with 500", exception);
        return Response.serverError().build();
    }
}
