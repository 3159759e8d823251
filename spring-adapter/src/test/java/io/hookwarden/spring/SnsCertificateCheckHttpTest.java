package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookSigner;
import io.hookwarden.test.WebhookRequests;
import io.hookwarden.testsupport.FakeSns;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 16: the SNS signing certificate's check as properties ({@code sns.certificate-subject}, {@code
 * sns.certificate-issuer}), over real HTTP on an embedded Tomcat: they replace the default "named as Amazon" check, so
 * a certificate of a private SNS-compatible signer with those names is accepted, and an Amazon-named one is not.
 */
@SpringBootTest(
        classes = SnsCertificateCheckHttpTest.SnsApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.sns.scheme=sns",
            "hookwarden.endpoints.sns.sns.certificate-hosts[0]=127\\.0\\.0\\.1",
            "hookwarden.endpoints.sns.sns.http-client=snsClient",
            "hookwarden.endpoints.sns.sns.certificate-subject=CN=signer\\.hooks\\.test(,|$)",
            "hookwarden.endpoints.sns.sns.certificate-issuer=O=Hooks Test CA(,|$)"
        })
class SnsCertificateCheckHttpTest {
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
        @Bean
        HttpClient snsClient() {
            return SNS.client();
        }
    }

    @RestController
    static class Hooks {
        @PostMapping("/webhooks/sns")
        @WebhookEndpoint("sns")
        Map<String, Object> sns(VerifiedWebhook webhook) {
            return Map.of("scheme", webhook.schemeId());
        }
    }

    @AfterAll
    static void stop() {
        SNS.close();
    }

    private HttpResponse<String> send(String certificateUrl) throws Exception {
        ObjectNode message = JSON.createObjectNode()
                .put("Type", "Notification")
                .put("TopicArn", TOPIC)
                .put("Message", "{\"order\":42}")
                .put("SigningCertURL", certificateUrl);
        return CLIENT.send(
                WebhookRequests.toHttpRequest(
                        SIGNER.sign(WebhookMessage.body(message.toString()).build()),
                        URI.create("http://localhost:" + port + "/webhooks/sns")),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCertificateWithTheConfiguredSubjectAndIssuerIsAccepted() throws Exception {
        String url = SNS.serveSigningCertificate(
                "/private-signer.pem", "CN=signer.hooks.test, O=Hooks Test", "CN=Root, O=Hooks Test CA");

        HttpResponse<String> answer = send(url);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("scheme").asText()).isEqualTo("sns");
    }

    @Test
    void anAmazonNamedCertificateIsRefusedOnceTheCheckIsReplaced() throws Exception {
        String url = SNS.serveSigningCertificate("/amazon-named.pem");

        HttpResponse<String> answer = send(url);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        assertThat(SNS.requests("/amazon-named.pem")).isEqualTo(1);
    }

    @Test
    void theRightSubjectFromAnotherIssuerIsRefused() throws Exception {
        String url = SNS.serveSigningCertificate(
                "/other-issuer.pem", "CN=signer.hooks.test, O=Hooks Test", "CN=Root, O=Someone Else");

        HttpResponse<String> answer = send(url);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
    }
}
