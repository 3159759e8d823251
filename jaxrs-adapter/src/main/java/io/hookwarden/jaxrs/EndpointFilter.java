package io.hookwarden.jaxrs;

import io.hookwarden.Delivery;
import io.hookwarden.HttpAnswer;
import io.hookwarden.Outcome;
import io.hookwarden.Reason;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One endpoint's filter, registered by {@link HookwardenFeature} on each of its resource methods: reads the body with
 * the cap, lets the receiver verify and claim it, answers refusals itself, and finishes the claim from the method's
 * answer. It also hands the {@link VerifiedWebhook} to a method that takes one as its entity.
 */
final class EndpointFilter implements ContainerRequestFilter, ContainerResponseFilter, ReaderInterceptor {
    /** The request property that holds the claimed {@link Delivery} until the response filter finishes it. */
    static final String DELIVERY = "io.hookwarden.jaxrs.Delivery";

    private static final System.Logger LOG = System.getLogger(EndpointFilter.class.getName());
    private static final Annotation[] NO_ANNOTATIONS = new Annotation[0];

    /**
     * RFC 9112 section 6.3: a request framed both by {@code Content-Length} and by {@code Transfer-Encoding} "ought to
     * be handled as an error", and a server that answers it must close the connection; otherwise what one hop reads as
     * the body, the next reads as a second request (request smuggling).
     */
    private static final HttpAnswer CONFLICTING_FRAMING = HttpAnswer.problem(
            Reason.AMBIGUOUS_REQUEST, null, Map.of("detail", "both Content-Length and Transfer-Encoding are present"));

    private static final String TRANSFER_ENCODING = "Transfer-Encoding";
    private static final String CONNECTION = "Connection";

    private final WebhookReceiver receiver;
    private final Function<ContainerRequestContext, String> remoteAddress;

    EndpointFilter(WebhookReceiver receiver, Function<ContainerRequestContext, String> remoteAddress) {
        this.receiver = receiver;
        this.remoteAddress = remoteAddress;
    }

    /**
     * Refuses a request framed two ways (closing the connection) or sent to another spelling of the endpoint's path,
     * then reads the body with the cap and hands the request to the receiver; all before the method runs.
     */
    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (request.getHeaderString(HttpHeaders.CONTENT_LENGTH) != null
                && request.getHeaderString(TRANSFER_ENCODING) != null) {
            receiver.refuse(head(request), Reason.AMBIGUOUS_REQUEST, "both Content-Length and Transfer-Encoding");
            request.abortWith(Response.fromResponse(toResponse(CONFLICTING_FRAMING))
                    .header(CONNECTION, "close")
                    .build());
            return;
        }
        if (RawPath.isAmbiguous(request.getUriInfo().getRequestUri().getRawPath())) {
            request.abortWith(
                    toResponse(receiver.refuse(head(request), Reason.AMBIGUOUS_REQUEST, "ambiguous request path")));
            return;
        }
        Outcome outcome = receiver.receive(
                head(request),
                request.getEntityStream(),
                WebhookReceiver.declaredLength(request.getHeaderString(HttpHeaders.CONTENT_LENGTH)));
        if (!(outcome instanceof Outcome.Accepted accepted)) {
            LOG.log(Level.DEBUG, "webhook answered at endpoint {0}: {1}", receiver.name(), outcome);
            if (outcome instanceof Outcome.Rejected rejected && rejected.reason() == Reason.PAYLOAD_TOO_LARGE) {
                // The rest of the body was not read: close the connection after the answer. The JAX-RS runtimes
                // tested (Grizzly, the JDK server) read and drop the unread body themselves before closing, so a
                // sender that writes everything before it reads still gets this 413 (FeatureOverHttpContract).
                request.abortWith(Response.fromResponse(toResponse(outcome.answer()))
                        .header(CONNECTION, "close")
                        .build());
                return;
            }
            request.abortWith(toResponse(outcome.answer()));
            return;
        }
        Delivery delivery = accepted.delivery();
        request.setEntityStream(
                new ByteBufferInputStream(delivery.webhook().request().bodyBuffer()));
        request.setProperty(HookwardenFeature.VERIFIED_WEBHOOK, delivery.webhook());
        request.setProperty(DELIVERY, delivery);
    }

    /** 2xx completes the claim; anything else releases it, and a 500 becomes the receiver's handler-failed answer. */
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(DELIVERY) instanceof Delivery delivery)) {
            return;
        }
        request.removeProperty(DELIVERY);
        delivery.finish(response.getStatus());
        if (response.getStatusInfo().getFamily() == Response.Status.Family.SUCCESSFUL) {
            return;
        }
        LOG.log(
                Level.DEBUG,
                "webhook {0} at endpoint {1} answered {2}; claim released",
                delivery.webhook(),
                receiver.name(),
                response.getStatus());
        if (response.getStatus() == 500) {
            HttpAnswer failed = receiver.handlerFailed();
            response.setStatus(failed.status());
            failed.headers().forEach(response.getHeaders()::putSingle);
            response.setEntity(
                    failed.body(),
                    NO_ANNOTATIONS,
                    MediaType.valueOf(failed.contentType().orElse(HttpAnswer.PROBLEM_JSON)));
        }
    }

    /** Gives a resource method that takes a {@link VerifiedWebhook} entity the verified delivery. */
    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getType() == VerifiedWebhook.class) {
            Object webhook = context.getProperty(HookwardenFeature.VERIFIED_WEBHOOK);
            if (webhook != null) {
                return webhook;
            }
        }
        return context.proceed();
    }

    /** The request without its body: the receiver reads that under its cap. */
    private WebhookRequest.Builder head(ContainerRequestContext request) {
        WebhookRequest.Builder b = WebhookRequest.builder()
                .method(request.getMethod())
                .url(request.getUriInfo().getRequestUri().toString())
                .remoteAddress(remoteAddress.apply(request));
        for (Map.Entry<String, List<String>> header : request.getHeaders().entrySet()) {
            for (String value : header.getValue()) {
                b.header(header.getKey(), value);
            }
        }
        return b;
    }

    /** The verified body replayed to the resource method, over the bytes the receiver read: no copy. */
    private static final class ByteBufferInputStream extends java.io.InputStream {
        private final java.nio.ByteBuffer body;

        ByteBufferInputStream(java.nio.ByteBuffer body) {
            this.body = body;
        }

        @Override
        public int read() {
            return body.hasRemaining() ? body.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!body.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, body.remaining());
            body.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return body.remaining();
        }
    }

    /** Copies an answer out verbatim: status, headers, body. */
    static Response toResponse(HttpAnswer answer) {
        Response.ResponseBuilder response = Response.status(answer.status());
        answer.headers().forEach(response::header);
        byte[] body = answer.body();
        if (body.length > 0) {
            response.entity(body);
        }
        return response.build();
    }

    @Override
    public String toString() {
        return "EndpointFilter[" + receiver.name() + "]";
    }
}
