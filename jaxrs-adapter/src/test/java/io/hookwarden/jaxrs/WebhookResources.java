package io.hookwarden.jaxrs;

import io.hookwarden.VerifiedWebhook;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The application under test: resource methods as a user would write them, recording what their handlers ran. */
final class WebhookResources {
    private WebhookResources() {}

    /** What the handlers did; reset before each test. Thread-safe. */
    static final class Recorder {
        private final ConcurrentLinkedQueue<String> handled = new ConcurrentLinkedQueue<>();
        final AtomicInteger failuresLeft = new AtomicInteger();
        final AtomicInteger attempts = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile String failureMessage = "handler failed";

        void handled(String endpoint, VerifiedWebhook webhook) {
            handled.add(endpoint + ":" + webhook.id().orElse("(no id)"));
        }

        List<String> handled() {
            return List.copyOf(handled);
        }

        void reset() {
            handled.clear();
            failuresLeft.set(0);
            attempts.set(0);
            gate = new CountDownLatch(0);
        }
    }

    @Path("/webhooks/stripe")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class StripeResource {
        private final Recorder recorder;

        StripeResource(Recorder recorder) {
            this.recorder = recorder;
        }

        @POST
        @WebhookEndpoint("stripe")
        public String verified(VerifiedWebhook webhook) {
            recorder.handled("stripe", webhook);
            return "processed " + webhook.id().orElseThrow() + " of type "
                    + webhook.eventType().orElseThrow();
        }

        @POST
        @Path("string")
        @WebhookEndpoint("stripe")
        public String string(String body, @Context ContainerRequestContext request) {
            recorder.handled("stripe", (VerifiedWebhook) request.getProperty(HookwardenFeature.VERIFIED_WEBHOOK));
            return body;
        }

        @POST
        @Path("stream")
        @WebhookEndpoint("stripe")
        @Produces(MediaType.APPLICATION_OCTET_STREAM)
        public byte[] stream(InputStream body, @Context ContainerRequestContext request) throws IOException {
            recorder.handled("stripe", (VerifiedWebhook) request.getProperty(HookwardenFeature.VERIFIED_WEBHOOK));
            return body.readAllBytes();
        }

        @POST
        @Path("context")
        @WebhookEndpoint("stripe")
        public String context(@Context ContainerRequestContext request) {
            VerifiedWebhook webhook = (VerifiedWebhook) request.getProperty(HookwardenFeature.VERIFIED_WEBHOOK);
            recorder.handled("stripe", webhook);
            return "scheme " + webhook.schemeId() + " id " + webhook.id().orElseThrow() + " key "
                    + webhook.matchedKey();
        }

        @POST
        @Path("flaky")
        @WebhookEndpoint("stripe")
        public void flaky(VerifiedWebhook webhook) {
            recorder.attempts.incrementAndGet();
            if (recorder.failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException(recorder.failureMessage);
            }
            recorder.handled("stripe", webhook);
        }

        @POST
        @Path("declines")
        @WebhookEndpoint("stripe")
        public Response declines(VerifiedWebhook webhook) {
            recorder.attempts.incrementAndGet();
            return Response.status(503).entity("not now").build();
        }

        @POST
        @Path("tenant/{tenant}")
        @WebhookEndpoint("stripe")
        public String tenant(@PathParam("tenant") String tenant, VerifiedWebhook webhook) {
            recorder.handled("stripe", webhook);
            return "tenant " + tenant;
        }

        @POST
        @Path("gated")
        @WebhookEndpoint("stripe")
        public String gated(VerifiedWebhook webhook) throws InterruptedException {
            recorder.handled("stripe", webhook);
            if (!recorder.gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
            return "processed";
        }
    }

    /** Annotated on the class: every method is the endpoint. */
    @Path("/webhooks/standard")
    @WebhookEndpoint("standard")
    public static final class StandardResource {
        private final Recorder recorder;

        StandardResource(Recorder recorder) {
            this.recorder = recorder;
        }

        @POST
        public String handle(VerifiedWebhook webhook) {
            recorder.handled("standard", webhook);
            return "processed " + webhook.id().orElseThrow();
        }
    }

    /** The endpoint with an inbox: its method must never run in the request. */
    @Path("/webhooks/queued")
    @WebhookEndpoint("queued")
    public static final class QueuedResource {
        private final Recorder recorder;

        QueuedResource(Recorder recorder) {
            this.recorder = recorder;
        }

        @POST
        public String handle(VerifiedWebhook webhook) {
            recorder.handled("queued", webhook);
            return "processed " + webhook.id().orElseThrow();
        }
    }

    @Path("/webhooks/slack")
    public static final class SlackResource {
        private final Recorder recorder;

        SlackResource(Recorder recorder) {
            this.recorder = recorder;
        }

        @POST
        @WebhookEndpoint("slack")
        public void handle(VerifiedWebhook webhook) {
            recorder.handled("slack", webhook);
        }
    }

    /** A scheme that signs the URL: proves the adapter passes the full URL, query included, as the sender sent it. */
    @Path("/webhooks/url-signed")
    public static final class UrlSignedResource {
        @POST
        @WebhookEndpoint("url-signed")
        @Produces(MediaType.TEXT_PLAIN)
        public String handle(VerifiedWebhook webhook) {
            return webhook.request().url().orElseThrow();
        }
    }

    /** No annotation: the feature must leave it alone. Echoes how the body was framed. */
    @Path("/plain")
    public static final class PlainResource {
        @POST
        @Produces(MediaType.TEXT_PLAIN)
        public String plain(String body, @Context HttpHeaders headers) {
            return "transfer-encoding=" + headers.getHeaderString("Transfer-Encoding") + " content-length="
                    + headers.getHeaderString(HttpHeaders.CONTENT_LENGTH) + " body=" + body;
        }
    }
}
