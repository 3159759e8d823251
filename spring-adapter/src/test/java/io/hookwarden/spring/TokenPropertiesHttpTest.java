package io.hookwarden.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.test.WebhookFixtures;
import io.hookwarden.test.WebhookRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 16's static tokens configured by {@code hookwarden.endpoints.<name>.token.*} alone, over real HTTP on an
 * embedded Tomcat: a named header, Bearer, the three kinds of HTTP Basic and a query parameter, each signed by the test
 * kit with the same options given to {@code Schemes.token()} in code, so the properties mean what the builder means.
 */
@SpringBootTest(
        classes = TokenPropertiesHttpTest.TokenApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.header.scheme=token",
            "hookwarden.endpoints.header.token.header=X-Webhook-Token",
            "hookwarden.endpoints.header.token.id-header=X-Delivery-Id",
            "hookwarden.endpoints.header.token.event-type-header=X-Event-Type",
            "hookwarden.endpoints.header.token.scheme-id=acme",
            "hookwarden.endpoints.header.secrets[0]=" + TokenPropertiesHttpTest.HEADER_TOKEN,
            "hookwarden.endpoints.header.secrets[1]=" + TokenPropertiesHttpTest.HEADER_OLD_TOKEN,
            "hookwarden.endpoints.bearer.scheme=token",
            "hookwarden.endpoints.bearer.token.bearer=true",
            "hookwarden.endpoints.bearer.token.id-pointer=/id",
            "hookwarden.endpoints.bearer.token.event-type-pointers=/event/type,/type",
            "hookwarden.endpoints.bearer.secrets[0]=" + TokenPropertiesHttpTest.BEARER_TOKEN,
            "hookwarden.endpoints.basic.scheme=token",
            "hookwarden.endpoints.basic.token.basic=credentials",
            "hookwarden.endpoints.basic.secrets[0]=" + TokenPropertiesHttpTest.BASIC_CREDENTIALS,
            "hookwarden.endpoints.basic-user.scheme=token",
            "hookwarden.endpoints.basic-user.token.basic=user",
            "hookwarden.endpoints.basic-user.secrets[0]=" + TokenPropertiesHttpTest.BASIC_USER,
            "hookwarden.endpoints.basic-password.scheme=token",
            "hookwarden.endpoints.basic-password.token.basic=password",
            "hookwarden.endpoints.basic-password.token.min-bytes=6",
            "hookwarden.endpoints.basic-password.secrets[0]=" + TokenPropertiesHttpTest.SHORT_PASSWORD,
            "hookwarden.endpoints.query.scheme=token",
            "hookwarden.endpoints.query.token.query=token",
            "hookwarden.endpoints.query.secrets[0]=" + TokenPropertiesHttpTest.QUERY_TOKEN,
            "hookwarden.endpoints.telegram.scheme=telegram",
            "hookwarden.endpoints.telegram.secrets[0]=" + TokenPropertiesHttpTest.TELEGRAM_TOKEN,
            "hookwarden.endpoints.okta.scheme=okta",
            "hookwarden.endpoints.okta.secrets[0]=" + TokenPropertiesHttpTest.OKTA_SECRET,
            // every Hookwarden logger at its most talkative, so that "never logged" covers DEBUG and TRACE too
            "logging.level.io.hookwarden=TRACE"
        })
@ExtendWith(OutputCaptureExtension.class)
class TokenPropertiesHttpTest {
    static final String HEADER_TOKEN = "header-token-2026-q3-0123456789";
    static final String HEADER_OLD_TOKEN = "header-token-2026-q2-0123456789";
    static final String BEARER_TOKEN = "bearer-token-0123456789abcdef";
    static final String BASIC_CREDENTIALS = "acme:basic-password-0123456789";
    static final String BASIC_USER = "basic-user-token-0123456789";
    /** Six bytes: under the default floor of 8, accepted because {@code token.min-bytes=6}. */
    static final String SHORT_PASSWORD = "s3cr3t";

