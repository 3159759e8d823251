package io.hookwarden.jaxrs;

import io.hookwarden.test.AdapterContractTest.Endpoint;
import io.hookwarden.test.AdapterContractTest.Reply;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The kit's endpoints as a Jersey application: {@link HookwardenFeature} with each endpoint's receiver under its name,
 * and a resource per endpoint, bound by {@link WebhookEndpoint} as users bind theirs, that takes the body as its
 * {@code byte[]} entity and answers what the endpoint's application replies.
 */
final class ContractResources {
    private ContractResources() {}

    /** The application: the feature and one resource per endpoint. */
    static ResourceConfig application(List<Endpoint> endpoints) {
        HookwardenFeature.Builder feature = HookwardenFeature.builder();
        endpoints.forEach(endpoint -> feature.endpoint(endpoint.name(), endpoint.receiver()));
        ResourceConfig app = new ResourceConfig().register(feature.build());
        for (Endpoint endpoint : endpoints) {
            app.register(
                    switch (endpoint.name()) {
                        case Endpoint.STANDARD_WEBHOOKS -> new StandardWebhooks(endpoint);
                        case Endpoint.SLACK -> new Slack(endpoint);
                        default -> throw new IllegalArgumentException("no resource for endpoint " + endpoint);
                    });
        }
        return app;
    }

    static Response answer(Endpoint endpoint, byte[] body) {
        Reply reply = endpoint.application().handle(body);
        return Response.status(reply.status())
                .type(reply.contentType())
                .entity(reply.body())
                .build();
    }

    @Path(Endpoint.PATH_PREFIX + Endpoint.STANDARD_WEBHOOKS)
    @WebhookEndpoint(Endpoint.STANDARD_WEBHOOKS)
    public static final class StandardWebhooks {
        private final Endpoint endpoint;

        StandardWebhooks(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        @POST
        public Response handle(byte[] body) {
            return answer(endpoint, body);
        }
    }

    @Path(Endpoint.PATH_PREFIX + Endpoint.SLACK)
    @WebhookEndpoint(Endpoint.SLACK)
    public static final class Slack {
        private final Endpoint endpoint;

        Slack(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        @POST
        public Response handle(byte[] body) {
            return answer(endpoint, body);
        }
    }
}
