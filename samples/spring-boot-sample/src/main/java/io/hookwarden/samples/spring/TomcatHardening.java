package io.hookwarden.samples.spring;

import io.hookwarden.samples.support.ServerLimits;
import java.util.Objects;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Sets the sample's {@link ServerLimits} on embedded Tomcat (docs/samples.md "Hardening"), after Spring Boot's own
 * customizer so these values win: every read of a request, its body included, times out after {@code
 * HOOKWARDEN_BODY_TIMEOUT} ({@code connectionTimeout}, and {@code connectionUploadTimeout} with {@code
 * disableUploadTimeout=false}, where Tomcat otherwise waits 60 s), an idle keep-alive connection is closed after it,
 * a connection whose body the application left unread is closed after one more read rather than drained ({@code
 * maxSwallowSize=0}), and requests run on at most {@code HOOKWARDEN_WORKER_THREADS} threads. Tomcat has no minimum data rate. TRACE stays
 * refused ({@code allowTrace=false}), and the error report shows neither the server's name and version nor a message
 * or stack trace.
 *
 * <p>Thread-safe.
 */
final class TomcatHardening implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    private final ServerLimits limits;

    TomcatHardening(ServerLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits cannot be null");
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, limits.bodyTimeoutMillis());
        factory.addConnectorCustomizers(connector -> {
            connector.setAllowTrace(false);
            connector.setXpoweredBy(false);
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setConnectionTimeout(timeout);
                http.setDisableUploadTimeout(false);
                http.setConnectionUploadTimeout(timeout);
                http.setKeepAliveTimeout(timeout);
                // Of a body the application left unread (a refused or timed-out one), drain one read at most, then
                // close.
                http.setMaxSwallowSize(0);
                http.setMaxThreads(limits.workerThreads());
                http.setMinSpareThreads(Math.min(8, limits.workerThreads()));
            }
        });
        factory.addContextCustomizers(context -> {
            ErrorReportValve report = new ErrorReportValve();
            report.setShowReport(false);
            report.setShowServerInfo(false);
            context.getParent().getPipeline().addValve(report);
        });
    }
}
