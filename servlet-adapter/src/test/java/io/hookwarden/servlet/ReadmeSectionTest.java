package io.hookwarden.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.test.WebhookFixtures;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's "Drop the filter into an existing app" example, kept compiling and working: the filter registered
 * through {@code ServletContext.addFilter} in a listener, in front of an application servlet that was there before.
 */
class ReadmeSectionTest {
    private static final String STRIPE_WEBHOOK_SECRET = "whsec_readme_example_0123456789abcdef";
    static final List<String> HANDLED = new CopyOnWriteArrayList<>();

    private Server server;
    private URI base;

    /** As in the README, with the secret from a constant instead of the environment. */
    public static final class Setup implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent sce) {
            // README begins
            WebhookReceiver stripe = WebhookReceiver.builder()
                    .verifier(WebhookVerifier.builder()
                            .scheme(Schemes.stripe())
                            .secret(STRIPE_WEBHOOK_SECRET)
                            .build())
                    .build();
            sce.getServletContext()
                    .addFilter(
                            "hookwarden",
                            HookwardenFilter.builder()
                                    .endpoint("/webhooks/stripe", stripe)
                                    .build())
                    .addMappingForUrlPatterns(null, false, "/webhooks/*");
            // README ends
        }
    }

    /** The application's existing endpoint, as in the README. */
    public static final class StripeWebhookServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final ObjectMapper mapper = new ObjectMapper();

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            VerifiedWebhook webhook = (VerifiedWebhook) req.getAttribute(HookwardenFilter.VERIFIED_WEBHOOK);
            JsonNode event = mapper.readTree(req.getInputStream()); // the very bytes that were verified
            HANDLED.add(webhook.id().orElseThrow() + " " + event.path("type").asText());
            resp.setStatus(200); // 2xx: processed, answered as a duplicate from now on
        }
    }

    @BeforeEach
    void start() throws Exception {
        HANDLED.clear();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addEventListener(new Setup());
        context.addServlet(new ServletHolder(new StripeWebhookServlet()), "/webhooks/stripe");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private int send(WebhookRequest delivery) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/webhooks/stripe"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
        delivery.headers().toMap().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        return HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void theReadmeExampleVerifiesDeduplicatesAndHandsTheEventToTheExistingServlet() throws Exception {
        // given
        WebhookFixtures stripe = WebhookFixtures.builder()
                .scheme(Schemes.stripe())
                .secret(STRIPE_WEBHOOK_SECRET)
                .build();
        WebhookRequest delivery = stripe.delivery("{\"id\":\"evt_readme\",\"type\":\"invoice.paid\"}")
                .signed();

        // when
        int first = send(delivery);
        int replay = send(delivery);
        int forged = send(stripe.delivery("{\"id\":\"evt_forged\",\"type\":\"invoice.paid\"}")
                .forged());

        // then
        assertThat(first).isEqualTo(200);
        assertThat(replay).isEqualTo(200);
        assertThat(forged).isEqualTo(401);
        assertThat(HANDLED).containsExactly("evt_readme invoice.paid");
    }
}