    static final String QUERY_TOKEN = "query-token-never-logged-0123456789";
    static final String TELEGRAM_TOKEN = "tg_spring-secret_token_42";
    /** Okta's Authentication secret as its guide sets it: {@code Basic } and base64("admin:supersecret"). */
    static final String OKTA_SECRET = "Basic YWRtaW46c3VwZXJzZWNyZXQ=";

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hooks.class)
    static class TokenApp {}

    /** One handler per endpoint; each answers what the verified delivery says about itself. */
    @RestController
    static class Hooks {
        @PostMapping("/webhooks/header")
        @WebhookEndpoint("header")
        Map<String, Object> header(VerifiedWebhook webhook) {
            return seen(webhook);
        }

        @PostMapping("/webhooks/bearer")
        @WebhookEndpoint("bearer")
        Map<String, Object> bearer(VerifiedWebhook webhook) {
            return seen(webhook);
        }

        @PostMapping("/webhooks/basic")
        @WebhookEndpoint("basic")
        Map<String, Object> basic(VerifiedWebhook webhook) {
            return seen(webhook);
        }

        @PostMapping("/webhooks/basic-user")
        @WebhookEndpoint("basic-user")
        Map<String, Object> basicUser(VerifiedWebhook webhook) {
            return seen(webhook);
        }

        @PostMapping("/webhooks/basic-password")
        @WebhookEndpoint("basic-password")
        Map<String, Object> basicPassword(VerifiedWebhook webhook) {
            return seen(webhook);
        }

        @PostMapping("/webhooks/query")
        @WebhookEndpoint("query")
        Map<String, Object> query(VerifiedWebhook webhook) {
            return seen(webhook);
        }

        @PostMapping("/webhooks/telegram")
        @WebhookEndpoint("telegram")
        Map<String, Object> telegram(VerifiedWebhook webhook) {
            return seen(webhook);
        }

        // POST only: Okta's verification request, a GET, still reaches the endpoint and is answered by the scheme
        @PostMapping("/webhooks/okta")
        @WebhookEndpoint("okta")
        Map<String, Object> okta(VerifiedWebhook webhook) {
            return seen(webhook);
        }

        private static Map<String, Object> seen(VerifiedWebhook webhook) {
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("scheme", webhook.schemeId());
            seen.put("key", webhook.matchedKey());
            seen.put("id", webhook.id().orElse(""));
            seen.put("type", webhook.eventType().orElse(""));
            seen.put("url", webhook.request().url().orElse(""));
            seen.put("webhook", webhook.toString());
            return seen;
        }
    }

    private static WebhookFixtures fixtures(io.hookwarden.Scheme scheme, String token) {
        return WebhookFixtures.builder().scheme(scheme).secret(token).build();
    }

    private HttpResponse<String> send(WebhookRequest request, String path) throws Exception {
        return CLIENT.send(
                WebhookRequests.toHttpRequest(request, URI.create("http://localhost:" + port + path)),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> sendToItsUrl(WebhookRequest request) throws Exception {
        return CLIENT.send(WebhookRequests.toHttpRequest(request), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertRefused(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).path("reason").asText()).isEqualTo(reason);
    }

    private static String event(String type) {
        return "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"" + type + "\"}";
    }

    private static String basic(String userColonPassword) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString(userColonPassword.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aTokenInANamedHeaderIsCheckedWithItsIdAndTypeHeadersAndEitherRotatedToken() throws Exception {
        io.hookwarden.Scheme scheme = Schemes.token()
                .header("X-Webhook-Token")
                .idHeader("X-Delivery-Id")
                .eventTypeHeader("X-Event-Type")
                .build();

        HttpResponse<String> current = send(
                fixtures(scheme, HEADER_TOKEN)
                        .delivery(event("a"))
                        .id("dlv_1")
                        .eventType("invoice.paid")
                        .signed(),
                "/webhooks/header");
        HttpResponse<String> old = send(
                fixtures(scheme, HEADER_OLD_TOKEN)
                        .delivery(event("b"))
                        .id("dlv_2")
                        .signed(),
                "/webhooks/header");

        assertThat(current.statusCode()).as(current.body()).isEqualTo(200);
        assertThat(json(current).path("scheme").asText()).isEqualTo("acme");
        assertThat(json(current).path("key").asText()).isEqualTo("secrets[0]");
        assertThat(json(current).path("id").asText()).isEqualTo("dlv_1");
        assertThat(json(current).path("type").asText()).isEqualTo("invoice.paid");
        assertThat(old.statusCode()).as(old.body()).isEqualTo(200);
        assertThat(json(old).path("key").asText()).isEqualTo("secrets[1]");
    }

    @Test
    void aWrongOrMissingHeaderTokenIsRefused() throws Exception {
        WebhookFixtures wrong =
                fixtures(Schemes.token().header("X-Webhook-Token").build(), "not-the-token-0123456789");
        WebhookFixtures bearer = fixtures(Schemes.token().build(), HEADER_TOKEN);

        assertRefused(send(wrong.delivery(event("a")).signed(), "/webhooks/header"), 401, "SIGNATURE_MISMATCH");
        assertRefused(send(bearer.delivery(event("a")).signed(), "/webhooks/header"), 400, "MISSING_HEADER");
    }

    @Test
    void aBearerTokenIsCheckedAndTheIdAndTypeComeFromTheBodysPointers() throws Exception {
        WebhookFixtures bearer = fixtures(Schemes.token().bearer().build(), BEARER_TOKEN);
        String body = "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"event\":{\"type\":\"charge.refunded\"}}";

        HttpResponse<String> answer = send(bearer.delivery(body).signed(), "/webhooks/bearer");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer).path("scheme").asText()).isEqualTo("token");
        assertThat(json(answer).path("id").asText())
                .isEqualTo(JSON.readTree(body).path("id").asText());
        assertThat(json(answer).path("type").asText()).isEqualTo("charge.refunded");
        WebhookFixtures wrong = fixtures(Schemes.token().bearer().build(), "another-bearer-0123456789");
        assertRefused(send(wrong.delivery(event("a")).signed(), "/webhooks/bearer"), 401, "SIGNATURE_MISMATCH");
    }

    @Test
    void basicCredentialsCompareTheUserAndThePasswordTogether() throws Exception {
        WebhookFixtures basic = fixtures(Schemes.token().basic().build(), BASIC_CREDENTIALS);

        HttpResponse<String> accepted = send(basic.delivery(event("a")).signed(), "/webhooks/basic");
        HttpResponse<String> otherUser = send(
                basic.delivery(event("b")).withHeader("Authorization", basic("other:basic-password-0123456789")),
                "/webhooks/basic");
        HttpResponse<String> bearer = send(
                basic.delivery(event("c")).withHeader("Authorization", "Bearer " + BASIC_CREDENTIALS),
                "/webhooks/basic");

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(json(accepted).path("key").asText()).isEqualTo("secrets[0]");
        assertRefused(otherUser, 401, "SIGNATURE_MISMATCH");
        assertRefused(bearer, 400, "MALFORMED_HEADER");
    }

    @Test
    void basicUserChecksOnlyTheUserName() throws Exception {
        WebhookFixtures user = fixtures(Schemes.token().basicUser().build(), BASIC_USER);

        HttpResponse<String> signed = send(user.delivery(event("a")).signed(), "/webhooks/basic-user");
        HttpResponse<String> anyPassword = send(
                user.delivery(event("b")).withHeader("Authorization", basic(BASIC_USER + ":whatever")),
                "/webhooks/basic-user");
        HttpResponse<String> tokenAsPassword = send(
                user.delivery(event("c")).withHeader("Authorization", basic("someone:" + BASIC_USER)),
                "/webhooks/basic-user");

        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        assertThat(anyPassword.statusCode()).as(anyPassword.body()).isEqualTo(200);
        assertRefused(tokenAsPassword, 401, "SIGNATURE_MISMATCH");
    }

    @Test
    void basicPasswordChecksOnlyThePasswordAndMinBytesLowersTheFloor() throws Exception {
        WebhookFixtures password =
                fixtures(Schemes.token().basicPassword().minSecretBytes(6).build(), SHORT_PASSWORD);

        HttpResponse<String> signed = send(password.delivery(event("a")).signed(), "/webhooks/basic-password");
        HttpResponse<String> anyUser = send(
                password.delivery(event("b")).withHeader("Authorization", basic("anyone:" + SHORT_PASSWORD)),
                "/webhooks/basic-password");
        HttpResponse<String> tokenAsUser = send(
                password.delivery(event("c")).withHeader("Authorization", basic(SHORT_PASSWORD + ":x")),
                "/webhooks/basic-password");

        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        assertThat(anyUser.statusCode()).as(anyUser.body()).isEqualTo(200);
        assertRefused(tokenAsUser, 401, "SIGNATURE_MISMATCH");
    }

    @Test
    void aQueryTokenIsCheckedAndNeverReachesTheHandlerTheAnswerOrTheLogs(CapturedOutput output) throws Exception {
        String url = "http://localhost:" + port + "/webhooks/query?shop=7";
        WebhookFixtures query = WebhookFixtures.builder()
                .scheme(Schemes.token().query("token").build())
                .secret(QUERY_TOKEN)
                .url(url)
                .build();
        String wrongToken = "wrong-query-token-also-never-logged-0123";
        WebhookFixtures wrong = WebhookFixtures.builder()
                .scheme(Schemes.token().query("token").build())
                .secret(wrongToken)
                .url(url)
                .build();
        WebhookRequest delivery = query.delivery(event("a")).signed();
        assertThat(delivery.url()).hasValueSatisfying(u -> assertThat(u).contains("token=" + QUERY_TOKEN));

        HttpResponse<String> accepted = sendToItsUrl(delivery);
        HttpResponse<String> refused = sendToItsUrl(wrong.delivery(event("b")).signed());
        HttpResponse<String> missing = send(query.delivery(event("c")).signed(), "/webhooks/query?shop=7");

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(json(accepted).path("url").asText()).endsWith("/webhooks/query?shop=7&token=***");
        assertThat(accepted.body()).doesNotContain(QUERY_TOKEN);
        assertRefused(refused, 401, "SIGNATURE_MISMATCH");
        assertThat(refused.body()).doesNotContain(wrongToken);
        assertRefused(missing, 400, "MISSING_HEADER");
        // the refusals were logged (so the logs were captured), naming the parameter and never a token
        assertThat(output.getAll())
                .contains("webhook refused at endpoint query: SIGNATURE_MISMATCH (401): the token in query parameter"
                        + " token matches none of the 1 active token(s) of scheme token")
                .contains("query parameter token is missing")
                .doesNotContain(QUERY_TOKEN)
                .doesNotContain(wrongToken);
    }

    /** An update as Telegram sends it: JSON, and the webhook's secret token in its header. */
    private static WebhookRequest telegramUpdate(String update, String token) {
        return WebhookRequest.builder()
                .method("POST")
                .header("Content-Type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", token)
                .body(update)
                .build();
    }

    @Test
    void theTelegramPresetNeedsOnlyItsSchemeIdAndSecretToken() throws Exception {
        String update = "{\"update_id\":873401266,\"message\":{\"message_id\":7,\"text\":\"hi\"}}";

        HttpResponse<String> accepted = send(telegramUpdate(update, TELEGRAM_TOKEN), "/webhooks/telegram");
        HttpResponse<String> again = send(telegramUpdate(update, TELEGRAM_TOKEN), "/webhooks/telegram");
        HttpResponse<String> forged =
                send(telegramUpdate(update.replace("hi", "pay me"), "tg_a-guess-at-the-token"), "/webhooks/telegram");

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(json(accepted).path("scheme").asText()).isEqualTo("telegram");
        assertThat(json(accepted).path("id").asText())
                .isEqualTo(JSON.readTree(update).path("update_id").asText());
        assertRefused(again, 200, "DUPLICATE");
        assertRefused(forged, 401, "SIGNATURE_MISMATCH");
    }

    @Test
    void oktasVerificationGetIsAnsweredOnlyWithItsSecretAndItsEventsAreVerified() throws Exception {
        String challenge = "Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg";
        HttpRequest.Builder verification = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/webhooks/okta"))
                .GET()
                .header("X-Okta-Verification-Challenge", challenge);
        String event = "{\"eventType\":\"com.okta.event_hook\",\"eventId\":\"b5a188b9-5ece-4636-b041-482ffda96311\","
                + "\"data\":{\"events\":[{\"eventType\":\"user.session.start\"}]}}";

        HttpResponse<String> verified = CLIENT.send(
                verification.copy().header("Authorization", OKTA_SECRET).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> stranger = CLIENT.send(
                verification
                        .copy()
                        .header("Authorization", "Basic YWRtaW46bm90c2VjcmV0")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> delivered = send(
                WebhookRequest.builder()
                        .method("POST")
                        .header("Content-Type", "application/json")
                        .header("Authorization", OKTA_SECRET)
                        .body(event)
                        .build(),
                "/webhooks/okta");

        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        assertThat(json(verified).path("verification").asText()).isEqualTo(challenge);
        assertRefused(stranger, 401, "SIGNATURE_MISMATCH");
        assertThat(stranger.body()).doesNotContain(challenge);
        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
        assertThat(json(delivered).path("scheme").asText()).isEqualTo("okta");
        assertThat(json(delivered).path("id").asText()).isEqualTo("b5a188b9-5ece-4636-b041-482ffda96311");
    }
}
