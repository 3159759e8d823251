package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12: only POST is verified and claimed, so a signed delivery sent first with another method (a CORS preflight,
 * TRACE) is answered 405 and never uses up the provider's genuine POST.
 */
class MethodTest {
    private static final String SECRET =
            "whsec_" + Base64.getEncoder().encodeToString("method-test-key-0123456789".getBytes());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"OPTIONS", "TRACE", "PUT", "PATCH", "DELETE", "GET", "HEAD"})
    void refusesAnotherMethodWith405BeforeClaimingSoThePostIsStillProcessed(String method) {
        // given
        InMemoryDedupeStore store = InMemoryDedupeStore.builder().build();
        WebhookVerifier verifier = WebhookVerifier.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .build();
        WebhookReceiver receiver =
                WebhookReceiver.builder().verifier(verifier).dedupeStore(store).build();
        WebhookRequest post = WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(SECRET)
                .build()
                .sign(WebhookMessage.body("{\"type\":\"a\"}").id("msg_1").build());
        WebhookRequest other = post.toBuilder().method(method).build();

        // when
        Outcome first = receiver.receive(other);
        Outcome genuine = receiver.receive(post);

        // then
        assertThat(first).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected) first).reason()).isEqualTo(Reason.METHOD_NOT_ALLOWED);
        assertThat(first.answer().status()).isEqualTo(405);
        assertThat(first.answer().headers()).containsEntry("Allow", "POST");
        assertThat(genuine).isInstanceOf(Outcome.Accepted.class);
        ((Outcome.Accepted) genuine).delivery().close();
    }
}
