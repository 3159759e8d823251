package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.test.WebhookRequests;
import io.hookwarden.testsupport.FakeSns;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.reactive.context.ReactiveWebApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 16's AWS SNS configured by {@code hookwarden.endpoints.<name>.sns.*} alone, over real HTTP on an embedded
 * Tomcat: no secrets, the signing certificate fetched from a loopback https server the properties allow, with the
 * application's {@code HttpClient} bean that trusts it; a message of another topic is refused before any fetch.
 */
@SpringBootTest(
        classes = SnsPropertiesHttpTest.SnsApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.sns.scheme=sns",
            "hookwarden.endpoints.sns.sns.topics[0]=" + SnsPropertiesHttpTest.TOPIC,
            "hookwarden.endpoints.sns.sns.topics[1]=arn:aws:sns:eu-west-1:123456789012:refunds",
            "hookwarden.endpoints.sns.sns.certificate-hosts[0]=127\\.0\\.0\\.1",
            "hookwarden.endpoints.sns.sns.certificate-timeout=3s",
            "hookwarden.endpoints.sns.sns.certificate-cache-size=2",
            "hookwarden.endpoints.sns.sns.http-client=snsClient",
            "hookwarden.endpoints.sns.sns.auto-confirm=true"
        })
class SnsPropertiesHttpTest {
    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:orders";

    static final FakeSns SNS = new FakeSns();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WebhookSigner SIGNER = WebhookSigner.builder()
            .scheme(Schemes.sns())
            .secret(FakeSns.signingKeyPem())
            .build();

    @LocalServerPort
    int port;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class SnsApp {
        /** The client that trusts the loopback server, named by sns.http-client. */
        @Bean
        HttpClient snsClient() {
            return SNS.client();
        }
    }

    @RestController
    static class Hooks {
        static final List<String> HANDLED = new CopyOnWriteArrayList<>();

        @PostMapping("/webhooks/sns")
        @WebhookEndpoint("sns")
        Map<String, Object> sns(VerifiedWebhook webhook) {
            HANDLED.add(webhook.eventType().orElse(""));
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("scheme", webhook.schemeId());
            seen.put("id", webhook.id().orElse(""));
            seen.put("type", webhook.eventType().orElse(""));
            return seen;
        }
    }

    @AfterAll
    static void stop() {
        SNS.close();
    }

    private static ObjectNode message(String topic, String certificateUrl) {
        return JSON.createObjectNode()
                .put("Type", "Notification")
                .put("TopicArn", topic)
                .put("Subject", "order placed")
                .put("Message", "{\"order\":42}")
                .put("SigningCertURL", certificateUrl);
    }

    private HttpResponse<String> send(ObjectNode message) throws Exception {
        WebhookRequest request =
                SIGNER.sign(WebhookMessage.body(message.toString()).build());
        return CLIENT.send(
                WebhookRequests.toHttpRequest(request, URI.create("http://localhost:" + port + "/webhooks/sns")),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Autowired
    ApplicationContext context;

    /**
     * This class runs twice: here on Tomcat, and in spring-webflux-adapter on Reactor Netty, whose build names the
     * stack it expects ({@code hookwarden.test.web-stack}); so each run proves the stack it was meant for.
     */
    @Test
    void runsOnTheWebStackItsModuleExpects() {
        String expected = System.getProperty("hookwarden.test.web-stack", "servlet");

        assertThat(context instanceof ReactiveWebApplicationContext ? "reactive" : "servlet")
                .isEqualTo(expected);
    }

    @Test
    void aSignedNotificationOfAnAllowedTopicIsVerifiedWithTheFetchedCertificate() throws Exception {
        String url = SNS.serveSigningCertificate("/SimpleNotificationService-accepted.pem");

        HttpResponse<String> answer = send(message(TOPIC, url));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer).path("scheme").asText()).isEqualTo("sns");
        assertThat(json(answer).path("type").asText()).isEqualTo("Notification");
        assertThat(json(answer).path("id").asText()).isNotBlank();
        assertThat(SNS.requests("/SimpleNotificationService-accepted.pem")).isEqualTo(1);
    }

    @Test
    void theSecondTopicIsAllowedToo() throws Exception {
        String url = SNS.serveSigningCertificate("/SimpleNotificationService-second.pem");

        HttpResponse<String> answer = send(message("arn:aws:sns:eu-west-1:123456789012:refunds", url));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void aMessageOfAnotherTopicIsRefusedBeforeItsCertificateIsFetched() throws Exception {
        String url = SNS.serveSigningCertificate("/SimpleNotificationService-other-topic.pem");

        HttpResponse<String> answer = send(message("arn:aws:sns:us-east-1:123456789012:someone-elses", url));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
        assertThat(json(answer).path("reason").asText()).isEqualTo("SOURCE_NOT_ALLOWED");
        assertThat(SNS.requests("/SimpleNotificationService-other-topic.pem")).isZero();
    }

    @Test
    void aTamperedMessageIsRefused() throws Exception {
        String url = SNS.serveSigningCertificate("/SimpleNotificationService-tampered.pem");
        WebhookRequest signed =
                SIGNER.sign(WebhookMessage.body(message(TOPIC, url).toString()).build());
        String tampered = new String(signed.body(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("{\\\"order\\\":42}", "{\\\"order\\\":43}");
        assertThat(tampered).contains("43");

        HttpResponse<String> answer = CLIENT.send(
                WebhookRequests.toHttpRequest(
                        signed.toBuilder()
                                .body(tampered.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                                .build(),
                        URI.create("http://localhost:" + port + "/webhooks/sns")),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        assertThat(json(answer).path("reason").asText()).isEqualTo("SIGNATURE_MISMATCH");
    }

    @Test
    void anUnsubscribeConfirmationIsAnsweredByTheSchemeAsAutoConfirmSays() throws Exception {
        String url = SNS.serveSigningCertificate("/SimpleNotificationService-unsubscribe.pem");
        ObjectNode confirmation = JSON.createObjectNode()
                .put("Type", "UnsubscribeConfirmation")
                .put("TopicArn", TOPIC)
                .put("Message", "You have chosen to deactivate subscription")
                .put("Token", "token-0123456789")
                .put("SubscribeURL", "https://127.0.0.1:1/never-visited")
                .put("SigningCertURL", url);

        HttpResponse<String> answer = send(confirmation);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(Hooks.HANDLED).doesNotContain("UnsubscribeConfirmation");
    }
}
