package io.hookwarden;

import static io.hookwarden.TestRequests.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Telegram Bot API webhooks (issue 16): the {@code secret_token} of {@code setWebhook} sent back as {@code
 * X-Telegram-Bot-Api-Secret-Token} (https://core.telegram.org/bots/api#setwebhook), and an {@code Update} whose {@code
 * update_id} names it (https://core.telegram.org/bots/api#update). Telegram publishes no test vectors; the update
 * below is written in the shape that page documents.
 */
class TelegramSchemeTest {
    /** Telegram allows 1 to 256 characters of A-Z, a-z, 0-9, _ and -. */
    static final String SECRET_TOKEN = "tg_Secret-Token_4f9K2xQ7";

    static final String UPDATE = "{\"update_id\":873401265,\"message\":{\"message_id\":42,"
            + "\"from\":{\"id\":1111111,\"is_bot\":false,\"first_name\":\"Ada\"},"
            + "\"chat\":{\"id\":1111111,\"first_name\":\"Ada\",\"type\":\"private\"},"
            + "\"date\":1772366400,\"text\":\"/start\"}}";

    static WebhookRequest fromTelegram(String token) {
        return WebhookRequest.builder()
                .method("POST")
                .url("https://bot.example.com/telegram")
                .header("Content-Type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", token)
                .body(UPDATE.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static WebhookVerifier verifier(Keys keys) {
        return WebhookVerifier.builder().scheme(Schemes.telegram()).keys(keys).build();
    }

    @Test
    void anUpdateCarryingTheSecretTokenVerifiesAndIsNamedByItsUpdateId() {
        VerifiedWebhook webhook = verifier(Keys.of(SECRET_TOKEN)).verify(fromTelegram(SECRET_TOKEN));

        assertThat(webhook.schemeId()).isEqualTo("telegram");
        assertThat(webhook.id()).contains("873401265");
        assertThat(webhook.eventType()).isEmpty();
        assertThat(webhook.matchedKey()).isEqualTo("key-1");
    }

    @Test
    void eitherTokenVerifiesWhileItIsRotatedAndTheMatchedOneIsNamed() {
        Keys keys = Keys.builder()
                .add("new", "tg_rotated_token_0123456789")
                .add("old", SECRET_TOKEN)
                .build();

        assertThat(verifier(keys).verify(fromTelegram(SECRET_TOKEN)).matchedKey())
                .isEqualTo("old");
    }

    @Test
    void aWrongTokenIsAMismatchAndAMissingOneAMissingHeader() {
        WebhookVerifier verifier = verifier(Keys.of(SECRET_TOKEN));
        WebhookRequest missing = WebhookRequest.builder()
                .method("POST")
                .url("https://bot.example.com/telegram")
                .body(UPDATE.getBytes(StandardCharsets.UTF_8))
                .build();

        WebhookVerificationException wrong = refusal(verifier, fromTelegram("tg_someone_elses_token_01"));
        WebhookVerificationException absent = refusal(verifier, missing);

        assertThat(wrong.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(wrong.getMessage())
                .contains("header X-Telegram-Bot-Api-Secret-Token")
                .doesNotContain(SECRET_TOKEN)
                .doesNotContain("tg_someone_elses_token_01");
        assertThat(absent.reason()).isEqualTo(Reason.MISSING_HEADER);
    }

    @Test
    void anUpdateTelegramRetriesIsADuplicateByItsUpdateId() {
        WebhookReceiver receiver = WebhookReceiver.builder()
                .verifier(verifier(Keys.of(SECRET_TOKEN)))
                .dedupeStore(InMemoryDedupeStore.create())
                .build();
        try (Delivery first = ((Outcome.Accepted) receiver.receive(fromTelegram(SECRET_TOKEN))).delivery()) {
            first.complete();
        }

        Outcome again = receiver.receive(fromTelegram(SECRET_TOKEN));

        assertThat(again).isInstanceOf(Outcome.Duplicate.class);
    }

    @Test
    void theSignerSendsTheTokenAsTelegramDoesAndTheHeaderIsTheOnlyPlace() {
        WebhookRequest signed = WebhookSigner.builder()
                .scheme(Schemes.telegram())
                .secret(SECRET_TOKEN)
                .build()
                .sign(WebhookMessage.body(UPDATE).build());

        assertThat(signed.headers().first("X-Telegram-Bot-Api-Secret-Token")).contains(SECRET_TOKEN);
        assertThat(Schemes.telegram().tokenHeader()).isEqualTo("X-Telegram-Bot-Api-Secret-Token");
        assertThat(Schemes.telegram().queryParameter()).isNull();
        assertThat(verifier(Keys.of(SECRET_TOKEN)).verify(signed).id()).contains("873401265");
    }

    @Test
    void aTokenShorterThanEightBytesIsRefusedWhenTheVerifierIsBuilt() {
        Throwable thrown = catchThrowable(() -> verifier(Keys.of("tg_1234")));

        assertThat(thrown)
                .isInstanceOfSatisfying(InvalidSecretException.class, e -> assertThat(e.scheme())
                        .isEqualTo("telegram"))
                .hasMessageContaining("too short")
                .hasMessageNotContaining("tg_1234");
    }
}
