package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing by event type: exact before wildcard, longer prefix before shorter, then registration order. */
class RouterTest {
    private final List<String> calls = new ArrayList<>();

    private Router.EventHandler record(String name) {
        return event -> calls.add(name + ":" + event.type().orElse("-"));
    }

    @Test
    void runsEveryMatchingHandlerExactFirstThenLongerPrefixesThenStar() throws Exception {
        // given: registered in an order that differs from the dispatch order
        Router router = Router.builder()
                .on("*", record("star"))
                .on("invoice.*", record("invoice"))
                .on("invoice.paid", record("exact1"))
                .on("invoice.payment.*", record("payment"))
                .on("invoice.paid", record("exact2"))
                .on("customer.*", record("customer"))
                .build();

        // when
        router.dispatch(event("invoice.payment.failed"));
        router.dispatch(event("invoice.paid"));

        // then
        assertThat(calls)
                .containsExactly(
                        "payment:invoice.payment.failed",
                        "invoice:invoice.payment.failed",
                        "star:invoice.payment.failed",
                        "exact1:invoice.paid",
                        "exact2:invoice.paid",
                        "invoice:invoice.paid",
                        "star:invoice.paid");
    }

    @Test
    void wildcardsOfEqualPrefixLengthRunInRegistrationOrder() throws Exception {
        Router router = Router.builder()
                .on("order.*", record("first"))
                .on("order.*", record("second"))
                .on("charge*", record("charge"))
                .build();

        router.dispatch(event("order.created"));
        router.dispatch(event("charges.x"));

        assertThat(calls).containsExactly("first:order.created", "second:order.created", "charge:charges.x");
    }

    @Test
    void aPrefixWildcardNeedsSomethingAfterItsPrefix() {
        Router router = Router.builder().on("invoice.*", record("w")).build();

        assertThat(router.handlersFor("invoice.")).isEmpty();
        assertThat(router.handlersFor("invoice")).isEmpty();
        assertThat(router.handlersFor("invoices.paid")).isEmpty();
        assertThat(router.handlersFor("invoice.paid")).hasSize(1);
    }

    @Test
    void onlyStarMatchesAnEventWithoutAType() throws Exception {
        Router router = Router.builder()
                .on("invoice.*", record("invoice"))
                .on("*", record("star"))
                .build();

        int ran = router.dispatch(event(null));

        assertThat(ran).isEqualTo(1);
        assertThat(calls).containsExactly("star:-");
    }

    @Test
    void ignoresUnmatchedEventsByDefault() throws Exception {
        Router router = Router.builder().on("push", record("push")).build();

        assertThat(router.dispatch(event("issues"))).isZero();
        assertThat(calls).isEmpty();
    }

    @Test
    void rejectsUnmatchedEventsWhenToldTo() {
        Router router = Router.builder()
                .on("push", record("push"))
                .unmatched(Router.Unmatched.REJECT)
                .build();

        assertThatThrownBy(() -> router.dispatch(event("issues")))
                .isInstanceOf(UnmatchedEventException.class)
                .hasMessage("no handler for event type issues");
    }

    @Test
    void theFirstFailingHandlerStopsTheRest() {
        Router router = Router.builder()
                .on("push", record("one"))
                .on("push", e -> {
                    throw new IllegalStateException("boom");
                })
                .on("*", record("never"))
                .build();

        assertThatThrownBy(() -> router.dispatch(event("push"))).hasMessage("boom");
        assertThat(calls).containsExactly("one:push");
    }

    @Test
    void refusesBadPatternsAndEmptyRouters() {
        assertThatThrownBy(() -> Router.builder().on("invoice.*.paid", e -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pattern may have one '*', at its end, but was invoice.*.paid");
        assertThatThrownBy(() -> Router.builder().on("**", e -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Router.builder().on(" ", e -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pattern cannot be blank");
        assertThatThrownBy(() -> Router.builder().on("push", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("handler cannot be null");
        assertThatThrownBy(() -> Router.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("at least one handler is required");
        assertThatThrownBy(() ->
                        Router.builder().unmatched(Router.Unmatched.IGNORE).unmatched(Router.Unmatched.REJECT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("unmatched was already set");
    }

    @Test
    void describesItsPatternsInDispatchRank() {
        Router router = Router.builder()
                .on("*", e -> {})
                .on("a.*", e -> {})
                .on("a.b", e -> {})
                .build();

        assertThat(router).hasToString("Router[a.b, a.*, *][unmatched=IGNORE]");
    }

    private static WebhookEvent event(String type) {
        VerifiedWebhook webhook = SchemeCase.STRIPE.sampleVerifier().verify(Payloads.stripe("{}"));
        return new WebhookEvent(webhook, -1, null, type, null);
    }
}
