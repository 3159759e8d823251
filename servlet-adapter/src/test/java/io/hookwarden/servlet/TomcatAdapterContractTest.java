package io.hookwarden.servlet;

import io.hookwarden.test.AdapterContractTest;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.io.TempDir;

/** {@link HookwardenFilter} on embedded Tomcat 10.1 keeps the adapter contract. */
class TomcatAdapterContractTest extends AdapterContractTest {
    /** Static: the server starts before the first test, when JUnit has injected only static directories. */
    @TempDir
    static Path baseDir;

    @Override
    protected Server start(List<Endpoint> endpoints) throws Exception {
        Tomcat tomcat = TomcatFilterTest.startTomcat(
                ContractApplication.filter(endpoints), new ContractApplication(endpoints), baseDir);
        return Server.of(URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/"), () -> {
            tomcat.stop();
            tomcat.destroy();
        });
    }
}
