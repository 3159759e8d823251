package io.hookwarden.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.io.TempDir;

/** The filter's HTTP contract in embedded Tomcat 10.1, the filter mapped for every dispatcher type. */
class TomcatFilterTest extends FilterOverHttpContract {
    @TempDir
    Path baseDir;

    private Tomcat tomcat;

    @Override
    URI start(Filter filter, HttpServlet application) throws Exception {
        tomcat = startTomcat(filter, application, baseDir);
        return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/");
    }

    /**
     * Embedded Tomcat on a free loopback port, working in {@code baseDir}, the filter in front of the application on
     * every path and for every dispatcher type, both async-capable; started.
     */
    @SuppressWarnings("deprecation") // addServletMappingDecoded: deprecated in Tomcat 10.1, which these tests run on
    static Tomcat startTomcat(Filter filter, HttpServlet application, Path baseDir) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", baseDir.toString());
        Wrapper servlet = Tomcat.addServlet(context, "application", application);
        servlet.setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "application");
        FilterDef def = new FilterDef();
        def.setFilterName("hookwarden");
        def.setFilter(filter);
        def.setAsyncSupported("true");
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("hookwarden");
        map.addURLPattern("/*");
        for (DispatcherType type : DispatcherType.values()) {
            map.setDispatcher(type.name());
        }
        context.addFilterMap(map);
        tomcat.start();
        return tomcat;
    }

    /** Tomcat 10.1 removes the Content-Length, reads the body as chunked and closes the connection after answering. */
    @Override
    boolean containerFramesConflictingRequestsAsChunkedAndCloses() {
        return true;
    }

    @Override
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
