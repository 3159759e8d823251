package io.hookwarden.servlet;

import io.hookwarden.test.AdapterContractTest.Endpoint;
import io.hookwarden.test.AdapterContractTest.Reply;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The kit's endpoints as a servlet application: {@link HookwardenFilter} with each endpoint's receiver at its path, in
 * front of a servlet that reads the body as an application does and answers what the endpoint's application replies.
 */
final class ContractApplication extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, Endpoint> byPath;

    ContractApplication(List<Endpoint> endpoints) {
        this.byPath = endpoints.stream().collect(Collectors.toUnmodifiableMap(Endpoint::path, Function.identity()));
    }

    /** The filter: each endpoint's receiver at its path. */
    static HookwardenFilter filter(List<Endpoint> endpoints) {
        HookwardenFilter.Builder filter = HookwardenFilter.builder();
        endpoints.forEach(endpoint -> filter.endpoint(endpoint.path(), endpoint.receiver()));
        return filter.build();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Endpoint endpoint = byPath.get(HookwardenFilter.routedPath(request));
        if (endpoint == null) {
            response.sendError(404);
            return;
        }
        Reply reply = endpoint.application().handle(request.getInputStream().readAllBytes());
        response.setStatus(reply.status());
        response.setContentType(reply.contentType());
        response.getOutputStream().write(reply.body());
    }
}
