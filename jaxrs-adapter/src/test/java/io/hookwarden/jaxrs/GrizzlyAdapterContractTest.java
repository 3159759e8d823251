package io.hookwarden.jaxrs;

import io.hookwarden.test.AdapterContractTest;
import java.util.List;

/** {@link HookwardenFeature} in Jersey on Grizzly keeps the adapter contract. */
class GrizzlyAdapterContractTest extends AdapterContractTest {
    @Override
    protected Server start(List<Endpoint> endpoints) {
        JerseyServer server =
                JerseyServer.start(JerseyServer.Container.GRIZZLY, ContractResources.application(endpoints));
        return Server.of(server.uri("/"), server);
    }
}
