package io.hookwarden.servlet;

import io.hookwarden.test.AdapterContractTest;
import java.net.URI;
import java.util.List;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.server.ServerConnector;

/** {@link HookwardenFilter} on embedded Jetty 12 (ee10) keeps the adapter contract. */
class JettyAdapterContractTest extends AdapterContractTest {
    @Override
    protected Server start(List<Endpoint> endpoints) throws Exception {
        org.eclipse.jetty.server.Server jetty = JettyFilterTest.startJetty(
                ContractApplication.filter(endpoints), new ContractApplication(endpoints), HttpCompliance.RFC7230);
        int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        return Server.of(URI.create("http://127.0.0.1:" + port + "/"), jetty::stop);
    }
}
