package io.hookwarden.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.WebhookFixtures;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Constants;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter declared in a real {@code web.xml}, parsed and instantiated by embedded Tomcat. */
class WebXmlRegistrationTest {
    private static final String SECRET =
            "whsec_" + Base64.getEncoder().encodeToString("web-xml-key-0123456789abcdef".getBytes());
    private static final String PROPERTY = "test.hookwarden.webxml.secret";

    @TempDir
    Path baseDir;

    private Tomcat tomcat;
    private URI base;
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final WebhookFixtures fixtures = WebhookFixtures.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .build();

    /** The application behind the filter: answers with the verified webhook's id, or "none". */
    public static final class EchoServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            VerifiedWebhook webhook = (VerifiedWebhook) request.getAttribute(HookwardenFilter.VERIFIED_WEBHOOK);
            response.setContentType("text/plain");
            response.getWriter()
                    .write(webhook == null ? "none" : "verified " + webhook.id().orElse("?"));
        }
    }

    @BeforeEach
    void startTomcatWithWebXml() throws Exception {
        System.setProperty(PROPERTY, SECRET);
        Path webapp = Files.createDirectories(baseDir.resolve("webapp/WEB-INF"));
        Files.writeString(
                webapp.resolve("web.xml"),
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                  <filter>
                    <filter-name>hookwarden</filter-name>
                    <filter-class>io.hookwarden.servlet.HookwardenFilter</filter-class>
                    <init-param>
                      <param-name>hookwarden.endpoints</param-name>
                      <param-value>standard</param-value>
                    </init-param>
                    <init-param>
                      <param-name>hookwarden.standard.path</param-name>
                      <param-value>/webhooks/standard</param-value>
                    </init-param>
                    <init-param>
                      <param-name>hookwarden.standard.scheme</param-name>
                      <param-value>standard-webhooks</param-value>
                    </init-param>
                    <init-param>
                      <param-name>hookwarden.standard.secret-property</param-name>
                      <param-value>%s</param-value>
                    </init-param>
                  </filter>
                  <filter-mapping>
                    <filter-name>hookwarden</filter-name>
                    <url-pattern>/*</url-pattern>
                  </filter-mapping>
                  <servlet>
                    <servlet-name>echo</servlet-name>
                    <servlet-class>io.hookwarden.servlet.WebXmlRegistrationTest$EchoServlet</servlet-class>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>echo</servlet-name>
                    <url-pattern>/*</url-pattern>
                  </servlet-mapping>
                </web-app>
                """
                        .formatted(PROPERTY));
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", baseDir.resolve("webapp").toString());
        ContextConfig config = new ContextConfig();
        config.setDefaultWebXml(Constants.NoDefaultWebXml);
        context.addLifecycleListener(config);
        ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
        tomcat.start();
        base = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/");
    }

    @AfterEach
    void stopTomcat() throws Exception {
        System.clearProperty(PROPERTY);
        tomcat.stop();
        tomcat.destroy();
    }

    private HttpResponse<String> send(String path, WebhookRequest delivery) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
        delivery.headers().toMap().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theFilterDeclaredInWebXmlVerifiesItsEndpointAndPassesOtherPathsThrough() throws Exception {
        // when
        HttpResponse<String> valid = send(
                "/webhooks/standard", fixtures.delivery("{\"id\":\"evt_1\"}").signed());
        HttpResponse<String> forged = send(
                "/webhooks/standard", fixtures.delivery("{\"id\":\"evt_2\"}").forged());
        HttpResponse<String> other =
                send("/elsewhere", fixtures.delivery("{\"id\":\"evt_3\"}").forged());

        // then
        assertThat(valid.statusCode()).isEqualTo(200);
        assertThat(valid.body()).startsWith("verified msg_");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("\"reason\":\"SIGNATURE_MISMATCH\"");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo("none");
    }
}
