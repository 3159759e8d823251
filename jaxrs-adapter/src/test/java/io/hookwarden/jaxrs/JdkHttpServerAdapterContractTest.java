package io.hookwarden.jaxrs;

import io.hookwarden.test.AdapterContractTest;
import java.util.List;

/**
 * {@link HookwardenFeature} in Jersey on the JDK's own HTTP server keeps the adapter contract; with {@code
 * sun.net.httpserver.drainAmount} raised (this module's surefire configuration, docs/jaxrs.md), or the whole-body 413
 * checks get a reset.
 */
class JdkHttpServerAdapterContractTest extends AdapterContractTest {
    @Override
    protected Server start(List<Endpoint> endpoints) {
        JerseyServer server =
                JerseyServer.start(JerseyServer.Container.JDK_HTTP, ContractResources.application(endpoints));
        return Server.of(server.uri("/"), server);
    }
}
