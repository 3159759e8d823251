package io.hookwarden.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The filter's HTTP contract in embedded Jetty 12 (ee10), the filter mapped for every dispatcher type. */
class JettyFilterTest extends FilterOverHttpContract {
    private Server server;

    @Override
    URI start(Filter filter, HttpServlet application) throws Exception {
        server = startJetty(filter, application, compliance());
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/");
    }

    /**
     * Embedded Jetty on a free loopback port, the filter in front of the application on every path and for every
     * dispatcher type, both async-capable; started.
     */
    static Server startJetty(Filter filter, HttpServlet application, HttpCompliance compliance) throws Exception {
        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setHttpCompliance(compliance);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        FilterHolder holder = new FilterHolder(filter);
        holder.setAsyncSupported(true);
        context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
        ServletHolder servlet = new ServletHolder(application);
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, "/*");
        server.setHandler(context);
        server.start();
        return server;
    }

    /** Jetty's default: a request with both Content-Length and Transfer-Encoding is refused by Jetty with 400. */
    HttpCompliance compliance() {
        return HttpCompliance.RFC7230;
    }

    @Override
    void stop() throws Exception {
        server.stop();
    }
}
